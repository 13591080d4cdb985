"""Where the HTML site reads its records: `ReportSource`, report.json-shaped records on demand.

The site (`report/site.py`) writes one page at a time and asks only for the records that page
shows, so it never needs the whole report in memory. `ReportSource` is drawn from what the pages
use; every record has the shape REPORT.md gives it (a story is a `stories[]` record, a story's
parts are a report restricted to that story's documents). `DictSource` serves today's in-memory
report dict; a store-backed source implements the same methods with queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from marsad.report.build import ranked_stories

# The per-document annotation lists of a report, each record carrying its `doc`.
SPAN_KINDS = ("times", "quantities", "quotes")


class ReportSource(Protocol):
    """The records the HTML site shows, in report.json's shapes (REPORT.md)."""

    def meta(self) -> Mapping[str, Any]:
        """`schema`, `generated_at`, `counts`, `quarantine[]`, `filtered[]`, and `sizes`: how many
        `stories`, `entities`, `lineage` records and `duplicates` the other methods yield."""
        ...

    def ranked_stories(self) -> Iterator[Mapping[str, Any]]:
        """`stories[]` records, largest first, then most recently seen, then id."""
        ...

    def documents_brief(self, ids: Iterable[str]) -> Iterator[Mapping[str, Any]]:
        """`{id, title, outlet, published, story}` for each known id (`story`: the id of the story
        the document belongs to, or None); unknown ids are skipped."""
        ...

    def story_parts(self, story_id: str) -> Mapping[str, Any]:
        """The report restricted to one story's documents: `documents` (in the story's order),
        `entities` (their `mentions` in these documents only), `times`, `quantities`, `quotes`,
        `events` and `contradictions` with a mention or claim there, `relations` and `lineage`
        touching them. Lineage passages carry their `text`, since the other side may be a
        document of another story."""
        ...

    def entities(self) -> Iterator[Mapping[str, Any]]:
        """`entities[]` records without their mention list, most mentioned first, each with
        `mention_count` and `document_count`."""
        ...

    def entity_mentions(self, entity_id: str) -> Iterator[Mapping[str, Any]]:
        """The mentions `{doc, start, end, text}` of one entity, in document order."""
        ...

    def lineage(self) -> Iterator[Mapping[str, Any]]:
        """`lineage[]` records (passages with their `text`), as report.json orders them."""
        ...

    def outlet_copies(self) -> Iterator[Mapping[str, Any]]:
        """`outlet_copies[]` rows, most copies first."""
        ...

    def duplicates(self) -> Iterator[Mapping[str, Any]]:
        """`duplicates[]`: inputs whose text a stored document already had."""
        ...


