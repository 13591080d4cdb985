"""Build, write and check `report.json` (schema "marsad.report/1", see REPORT.md).

The report is a pure function of the run's articles (in run order) and its input outcomes (in input
order), plus the time it was generated: the same inputs give a byte-identical report except for
`generated_at`. Document-level annotations become report records that keep their clean-text
offsets, the component that made them and its reason. Entity mentions of all documents are grouped
into report-level entities, and every entity id a quote or event refers to is mapped to those ids,
so a reader can join records without knowing how one document numbered its entities.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marsad.errors import ConfigError, SchemaError
from marsad.model import Article, EntityMention
from marsad.model.corpus import event_id, unique_ids
from marsad.model.spans import ActorRef
from marsad.normalize.text import normalize

if TYPE_CHECKING:
    from marsad.corpus import CorpusResult
    from marsad.model.corpus import MentionRef

REPORT_SCHEMA = "marsad.report/1"
STATUSES = ("stored", "duplicate", "filtered", "quarantined")


def entity_id(type_: str, key: str) -> str:
    """Report-level entity id: stable for the same type and matching key on every run."""
    return "ent-" + hashlib.sha1((type_ + key).encode("utf-8")).hexdigest()[:12]


def _group_key(mention: EntityMention) -> str:
    """The linking key, or, when the extractor gave none, the folded matching form of the name."""
    if mention.key:
        return mention.key
    name = mention.name or mention.text
    return " ".join(normalize(name).text.split())


def _most_common(values: list[str | None]) -> str | None:
    """Most frequent non-null value; ties go to the one seen first, so the choice is deterministic."""
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    best = max(counts.values())
    return next(v for v in values if v and counts[v] == best)


def _annotation(record: dict[str, Any], span: Any) -> dict[str, Any]:
    record["component"] = span.component
    if span.reason is not None:
        record["reason"] = span.reason
    return record


class _EntityIndex:
    """Report entities, plus per-document lookups from a document's own references to them."""

    def __init__(self, articles: Sequence[Article], corpus: CorpusResult | None = None) -> None:
        if corpus is not None:
            self._from_corpus(articles, corpus)
            return
        groups: dict[tuple[str, str], list[tuple[int, EntityMention, str]]] = {}
        self.by_doc_entity: dict[tuple[str, str], str] = {}
        self.by_doc_offsets: dict[str, list[tuple[int, int, str, str]]] = {}
        for order, article in enumerate(articles):
            spans: list[tuple[int, int, str, str]] = []
            for mention in sorted(article.entities, key=lambda m: (m.start, m.end)):
                key = _group_key(mention)
                eid = entity_id(mention.type, key)
                groups.setdefault((mention.type, key), []).append((order, mention, article.id))
                if mention.entity:
                    # A document-level id names one entity in that document; the first mapping
                    # wins if an extractor ever reused one across types.
                    self.by_doc_entity.setdefault((article.id, mention.entity), eid)
                spans.append((mention.start, mention.end, mention.type, eid))
            self.by_doc_offsets[article.id] = spans
        self.entities: list[dict[str, Any]] = []
        for (type_, key), members in groups.items():
            members.sort(key=lambda m: (m[0], m[1].start, m[1].end))
            self.entities.append(
                {
                    "id": entity_id(type_, key),
                    "type": type_,
                    "name": _most_common([m.name or m.text for _, m, _ in members]),
                    "key": key,
                    "country": _most_common([m.country for _, m, _ in members]),
                    "code": _most_common([m.code for _, m, _ in members]),
                    "aliases": sorted({m.text for _, m, _ in members}),
                    "mentions": [
                        _annotation({"doc": doc, "start": m.start, "end": m.end, "text": m.text}, m)
                        for _, m, doc in members
                    ],
                    "_first": (members[0][0], members[0][1].start),
                }
            )
        # Entities in order of first mention (document order, then offset).
        self.entities.sort(key=lambda e: (e["_first"], e["type"], e["key"]))
        self.known = {e["id"] for e in self.entities}
        for entity in self.entities:
            del entity["_first"]

    def _from_corpus(self, articles: Sequence[Article], corpus: CorpusResult) -> None:
        """Entities linked across documents: one record per corpus entity, all its aliases."""
        links = corpus.mention_entity
        self.by_doc_entity = {}
        self.by_doc_offsets = {}
        by_span: dict[tuple[str, int, int], EntityMention] = {}
        for article in articles:
            spans: list[tuple[int, int, str, str]] = []
            for mention in sorted(article.entities, key=lambda m: (m.start, m.end)):
                eid = links.get((article.id, mention.start, mention.end))
                if eid is None:
                    continue
                by_span[(article.id, mention.start, mention.end)] = mention
                if mention.entity:
                    self.by_doc_entity.setdefault((article.id, mention.entity), eid)
                spans.append((mention.start, mention.end, mention.type, eid))
            self.by_doc_offsets[article.id] = spans
        self.entities = []
        for entity in corpus.entities:
            mentions = []
            for ref in entity.mentions:
                record: dict[str, Any] = {
                    "doc": ref.doc,
                    "start": ref.start,
                    "end": ref.end,
                    "text": ref.text,
                }
                source = by_span.get((ref.doc, ref.start, ref.end))
                mentions.append(_annotation(record, source) if source is not None else record)
            self.entities.append(
                {
                    "id": entity.id,
                    "type": entity.type,
                    "name": entity.name,
                    "country": entity.country,
                    "code": entity.code,
                    "aliases": list(entity.aliases),
                    "mentions": mentions,
                    "documents": len({m.doc for m in entity.mentions}),
                    "component": "corpus.linking",
                    "reason": entity.reason,
                }
            )
        self.known = {e["id"] for e in self.entities}

    def resolve(self, doc: str, entity: str | None, start: int | None, end: int | None) -> str | None:
        """The report entity a reference points to: by its document-level id, else by offsets."""
        if entity is not None:
            mapped = self.by_doc_entity.get((doc, entity))
            if mapped is not None:
                return mapped
            if entity in self.known:
                return entity
        if start is None or end is None:
            return None
        spans = self.by_doc_offsets.get(doc, [])
        inside = [s for s in spans if start <= s[0] and s[1] <= end]
        exact = [s for s in inside if s[0] == start and s[1] == end]
        if exact:
            return exact[0][3]
        if inside:
            # A description such as "وزير الخارجية الروسي سيرغي لافروف" names a person inside it.
            people = [s for s in inside if s[2] == "PER"]
            return (people or inside)[0][3]
        return None


