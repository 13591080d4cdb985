"""The event scorer: the GSR label variants, the dev/check split, and the ratchet on real wire copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.evaluation.events import (
    GsrRow,
    evaluate_gsr,
    gold_of,
    part_of,
    read_actor_gold,
    score_actors,
)
from marsad.evaluation.scoring import Scorer

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
GSR = [DATA / "gsr" / f"{name}_dev.csv" for name in ("assault", "protest")]
ACTORS = REPO / "benchmarks" / "data" / "actors_gold.jsonl"
# Measured on the dev part (strict labels) when the coder was last changed, minus a small margin.
# Raise them when the coder improves; never lower them silently. The check part is not pinned: it
# is read only as a figure, so that nobody tunes against it.
DEV_FLOORS = {"ASSAULT": 0.54, "PROTEST": 0.53}
ACTOR_FLOORS = {"source": 0.38, "target": 0.36}


def _row(label: str, document: str = "AAW_ARB_20070101.0001") -> GsrRow:
    return GsrRow(f"{document}-1", document, "ASSAULT", label, "نص", "2007-01-01")


@pytest.mark.parametrize(
    ("label", "strict", "no_difficult"),
    [
        ("yes", True, True),
        ("easy no", False, False),
        ("difficult no", False, None),
        ("ambiguous", False, False),
    ],
)
def test_events_gold_of_label_variants(label, strict, no_difficult):
    assert gold_of(_row(label), "strict") is strict
    assert gold_of(_row(label), "no difficult") is no_difficult


def test_events_gold_of_unknown_variant_fails():
    with pytest.raises(ValueError, match="label variant"):
        gold_of(_row("yes"), "lenient")


def test_events_split_is_fixed_by_document_and_balanced():
    # Pinned: a silent change of the split would mix the check part into development.
    assert part_of("AAW_ARB_20070101.0001") == part_of("AAW_ARB_20070101.0001")
    parts = [part_of(f"AAW_ARB_2007{m:02d}01.{n:04d}") for m in range(1, 13) for n in range(50)]
    assert 0.4 < parts.count("dev") / len(parts) < 0.6
    assert _row("yes").part == part_of("AAW_ARB_20070101.0001")


def test_events_scorer_accuracy_counts_right_and_wrong():
    scorer = Scorer()
    scorer.add_accuracy("source", True)
    scorer.add_accuracy("source", False, ref="x")
    assert scorer.accuracy("source") == 0.5
    assert scorer.accuracy("target") is None
    assert scorer.errors["source wrong"] == [{"ref": "x"}]


@pytest.fixture(scope="module")
def gsr():
    if not all(p.exists() for p in GSR):
        pytest.skip(f"GSR files not found under {DATA} (the workplace's shared/ folder)")
    return evaluate_gsr(GSR)


def test_events_gsr_dev_ratchet(gsr):
    rows, scorers = gsr
    assert {r.part for r in rows} == {"dev", "check"}
    dev = scorers[("dev", "strict")].counts["strict"]
    for cat, floor in DEV_FLOORS.items():
        assert dev[cat].f1 >= floor, (cat, dev[cat])
    # The check part is scored but its errors are never kept, so they cannot be read.
    assert not scorers[("check", "strict")].errors
    assert scorers[("check", "strict")].counts["strict"]["ASSAULT"].tp > 0


def test_events_actor_accuracy_ratchet():
    if not DATA.is_dir():
        pytest.skip(f"real data not found at {DATA}")
    assert len(read_actor_gold(ACTORS)) >= 100
    scorer = score_actors(ACTORS, DATA)
    for side, floor in ACTOR_FLOORS.items():
        assert (scorer.accuracy(side) or 0.0) >= floor, (side, scorer.accuracy(side))
