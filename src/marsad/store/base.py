"""`Store`: what marsad asks of a store, drawn from what its callers use.

SQLiteStore implements it (the embedded default); a PostgreSQL store implements the same methods
with the same meaning, and the store tests run against any implementation. Three groups:

- **Runs** (api.py): outcomes and articles written per batch in one transaction, keyed so that a
  rerun skips what it has seen; documents re-annotated when the pipeline changes.
- **Stories** (corpus/stories.py): persisted clustering state, so batches join stories with
  stable ids.
- **Knowledge** (report/knowledge.py, and readers such as the API): the corpus stage's records
  rewritten whole in one transaction, compact features per document, and selections streamed
  back in report order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

from marsad.model import Article
from marsad.store.knowledge import KnowledgeReader, KnowledgeWriter, Selection
from marsad.store.outcome import Outcome


@runtime_checkable
class Store(Protocol):
    path: str

    # -- runs ----------------------------------------------------------------------------------
    def write_batch(
        self, outcomes: Sequence[Outcome], articles: Sequence[Article], fingerprint: str,
        *, features: Sequence[tuple[str, int, bytes]] = (),
    ) -> None:  # fmt: skip
        """Articles, their compact features and the outcomes of the inputs that produced them,
        in one transaction."""

    def update_articles(
        self,
        articles: Sequence[Article],
        fingerprint: str,
        *,
        features: Sequence[tuple[str, int, bytes]] = (),
    ) -> None:
        """Replace stored articles (and their features) after re-annotation, in one transaction."""

    def outcomes(self, keys: Sequence[str]) -> dict[str, Outcome]:
        """The recorded outcome of each key that has one."""

    def existing_documents(self, ids: Sequence[str]) -> set[str]: ...

    def fingerprints(self, ids: Sequence[str]) -> dict[str, str]: ...

    def document_ids(self) -> list[str]:
        """Every stored document, in insertion order."""

    def get_articles(self, ids: Sequence[str]) -> list[Article]: ...

    def iter_articles(self, *, batch: int = 500) -> Iterator[Article]: ...

    def iter_outcomes(self, status: str | None = None, *, batch: int = 1000) -> Iterator[Outcome]: ...

    def counts(self) -> dict[str, int]: ...

    # -- stories -------------------------------------------------------------------------------
    def story_members(self, docs: Sequence[str]) -> dict[str, str]: ...

    def load_stories(
        self, ids: Sequence[str] | None = None, *, since_day: str | None = None
    ) -> list[dict[str, Any]]: ...

    def story_documents(self, ids: Sequence[str]) -> dict[str, list[str]]: ...

    def save_stories(
        self, stories: Sequence[dict[str, Any]], members: Sequence[tuple[str, str, float, str]]
    ) -> None: ...

    # -- knowledge -----------------------------------------------------------------------------
    def rewrite_knowledge(self) -> AbstractContextManager[KnowledgeWriter]:
        """Empty the knowledge tables and refill them through the writer, in one transaction."""

    def selected(self, selection: Selection) -> AbstractContextManager[KnowledgeReader]:
        """Streams of the stored records of the selected documents, in one read snapshot."""

    def knowledge_counts(self) -> dict[str, int]: ...

    def features(self, ids: Sequence[str], version: int) -> dict[str, bytes]: ...

    def close(self) -> None: ...