def _actor(index: _EntityIndex, doc: str, ref: ActorRef | None, *, with_code: bool) -> dict | None:
    if ref is None:
        return None
    record: dict[str, Any] = {"text": ref.text, "entity": index.resolve(doc, ref.entity, ref.start, ref.end)}
    if with_code:
        record["code"] = ref.code
    if ref.start is not None and ref.end is not None:
        record["start"], record["end"] = ref.start, ref.end
    return record


def _event_record(index: _EntityIndex, doc: str, event_id: str, ev: Any, original: Any) -> dict[str, Any]:
    """The fields an event record shares whether it is one report or merged from many.

    `ev` is an EventMention or a merged Event; `original` the report that provides what only a
    mention knows (component, magnitude, reporter), or None when the merge cannot point to one.
    """
    date = ev.date
    return {
        "id": event_id,
        "type": ev.type,
        "mode": ev.mode,
        "source": _actor(index, doc, ev.source, with_code=True),
        "target": _actor(index, doc, ev.target, with_code=True),
        "date": {
            "value": date.value if date else None,
            "text": date.text if date else None,
            "source": date.source if date else None,
        },
        "location": _actor(index, doc, ev.location, with_code=False),
        "negated": ev.negated,
        "modality": ev.modality,
        "confidence": ev.confidence,
        "reason": ev.reason,
        "component": original.component if original is not None else "corpus.merge",
        "magnitude": original.magnitude if original is not None else {},
        "reporter": original.reporter if original is not None else None,
    }


