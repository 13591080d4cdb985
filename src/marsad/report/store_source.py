"""`StoreSource`: the HTML site's `ReportSource` over the store's knowledge tables.

Each method is a few queries for the records one page shows (store/knowledge.py `PartReader`),
so writing the site of a large store holds one page's records at a time, never the report.
Records come back in the shapes `DictSource` gives for the same store's report.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson

from marsad.model import article_from_json
from marsad.report.build import REPORT_SCHEMA, _document, _duplicate, _format_time, _not_stored, outlet_table
from marsad.report.knowledge import cut_story
from marsad.store import Outcome
from marsad.store.knowledge import PartReader

_SPAN_KINDS = {"times": "time", "quantities": "quantity", "quotes": "quote"}


class StoreSource:
    """`ReportSource` (report/source.py) over a `PartReader`: use inside `store.selected(...)`."""

    def __init__(self, kb: PartReader, *, generated_at: datetime | str | None = None) -> None:
        self.kb = kb
        self.generated_at = _format_time(generated_at)
        self.docs = None if kb.selection.everything else kb.selected_documents()
        self._text = lru_cache(maxsize=512)(kb.text)  # lineage passages revisit their documents

    def meta(self) -> Mapping[str, Any]:
        from marsad.store.outcome import count_statuses

        outcomes = [Outcome(*row) for row in self.kb.outcomes()]
        return {
            "schema": REPORT_SCHEMA,
            "generated_at": self.generated_at,
            "counts": count_statuses(o.status for o in outcomes),
            "quarantine": [_not_stored(o, False) for o in outcomes if o.status == "quarantined"],
            "filtered": [_not_stored(o, True) for o in outcomes if o.status == "filtered"],
            "sizes": self.kb.sizes(),
        }

    def ranked_stories(self) -> Iterator[Mapping[str, Any]]:
        for row in self.kb.stories():
            yield cut_story(orjson.loads(row), self.docs)

    def documents_brief(self, ids: Iterable[str]) -> Iterator[Mapping[str, Any]]:
        for doc, title, outlet, published, story in self.kb.briefs(list(ids)):
            yield {"id": doc, "title": title, "outlet": outlet, "published": published, "story": story}

    def story_parts(self, story_id: str) -> Mapping[str, Any]:
        row = next(
            (r for r in self.kb.conn.execute("SELECT record FROM stories WHERE id = ?", (story_id,))), None
        )
        ids = cut_story(orjson.loads(row[0]), self.docs)["documents"] if row and row[0] else []
        parts: dict[str, Any] = {
            "documents": [_document(article_from_json(payload)) for _, payload in self.kb.part_documents(ids)]
        }
        entities: dict[str, dict[str, Any]] = {}
        rows = self.kb.part_mentions("entity", ids)
        heads = self.kb.entity_heads(sorted({e for e, _ in rows if e}))
        for entity, record in rows:
            if entity in heads:
                entities.setdefault(entity, {**orjson.loads(heads[entity]), "mentions": []})
                entities[entity]["mentions"].append(orjson.loads(record))
        parts["entities"] = list(entities.values())
        for name, kind in _SPAN_KINDS.items():
            parts[name] = [orjson.loads(record) for _, record in self.kb.part_mentions(kind, ids)]
        for name in ("events", "contradictions", "relations"):
            parts[name] = [orjson.loads(r) for r in self.kb.part_records(name, ids)]
        parts["lineage"] = [self._with_text(orjson.loads(r)) for r in self.kb.part_records("copies", ids)]
        return parts

    def _with_text(self, copy: dict[str, Any]) -> dict[str, Any]:
        """A lineage record whose passages carry their text (the other side may be elsewhere)."""
        for passage in copy.get("passages") or []:
            for ref in passage.values():
                text = self._text(ref["doc"])
                ref["text"] = text[ref["start"] : ref["end"]] if text is not None else None
        return copy

    def entities(self) -> Iterator[Mapping[str, Any]]:
        for record, mentions, documents in self.kb.entity_outlines():
            yield {**orjson.loads(record), "mention_count": mentions, "document_count": documents}

    def entity_mentions(self, entity_id: str) -> Iterator[Mapping[str, Any]]:
        return (orjson.loads(r) for r in self.kb.entity_mention_records(entity_id))

    def lineage(self) -> Iterator[Mapping[str, Any]]:
        return (self._with_text(orjson.loads(r)) for r in self.kb.copies())

    def outlet_copies(self) -> Iterator[Mapping[str, Any]]:
        return iter(outlet_table(self.kb.outlet_copies()))

    def duplicates(self) -> Iterator[Mapping[str, Any]]:
        for row in self.kb.outcomes():
            outcome = Outcome(*row)
            if outcome.status == "duplicate":
                yield _duplicate(outcome)
