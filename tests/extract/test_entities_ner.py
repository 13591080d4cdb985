"""The trained recogniser (ner), the resolver (entity_resolver), and the entity defect classes.

The shipped model must load and tag with nothing but the package; retraining is checked on a slice
of ANERcorp when ../shared/data is there (the full cross-validation is benchmarks/eval_ner.py and
the slow test in tests/evaluation).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.extract.ner import MODEL_PATH, bio_spans, sentence_tokens
from marsad.extract.ner_train import GoldSentence, digest, marsad_tokens, project, read_conll, train
from marsad.extract.translit import entity_key
from marsad.model import Article, EntityMention, Provenance
from marsad.pipeline import BaseComponent, Pipeline, register
from marsad.segment.tokens import Token

ANERCORP = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "anercorp" / "train.conll"
BASE = ["normalize", "segment", "tokenize"]
PATHS = {"ner": [*BASE, "ner", "entity_resolver"], "rules": [*BASE, "entities"]}


@pytest.fixture(scope="module")
def pipelines() -> dict[str, Pipeline]:
    return {name: Pipeline(stages) for name, stages in PATHS.items()}


def _run(pipe: Pipeline, text: str) -> Article:
    return pipe(Article(id="t", text=text, provenance=Provenance("test", "txt")))


def _ents(pipe: Pipeline, text: str) -> list[EntityMention]:
    return _run(pipe, text).entities


def test_ner_model_ships_with_its_licence() -> None:
    assert MODEL_PATH.exists() and MODEL_PATH.stat().st_size < 10_000_000
    assert not MODEL_PATH.read_bytes().startswith(b"\x80")  # crfsuite's format, not a pickle
    attribution = (MODEL_PATH.parent / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "ANERcorp" in attribution and "CC BY-SA 4.0" in attribution and "Obeid" in attribution


def test_ner_tags_a_known_person_with_its_actor_code(pipelines: dict[str, Pipeline]) -> None:
    text = "وقال الرئيس الروسي فلاديمير بوتين إن موسكو لن تتراجع."
    ents = {m.text: m for m in _ents(pipelines["ner"], text)}
    assert ents["فلاديمير بوتين"].type == "PER" and ents["فلاديمير بوتين"].code == "RUS GOV"
    assert ents["موسكو"].type == "GPE" and ents["موسكو"].country == "RUS"
    # ANERcorp marks nationality adjectives O; the resolver still gives them for actor coding.
    assert ents["الروسي"].type == "NORP" and ents["الروسي"].country == "RUS"
    for m in ents.values():
        assert text[m.start : m.end] == m.text and m.component == "entity_resolver" and m.reason


@register("test_fixed_spans")
class FixedSpans(BaseComponent):
    """A stand-in for a user's own recogniser: it marks every word it is told to, typed."""

    name = "test_fixed_spans"
    requires = ("tokens",)
    provides = ("entities",)
    spans = (("الكرملين", "ORG"), ("محمد بن سلمان", "PER"))

    def __call__(self, article: Article) -> Article:
        article.entities = []
        for words, kind in self.spans:
            start = article.text.find(words)
            if start >= 0:
                end = start + len(words)
                article.entities.append(EntityMention(start, end, words, self.name, "fixed", type=kind))
        return article


def test_resolver_gives_codes_to_another_recognisers_spans() -> None:
    pipe = Pipeline([*BASE, "test_fixed_spans", "entity_resolver"])
    ents = {m.text: m for m in _ents(pipe, "أكد الكرملين أن ولي العهد محمد بن سلمان سيزور موسكو.")}
    assert ents["الكرملين"].code == "RUS GOV" and ents["الكرملين"].reason.startswith("fixed")
    assert ents["محمد بن سلمان"].country == "SAU" and ents["محمد بن سلمان"].code == "SAU GOV"
    assert "موسكو" not in ents  # the resolver names spans; it does not recognise new ones


@register("test_run_together")
class RunTogether(FixedSpans):
    """A recogniser that runs neighbouring names into one span, as an unseen foreign name makes
    the CRF do ("بيونج يانج موسكو")."""

    name = "test_run_together"
    spans = (("بيونج يانج موسكو", "ORG"), ("مدينة جدة", "LOC"), ("بيونج يانج سيتي", "ORG"))