def _document(article: Article) -> dict[str, Any]:
    prov = article.provenance
    return {
        "id": article.id,
        "external_id": article.external_id,
        "source": prov.source,
        "format": prov.format,
        "url": prov.url,
        "title": article.title,
        "outlet": article.outlet,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "text": article.text,
        "removed": [{"text": r.text, "reason": r.reason, "component": r.component} for r in article.removed],
        "sentences": [[s, e] for s, e in article.sentences],
    }


def _not_stored(outcome: Any, with_language: bool) -> dict[str, Any]:
    record: dict[str, Any] = {"source": outcome.source, "reason": outcome.reason or outcome.status}
    if with_language:
        record["language"] = outcome.language
    record["status"] = outcome.status
    return record


def _duplicate(outcome: Any) -> dict[str, Any]:
    return {"source": outcome.source, "doc": outcome.doc, "reason": outcome.reason or outcome.status}


def _format_time(generated_at: datetime | str | None) -> str:
    if isinstance(generated_at, str):
        return generated_at
    moment = generated_at or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def document_records(article: Article, index: _EntityIndex) -> Iterator[tuple[str, dict[str, Any]]]:
    """(kind, record) for a document's times, quantities and quotes, each kind in offset order;
    a quote's speaker is resolved to its report entity through `index`."""
    doc = article.id
    for t in sorted(article.times, key=lambda s: (s.start, s.end)):
        record = {"doc": doc, "start": t.start, "end": t.end, "text": t.text, "value": t.value,
                  "granularity": t.granularity, "relative": t.relative, "calendar": t.calendar,
                  "anchor": t.anchor}  # fmt: skip
        yield "time", _annotation(record, t)
    for q in sorted(article.quantities, key=lambda s: (s.start, s.end)):
        record = {"doc": doc, "start": q.start, "end": q.end, "text": q.text, "value": q.value,
                  "qualifier": q.qualifier, "unit": q.unit, "unit_text": q.unit_text, "of": q.of}  # fmt: skip
        yield "quantity", _annotation(record, q)
    for quote in sorted(article.quotes, key=lambda s: (s.start, s.end)):
        speaker = None
        if quote.speaker is not None:
            sp = quote.speaker
            speaker = {"text": sp.text, "entity": index.resolve(doc, sp.entity, sp.start, sp.end),
                       "start": sp.start, "end": sp.end}  # fmt: skip
        record = {"doc": doc, "start": quote.start, "end": quote.end, "text": quote.text,
                  "speaker": speaker, "cue": quote.cue, "direct": quote.direct}  # fmt: skip
        yield "quote", _annotation(record, quote)


