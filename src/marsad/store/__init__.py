"""Persistent storage: articles with their annotations, and one outcome per input.

SQLite is the default (and, for now, only) backend; see `marsad.store.sqlite` for its design.
"""

from marsad.store.outcome import STATUSES, Outcome
from marsad.store.sqlite import SQLiteStore, latest_version, open_store

__all__ = ["STATUSES", "Outcome", "SQLiteStore", "latest_version", "open_store"]
