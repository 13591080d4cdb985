"""What became of one input: the record that makes `inputs == stored + duplicates + filtered +
quarantined` hold by construction, and that lets a rerun skip inputs it has already seen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Every input ends in exactly one of these. The database enforces the same set with a CHECK.
STATUSES = ("stored", "duplicate", "filtered", "quarantined")
# Statuses whose outcome points at a stored document.
WITH_DOCUMENT = frozenset({"stored", "duplicate"})


@dataclass(slots=True)
class Outcome:
    key: str  # RawInput.key: hash of the input's source and bytes
    source: str  # path / "path#N" / "<stdin>"
    status: str  # "stored" | "duplicate" | "filtered" | "quarantined"
    doc: str | None  # document id for stored/duplicate
    reason: str | None  # one actionable line for filtered/quarantined; "copy of <doc>" for duplicates
    language: str | None = None


# Report `counts` keys by outcome status.
COUNT_KEYS = {
    "stored": "stored",
    "duplicate": "duplicates",
    "filtered": "filtered",
    "quarantined": "quarantined",
}


def count_statuses(statuses: Iterable[str]) -> dict[str, int]:
    """`{inputs, stored, duplicates, filtered, quarantined}` from one status per input, so that
    inputs == stored + duplicates + filtered + quarantined by construction."""
    tally = dict.fromkeys(("inputs", *COUNT_KEYS.values()), 0)
    for status in statuses:
        tally[COUNT_KEYS[status]] += 1
        tally["inputs"] += 1
    return tally