def build_report(
    articles: Iterable[Article],
    outcomes: Iterable[Any],
    *,
    generated_at: datetime | str | None = None,
    corpus: CorpusResult | None = None,
) -> dict[str, Any]:
    """The report dict for one run.

    `articles` are the run's documents in run order (each once); `outcomes` are the run's
    `store.Outcome`s in input order, one per input, with `status` in stored|duplicate|filtered|
    quarantined. Counts come from the outcomes, so `inputs == stored + duplicates + filtered +
    quarantined` holds whenever every input has exactly one outcome.

    `corpus` is the cross-document result for these articles (`corpus.analyze_corpus`): with it,
    entities are linked across documents, events are merged (one event, every report of it, its
    independent sources and the history of its figures), and relations, stories and
    contradictions are filled. Without it, entities are grouped by matching key and every event
    mention is an event of its own.
    """
    docs = list(articles)
    outs = list(outcomes)
    tally = Counter(o.status for o in outs)
    unknown = set(tally) - set(STATUSES)
    if unknown:
        raise SchemaError(f"unknown outcome status {sorted(unknown)}; expected one of {', '.join(STATUSES)}")

    index = _EntityIndex(docs, corpus)
    per_kind: dict[str, list[dict[str, Any]]] = {"time": [], "quantity": [], "quote": []}
    events: list[dict[str, Any]] = []
    for article in docs:
        for kind, record in document_records(article, index):
            per_kind[kind].append(record)
        doc = article.id
        mine = sorted(article.events, key=lambda s: (s.start, s.end, s.type)) if corpus is None else []
        ids = unique_ids(event_id(doc, ev.start, ev.end, ev.type) for ev in mine)
        for ev, eid in zip(mine, ids, strict=True):
            record = _event_record(index, doc, eid, ev, ev)
            record["mentions"] = [{"doc": doc, "start": ev.start, "end": ev.end, "text": ev.text}]
            events.append(record)
    times, quantities, quotes = per_kind["time"], per_kind["quantity"], per_kind["quote"]

    return {
        "schema": REPORT_SCHEMA,
        "generated_at": _format_time(generated_at),
        "counts": {
            "inputs": len(outs),
            "stored": tally["stored"],
            "duplicates": tally["duplicate"],
            "filtered": tally["filtered"],
            "quarantined": tally["quarantined"],
        },
        "quarantine": [_not_stored(o, False) for o in outs if o.status == "quarantined"],
        "filtered": [_not_stored(o, True) for o in outs if o.status == "filtered"],
        # Inputs whose clean text a stored document already has: listed, not only counted.
        "duplicates": [_duplicate(o) for o in outs if o.status == "duplicate"],
        "documents": [_document(a) for a in docs],
        "entities": index.entities,
        "times": times,
        "quantities": quantities,
        "quotes": quotes,
        "events": events if corpus is None else _corpus_events(index, docs, corpus),
        "relations": [] if corpus is None else [_relation(r) for r in corpus.relations],
        "lineage": [] if corpus is None else [_copy(c) for c in corpus.lineage],
        "outlet_copies": [] if corpus is None else _outlet_copies(corpus.lineage, docs),
        "stories": [] if corpus is None else [_story(s) for s in ranked_stories(corpus.stories)],
        "contradictions": [] if corpus is None else [_contradiction(c) for c in corpus.contradictions],
    }


def _ref(ref: MentionRef) -> dict[str, Any]:
    record: dict[str, Any] = {"doc": ref.doc, "start": ref.start, "end": ref.end}
    if ref.text is not None:
        record["text"] = ref.text
    return record


def _corpus_events(
    index: _EntityIndex, docs: Sequence[Article], corpus: CorpusResult
) -> list[dict[str, Any]]:
    """Merged events: each real-world event once, with every report of it."""
    mentions = {(a.id, e.start, e.end, e.type): e for a in docs for e in a.events}
    events: list[dict[str, Any]] = []
    for ev in corpus.events:
        first = ev.mentions[0]
        doc = first.doc
        original = mentions.get((doc, first.start, first.end, ev.type))
        record = _event_record(index, doc, ev.id, ev, original)
        record["mentions"] = [_ref(m) for m in ev.mentions]
        record["sources"] = list(ev.sources)
        record["history"] = list(ev.history)
        if ev.figures:
            record["figures"] = dict(ev.figures)
        events.append(record)
    return events


def _relation(rel: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"a": rel.a, "b": rel.b, "kind": rel.kind, "score": round(float(rel.score), 4)}
    if rel.passages:
        record["passages"] = [{"a": _ref(pa), "b": _ref(pb)} for pa, pb in rel.passages]
    if getattr(rel, "component", None):
        record["component"] = rel.component
    if getattr(rel, "reason", None):
        record["reason"] = rel.reason
    return record


def _copy(copy: Any) -> dict[str, Any]:
    """A lineage record: the copy, the earlier document it copies, the chain's first publication,
    and the shared passages as offsets (their text is in `documents[]`)."""
    return {
        "doc": copy.doc,
        "source": copy.source,
        "origin": copy.origin,
        "kind": copy.kind,
        "score": round(float(copy.score), 4),
        "passages": [{"source": _offsets(ps), "copy": _offsets(pc)} for ps, pc in copy.passages],
        "reason": copy.reason,
        "component": "corpus.dedup",
    }


