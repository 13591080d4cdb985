"""One scorer for every component: precision, recall, F1 per label, and errors grouped by class.

Spans are `(start, end, label)` triples. `exact` matching needs the same offsets and label;
`overlap` matching pairs each gold span with at most one overlapping predicted span of the same
label (greedy in text order), the usual lenient NER measure. Sentence-level decisions (is this an
ASSAULT sentence?) go through `add_decision`, judged values (is this actor code right?) through
`add_accuracy`. Every miss and false alarm is kept under an error
class with its example, so a report can show what kind of mistake dominates, not only how many.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Span = tuple[int, int, str]
ALL = "ALL"


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "gold": self.tp + self.fn,
        }


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_spans(gold: Iterable[Span], pred: Iterable[Span], mode: str = "exact") -> list[tuple[Span, Span]]:
    """Pairs of (gold, pred) counted as hits; each span is used at most once."""
    if mode not in ("exact", "overlap"):
        raise ValueError(f"unknown match mode {mode!r}; use 'exact' or 'overlap'")
    golds, preds = sorted(set(gold)), sorted(set(pred))
    if mode == "exact":
        pset = set(preds)
        return [(g, g) for g in golds if g in pset]
    used: set[Span] = set()
    pairs = []
    for g in golds:
        for p in preds:
            if p not in used and p[2] == g[2] and _overlaps(g, p):
                used.add(p)
                pairs.append((g, p))
                break
    return pairs


def span_error_class(span: Span, others: Iterable[Span], missed: bool) -> str:
    """Why a gold span was missed (or a predicted one was spurious), judged by its neighbours."""
    near = [o for o in others if _overlaps(span, o)]
    if not near:
        return "missed" if missed else "spurious"
    if any(o[2] == span[2] for o in near):
        return "boundary"
    return "wrong type"


class Scorer:
    """Counts per label and mode, and examples per error class."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, PRF]] = defaultdict(lambda: defaultdict(PRF))
        self.errors: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add_spans(
        self,
        gold: Iterable[Span],
        pred: Iterable[Span],
        *,
        modes: tuple[str, ...] = ("exact", "overlap"),
        example: dict[str, Any] | None = None,
        text: str | None = None,
    ) -> None:
        """Count one document's spans. With `text`, each error example also shows the span's words
        and a little context, so an error class can be read, not only counted."""
        golds, preds = set(gold), set(pred)

        def shown(span: Span) -> dict[str, Any]:
            if text is None:
                return {"span": span, **(example or {})}
            s, e = span[0], span[1]
            return {"text": text[s:e], "context": text[max(0, s - 40) : e + 40], **(example or {})}

        for mode in modes:
            hits = match_spans(golds, preds, mode)
            hit_g = {g for g, _ in hits}
            hit_p = {p for _, p in hits}
            for label in {s[2] for s in golds | preds} | {ALL}:
                c = self.counts[mode][label]

                def mine(s: Span, label: str = label) -> bool:
                    return label in (ALL, s[2])

                c.tp += sum(1 for g in hit_g if mine(g))
                c.fn += sum(1 for g in golds - hit_g if mine(g))
                c.fp += sum(1 for p in preds - hit_p if mine(p))
            if mode == "exact":
                for g in golds - hit_g:
                    self.error(f"{g[2]} {span_error_class(g, preds, missed=True)}", **shown(g))
                for p in preds - hit_p:
                    if span_error_class(p, golds, missed=False) == "spurious":
                        self.error(f"{p[2]} spurious", **shown(p))

    def add_decision(
        self,
        label: str,
        gold: bool,
        pred: bool,
        *,
        mode: str = "decision",
        error_class: str | None = None,
        **example: Any,
    ) -> None:
        c = self.counts[mode][label]
        if gold and pred:
            c.tp += 1
        elif pred:
            c.fp += 1
            self.error(error_class or f"{label} false alarm", **example)
        elif gold:
            c.fn += 1
            self.error(error_class or f"{label} missed", **example)

    def add_accuracy(self, what: str, right: bool, **example: Any) -> None:
        """One judged value (an actor code, a modality) under mode `accuracy`: a right value is
        counted as tp, a wrong one as fn, so the label's recall is its accuracy."""
        c = self.counts["accuracy"][what]
        if right:
            c.tp += 1
        else:
            c.fn += 1
            self.error(f"{what} wrong", **example)

    def accuracy(self, what: str) -> float | None:
        """The share of `what` values judged right, or None when none was judged."""
        c = self.counts.get("accuracy", {}).get(what)
        return c.recall if c is not None and c.tp + c.fn else None

    def add_counts(self, mode: str, label: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        """Counts decided by the caller (a value compared on matched spans), under `label` and ALL."""
        for key in {label, ALL}:
            c = self.counts[mode][key]
            c.tp += tp
            c.fp += fp
            c.fn += fn

    def error(self, error_class: str, **example: Any) -> None:
        self.errors[error_class].append(example)

    def scores(self) -> dict[str, dict[str, dict[str, float]]]:
        return {
            mode: {label: c.as_dict() for label, c in sorted(by.items())} for mode, by in self.counts.items()
        }

    def format(self, examples: int = 3) -> str:
        lines = [f"{'mode':9} {'label':10} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
        for mode, by in self.counts.items():
            for label, c in sorted(by.items()):
                lines.append(
                    f"{mode:9} {label:10} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp + c.fn:6d}"
                )
        if self.errors:
            lines.append("errors by class:")
            for cls, items in sorted(self.errors.items(), key=lambda kv: -len(kv[1])):
                lines.append(f"  {len(items):5d}  {cls}")
                lines.extend(f"         {item}" for item in items[:examples])
        return "\n".join(lines)