class DictSource:
    """`ReportSource` over an in-memory report dict (what `build_report` returns or report.json
    loads to). The lookups by document are built once, on first use, in one pass over the report."""

    def __init__(self, report: Mapping[str, Any]) -> None:
        self.report = report
        self._by_doc: dict[Any, dict[str, list[Any]]] | None = None
        self._order: dict[Any, int] = {}
        self._story_by_id: dict[Any, Mapping[str, Any]] = {}
        self._entity_by_id: dict[Any, Mapping[str, Any]] = {}

    def _list(self, key: str) -> list[Mapping[str, Any]]:
        return [r for r in self.report.get(key) or [] if isinstance(r, Mapping)]

    def meta(self) -> Mapping[str, Any]:
        r = self.report
        return {
            "schema": r.get("schema"),
            "generated_at": r.get("generated_at"),
            "counts": dict(r.get("counts") or {}),
            "quarantine": self._list("quarantine"),
            "filtered": self._list("filtered"),
            "sizes": {key: len(self._list(key)) for key in ("stories", "entities", "lineage", "duplicates")},
        }

    def ranked_stories(self) -> Iterator[Mapping[str, Any]]:
        yield from ranked_stories(self._list("stories"))

    def _index(self) -> dict[Any, dict[str, list[Any]]]:
        """Records by document id, for each part of a story (one pass over the report)."""
        if self._by_doc is not None:
            return self._by_doc
        by_doc: dict[Any, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        documents = self._list("documents")
        self._order = {d.get("id"): n for n, d in enumerate(documents)}
        for d in documents:
            by_doc[d.get("id")]["document"].append(d)
        stories = self._list("stories")
        self._story_by_id = {s.get("id"): s for s in stories}
        self._entity_by_id = {e.get("id"): e for e in self._list("entities")}
        for s in stories:
            for doc in s.get("documents") or []:
                by_doc[doc]["story"].append(s)
        for e in self._list("entities"):
            for m in e.get("mentions") or []:
                by_doc[m.get("doc")]["entity"].append((e, m))
        for kind in SPAN_KINDS:
            for rec in self._list(kind):
                by_doc[rec.get("doc")][kind].append(rec)
        for ev in self._list("events"):
            for doc in {m.get("doc") for m in ev.get("mentions") or []}:
                by_doc[doc]["events"].append(ev)
        for c in self._list("contradictions"):
            for doc in {cl.get("doc") for cl in c.get("claims") or []}:
                by_doc[doc]["contradictions"].append(c)
        for rel in self._list("relations"):
            for doc in {rel.get("a"), rel.get("b")}:
                by_doc[doc]["relations"].append(rel)
        for copy in self._list("lineage"):
            for doc in {copy.get("doc"), copy.get("source")}:
                by_doc[doc]["lineage"].append(copy)
        self._by_doc = by_doc
        return by_doc

    def documents_brief(self, ids: Iterable[str]) -> Iterator[Mapping[str, Any]]:
        index = self._index()
        for doc in ids:
            found = index.get(doc)
            if not found or not found.get("document"):
                continue
            d = found["document"][0]
            story = found.get("story")
            yield {
                "id": doc,
                "title": d.get("title"),
                "outlet": d.get("outlet"),
                "published": d.get("published"),
                "story": story[0].get("id") if story else None,
            }

    def story_parts(self, story_id: str) -> Mapping[str, Any]:
        index = self._index()
        story = self._story_by_id.get(story_id)
        doc_ids = list(dict.fromkeys(story.get("documents") or [])) if story else []
        parts: dict[str, Any] = {"documents": [], "entities": {}}
        for key in (*SPAN_KINDS, "events", "contradictions", "relations", "lineage"):
            parts[key] = {}  # by id() of the record: a record touching two documents comes once
        for doc in doc_ids:
            found = index.get(doc) or {}
            parts["documents"].extend(found.get("document", [])[:1])
            for e, m in found.get("entity", []):
                if id(e) not in parts["entities"]:
                    parts["entities"][id(e)] = {**e, "mentions": []}
                parts["entities"][id(e)]["mentions"].append(m)
            for key in (*SPAN_KINDS, "events", "contradictions", "relations"):
                for rec in found.get(key, []):
                    parts[key].setdefault(id(rec), rec)
            for copy in found.get("lineage", []):
                parts["lineage"].setdefault(id(copy), copy)
        result = {key: list(value.values()) for key, value in parts.items() if key != "documents"}
        result["documents"] = parts["documents"]
        result["lineage"] = [self._with_passage_text(c) for c in result["lineage"]]
        return result

    def _text(self, ref: Mapping[str, Any]) -> str | None:
        found = (self._index().get(ref.get("doc")) or {}).get("document")
        start, end = ref.get("start"), ref.get("end")
        if not found or not isinstance(start, int) or not isinstance(end, int):
            return None
        return str(found[0].get("text") or "")[start:end]

    def _with_passage_text(self, copy: Mapping[str, Any]) -> Mapping[str, Any]:
        passages = [
            {side: {**ref, "text": self._text(ref)} for side, ref in p.items() if isinstance(ref, Mapping)}
            for p in copy.get("passages") or []
            if isinstance(p, Mapping)
        ]
        return {**copy, "passages": passages}

    def entities(self) -> Iterator[Mapping[str, Any]]:
        outlines = []
        for e in self._list("entities"):
            mentions = e.get("mentions") or []
            outline = {k: v for k, v in e.items() if k != "mentions"}
            outline["mention_count"] = len(mentions)
            outline["document_count"] = len({m.get("doc") for m in mentions})
            outlines.append(outline)
        outlines.sort(key=lambda e: (-e["mention_count"], str(e.get("id"))))
        yield from outlines

    def entity_mentions(self, entity_id: str) -> Iterator[Mapping[str, Any]]:
        self._index()
        entity = self._entity_by_id.get(entity_id) or {}
        order = self._order
        yield from sorted(
            entity.get("mentions") or [],
            key=lambda m: (order.get(m.get("doc"), len(order)), m.get("start") or 0),
        )

    def lineage(self) -> Iterator[Mapping[str, Any]]:
        for copy in self._list("lineage"):
            yield self._with_passage_text(copy)

    def outlet_copies(self) -> Iterator[Mapping[str, Any]]:
        yield from self._list("outlet_copies")

    def duplicates(self) -> Iterator[Mapping[str, Any]]:
        yield from self._list("duplicates")


def outlets_of(briefs: Iterable[Mapping[str, Any]]) -> list[str]:
    """Outlets of some documents, most frequent first (ties by name)."""
    counts = Counter(str(b.get("outlet")) for b in briefs if b.get("outlet"))
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
