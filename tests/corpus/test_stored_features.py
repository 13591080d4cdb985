"""Compact signatures as stored features: `to_bytes`/`from_bytes`, `features` in the map, and the
corpus stage on precomputed signatures giving what it gives on its own."""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter
from itertools import islice
from pathlib import Path

import pytest
from _dedup_texts import scale_texts

from marsad.corpus import analyze_corpus
from marsad.corpus import similarity as sim
from marsad.model import article_from_json, article_to_json

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "saudinewsnet" / "july2015.jsonl.gz"
REAL_ARTICLES = 60


@pytest.fixture(scope="module")
def articles():
    texts = scale_texts()
    return [sim.annotate(text, doc) for doc, text in texts.items()]


def _fields(s: sim.DocSignature) -> tuple:
    return (
        s.doc,
        s.exact,
        s.n_words,
        s.shingles.tolist(),
        s.minhash.tolist(),
        s.terms.keys.tolist(),
        s.terms.stems,
        s.terms.values.tolist(),
        s.terms.norm,
        s.title.keys.tolist(),
        s.title.stems,
        s.title.values.tolist(),
        s.title.norm,
        s.entities,
        s.figures,
        s.dates,
        s.quotes.tolist(),
        s.published,
    )


def test_bytes_round_trip_keeps_every_field_and_score(articles) -> None:
    sigs = [sim.features(a) for a in articles]
    back = [sim.DocSignature.from_bytes(s.to_bytes()) for s in sigs]
    for s, b in zip(sigs, back, strict=True):
        assert _fields(b) == _fields(s)
        assert b.to_bytes() == s.to_bytes()
    for i in range(len(sigs)):
        for j in range(len(sigs)):
            assert sim.article_similarity(back[i], back[j]) == sim.article_similarity(sigs[i], sigs[j])
            assert sim.components(back[i], back[j]) == sim.components(sigs[i], sigs[j])


def test_bytes_of_an_empty_text_round_trip() -> None:
    s = sim.text_signature("", "empty")
    b = sim.DocSignature.from_bytes(s.to_bytes())
    assert _fields(b) == _fields(s)
    assert b.published is None and not b.terms.stems and b.quotes.size == 0


def test_bytes_format_is_pinned() -> None:
    # A change of the stored layout (or of a hash it relies on) must come with a new version byte:
    # readers of stored features would otherwise misread them.
    s = sim.signature(sim.annotate("أعلنت وزارة الصحة في بيروت تسجيل 12 إصابة جديدة بالكوليرا", "x"))
    data = s.to_bytes()
    assert data[:4] == b"MSG\x01"
    assert sim.stem_key("قوات") == 13766072518066831577
    assert hashlib.blake2b(data, digest_size=8).hexdigest() == "3d16d81c338c7469"


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: b"XYZ\x01" + d[4:],  # another format
        lambda d: d[:-3],  # truncated
        lambda d: d + b"\x00",  # trailing bytes
        lambda d: d[:5],  # shorter than a header and its first section
    ],
)
def test_from_bytes_refuses_damaged_records(articles, damage) -> None:
    data = sim.features(articles[0]).to_bytes()
    with pytest.raises(ValueError):
        sim.DocSignature.from_bytes(damage(data))


def test_reweighed_signature_is_not_stored(articles) -> None:
    sigs = [sim.features(a) for a in articles]
    weighed = sim.reweigh(sigs[0], sim.TermWeights.from_signatures(sigs))
    with pytest.raises(ValueError, match="reweighed"):
        weighed.to_bytes()


def _dict_cosine(x: Counter[str], y: Counter[str]) -> float:
    wx = {t: 1.0 + math.log(c) for t, c in x.items()}
    wy = {t: 1.0 + math.log(c) for t, c in y.items()}
    nx, ny = math.sqrt(sum(v * v for v in wx.values())), math.sqrt(sum(v * v for v in wy.values()))
    if not nx or not ny:
        return 0.0
    return sum(w * wy[t] for t, w in wx.items() if t in wy) / (nx * ny)


@pytest.mark.parametrize("seed", range(20))
def test_term_vector_cosine_is_the_dict_cosine(seed: int) -> None:
    rng = random.Random(seed)
    vocab = [f"كلمة{i}" for i in range(rng.choice([3, 40, 400]))]
    x = Counter(rng.choices(vocab, k=rng.randrange(0, 300)))
    y = Counter(rng.choices(vocab, k=rng.randrange(0, 300)))
    got = sim._cos(sim.term_vector(x.elements()), sim.term_vector(y.elements()))
    assert got == pytest.approx(_dict_cosine(x, y), abs=1e-12)


def test_signatures_takes_the_known_and_computes_the_rest(articles, monkeypatch) -> None:
    known = {articles[0].id: sim.DocSignature.from_bytes(sim.features(articles[0]).to_bytes())}
    computed: list[str] = []
    real = sim.features
    monkeypatch.setattr(sim, "features", lambda a: computed.append(a.id) or real(a))
    got = sim.signatures(articles, known)
    assert got[articles[0].id] is known[articles[0].id]
    assert computed == [a.id for a in articles[1:]]


def _outputs(result) -> tuple:
    return (
        sorted((r.a, r.b, r.kind, r.score) for r in result.relations),
        sorted((s.id, tuple(s.documents)) for s in result.stories),
        sorted(e.id for e in result.events),
        sorted(c.id for c in result.contradictions),
    )


def test_corpus_stage_on_stored_signatures_gives_the_same_output(articles) -> None:
    # Features made in the map (norm and tokens present), stored, read back: the stage's output
    # is the one it computes from the articles alone.
    stored = {a.id: sim.DocSignature.from_bytes(sim.features(a).to_bytes()) for a in articles}
    reloaded = [article_from_json(article_to_json(a)) for a in articles]  # norm/tokens dropped
    assert all(a.tokens is None for a in reloaded)
    plain = analyze_corpus(reloaded)
    given = analyze_corpus(reloaded, signatures=stored)
    assert _outputs(given) == _outputs(plain)
    assert any(r.kind in ("exact", "near_duplicate", "rewrite") for r in plain.relations)


def test_real_news_features_in_the_map_equal_the_reloaded_ones() -> None:
    """On real articles: the signature made where norm/tokens exist equals the one rebuilt from a
    stored (reloaded) article, and its bytes read back to the same signature."""
    if not REAL.exists():
        pytest.skip(f"real data not found at {REAL} (it lives in the workplace's shared/ folder)")
    from marsad.config import load_config
    from marsad.errors import FilteredError, QuarantineError
    from marsad.ingest import build_article, iter_inputs
    from marsad.pipeline import Pipeline

    config = load_config()
    pipeline = Pipeline(["normalize", "segment", "tokenize", "entities", "times", "quantities", "quotes"])
    seen = 0
    for raw in islice(iter_inputs([str(REAL)], config), REAL_ARTICLES):
        try:
            article = pipeline(build_article(raw, config))
        except (FilteredError, QuarantineError):
            continue  # not stored by a run either
        assert article.tokens is not None and article.norm is not None
        in_map = sim.features(article)
        reloaded = sim.features(article_from_json(article_to_json(article)))
        assert _fields(in_map) == _fields(reloaded), article.id
        assert _fields(sim.DocSignature.from_bytes(in_map.to_bytes())) == _fields(in_map)
        seen += 1
    assert seen >= REAL_ARTICLES // 2
