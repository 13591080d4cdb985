"""Small SQL helpers shared by the store's modules."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

# SQLite's default limit on host parameters was 999 before 3.32; stay under it everywhere.
MAX_IN = 900


def chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    """`items` in slices short enough for one IN (...) list."""
    for i in range(0, len(items), MAX_IN):
        yield items[i : i + MAX_IN]


def param_marks(n: int) -> str:
    """ "?,?,?" for an IN (...) list of n bound parameters."""
    return ",".join("?" * n)
