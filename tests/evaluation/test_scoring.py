import pytest

from marsad.evaluation import Scorer
from marsad.evaluation.scoring import match_spans


def test_exact_and_overlap_counts_and_error_classes():
    s = Scorer()
    gold = [(0, 5, "PER"), (10, 20, "LOC"), (30, 35, "ORG")]
    pred = [(0, 5, "PER"), (10, 15, "LOC"), (30, 35, "LOC"), (40, 44, "PER")]
    s.add_spans(gold, pred, example={"doc": "d1"})
    exact, overlap = s.counts["exact"]["ALL"], s.counts["overlap"]["ALL"]
    assert (exact.tp, exact.fp, exact.fn) == (1, 3, 2)
    assert (overlap.tp, overlap.fp, overlap.fn) == (2, 2, 1)
    assert exact.precision == pytest.approx(0.25) and exact.recall == pytest.approx(1 / 3)
    assert {"LOC boundary", "ORG wrong type", "PER spurious"} <= set(s.errors)
    assert s.errors["PER spurious"][0] == {"span": (40, 44, "PER"), "doc": "d1"}


def test_overlap_pairs_each_span_once():
    pairs = match_spans([(0, 10, "PER")], [(0, 4, "PER"), (5, 10, "PER")], "overlap")
    assert len(pairs) == 1
    with pytest.raises(ValueError, match="unknown match mode"):
        match_spans([], [], "fuzzy")


def test_decisions_and_format():
    s = Scorer()
    s.add_decision("ASSAULT", gold=True, pred=True)
    s.add_decision("ASSAULT", gold=False, pred=True, error_class="planned, not happened", sid="a")
    s.add_decision("ASSAULT", gold=True, pred=False, sid="b")
    c = s.counts["decision"]["ASSAULT"]
    assert c.f1 == pytest.approx(0.5)
    text = s.format()
    assert "planned, not happened" in text and "ASSAULT missed" in text
