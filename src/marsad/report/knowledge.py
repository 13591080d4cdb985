"""The report as a knowledge base: its records saved into the store's tables, and streamed back.

`save_knowledge` turns what the corpus stage found about the whole store (articles plus a
`CorpusResult`) into rows of the knowledge tables (store/knowledge.py), each with the report
record it stands for, in one transaction. `store_report` reads them back as the sections of
report.json, in order, for the whole store or a `Selection`; `write_store_report` writes those
sections record by record (orjson), so neither a run nor a reader ever holds the whole report.
The records are built by the same functions as the in-memory `build_report`, so both forms of the
report agree field for field.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from marsad.errors import ConfigError
from marsad.model import Article, article_from_json
from marsad.report.build import (
    REPORT_SCHEMA,
    _contradiction,
    _copy,
    _corpus_events,
    _document,
    _duplicate,
    _EntityIndex,
    _format_time,
    _not_stored,
    _relation,
    _story,
    document_records,
    dumps_report,
    outlet_table,
    ranked_stories,
)
from marsad.store.knowledge import Selection
from marsad.store.outcome import Outcome, count_statuses

if TYPE_CHECKING:
    from marsad.corpus import CorpusResult
    from marsad.store import SQLiteStore

_KIND_LABEL = {"time": "value", "quantity": "unit", "quote": "cue"}


def _json(record: Mapping[str, Any]) -> str:
    return orjson.dumps(record).decode("utf-8")


def _day(value: Any) -> str | None:
    """The first day (or month, or year) of an ISO date or interval, for range filters."""
    if not isinstance(value, str) or not value[:4].isdigit():
        return None
    return value.split("/", 1)[0]


def _code(actor: Mapping[str, Any] | None) -> str | None:
    return actor.get("code") if actor else None


def save_knowledge(store: SQLiteStore, articles: Sequence[Article], corpus: CorpusResult) -> dict[str, int]:
    """Replace the store's knowledge with the records of `articles` (every analysed document of
    the store) and `corpus`; returns the rows written per table."""
    index = _EntityIndex(articles, corpus)
    story_of = {doc: s.id for s in corpus.stories for doc in s.documents}
    with store.rewrite_knowledge() as kb:
        seqs: dict[str, int] = {}  # per document: entity mentions written so far
        for seq, entity in enumerate(index.entities):
            mentions = entity["mentions"]
            head = {k: v for k, v in entity.items() if k != "mentions"}
            kb.add("entities", (entity["id"], seq, entity["type"], entity["name"], entity["country"],
                                entity["code"], entity["documents"], _json(head)))  # fmt: skip
            for m in mentions:
                n = seqs[m["doc"]] = seqs.get(m["doc"], 0) + 1
                kb.add("mentions", (m["doc"], "entity", n, m["start"], m["end"], entity["type"], entity["id"],
                                    _json(m)))  # fmt: skip
        for article in articles:
            counters: dict[str, int] = {}
            for kind, record in document_records(article, index):
                n = counters[kind] = counters.get(kind, 0) + 1
                speaker = (record.get("speaker") or {}).get("entity") if kind == "quote" else None
                kb.add("mentions", (article.id, kind, n, record["start"], record["end"],
                                    record.get(_KIND_LABEL[kind]), speaker, _json(record)))  # fmt: skip
        for seq, event in enumerate(_corpus_events(index, articles, corpus)):
            first = event["mentions"][0]["doc"]
            location = event["location"]["text"] if event["location"] else None
            kb.add("events", (event["id"], seq, event["type"], _day(event["date"]["value"]),
                              _code(event["source"]), _code(event["target"]), location, story_of.get(first),
                              _json(event)))  # fmt: skip
            for k, m in enumerate(event["mentions"]):
                kb.add("event_reports", (event["id"], k, m["doc"], m["start"], m["end"]))
        for seq, rel in enumerate(corpus.relations):
            kb.add("relations", (seq, rel.a, rel.b, rel.kind, float(rel.score), _json(_relation(rel))))
        for seq, copy in enumerate(corpus.lineage):
            kb.add("copies", (copy.doc, seq, copy.source, copy.origin, copy.kind, _json(_copy(copy))))
        for rank, story in enumerate(ranked_stories(corpus.stories)):
            kb.add("stories", (_json(_story(story)), rank, story.id))
        for seq, c in enumerate(corpus.contradictions):
            kb.add("contradictions", (c.id, seq, c.kind, c.label, story_of.get(c.claims[0].doc) if c.claims else None,
                                      _json(_contradiction(c))))  # fmt: skip
            for k, claim in enumerate(c.claims):
                kb.add("contradiction_claims", (c.id, k, claim.doc))
        kb.flush()
        return dict(kb.written)


# -- reading back --------------------------------------------------------------------------------


def _cut(record: dict[str, Any], field: str, docs: set[str], key: str = "doc") -> None:
    record[field] = [r for r in record.get(field, []) if (r[key] if isinstance(r, dict) else r) in docs]


def store_report(
    store: SQLiteStore,
    selection: Selection | None = None,
    *,
    run: Mapping[str, int] | None = None,
    generated_at: datetime | str | None = None,
) -> Iterator[tuple[str, Any]]:
    """The sections of report.json as (name, value): a value is a plain value, or an iterator of
    records (dicts, or JSON text already encoded). Covers the whole store unless `selection`
    narrows it; `run` (the current run's counts) is added when given. Must be consumed inside
    one call: it holds a read snapshot of the store while it runs."""
    selection = selection or Selection()
    with store.selected(selection) as kb:
        docs = None if selection.everything else kb.selected_documents()
        outcomes = [Outcome(*row) for row in kb.outcomes()]
        yield "schema", REPORT_SCHEMA
        yield "generated_at", _format_time(generated_at)
        yield "counts", count_statuses(o.status for o in outcomes)
        if run is not None:
            yield "run", dict(run)
        yield "quarantine", [_not_stored(o, False) for o in outcomes if o.status == "quarantined"]
        yield "filtered", [_not_stored(o, True) for o in outcomes if o.status == "filtered"]
        yield "duplicates", [_duplicate(o) for o in outcomes if o.status == "duplicate"]
        del outcomes
        yield "documents", (_document(article_from_json(payload)) for _, payload in kb.documents())
        yield "entities", _entities(kb.entities(), docs)
        yield "times", kb.mentions("time")
        yield "quantities", kb.mentions("quantity")
        yield "quotes", kb.mentions("quote")
        yield "events", _cut_records(kb.events(), docs, ("mentions",))
        yield "relations", kb.relations()
        yield "lineage", kb.copies()
        yield "outlet_copies", outlet_table(kb.outlet_copies())
        yield "stories", _stories(kb.stories(), docs)
        yield "contradictions", kb.contradictions()


def _entities(rows: Iterator[tuple[str, list[str]]], docs: set[str] | None) -> Iterator[str]:
    for head, mentions in rows:
        record = orjson.loads(head)
        if docs is not None:
            record["documents"] = len({orjson.loads(m)["doc"] for m in mentions})
        # The mention records are already JSON: spliced in as they are, not decoded and re-encoded.
        body = _json(record)
        yield body[:-1] + ',"mentions":[' + ",".join(mentions) + "]}"


def _cut_records(rows: Iterator[str], docs: set[str] | None, fields: Sequence[str]) -> Iterator[Any]:
    if docs is None:
        yield from rows
        return
    for row in rows:
        record = orjson.loads(row)
        for field in fields:
            _cut(record, field, docs)
        yield record


def _stories(rows: Iterator[str], docs: set[str] | None) -> Iterator[Any]:
    if docs is None:
        yield from rows
        return
    for row in rows:
        yield cut_story(orjson.loads(row), docs)


def cut_story(record: dict[str, Any], docs: set[str] | None) -> dict[str, Any]:
    """A story record cut to the selected documents (unchanged when everything is selected)."""
    if docs is not None:
        record["documents"] = [d for d in record["documents"] if d in docs]
        record["size"] = len(record["documents"])
        _cut(record, "summary", docs)
    return record


def collect_report(sections: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The report as one dict (for library callers and tests; a large store is better streamed)."""
    report: dict[str, Any] = {}
    for name, value in sections:
        if isinstance(value, (str, int, float, bool, dict)) or value is None:
            report[name] = value
        else:
            report[name] = [orjson.loads(v) if isinstance(v, str) else v for v in value]
    return report


def _encode(value: Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else orjson.dumps(value)


def write_sections(sections: Iterable[tuple[str, Any]], path: str | Path, *, layout: str = "lines") -> Path:
    """Write report.json from its sections, record by record, atomically (temp file + rename).

    "lines" puts each record on a line of its own (greppable, one diff line per changed record);
    "compact" writes no newlines; "indented" needs the whole report in memory and is meant for
    small reports only."""
    if layout not in ("lines", "compact", "indented"):
        raise ConfigError(f"unknown report layout {layout!r}; use one of: lines, compact, indented")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".json", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if layout == "indented":
                fh.write(dumps_report(collect_report(sections), layout="indented").encode("utf-8"))
            else:
                _stream(fh, sections, b"\n" if layout == "lines" else b"")
            fh.write(b"\n")
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the report is shared like the site beside it
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _stream(fh: Any, sections: Iterable[tuple[str, Any]], nl: bytes) -> None:
    indent = b" " if nl else b""
    fh.write(b"{")
    first = True
    for name, value in sections:
        fh.write(
            (b"," if not first else b"") + nl + indent + orjson.dumps(name) + b":" + (b" " if nl else b"")
        )
        first = False
        if isinstance(value, (str, int, float, bool, dict)) or value is None:
            fh.write(orjson.dumps(value))
            continue
        fh.write(b"[")
        empty = True
        for record in value:
            fh.write((b"," if not empty else b"") + nl + indent * 2 + _encode(record))
            empty = False
        fh.write((nl + indent if not empty else b"") + b"]")
    fh.write(nl + b"}")
