"""The knowledge tables of the store (migration 0003): writing them whole, reading them by selection.

The corpus stage knows the whole store after each run; `rewrite_knowledge` replaces what the
tables held with what it now knows, in ONE transaction, so a reader (or a killed run) only ever
sees a complete knowledge base. Readers stream the `record` column, the report record as JSON
text, and never decode article blobs for anything but the documents themselves.

A `Selection` narrows what a reader sees to some documents: those published on or after a day,
those of one story, those of one outlet. Records that point at documents outside it are left out
(relations, copies, contradictions) or cut to the selected documents (an entity's mentions, an
event's reports, a story's members), so every offset in a selected report resolves.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from marsad.store.sql import chunks, param_marks

# The knowledge tables, emptied and refilled by rewrite_knowledge (children before parents).
KNOWLEDGE_TABLES = (
    "mentions",
    "event_reports",
    "events",
    "entities",
    "relations",
    "copies",
    "contradiction_claims",
    "contradictions",
)
_CHUNK = 5000  # rows buffered per table before one executemany

_INSERTS = {
    "mentions": 'INSERT INTO mentions (doc, kind, seq, start, "end", label, entity, record) VALUES (?,?,?,?,?,?,?,?)',
    "entities": "INSERT INTO entities (id, seq, type, name, country, code, documents, record) VALUES (?,?,?,?,?,?,?,?)",
    "events": "INSERT INTO events (id, seq, type, day, source, target, location, story, record)"
    " VALUES (?,?,?,?,?,?,?,?,?)",
    "event_reports": 'INSERT INTO event_reports (event, seq, doc, start, "end") VALUES (?,?,?,?,?)',
    "relations": "INSERT INTO relations (seq, a, b, kind, score, record) VALUES (?,?,?,?,?,?)"
    " ON CONFLICT (a, b, kind) DO NOTHING",
    "copies": "INSERT INTO copies (doc, seq, source, origin, kind, record) VALUES (?,?,?,?,?,?)",
    "contradictions": "INSERT INTO contradictions (id, seq, kind, label, story, record) VALUES (?,?,?,?,?,?)",
    "contradiction_claims": "INSERT INTO contradiction_claims (contradiction, seq, doc) VALUES (?,?,?)",
    "stories": "UPDATE stories SET record = ?, rank = ? WHERE id = ?",
}


@dataclass(frozen=True, slots=True)
class Selection:
    """Which documents a reader covers; all of them when every field is None."""

    since: str | None = None  # YYYY-MM-DD: documents published on or after that day
    story: str | None = None  # a story id
    outlet: str | None = None  # an outlet name, as stored

    @property
    def everything(self) -> bool:
        return self.since is None and self.story is None and self.outlet is None


class KnowledgeWriter:
    """Buffers rows per table and writes them with executemany, inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.buffers: dict[str, list[tuple[Any, ...]]] = {name: [] for name in _INSERTS}
        self.written: dict[str, int] = dict.fromkeys(_INSERTS, 0)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= _CHUNK:
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self.buffers[table]
        if rows:
            self.conn.executemany(_INSERTS[table], rows)
            self.written[table] += len(rows)
            rows.clear()

    def flush(self) -> None:
        for table in _INSERTS:
            self._flush(table)


