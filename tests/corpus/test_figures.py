"""Figures as intervals: which values a qualifier allows, and how two figures relate."""

from __future__ import annotations

import math

import pytest
from _corpus_c_helpers import article

from marsad.corpus.figures import interval, measure_of, relation
from marsad.model import QuantityMention


def _q(value: float, qualifier: str) -> QuantityMention:
    return QuantityMention(0, 1, "x", "test", None, value, qualifier, "جندي", "جندي")


@pytest.mark.parametrize(
    ("qualifier", "lo", "hi"),
    [("exact", 995.0, 1005.0), ("about", 900.0, 1100.0), ("more_than", 1000.0, math.inf),
     ("at_least", 1000.0, math.inf), ("less_than", 0.0, 1000.0), ("up_to", 0.0, 1000.0)],
)  # fmt: skip
def test_figures_interval_of_each_qualifier(qualifier: str, lo: float, hi: float) -> None:
    iv = interval(_q(1000, qualifier))
    assert iv is not None and (iv.lo, iv.hi) == pytest.approx((lo, hi))


def test_figures_vague_figure_states_no_interval() -> None:
    assert interval(_q(2000, "vague")) is None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((10000, "more_than"), (12000, "up_to"), "discrepancy"),  # both can be true
        ((300, "exact"), (250, "exact"), "conflict"),
        ((300, "about"), (310, "exact"), None),  # "about 300" covers 310
        ((100, "more_than"), (100, "up_to"), None),  # the same stated number
        ((100, "more_than"), (90, "up_to"), "conflict"),
        ((20, "at_least"), (25, "exact"), "discrepancy"),
        ((50, "less_than"), (60, "about"), "conflict"),  # [0, 50) and [54, 66]
    ],
)
def test_figures_relation(a: tuple[float, str], b: tuple[float, str], expected: str | None) -> None:
    assert relation(_q(*a), _q(*b)) == expected
    assert relation(_q(*b), _q(*a)) == expected


@pytest.mark.parametrize(
    ("text", "figure", "unit", "measure"),
    [
        ("أسفر القصف عن مقتل 43 مدنيا على الأقل.", "43", "مدني", "killed"),
        ("وأصيب 173 آخرون في القصف.", "173", "آخر", "injured"),
        ("نشرت روسيا 500 جندي على الحدود.", "500", "جندي", "جندي"),
        ("وبقي 23 آخرين في المستشفى.", "23", "آخر", None),  # an anaphoric head counts nothing itself
        ("استمر القتال 3 أشهر.", "3", "شهر", None),  # durations are not counts
    ],
)
def test_figures_measure_of(text: str, figure: str, unit: str, measure: str | None) -> None:
    a = article(text, quantities=[(figure, float(figure), "exact", unit)])
    m = measure_of(a, a.quantities[0], a.sentences[0])
    assert (m.name if m else None) == measure
