"""The one typed record that flows through every per-document stage.

An `Article` is made by ingest (raw input -> clean `text` plus metadata and `removed[]`), then
each component adds to it: `normalize` sets the matching form, `segment` the sentences and tokens,
`extract/` the mentions, `events/` the event mentions. Everything a component adds points into
`text` by offsets; derived helpers (the normalised form, tokens) are not serialised because they
are recomputed from `text` in microseconds and would otherwise double the stored size.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from marsad.model.spans import EntityMention, EventMention, QuantityMention, Quote, TimeMention

if TYPE_CHECKING:
    from marsad.normalize.text import NormalizedText
    from marsad.segment.tokens import Token


@dataclass(slots=True)
class Removal:
    """A piece of the raw input that cleaning took out, and why (nothing disappears silently)."""

    text: str
    reason: str
    component: str = "clean"


@dataclass(slots=True)
class Provenance:
    """Where an article came from: enough to find the bytes again."""

    source: str  # path or URL, with "#N" for record N inside a JSONL/feed/WARC file
    format: str  # txt | html | jsonl | rss | atom | warc | stdin
    record: int | None = None
    url: str | None = None
    input_sha256: str | None = None  # of the raw input bytes (file or record)


def document_id(clean_text: str) -> str:
    """Stable content id: the same clean text gives the same id on every run and machine.

    Whitespace is folded first so that re-wrapping a copy does not make it a new document.
    """
    folded = " ".join(clean_text.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Article:
    id: str
    text: str
    provenance: Provenance
    external_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date or datetime as the input stated it
    language: str | None = None
    language_score: float | None = None
    removed: list[Removal] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    quantities: list[QuantityMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # anything else a reader found (tags, description)
    # Derived, never serialised: rebuilt by the normalize and segment components.
    norm: NormalizedText | None = field(default=None, repr=False, compare=False)
    tokens: list[Token] | None = field(default=None, repr=False, compare=False)

    @property
    def source(self) -> str:
        return self.provenance.source

    def sentence_texts(self) -> list[str]:
        return [self.text[s:e] for s, e in self.sentences]

    def sentence_index(self, offset: int) -> int | None:
        """Index of the sentence containing `offset` (binary search over `sentences`)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            start, end = self.sentences[mid]
            if offset < start:
                hi = mid
            elif offset >= end:
                lo = mid + 1
            else:
                return mid
        return None
