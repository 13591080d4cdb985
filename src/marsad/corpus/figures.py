"""Figures as claims: what a reported number counts, and the interval of values it allows.

A figure in the text ("أكثر من 10 آلاف جندي", "مقتل 43 مدنيا على الأقل") is a claim about a
measure (the death toll, the number of troops), and its qualifier says which values it allows:

- exact x: [x, x] (with `EXACT_TOLERANCE` for rounding in the source);
- "نحو"/"حوالي" x (about): x ± `ABOUT_TOLERANCE`;
- "أكثر من" x: (x, ∞); "على الأقل" x: [x, ∞);
- "أقل من" x: [0, x); "ما يصل إلى" x: [0, x].

Two figures for one measure of one incident then stand in one of three relations: the same
figure (the stated numbers agree), a **discrepancy** (different numbers whose intervals
overlap: both can be true), or a **conflict** (disjoint intervals: they cannot both be).

The measure is the nearest cue word around the figure (measures.tsv: مقتل -> killed), else its
counted noun; units that say nothing on their own (آخرين, durations, percentages) are skipped.
The contradiction stage compares figures; the merge stage picks an event's headline figure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from marsad.model import Article
from marsad.model.spans import QuantityMention
from marsad.normalize import normalize_form
from marsad.segment.tokens import stems

ABOUT_TOLERANCE = 0.10  # "about x" allows x ± 10%
EXACT_TOLERANCE = 0.005  # rounding in the source (12.000 vs 12,000.5 is one figure)
CUE_BEFORE = 3  # words before a figure searched for a cue
CUE_AFTER = 2  # ... and after it
# Durations, ages, ratios and prices (a price or an index moves all day), and counts of acts
# (raids, attacks: a war has many a day, on many fronts) are not disputed counts of one thing.
_SKIP_KINDS = frozenset({"time", "percent", "count", "stop", "currency", "event"})
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Interval:
    """Values a figure allows; `lo_open`/`hi_open` exclude the bound itself."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def disjoint(self, other: Interval) -> bool:
        a, b = (self, other) if self.lo <= other.lo else (other, self)
        if a.hi < b.lo:
            return True
        return a.hi == b.lo and (a.hi_open or b.lo_open)

    def as_list(self) -> list[float | None]:
        """[lo, hi] for the report, null for an unbounded side."""
        return [self.lo, None if math.isinf(self.hi) else self.hi]


def interval(q: QuantityMention) -> Interval | None:
    """The values `q` allows, or None for a vague figure ("آلاف"), which states no number, and
    for a malformed one (two scale words in a row), whose number cannot be trusted."""
    if _malformed(q.text):
        return None
    x = float(q.value)
    match q.qualifier:
        case "exact":
            return Interval(x * (1 - EXACT_TOLERANCE), x * (1 + EXACT_TOLERANCE))
        case "about":
            return Interval(x * (1 - ABOUT_TOLERANCE), x * (1 + ABOUT_TOLERANCE))
        case "more_than":
            return Interval(x, math.inf, lo_open=True)
        case "at_least":
            return Interval(x, math.inf)
        case "less_than":
            return Interval(0.0, x, hi_open=True)
        case "up_to":
            return Interval(0.0, x)
    return None


def same_number(a: QuantityMention, b: QuantityMention) -> bool:
    """The stated numbers agree (within rounding, or within the slack an "about" gives)."""
    tol = ABOUT_TOLERANCE if "about" in (a.qualifier, b.qualifier) else EXACT_TOLERANCE
    return abs(a.value - b.value) <= tol * max(abs(a.value), abs(b.value), 1e-9)


def relation(a: QuantityMention, b: QuantityMention) -> str | None:
    """None (the same figure), "discrepancy" (different, compatible) or "conflict" (disjoint)."""
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None or same_number(a, b):
        return None
    return "conflict" if ia.disjoint(ib) else "discrepancy"


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    label: str  # Arabic, for the report: القتلى
    cumulative: bool


def data_rows(package: str, path: str) -> list[list[str]]:
    """Tab-separated rows of a packaged data file, without blank and comment lines."""
    text = resources.files(package).joinpath(path).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def word_list(path: str) -> frozenset[str]:
    """A one-word-per-line file of `corpus/data`, in matching form."""
    return frozenset(normalize_form(row[0].strip()) for row in data_rows("marsad.corpus", path))


@lru_cache(maxsize=1)
def _measures() -> tuple[dict[str, Measure], dict[str, Measure]]:
    """(cue word -> measure, measure name -> measure), from data/measures.tsv."""
    cues: dict[str, Measure] = {}
    names: dict[str, Measure] = {}
    for name, label, cumulative, words in data_rows("marsad.corpus", "data/measures.tsv"):
        m = names[name] = Measure(name, label, cumulative.strip() == "yes")
        for w in words.split(","):
            cues[normalize_form(w.strip())] = m
    return cues, names


@lru_cache(maxsize=1)
def _units() -> dict[str, tuple[str, str]]:
    """unit (matching form) -> (its first listed plural, its kind), from the quantity
    extractor's units.tsv (the plural names the measure in the report: "عدد الجنود")."""
    return {
        normalize_form(cols[0].strip()): (cols[1].split(",")[0].strip(), cols[2].strip())
        for cols in data_rows("marsad.extract", "lexicons/units.tsv")
        if len(cols) >= 3
    }


@lru_cache(maxsize=1)
def running_tolls() -> frozenset[str]:
    """Counted nouns whose count grows as reports come in (data/running_tolls.txt)."""
    return word_list("data/running_tolls.txt")


@lru_cache(maxsize=100_000)
def _malformed(text: str) -> bool:
    words = _WORD.findall(normalize_form(text))
    scales = word_list("data/scale_words.txt")
    return any(a in scales and b in scales for a, b in pairwise(words))


@lru_cache(maxsize=1)
def _skipped_units() -> frozenset[str]:
    return word_list("data/figure_skip.txt")


@lru_cache(maxsize=100_000)
def _cue(word: str) -> Measure | None:
    cues = _measures()[0]
    return next((cues[s] for s in stems(normalize_form(word)) if s in cues), None)


def measure_of(article: Article, q: QuantityMention, sentence: tuple[int, int]) -> Measure | None:
    """What `q` counts: the nearest cue word around it in its sentence, else its counted noun."""
    s, e = sentence
    # In matching form: diacritics (لَقِيَ) would otherwise split the words.
    before = _WORD.findall(normalize_form(article.text[max(s, q.start - 60) : q.start]))[-CUE_BEFORE:]
    after = _WORD.findall(normalize_form(article.text[q.end : min(e, q.end + 40)]))[:CUE_AFTER]
    inside = _WORD.findall(normalize_form(q.text))
    # Nearest first: the words inside the figure, then alternately after and before it.
    order = [*inside]
    for k in range(max(len(before), len(after))):
        if k < len(after):
            order.append(after[k])
        if k < len(before):
            order.append(before[-1 - k])
    for word in order:
        m = _cue(word)
        if m is not None:
            return m
    if not q.unit:
        return None
    unit = normalize_form(q.unit)
    plural, kind = _units().get(unit, (q.unit, ""))
    if unit in _skipped_units() or kind in _SKIP_KINDS:
        return None
    return Measure(unit, plural or q.unit, unit in running_tolls())


def measure_named(name: str) -> Measure | None:
    return _measures()[1].get(name)
