"""Regression ratchets on the project-written *_regression files: span F1 through the real pipeline
may not fall.

These sentences were written by the project, so they test that rules keep working; they are not a
measure of quality on real text (benchmarks/eval_ner.py and the GSR scorers are). Each floor is the
F1 measured when the file was written minus 0.03, rounded down to 2 decimals. Raise a floor when a
component improves; never edit an annotation to pass. (The entities file has its own per-type
ratchets in test_entities.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.evaluation.extraction import score_quantities, score_quotes, score_times
from marsad.pipeline import Pipeline

DATA = Path(__file__).resolve().parent / "data"
BASE = ["normalize", "segment", "tokenize"]


def test_times_regression_f1_ratchet():
    # measured 2026-11-20: F1 0.879 (P 0.870, R 0.889; value accuracy 0.975)
    # after the part-word, name-date, فاتح, part-of-day and future-cue fixes: F1 1.000
    result = score_times(DATA / "times_regression.jsonl", Pipeline([*BASE, "times"]))
    assert result.counts["exact"]["ALL"].f1 >= 0.97, result.format()


def test_quantities_regression_f1_ratchet():
    # measured 2026-11-20: F1 0.804 (P 0.804, R 0.804; value accuracy 0.976)
    # after the clitic, و-joined, dual, ordinal and label-rule fixes: F1 1.000 (value accuracy 1.000)
    result = score_quantities(DATA / "quantities_regression.jsonl", Pipeline([*BASE, "times", "quantities"]))
    assert result.counts["exact"]["ALL"].f1 >= 0.97, result.format()


def test_quotes_regression_f1_ratchet():
    # measured 2026-11-20: F1 0.985 (P 1.000, R 0.971; speaker accuracy 0.879)
    # after the speaker-stop, carried-speaker, VSO and new-cue fixes: F1 1.000 (speaker accuracy 1.000)
    scores = score_quotes(
        DATA / "quotes_regression.jsonl", Pipeline([*BASE, "ner", "entity_resolver", "quotes"])
    )
    assert scores.counts["overlap"]["QUOTE"].f1 >= 0.97, scores.format()
    assert scores.counts["speaker"]["QUOTE"].recall >= 0.97, scores.format()


@pytest.mark.parametrize(
    "name", ["times_regression.jsonl", "quantities_regression.jsonl", "quotes_regression.jsonl"]
)
def test_regression_files_are_big_enough(name):
    lines = [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= (30 if name.startswith("quotes") else 40)