def _offsets(ref: MentionRef) -> dict[str, Any]:
    return {"doc": ref.doc, "start": ref.start, "end": ref.end}


def _outlet_copies(copies: Sequence[Any], docs: Sequence[Article]) -> list[dict[str, Any]]:
    """Who republishes whom: per (source outlet, copying outlet), how many copies of each kind;
    most copies first. A document without an outlet counts under null."""
    outlet = {a.id: a.outlet for a in docs}
    return outlet_table((outlet.get(c.source), outlet.get(c.doc), c.kind, 1) for c in copies)


def outlet_table(counts: Iterable[tuple[str | None, str | None, str, int]]) -> list[dict[str, Any]]:
    """`outlet_copies` rows from (source outlet, copying outlet, copy kind, count) tuples."""
    table: dict[tuple[str | None, str | None], Counter[str]] = {}
    for src, dst, kind, n in counts:
        table.setdefault((src, dst), Counter())[kind] += n
    rows: list[dict[str, Any]] = [
        {"source_outlet": src, "copy_outlet": dst, "copies": sum(kinds.values()),
         "exact": kinds["exact"], "near_duplicate": kinds["near_duplicate"], "rewrite": kinds["rewrite"]}
        for (src, dst), kinds in table.items()
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r["copies"], r["source_outlet"] or "", r["copy_outlet"] or ""))
    return rows


def ranked_stories(stories: Sequence[Any]) -> list[Any]:
    """Largest first, then the most recently seen, then id: the stories a reader should see
    first are the most covered and the newest, whatever order the articles came in. Takes corpus
    Story objects or report.json story records alike (the HTML site ranks the latter)."""

    def get(story: Any, name: str) -> Any:
        return story.get(name) if isinstance(story, Mapping) else getattr(story, name)

    by_recency = sorted(stories, key=lambda s: str(get(s, "id")))
    by_recency.sort(key=lambda s: get(s, "last_seen") or "", reverse=True)  # stable: ids stay ascending
    by_recency.sort(key=lambda s: len(get(s, "documents") or ()), reverse=True)
    return by_recency


def _story(story: Any) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "size": len(story.documents),
        "documents": list(story.documents),
        "summary": [_ref(m) for m in story.summary],
        "timeline": list(story.timeline),
        "background": list(story.background),
        "first_seen": story.first_seen,
        "last_seen": story.last_seen,
    }


def _contradiction(c: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": c.id,
        "about": c.about,
        "kind": c.kind,
        "label": c.label,
        "claims": [
            {"doc": cl.doc, "start": cl.start, "end": cl.end, "text": cl.text, "value": cl.value}
            for cl in c.claims
        ],
        "component": "corpus.contradictions",
    }
    if c.reason:
        record["reason"] = c.reason
    return record


def dumps_report(report: dict[str, Any], *, layout: str = "lines") -> str:
    """report.json text. `layout`: "lines" (one record per line), "compact" or "indented".

    "lines" is the default because it is both fast and readable: `json.dumps` with `indent`
    falls back to the pure-Python encoder (seconds for a few thousand documents), while each
    record encoded compactly by the C encoder on a line of its own keeps the file greppable and
    its diffs one line per changed record.
    """
    if layout == "compact":
        return json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    if layout == "indented":
        return json.dumps(report, ensure_ascii=False, indent=1)
    if layout != "lines":
        raise ConfigError(f"unknown report layout {layout!r}; use one of: lines, compact, indented")
    parts = ["{"]
    keys = list(report)
    for k, key in enumerate(keys):
        value = report[key]
        comma = "," if k < len(keys) - 1 else ""
        name = json.dumps(key)
        if isinstance(value, list) and value:
            records = ",\n  ".join(json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f" {name}: [\n  {records}\n ]{comma}")
        else:
            parts.append(f" {name}: {json.dumps(value, ensure_ascii=False)}{comma}")
    parts.append("}")
    return "\n".join(parts)