class KnowledgeTables:
    """Mixed into SQLiteStore: needs its `conn`, `_transaction`, `_rows` and `path`."""

    if TYPE_CHECKING:  # provided by SQLiteStore
        path: str

        @property
        def conn(self) -> sqlite3.Connection: ...

        def _transaction(self, doing: str) -> AbstractContextManager[sqlite3.Connection]: ...

        def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def rewrite_knowledge(self) -> Iterator[KnowledgeWriter]:
        """Empty the knowledge tables and let the caller refill them, all in one transaction."""
        with self._transaction("write the knowledge base to") as conn:
            for table in KNOWLEDGE_TABLES:
                conn.execute(f"DELETE FROM {table}")
            conn.execute("UPDATE stories SET record = NULL, rank = NULL")
            writer = KnowledgeWriter(conn)
            yield writer
            writer.flush()

    def knowledge_counts(self) -> dict[str, int]:
        """Rows of what the corpus stage knows: entities, events, stories, contradictions, ..."""
        tables = ("entities", "events", "relations", "copies", "contradictions", "mentions")
        counts = {t: int(self._rows(f"SELECT count(*) FROM {t}")[0][0]) for t in tables}
        counts["stories"] = int(self._rows("SELECT count(*) FROM stories WHERE record IS NOT NULL")[0][0])
        return counts

    def features(self, ids: Sequence[str], version: int) -> dict[str, bytes]:
        """{doc: data} of the stored features of `version` (other versions are absent)."""
        found: dict[str, bytes] = {}
        for chunk in chunks(ids):
            sql = (
                f"SELECT doc, data FROM doc_features WHERE version = ? AND doc IN ({param_marks(len(chunk))})"
            )
            found.update(self._rows(sql, (version, *chunk)))
        return found

    # -- reading -------------------------------------------------------------------------------

    @contextmanager
    def selected(self, selection: Selection) -> Iterator[PartReader]:
        """A reader over the documents of `selection`, in one read snapshot."""
        conn = self.conn
        conn.execute("BEGIN")
        try:
            conn.execute("DROP TABLE IF EXISTS temp.sel")
            conn.execute("CREATE TEMP TABLE sel (doc TEXT PRIMARY KEY, ord INTEGER NOT NULL)")
            # Made here, not on first use: creating a table while a reader's cursor is open (the
            # site walks the stories while it looks up each page's documents) aborts that cursor.
            conn.execute("DROP TABLE IF EXISTS temp.part")
            conn.execute("CREATE TEMP TABLE part (doc TEXT PRIMARY KEY, ord INTEGER NOT NULL)")
            where, params = _selection_sql(selection)
            conn.execute(
                f"INSERT INTO temp.sel (doc, ord) SELECT id, created_at FROM articles {where}",
                params,
            )
            yield PartReader(conn, selection)
        finally:
            conn.execute("DROP TABLE IF EXISTS temp.sel")
            conn.execute("DROP TABLE IF EXISTS temp.part")
            if conn.in_transaction:
                conn.execute("COMMIT")


def _selection_sql(selection: Selection) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    # Only analysed documents: an ingested-only article has no knowledge rows yet.
    if selection.since is not None:
        clauses.append("published >= ?")
        params.append(selection.since)
    if selection.outlet is not None:
        clauses.append("outlet = ?")
        params.append(selection.outlet)
    if selection.story is not None:
        clauses.append("id IN (SELECT doc FROM story_members WHERE story = ?)")
        params.append(selection.story)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


