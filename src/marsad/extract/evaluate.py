"""Scoring for the times and quantities extractors against annotated JSONL samples.

Each gold line is {"text", "published", "gold": [{"text", "value", ...}]}. A prediction matches a
gold item on span when its covered text equals the gold text (the sample sentences are short, so
text identity is position identity), and on value when the value matches too. Precision, recall
and F1 are reported for both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from marsad.model import Article, Provenance
from marsad.pipeline import Pipeline


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _evaluate(
    path: Path, extract: Callable[[Article], list[Any]], value_of: Callable[[Any], Any]
) -> dict[str, Any]:
    n_pred = n_gold = span_tp = value_tp = 0
    errors: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        art = Article(
            id="gold",
            text=rec["text"],
            provenance=Provenance(source=str(path), format="jsonl"),
            published=rec.get("published"),
        )
        preds = [(p.text, value_of(p)) for p in extract(art)]
        gold = [(g["text"], g["value"]) for g in rec["gold"]]
        n_pred += len(preds)
        n_gold += len(gold)
        pred_texts = [t for t, _ in preds]
        for g in gold:
            if g[0] in pred_texts:
                span_tp += 1
                if g in preds:
                    value_tp += 1
                else:
                    errors.append(f"value {g} vs {preds}")
            else:
                errors.append(f"missed {g} in {rec['text']!r}: {preds}")
    return {"span": _prf(span_tp, n_pred, n_gold), "value": _prf(value_tp, n_pred, n_gold), "errors": errors}


# What is scored is what a run produces: the real stages, in pipeline order.
TIMES_STAGES = ("normalize", "segment", "tokenize", "times")
QUANTITIES_STAGES = (*TIMES_STAGES, "quantities")


def evaluate_times(path: Path, pipeline: Pipeline | None = None) -> dict[str, Any]:
    run = pipeline or Pipeline(TIMES_STAGES)
    return _evaluate(path, lambda art: run(art).times, lambda m: m.value)


def evaluate_quantities(path: Path, pipeline: Pipeline | None = None) -> dict[str, Any]:
    """`pipeline`, when given, must run `times` before `quantities`, as the default does."""
    run = pipeline or Pipeline(QUANTITIES_STAGES)

    def value(m: Any) -> list[Any]:
        return [m.value, m.qualifier, m.unit, m.of]

    return _evaluate(path, lambda art: run(art).quantities, value)