def test_resolver_splits_a_span_made_only_of_listed_places() -> None:
    pipe = Pipeline([*BASE, "test_run_together", "entity_resolver"])
    ents = {m.text: m for m in _ents(pipe, "زودت بيونج يانج موسكو بالذخائر وزار مدينة جدة.")}
    assert (ents["بيونج يانج"].country, ents["موسكو"].country) == ("PRK", "RUS")
    assert "side by side" in ents["موسكو"].reason
    # A head noun that is not itself a listed place keeps the span whole.
    assert "مدينة جدة" in ents
    # So does a listed place followed by an unlisted word: only a complete tiling splits.
    assert "بيونج يانج سيتي" in {m.text for m in _ents(pipe, "وصل إلى بيونج يانج سيتي أمس.")}


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize(
    "text",
    [
        "وفاز فريق نادي النصر",  # a club name closing the article: look-ahead past the last token
        "الهلال يتعادل مع الاتحاد في دوري عبد اللطيف جميل نادي الاتحاد",
        "خبر رياضي: الأهلي",
    ],
)
def test_entities_article_ending_in_a_club_name_does_not_fail(pipelines, path, text) -> None:
    ents = _ents(pipelines[path], text)
    assert all(text[m.start : m.end] == m.text for m in ents)


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize(
    "text", ["أعلن ولي العهد", "استقبل ولي العهد نائب رئيس مجلس الوزراء", "وكان ولي العهد قد أكد"]
)
def test_entities_word_listed_as_itself_keeps_its_first_letter(pipelines, path, text) -> None:
    # ولي (of ولي العهد) is a word of its own, not و + the given name لي.
    assert not any(m.text.startswith("لي") for m in _ents(pipelines[path], text))


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize(
    "text",
    [
        "هنأ الملك المواطنين بحلول رمضان المبارك",
        "يحل شهر رمضان على المسلمين",
        "خلال رمضان 1436 زادت المبيعات",
        "يبدأ صيام شعبان غدا",
    ],
)
def test_entities_month_or_occasion_is_not_a_person(pipelines, path, text) -> None:
    assert not [m for m in _ents(pipelines[path], text) if m.type == "PER"]


@pytest.mark.parametrize("path", sorted(PATHS))
def test_entities_month_word_can_still_begin_a_listed_name(pipelines, path) -> None:
    ents = _ents(pipelines[path], "وقال رمضان عبد الله شلح إن الحركة لن تشارك")
    assert any(m.type == "PER" and m.text.startswith("رمضان") for m in ents)


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("التقى الوزير بنظيره السويسري في جنيف", "CHE"),
        ("أعلنت الحكومة السويسرية", "CHE"),
        ("قال المسؤول السوري", "SYR"),
    ],
)
def test_entities_nationality_links_to_its_exact_country(pipelines, path, text, country) -> None:
    norps = [m for m in _ents(pipelines[path], text) if m.type == "NORP"]
    assert norps and all(m.country == country for m in norps)
    # The linking key is the country itself, never the lossy spelling skeleton that the two
    # adjectives share (the cause of Swiss being linked to Syria across documents).
    assert all(m.key == f"nationality:{country}" for m in norps)
    assert entity_key("السويسري") == entity_key("السوري")  # why the key must not be used here


def _toks(words: list[str]) -> list[Token]:
    out, pos = [], 0
    for w in words:
        out.append(Token(pos, pos + len(w), w, w))
        pos += len(w) + 1
    return out


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
        (["I-ORG", "I-ORG", "B-ORG"], [(0, 2, "ORG"), (2, 3, "ORG")]),  # a stray I- starts a span
        (["B-PER", "I-LOC", "O"], [(0, 1, "PER"), (1, 2, "LOC")]),
        (["O", "O"], []),
    ],
)
def test_ner_bio_spans(tags, spans) -> None:
    assert bio_spans(_toks(["a"] * len(tags)), tags) == spans


def test_ner_sentence_tokens_split_at_sentence_ends() -> None:
    toks = _toks(["a", "b", "c", "d"])  # offsets 0, 2, 4, 6
    runs = list(sentence_tokens(toks, [(0, 3), (4, 7)]))
    assert [[t.text for t in run] for run in runs] == [["a", "b"], ["c", "d"]]


def test_ner_gold_tags_project_onto_marsad_tokens() -> None:
    # ANERcorp's word "موسكو." is two marsad tokens: the entity goes on over the full stop.
    sentence = GoldSentence(("وقال", "بوتين", "،", "في", "موسكو."), ("O", "B-PERS", "O", "O", "B-LOC"))
    toks = marsad_tokens(sentence.text)
    assert [t.text for t in toks] == ["وقال", "بوتين", "،", "في", "موسكو", "."]
    assert project(sentence, toks) == ["O", "B-PER", "O", "O", "B-LOC", "I-LOC"]


def test_ner_retraining_is_deterministic(tmp_path: Path) -> None:
    if not ANERCORP.exists():
        pytest.skip(f"ANERcorp not found at {ANERCORP} (../shared/data absent)")
    part = read_conll(ANERCORP)[:150]
    first = train(part, tmp_path / "a.crfsuite")
    second = train(part, tmp_path / "b.crfsuite")
    assert digest(first) == digest(second)


def test_ner_cached_viterbi_gives_crfsuites_own_labels() -> None:
    """The fast decoder is exact: on every sentence of the project's entity files it labels as
    python-crfsuite's Tagger does over the same features."""
    import json

    import pycrfsuite

    from marsad.extract.crf_tagger import CachedViterbi
    from marsad.extract.entities import Recognizer
    from marsad.extract.lexicon_loader import load_lexicons
    from marsad.extract.ner_features import NerFeatures

    lex = load_lexicons()
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_PATH))
    fast = CachedViterbi(tagger, NerFeatures(lex, Recognizer(lex), None))
    data = Path(__file__).resolve().parent / "data"
    runs = [
        marsad_tokens(json.loads(line)["text"])
        for name in ("entities_gold.jsonl", "entities_regression.jsonl")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(runs) > 100
    assert fast.tag_many(runs) == [list(tagger.tag(fast.features.sentence(run))) for run in runs]
    assert fast.tag(runs[0]) == fast.tag_many(runs[:1])[0]
