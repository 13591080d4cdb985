"""corpus.similarity: signatures, the 0..1 same-story scale and `marsad.similarity`."""

from __future__ import annotations

import pytest
from _dedup_texts import FLOOD, FLOOD_OTHER, FLOOD_REWRITE, SUMMIT, scale_texts

import marsad
from marsad.corpus import similarity as sim
from marsad.model import Article, Provenance

PINNED_TEXT = (
    "أعلنت وزارة الصحة في بيروت تسجيل 12 إصابة جديدة بالكوليرا في مخيمات النازحين شمال "
    "البلاد خلال الأسبوع الماضي"
)


def _article(doc: str, text: str) -> Article:
    return Article(id=doc, text=text, provenance=Provenance(source="test", format="txt"))


@pytest.fixture(scope="module")
def sigs() -> dict[str, sim.DocSignature]:
    texts = scale_texts()
    return {k: sim.text_signature(v, k) for k, v in texts.items()}


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("flood", "exact", 1.0, 1.0),
        ("flood", "near", 0.85, 1.0),
        ("flood", "rewrite", 0.6, 0.9),
        ("near", "rewrite", 0.6, 0.9),
        ("flood", "other_flood", 0.0, 0.2),  # same topic (floods), different story
        ("flood", "summit", 0.0, 0.2),
        ("summit", "match", 0.0, 0.2),
        ("rewrite", "match", 0.0, 0.2),
    ],
)
def test_article_similarity_scale(sigs, a: str, b: str, low: float, high: float) -> None:
    score = sim.article_similarity(sigs[a], sigs[b])
    assert low <= score <= high, (a, b, score, sim.components(sigs[a], sigs[b]))


@pytest.mark.parametrize(("a", "b"), [("flood", "rewrite"), ("flood", "near"), ("summit", "match")])
def test_article_similarity_symmetric(sigs, a: str, b: str) -> None:
    assert sim.article_similarity(sigs[a], sigs[b]) == sim.article_similarity(sigs[b], sigs[a])


def test_similarity_rewrite_above_same_topic() -> None:
    assert sim.similarity(FLOOD, FLOOD_REWRITE) > sim.similarity(FLOOD, FLOOD_OTHER) + 0.4


def test_similarity_exported_from_package() -> None:
    assert marsad.similarity is sim.similarity
    assert marsad.similarity(SUMMIT, SUMMIT) == 1.0


@pytest.mark.parametrize("text", ["", "   ", "؟!"])
def test_similarity_empty_text_is_zero(text: str) -> None:
    assert sim.similarity(text, SUMMIT) == 0.0


def test_signature_exact_hash_folds_layout(sigs) -> None:
    assert sigs["flood"].exact == sigs["exact"].exact
    assert sigs["flood"].exact != sigs["near"].exact


def test_signature_pinned_values() -> None:
    # Stored fingerprints must not move silently: a change here orphans every stored signature.
    assert sim.word_hash("كوريا") == 3634009890
    s = sim.signature(_article("x", PINNED_TEXT))
    assert s.exact == "ffbff4ba18e037e3b2bf1ded1cb04de3"
    assert s.shingles.size == 14
    assert s.shingles[:4].tolist() == [1084073391, 1204704617, 1516510242, 1548910927]
    assert s.minhash[:4].tolist() == [148979274, 5048710, 106220095, 565108994]


def test_signature_uses_annotations(sigs) -> None:
    s = sigs["flood"]
    assert s.figures, "quantities (23 قتيلا, 300 منزل) should give figure keys"
    assert s.quotes.size, "the quoted governor should give quote shingles"
    assert s.entities


def test_minhash_estimate_tracks_jaccard(sigs) -> None:
    a, b = sigs["flood"], sigs["near"]
    jaccard, _ = sim.shingle_overlap(a, b)
    assert abs(sim.minhash_estimate(a, b) - jaccard) < 0.15


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("والقوات", "قوات"),
        ("قواتها", "قوات"),
        ("الجنود", "جنود"),
        ("في", None),
        ("وقال", None),
        ("2024", "2024"),
    ],
)
def test_content_stem(word: str, stem: str | None) -> None:
    assert sim.content_stem(word) == stem


def test_seed_rewrite_scores_above_other_pairs(seed_texts: dict[str, str]) -> None:
    s = {k: sim.text_signature(v, k) for k, v in seed_texts.items()}
    rewrite = sim.article_similarity(s["000"], s["001"])
    others = [sim.article_similarity(s[a], s[b]) for a in s for b in s if a < b and (a, b) != ("000", "001")]
    assert 0.6 <= rewrite <= 0.95
    assert max(others) < rewrite - 0.15
