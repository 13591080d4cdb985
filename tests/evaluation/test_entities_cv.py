"""Entity evaluation on ANERcorp: span comparison, folds, and (slow) the cross-validated targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.evaluation.entities import cross_validate, folds, score_sentences, word_spans
from marsad.extract.ner_train import GoldSentence, read_conll
from marsad.model import Article, EntityMention

ANERCORP = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "anercorp" / "train.conll"
SENTENCE = GoldSentence(
    ("وقال", "بوتين", "في", "بموسكو", "إن", "الروسي", "وزارة", "الخارجية"),
    ("O", "B-PERS", "O", "B-LOC", "O", "O", "B-ORG", "I-ORG"),
)


def test_gold_sentence_entity_spans_cover_whole_words() -> None:
    text = SENTENCE.text
    assert [(text[s:e], t) for s, e, t in SENTENCE.entity_spans()] == [
        ("بوتين", "PER"),
        ("بموسكو", "LOC"),
        ("وزارة الخارجية", "ORG"),
    ]


def test_word_spans_widen_to_anercorp_words_and_map_types() -> None:
    text = SENTENCE.text
    start = text.index("موسكو")  # a clitic-free mention inside the word بموسكو
    pred = [
        (start, start + len("موسكو"), "GPE"),
        (text.index("الروسي"), text.index("الروسي") + 6, "NORP"),  # not scored
        (text.index("الخارجية"), len(text), "ORG"),  # a boundary error stays one
    ]
    assert word_spans(SENTENCE, pred) == {
        (text.index("بموسكو"), start + len("موسكو"), "LOC"),
        (text.index("الخارجية"), len(text), "ORG"),
    }


def test_folds_are_contiguous_disjoint_and_cover_everything() -> None:
    items = [GoldSentence((str(i),), ("O",)) for i in range(11)]
    parts = folds(items, 5)
    tests = [t for _, t in parts]
    assert [s for t in tests for s in t] == items
    for train, test in parts:
        assert not set(train) & set(test) and len(train) + len(test) == len(items)


def test_score_sentences_counts_exact_and_overlap_with_examples() -> None:
    text = SENTENCE.text

    def run(article: Article) -> Article:
        s = text.index("بوتين")
        o = text.index("الخارجية")
        article.entities = [
            EntityMention(s, s + 5, "بوتين", "stub", "test", type="PER"),
            EntityMention(o, o + 8, "الخارجية", "stub", "test", type="ORG"),
        ]
        return article

    scorer = score_sentences([SENTENCE], run)
    exact, overlap = scorer.counts["exact"], scorer.counts["overlap"]
    assert (exact["PER"].tp, exact["ORG"].tp, exact["ORG"].fp, exact["LOC"].fn) == (1, 0, 1, 1)
    assert overlap["ORG"].tp == 1
    assert [e["text"] for e in scorer.errors["ORG boundary"]] == ["وزارة الخارجية"]
    assert [e["text"] for e in scorer.errors["LOC missed"]] == ["بموسكو"]


@pytest.mark.slow
def test_ner_cross_validated_targets_on_anercorp() -> None:
    """The issue's targets, 5-fold on ANERcorp train (several minutes: benchmarks/eval_ner.py)."""
    if not ANERCORP.exists():
        pytest.skip(f"ANERcorp not found at {ANERCORP} (../shared/data absent)")
    exact = cross_validate(read_conll(ANERCORP), 5)["default"].counts["exact"]
    assert exact["ALL"].f1 >= 0.72 and exact["PER"].f1 >= 0.65 and exact["ORG"].f1 >= 0.60, exact