def write_report(report: dict[str, Any], path: str | Path, *, layout: str = "lines") -> Path:
    """Write atomically (temp file + rename), so a killed run never leaves half a report."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = dumps_report(report, layout=layout)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".json", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.write("\n")
        # mkstemp creates the file private (0600); the report is shared like index.html beside it.
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        # Remove the partial temp file, then let the original error propagate unchanged.
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


@cache
def load_schema() -> dict[str, Any]:
    text = resources.files("marsad.report").joinpath("schema/report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def _path(parts: Iterable[Any]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def validate_report(report: dict[str, Any]) -> None:
    """Raise SchemaError naming the first violation (in document order of the report) and its path."""
    import jsonschema  # imported here: validation is a test/`marsad validate` concern, not a run's

    for section in ("documents", "entities", "events", "stories", "contradictions"):
        seen: set[Any] = set()
        for i, record in enumerate(report.get(section, [])):
            rid = record.get("id") if isinstance(record, dict) else None  # the schema reports non-records
            if rid is not None and rid in seen:
                raise SchemaError(f"report.json {section}[{i}] repeats the id {rid}; ids must be unique")
            seen.add(rid)
    validator = jsonschema.Draft202012Validator(load_schema())
    errors = list(validator.iter_errors(report))
    if errors:
        first = min(errors, key=lambda e: [str(p).zfill(12) for p in e.absolute_path])
        raise SchemaError(
            f"report.json does not match {REPORT_SCHEMA} at {_path(first.absolute_path)}: {first.message}"
        )
    counts = report["counts"]
    total = counts["stored"] + counts["duplicates"] + counts["filtered"] + counts["quarantined"]
    if counts["inputs"] != total:
        raise SchemaError(
            f"report counts do not add up: inputs={counts['inputs']} but stored+duplicates+filtered+"
            f"quarantined={total}"
        )


def check_report_offsets(report: dict[str, Any]) -> None:
    """Raise SchemaError unless documents[doc].text[start:end] == text for every record with text."""
    texts = {d["id"]: d["text"] for d in report.get("documents", [])}

    def check(where: str, record: dict[str, Any]) -> None:
        doc = record.get("doc")
        if doc not in texts:
            raise SchemaError(f"{where}: refers to document {doc!r}, which is not in documents[]")
        text = texts[doc]
        start, end = record["start"], record["end"]
        if not 0 <= start <= end <= len(text):
            raise SchemaError(
                f"{where}: offsets [{start}, {end}) are outside document {doc} ({len(text)} chars)"
            )
        if "text" in record and record["text"] is not None and text[start:end] != record["text"]:
            raise SchemaError(f"{where}: [{start}, {end}) covers {text[start:end]!r}, not {record['text']!r}")

    for i, doc in enumerate(report.get("documents", [])):
        for j, (s, e) in enumerate(doc["sentences"]):
            if not 0 <= s <= e <= len(doc["text"]):
                raise SchemaError(f"documents[{i}].sentences[{j}]: [{s}, {e}) is out of bounds")
    for i, entity in enumerate(report.get("entities", [])):
        for j, mention in enumerate(entity["mentions"]):
            check(f"entities[{i}].mentions[{j}]", mention)
    for name in ("times", "quantities", "quotes"):
        for i, record in enumerate(report.get(name, [])):
            check(f"{name}[{i}]", record)
            speaker = record.get("speaker") if name == "quotes" else None
            if speaker and speaker.get("start") is not None:
                check(f"{name}[{i}].speaker", {"doc": record["doc"], **speaker})
    for i, event in enumerate(report.get("events", [])):
        for j, mention in enumerate(event["mentions"]):
            check(f"events[{i}].mentions[{j}]", mention)
    for i, story in enumerate(report.get("stories", [])):
        for j, sentence in enumerate(story.get("summary", [])):
            check(f"stories[{i}].summary[{j}]", sentence)
    for i, contradiction in enumerate(report.get("contradictions", [])):
        for j, claim in enumerate(contradiction.get("claims", [])):
            check(f"contradictions[{i}].claims[{j}]", claim)
