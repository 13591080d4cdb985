"""Quality ratchet on the gold sentences: these floors only move up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.events.evaluate import evaluate_events, format_table
from marsad.events.plover import CATEGORIES

GOLD = Path(__file__).resolve().parent / "data" / "events_gold.jsonl"
# Held out: written apart from the coder, never tuned on line by line; most ASSAULT/PROTEST lines are
# negatives that contain trigger words (anniversaries, condemnations, threats, sport, metaphors).
HELDOUT = Path(__file__).resolve().parent / "data" / "events_heldout.jsonl"
# Measured when the coder was written (macro F1 0.986, ASSAULT 1.0, PROTEST 1.0 on 204 sentences),
# minus a margin for lexicon edits. Raise them when the coder improves; never lower them silently.
FLOORS = {"macro_f1": 0.97, "ASSAULT": 0.97, "PROTEST": 0.97, "target": 0.55}
# Held-out figures when the file was written: macro 0.883, ASSAULT 0.667, PROTEST 0.545, target 0.362;
# after the generalisation fixes: macro 0.945, ASSAULT 0.960, PROTEST 1.0, target 0.468.
HELDOUT_FLOORS = {"macro_f1": 0.93, "ASSAULT": 0.94, "PROTEST": 0.97, "target": 0.45}


def test_gold_file_covers_every_category_and_hard_negatives():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 150
    counts = {c: 0 for c in CATEGORIES}
    for row in rows:
        for ev in row["events"]:
            counts[ev["type"]] += 1
    assert min(counts.values()) >= 6, counts
    assert sum(1 for r in rows if not r["events"]) >= 40


@pytest.fixture(scope="module")
def result(pipeline):
    return evaluate_events(GOLD, pipeline)


def test_evaluate_ratchet(result):
    print(format_table(result))
    assert result["macro_f1"] >= FLOORS["macro_f1"]
    for cat in ("ASSAULT", "PROTEST"):
        assert result["per_category"][cat]["f1"] >= FLOORS[cat], result["per_category"][cat]


def test_evaluate_beats_keyword_baseline_on_precision(result):
    for cat in ("ASSAULT", "PROTEST"):
        assert result["per_category"][cat]["precision"] > result["baseline"]["per_category"][cat]["precision"]


def test_evaluate_actor_codes_mostly_right(result):
    assert result["actor_accuracy"]["source"] >= 0.8
    assert result["actor_accuracy"]["target"] >= FLOORS["target"]


def test_heldout_ratchet(pipeline):
    held = evaluate_events(HELDOUT, pipeline)
    print(format_table(held))
    assert held["sentences"] >= 120
    assert held["macro_f1"] >= HELDOUT_FLOORS["macro_f1"]
    for cat in ("ASSAULT", "PROTEST"):
        assert held["per_category"][cat]["f1"] >= HELDOUT_FLOORS[cat], held["per_category"][cat]
        assert held["per_category"][cat]["precision"] > held["baseline"]["per_category"][cat]["precision"]
    assert held["actor_accuracy"]["target"] >= HELDOUT_FLOORS["target"]