class KnowledgeReader:
    """Streams of stored records for the selected documents, each in report order."""

    page = 1000  # rows fetched at a time by the streams

    def __init__(self, conn: sqlite3.Connection, selection: Selection) -> None:
        self.conn = conn
        self.selection = selection

    def _records(self, sql: str, params: Sequence[Any] = ()) -> Iterator[str]:
        """The first column of each row: the `record` JSON the readers stream."""
        return (row[0] for row in self._iter(sql, params))

    def _iter(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        cursor = self.conn.execute(sql, params)
        while True:
            rows = cursor.fetchmany(self.page)
            if not rows:
                return
            yield from rows

    def documents(self) -> Iterator[tuple[str, str]]:
        """(id, article payload JSON) in insertion order."""
        return self._iter(
            "SELECT a.id, a.payload FROM articles a JOIN temp.sel s ON s.doc = a.id ORDER BY s.ord"
        )

    def mentions(self, kind: str) -> Iterator[str]:
        """Records of one annotation kind, by document order then offset."""
        return self._records(
            "SELECT m.record FROM mentions m JOIN temp.sel s ON s.doc = m.doc WHERE m.kind = ?"
            ' ORDER BY s.ord, m.start, m."end", m.seq',
            (kind,),
        )

    def entities(self) -> Iterator[tuple[str, list[str]]]:
        """(entity record, its mention records in document order) for entities mentioned in the
        selection, in order of first mention."""
        rows = self._iter(
            "SELECT e.id, e.record, m.record FROM entities e"
            " JOIN mentions m ON m.entity = e.id AND m.kind = 'entity'"
            " JOIN temp.sel s ON s.doc = m.doc"
            ' ORDER BY e.seq, s.ord, m.start, m."end"'
        )
        current: str | None = None
        record = ""
        mentions: list[str] = []
        for eid, erecord, mrecord in rows:
            if eid != current:
                if current is not None:
                    yield record, mentions
                current, record, mentions = eid, erecord, []
            mentions.append(mrecord)
        if current is not None:
            yield record, mentions

    def events(self) -> Iterator[str]:
        return self._records(
            "SELECT e.record FROM events e WHERE EXISTS (SELECT 1 FROM event_reports r"
            " JOIN temp.sel s ON s.doc = r.doc WHERE r.event = e.id) ORDER BY e.seq"
        )

    def relations(self) -> Iterator[str]:
        return self._records(
            "SELECT r.record FROM relations r JOIN temp.sel sa ON sa.doc = r.a"
            " JOIN temp.sel sb ON sb.doc = r.b ORDER BY r.seq"
        )

    def copies(self) -> Iterator[str]:
        return self._records(
            "SELECT c.record FROM copies c JOIN temp.sel sd ON sd.doc = c.doc"
            " JOIN temp.sel ss ON ss.doc = c.source ORDER BY c.seq"
        )

    def outlet_copies(self) -> list[tuple[str | None, str | None, str, int]]:
        """(source outlet, copying outlet, kind, count) over the selected copies."""
        return self.conn.execute(
            "SELECT src.outlet, dst.outlet, c.kind, count(*) FROM copies c"
            " JOIN temp.sel sd ON sd.doc = c.doc JOIN temp.sel ss ON ss.doc = c.source"
            " JOIN articles src ON src.id = c.source JOIN articles dst ON dst.id = c.doc"
            " GROUP BY src.outlet, dst.outlet, c.kind"
        ).fetchall()

    def stories(self) -> Iterator[str]:
        """Story records in rank order, for stories with a member in the selection."""
        return self._records(
            "SELECT st.record FROM stories st WHERE st.record IS NOT NULL AND EXISTS"
            " (SELECT 1 FROM story_members m JOIN temp.sel s ON s.doc = m.doc WHERE m.story = st.id)"
            " ORDER BY st.rank, st.id"
        )

    def contradictions(self) -> Iterator[str]:
        """Contradictions all of whose claims are in the selection."""
        return self._records(
            "SELECT c.record FROM contradictions c WHERE NOT EXISTS (SELECT 1 FROM"
            " contradiction_claims k LEFT JOIN temp.sel s ON s.doc = k.doc"
            " WHERE k.contradiction = c.id AND s.doc IS NULL) ORDER BY c.seq"
        )

    def selected_documents(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT doc FROM temp.sel")}

    def outcomes(self) -> Iterator[tuple[str, str, str, str | None, str | None, str | None]]:
        """(key, source, status, doc, reason, language) in input order: every outcome for the
        whole store; for a selection, those pointing at a selected document."""
        if self.selection.everything:
            sql = "SELECT key, source, status, doc, reason, language FROM outcomes ORDER BY seq"
        else:
            sql = (
                "SELECT o.key, o.source, o.status, o.doc, o.reason, o.language FROM outcomes o"
                " JOIN temp.sel s ON s.doc = o.doc ORDER BY o.seq"
            )
        return self._iter(sql)


class PartReader(KnowledgeReader):
    """`KnowledgeReader` plus lookups by a set of documents (a story's, a page's): the ids go into
    a temporary table, so a part may hold any number of documents."""

    def _part(self, ids: Sequence[str]) -> None:
        self.conn.execute("DELETE FROM temp.part")
        self.conn.executemany(
            "INSERT INTO temp.part (doc, ord) VALUES (?, ?) ON CONFLICT (doc) DO NOTHING",
            ((doc, n) for n, doc in enumerate(ids)),
        )

    def briefs(self, ids: Sequence[str]) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
        """(id, title, outlet, published, story) of the selected ones of `ids`, in their order."""
        self._part(ids)
        return self.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.published, m.story FROM temp.part p"
            " JOIN temp.sel s ON s.doc = p.doc JOIN articles a ON a.id = p.doc"
            " LEFT JOIN story_members m ON m.doc = p.doc ORDER BY p.ord"
        ).fetchall()

    def part_documents(self, ids: Sequence[str]) -> Iterator[tuple[str, str]]:
        """(id, payload) of the selected ones of `ids`, in their order."""
        self._part(ids)
        return self._iter(
            "SELECT a.id, a.payload FROM temp.part p JOIN temp.sel s ON s.doc = p.doc"
            " JOIN articles a ON a.id = p.doc ORDER BY p.ord"
        )

    # CROSS JOIN makes SQLite walk the part's documents and probe `mentions` by its primary key:
    # left to choose (the temporary table has no statistics), it scanned every mention of the
    # kind through mentions_kind_label instead, 55 ms a story on the July store.
    def part_mentions(self, kind: str, ids: Sequence[str]) -> list[tuple[str | None, str]]:
        """(entity, record) of one annotation kind in the documents `ids`, by document then offset
        (entity mentions: by document, then entity, then offset, as a story page lists them)."""
        self._part(ids)
        if kind == "entity":
            return self.conn.execute(
                "SELECT m.entity, m.record FROM temp.part p CROSS JOIN mentions m ON m.doc = p.doc AND m.kind = 'entity'"
                ' JOIN entities e ON e.id = m.entity ORDER BY p.ord, e.seq, m.start, m."end"'
            ).fetchall()
        return self.conn.execute(
            "SELECT m.entity, m.record FROM temp.part p CROSS JOIN mentions m ON m.doc = p.doc AND m.kind = ?"
            ' ORDER BY p.ord, m.start, m."end", m.seq',
            (kind,),
        ).fetchall()

    def entity_heads(self, ids: Sequence[str]) -> dict[str, str]:
        """{entity id: record without mentions} for the given entities."""
        found: dict[str, str] = {}
        for chunk in chunks(ids):
            sql = f"SELECT id, record FROM entities WHERE id IN ({param_marks(len(chunk))})"
            found.update(self.conn.execute(sql, chunk).fetchall())
        return found

    def part_records(self, table: str, ids: Sequence[str]) -> list[str]:
        """Records of `table` (events, contradictions, relations, copies) touching the documents
        `ids`, in the table's order, each once."""
        self._part(ids)
        sql = {
            "events": "SELECT e.record FROM events e WHERE e.id IN (SELECT r.event FROM event_reports r"
            " JOIN temp.part p ON p.doc = r.doc) ORDER BY e.seq",
            "contradictions": "SELECT c.record FROM contradictions c WHERE c.id IN (SELECT k.contradiction"
            " FROM contradiction_claims k JOIN temp.part p ON p.doc = k.doc) ORDER BY c.seq",
            "relations": "SELECT r.record FROM relations r WHERE r.a IN (SELECT doc FROM temp.part)"
            " OR r.b IN (SELECT doc FROM temp.part) ORDER BY r.seq",
            "copies": "SELECT c.record FROM copies c WHERE c.doc IN (SELECT doc FROM temp.part)"
            " OR c.source IN (SELECT doc FROM temp.part) ORDER BY c.seq",
        }[table]
        return [row[0] for row in self.conn.execute(sql).fetchall()]

    def entity_outlines(self) -> Iterator[tuple[str, int, int]]:
        """(record without mentions, mentions, documents) of the entities mentioned in the
        selection, most mentioned first."""
        return self._iter(
            "SELECT e.record, count(*) AS n, count(DISTINCT m.doc) FROM entities e"
            " JOIN mentions m ON m.entity = e.id AND m.kind = 'entity' JOIN temp.sel s ON s.doc = m.doc"
            " GROUP BY e.id ORDER BY n DESC, e.id"
        )

    def entity_mention_records(self, entity: str) -> Iterator[str]:
        return self._records(
            "SELECT m.record FROM mentions m JOIN temp.sel s ON s.doc = m.doc"
            " WHERE m.entity = ? AND m.kind = 'entity' ORDER BY s.ord, m.start",
            (entity,),
        )

    def text(self, doc: str) -> str | None:
        row = self.conn.execute(
            "SELECT json_extract(payload, '$.text') FROM articles WHERE id = ?", (doc,)
        ).fetchone()
        return row[0] if row else None

    def sizes(self) -> dict[str, int]:
        """How many stories, entities, copies and duplicate inputs the selection has."""
        one = self.conn.execute

        def count(sql: str) -> int:
            return int(one(sql).fetchone()[0])

        return {
            "stories": count(
                "SELECT count(*) FROM stories st WHERE st.record IS NOT NULL AND EXISTS (SELECT 1 FROM"
                " story_members m JOIN temp.sel s ON s.doc = m.doc WHERE m.story = st.id)"
            ),
            "entities": count(
                "SELECT count(DISTINCT m.entity) FROM mentions m JOIN temp.sel s ON s.doc = m.doc"
                " WHERE m.kind = 'entity' AND m.entity IS NOT NULL"
            ),
            "lineage": count(
                "SELECT count(*) FROM copies c JOIN temp.sel sd ON sd.doc = c.doc JOIN temp.sel ss ON ss.doc = c.source"
            ),
            "duplicates": count(
                "SELECT count(*) FROM outcomes o JOIN temp.sel s ON s.doc = o.doc WHERE o.status = 'duplicate'"
            ),
        }
