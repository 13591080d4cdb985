"""Persistent storage: articles with their annotations, and one outcome per input.

`Store` (store/base.py) is what callers may use; SQLite is the default (and, for now, only)
implementation: see `marsad.store.sqlite` for its design and `store.knowledge` for the
knowledge tables.
"""

from marsad.store.base import Store
from marsad.store.knowledge import Selection
from marsad.store.outcome import STATUSES, Outcome
from marsad.store.sqlite import SQLiteStore, latest_version, open_store

__all__ = ["STATUSES", "Outcome", "SQLiteStore", "Selection", "Store", "latest_version", "open_store"]
