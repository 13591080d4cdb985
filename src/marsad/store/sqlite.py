"""The default store: one SQLite file holding articles, per-input outcomes and the schema version.

Design points:

- **One transaction per batch.** `write_batch` inserts a batch's articles and the outcomes of the
  inputs that produced them in a single `BEGIN IMMEDIATE … COMMIT`, so a killed run leaves every
  batch either complete or absent, and a rerun that skips known keys resumes exactly where the last
  committed batch ended.
- **Idempotent writes.** Articles conflict on `id`, outcomes on `key`; a conflicting row is skipped
  (`ON CONFLICT … DO NOTHING`, which, unlike `INSERT OR IGNORE`, still fails loudly on any other
  constraint such as an unknown status).
- **WAL with `synchronous=NORMAL`.** A committed batch survives the process being killed; only a
  power loss may lose the last few commits, never corrupt the file. Readers do not block the writer.
- **Migrations** are the numbered `migrations/NNNN_name.sql` files, applied in order inside one
  write transaction on open; a database made by a newer marsad is refused rather than guessed at.
- **Streaming reads** page by the insertion ordinal (keyset pagination) instead of holding a cursor
  open across `yield`, so a slow consumer never pins an old snapshot or blocks checkpoints.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

from marsad.errors import ConfigError, SchemaError, StoreError
from marsad.model import Article, article_from_json, article_to_json
from marsad.store.knowledge import KnowledgeTables
from marsad.store.outcome import COUNT_KEYS, STATUSES, WITH_DOCUMENT, Outcome
from marsad.store.sql import chunks, param_marks

MEMORY = ":memory:"

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_BOOTSTRAP = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY NOT NULL,
    name       TEXT    NOT NULL,
    applied_at TEXT    NOT NULL
)
"""

_INSERT_ARTICLE = (
    "INSERT INTO articles (id, created_at, external_id, source, outlet, published, language, title,"
    " stored_at, fingerprint, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO NOTHING"
)
_INSERT_OUTCOME = (
    "INSERT INTO outcomes (key, seq, source, status, doc, reason, language) VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (key) DO NOTHING"
)
_UPDATE_ARTICLE = (
    "UPDATE articles SET external_id = ?, source = ?, outlet = ?, published = ?, language = ?,"
    " title = ?, stored_at = ?, fingerprint = ?, payload = ? WHERE id = ?"
)
# A document's compact features, replaced whenever its annotations are (store/knowledge.py).
_UPSERT_FEATURES = (
    "INSERT INTO doc_features (doc, version, data) VALUES (?, ?, ?)"
    " ON CONFLICT (doc) DO UPDATE SET version = excluded.version, data = excluded.data"
)
_OUTCOME_COLUMNS = "key, source, status, doc, reason, language"


@cache
def migrations() -> tuple[tuple[int, str, str], ...]:
    """The shipped migrations as (version, name, sql), checked to be numbered 1, 2, 3 … without gaps."""
    folder = resources.files("marsad.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(found) + 1)):
        # A packaging mistake, not a user error: say what is there so the fix is obvious.
        raise StoreError(f"marsad's store migrations are not numbered 1..N without gaps: {versions}")
    return tuple(found)


def latest_version() -> int:
    return len(migrations())


def _statements(sql: str) -> Iterator[str]:
    """Split a migration into statements with SQLite's own tokenizer (`complete_statement`).

    `executescript` cannot be used: it commits any open transaction first, and a migration must
    run in the same transaction as the version check, or two processes opening a fresh database
    at once would both apply it.
    """
    buf: list[str] = []
    for line in sql.splitlines(keepends=True):
        buf.append(line)
        joined = "".join(buf)
        if sqlite3.complete_statement(joined):
            yield joined
            buf = []
    rest = "\n".join(
        ln for ln in "".join(buf).splitlines() if ln.strip() and not ln.lstrip().startswith("--")
    )
    if rest.strip():
        raise StoreError(f"store migration ends with an incomplete statement: {rest.strip()[:80]!r}")


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _article_columns(a: Article, now: str, fingerprint: str) -> tuple[Any, ...]:
    """The stored columns of an article after its id, in the order of _INSERT_ARTICLE (without
    created_at) and of _UPDATE_ARTICLE's SET list."""
    return (a.external_id, a.source, a.outlet, a.published, a.language, a.title, now, fingerprint,
            article_to_json(a))  # fmt: skip


class SQLiteStore(KnowledgeTables):
    """Articles, per-input outcomes and the knowledge tables in one SQLite file (or `":memory:"`)."""

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.path = str(path) if str(path) == MEMORY else str(Path(path).expanduser())
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None
        if self.path != MEMORY:
            self._check_path(Path(self.path))
        try:
            # isolation_level=None: transactions are begun and ended explicitly below, so the
            # sqlite3 module never opens or commits one behind our back.
            conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreError(
                f"cannot open the database {self.path}: {err}; check the path and its permissions"
            ) from err
        try:
            self._configure(conn)
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    # -- opening -------------------------------------------------------------------------------

    @staticmethod
    def _check_path(path: Path) -> None:
        """Refuse the common mistakes with a message naming the path and the fix, before SQLite
        turns them into its generic "unable to open database file"."""
        if path.is_dir():
            raise StoreError(
                f"database path {path} is a directory; give a file path such as {path / 'marsad.db'}"
            )
        parent = path.parent
        if not parent.is_dir():
            raise StoreError(
                f"cannot create the database {path}: directory {parent} does not exist; create it first"
            )
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(
                f"database {path} is not readable and writable by this user; fix its permissions "
                "or choose another path"
            )
        # WAL keeps -wal and -shm files beside the database, so the folder must be writable too.
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StoreError(
                f"cannot write in {parent}, the folder of the database {path.name}; SQLite needs to create "
                "files there: fix its permissions or choose another path"
            )

    def _configure(self, conn: sqlite3.Connection) -> None:
        try:
            row = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        except sqlite3.DatabaseError as err:
            if "not a database" in str(err):
                raise StoreError(
                    f"{self.path} is not an SQLite database ({err}); choose another path: marsad will "
                    "not overwrite it"
                ) from err
            raise StoreError(f"cannot open the database {self.path}: {err}") from err
        # An in-memory database reports "memory"; a file on a filesystem without shared memory
        # (some network mounts) stays in its old mode, which is slower but still correct.
        self.journal_mode = str(row[0]).lower() if row else "unknown"

    def _migrate(self, conn: sqlite3.Connection) -> None:
        known = migrations()
        try:
            # IMMEDIATE takes the write lock before reading the version, so two processes opening
            # the same fresh file apply each migration once, one after the other.
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise StoreError(self._describe("open", err)) from err
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "schema_migrations" not in tables:
                raise StoreError(
                    f"{self.path} is an SQLite database but not a marsad store (it has tables "
                    f"{', '.join(sorted(tables)[:5])}); choose another path"
                )
            conn.execute(_BOOTSTRAP)
            current = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
            if current > len(known):
                raise StoreError(
                    f"database {self.path} has schema version {current}, made by a newer marsad; this "
                    f"marsad knows versions up to {len(known)}: upgrade marsad to read it"
                )
            now = _utc_now()
            for version, name, sql in known[current:]:
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, now),
                )
            conn.execute("COMMIT")
        except BaseException as err:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise StoreError(self._describe("migrate", err)) from err
            raise
        self.version = len(known)

    # -- helpers -------------------------------------------------------------------------------

    def _describe(self, doing: str, err: sqlite3.Error) -> str:
        text = str(err)
        if "locked" in text or "busy" in text:
            return (
                f"cannot {doing} the database {self.path}: another process held it locked for more than "
                f"{self.timeout:g} s; wait for it to finish or use another database"
            )
        if "not a database" in text:
            return f"cannot {doing} {self.path}: it is not an SQLite database; choose another path"
        if "readonly" in text or "read-only" in text:
            return f"cannot {doing} the database {self.path}: it is read-only; fix its permissions"
        if "disk" in text and "full" in text:
            return f"cannot {doing} the database {self.path}: the disk is full; free space and rerun"
        return f"cannot {doing} the database {self.path}: {text}"

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the store {self.path} is closed; open it again to use it")
        return self._conn

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise StoreError(self._describe("read", err)) from err

    @contextmanager
    def _transaction(self, doing: str) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise StoreError(self._describe(doing, err)) from err
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as err:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error as rollback_err:
                    # SQLite rolls back by itself after some errors (disk full, I/O); keep the first
                    # error as the one reported and note the second.
                    err.add_note(f"rollback also failed: {rollback_err}")
            if isinstance(err, sqlite3.Error):
                raise StoreError(self._describe(doing, err)) from err
            raise

    def _load(self, doc: str, payload: str) -> Article:
        try:
            return article_from_json(payload)
        except json.JSONDecodeError as err:
            raise SchemaError(f"{self.path}: stored document {doc} is not valid JSON ({err})") from err
        except SchemaError as err:
            raise SchemaError(f"{self.path}: stored document {doc}: {err}") from err

    # -- writing -------------------------------------------------------------------------------

    @staticmethod
    def _check_outcomes(outcomes: Sequence[Outcome]) -> None:
        for o in outcomes:
            if o.status not in STATUSES:
                raise StoreError(
                    f"outcome for {o.source} has status {o.status!r}; valid statuses: {', '.join(STATUSES)}"
                )
            if o.status in WITH_DOCUMENT and not o.doc:
                raise StoreError(f"outcome for {o.source} is {o.status!r} but names no document")

    def write_batch(
        self, outcomes: Sequence[Outcome], articles: Sequence[Article], fingerprint: str,
        *, features: Sequence[tuple[str, int, bytes]] = (),
    ) -> None:  # fmt: skip
        """Insert a batch's articles and outcomes in ONE transaction; rows already present are kept.

        Every `doc` an outcome names must be among `articles` or already stored, so the store never
        holds an outcome pointing at nothing; otherwise nothing of the batch is written.
        `features` are (doc, version, data) compact signatures of these articles, written with them.
        """
        self._check_outcomes(outcomes)
        now = _utc_now()
        # Serialise before taking the write lock: JSON encoding is most of the cost of a batch.
        article_rows = [(a.id, *_article_columns(a, now, fingerprint)) for a in articles]
        in_batch = {a.id for a in articles}
        elsewhere = _unique([o.doc for o in outcomes if o.doc is not None and o.doc not in in_batch])
        with self._transaction("write to") as conn:
            if elsewhere:
                missing = sorted(set(elsewhere) - self._present(conn, elsewhere))
                if missing:
                    raise StoreError(
                        f"outcomes name documents that are neither in this batch nor stored in {self.path}: "
                        f"{', '.join(missing[:5])}; write the article in the same batch as its outcome"
                    )
            base = conn.execute("SELECT coalesce(max(created_at), 0) FROM articles").fetchone()[0]
            conn.executemany(
                _INSERT_ARTICLE, [(row[0], base + i, *row[1:]) for i, row in enumerate(article_rows, 1)]
            )
            base = conn.execute("SELECT coalesce(max(seq), 0) FROM outcomes").fetchone()[0]
            conn.executemany(
                _INSERT_OUTCOME,
                [
                    (o.key, base + i, o.source, o.status, o.doc, o.reason, o.language)
                    for i, o in enumerate(outcomes, 1)
                ],
            )
            conn.executemany(_UPSERT_FEATURES, features)

    def update_articles(
        self,
        articles: Sequence[Article],
        fingerprint: str,
        *,
        features: Sequence[tuple[str, int, bytes]] = (),
    ) -> None:
        """Replace stored payloads (and their indexed columns) after re-analysis, in one transaction.

        Every article must already be stored: an update that matches nothing is a caller's mistake
        (it would silently lose the new annotations), so it fails and writes nothing.
        """
        now = _utc_now()
        rows = [(*_article_columns(a, now, fingerprint), a.id) for a in articles]
        with self._transaction("update") as conn:
            cursor = conn.executemany(_UPDATE_ARTICLE, rows)
            if cursor.rowcount != len(rows):
                ids = _unique([a.id for a in articles])
                missing = sorted(set(ids) - self._present(conn, ids))
                raise StoreError(
                    f"cannot update documents that are not stored in {self.path}: {', '.join(missing[:5])}"
                    f"{' …' if len(missing) > 5 else ''}; store them with write_batch first"
                )
            conn.executemany(_UPSERT_FEATURES, features)

    # -- reading -------------------------------------------------------------------------------

    @staticmethod
    def _present(conn: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(ids):
            sql = f"SELECT id FROM articles WHERE id IN ({param_marks(len(chunk))})"
            found.update(r[0] for r in conn.execute(sql, chunk))
        return found

    def outcomes(self, keys: Sequence[str]) -> dict[str, Outcome]:
        """The recorded outcome of each key that has one (keys never seen are absent)."""
        found: dict[str, Outcome] = {}
        for chunk in chunks(_unique(keys)):
            sql = f"SELECT {_OUTCOME_COLUMNS} FROM outcomes WHERE key IN ({param_marks(len(chunk))})"
            for row in self._rows(sql, chunk):
                found[row[0]] = Outcome(*row)
        return found

    def existing_documents(self, ids: Sequence[str]) -> set[str]:
        try:
            return self._present(self.conn, _unique(ids))
        except sqlite3.Error as err:
            raise StoreError(self._describe("read", err)) from err

    def fingerprints(self, ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in chunks(_unique(ids)):
            sql = f"SELECT id, fingerprint FROM articles WHERE id IN ({param_marks(len(chunk))})"
            found.update(self._rows(sql, chunk))
        return found

    def get_articles(self, ids: Sequence[str]) -> list[Article]:
        """The stored articles, in the order of `ids`; an id that is not stored is an error."""
        payloads: dict[str, str] = {}
        for chunk in chunks(_unique(ids)):
            sql = f"SELECT id, payload FROM articles WHERE id IN ({param_marks(len(chunk))})"
            payloads.update(self._rows(sql, chunk))
        missing = [i for i in _unique(ids) if i not in payloads]
        if missing:
            raise StoreError(
                f"documents not stored in {self.path}: {', '.join(missing[:5])}"
                f"{' …' if len(missing) > 5 else ''}; check the ids with existing_documents()"
            )
        loaded = {doc: self._load(doc, payload) for doc, payload in payloads.items()}
        return [loaded[i] for i in ids]

    def document_ids(self) -> list[str]:
        """Every stored document id, in insertion order."""
        return [row[0] for row in self._rows("SELECT id FROM articles ORDER BY created_at")]

    def iter_articles(self, *, batch: int = 500) -> Iterator[Article]:
        """Every stored article in insertion order, `batch` rows per query, so memory stays flat."""
        if batch < 1:
            raise StoreError(f"iter_articles needs batch >= 1, not {batch}")
        last = 0
        while True:
            rows = self._rows(
                "SELECT created_at, id, payload FROM articles WHERE created_at > ? ORDER BY created_at LIMIT ?",
                (last, batch),
            )
            for _, doc, payload in rows:
                yield self._load(doc, payload)
            if len(rows) < batch:
                return
            last = rows[-1][0]

    def iter_outcomes(self, status: str | None = None, *, batch: int = 1000) -> Iterator[Outcome]:
        """Every recorded outcome (or those with `status`) in insertion order."""
        if status is not None and status not in STATUSES:
            raise StoreError(f"unknown outcome status {status!r}; valid statuses: {', '.join(STATUSES)}")
        where = "" if status is None else "status = ? AND "
        sql = f"SELECT seq, {_OUTCOME_COLUMNS} FROM outcomes WHERE {where}seq > ? ORDER BY seq LIMIT ?"
        last = 0
        while True:
            params: tuple[Any, ...] = (last, batch) if status is None else (status, last, batch)
            rows = self._rows(sql, params)
            for row in rows:
                yield Outcome(*row[1:])
            if len(rows) < batch:
                return
            last = rows[-1][0]

    def counts(self) -> dict[str, int]:
        """{inputs, stored, duplicates, filtered, quarantined, documents}; inputs is the sum of the
        four outcome counts by construction (each input has exactly one outcome row)."""
        result = dict.fromkeys(("inputs", *COUNT_KEYS.values(), "documents"), 0)
        for status, n in self._rows("SELECT status, count(*) FROM outcomes GROUP BY status"):
            result[COUNT_KEYS[status]] = n
            result["inputs"] += n
        result["documents"] = self._rows("SELECT count(*) FROM articles")[0][0]
        return result

    # -- stories (migration 0002) ---------------------------------------------------------------

    def story_members(self, docs: Sequence[str]) -> dict[str, str]:
        """{doc: story id} for each of `docs` that already belongs to a stored story."""
        found: dict[str, str] = {}
        for chunk in chunks(_unique(docs)):
            sql = f"SELECT doc, story FROM story_members WHERE doc IN ({param_marks(len(chunk))})"
            found.update(self._rows(sql, chunk))
        return found

    def load_stories(
        self, ids: Sequence[str] | None = None, *, since_day: str | None = None
    ) -> list[dict[str, Any]]:
        """Stored story rows as dicts (state parsed), in creation order.

        `ids` picks stories by id; otherwise every story whose `last_day` is on or after
        `since_day` (YYYY-MM-DD), plus the undated ones, or every story when `since_day` is None.
        """
        cols = "id, seq, first_doc, title, first_seen, last_seen, last_day, size, state"
        rows: list[Any] = []
        if ids is not None:
            for chunk in chunks(_unique(ids)):
                rows += self._rows(
                    f"SELECT {cols} FROM stories WHERE id IN ({param_marks(len(chunk))})", chunk
                )
        elif since_day is None:
            rows = self._rows(f"SELECT {cols} FROM stories")
        else:
            rows = self._rows(
                f"SELECT {cols} FROM stories WHERE last_day IS NULL OR last_day >= ?", (since_day,)
            )
        out = []
        for sid, seq, first_doc, title, first_seen, last_seen, last_day, size, state in rows:
            try:
                parsed = json.loads(state)
            except json.JSONDecodeError as err:
                raise SchemaError(f"{self.path}: stored story {sid} has a broken state ({err})") from err
            out.append(
                {
                    "id": sid,
                    "seq": seq,
                    "first_doc": first_doc,
                    "title": title,
                    "first_seen": first_seen,
                    "last_seen": last_seen,
                    "last_day": last_day,
                    "size": size,
                    "state": parsed,
                }
            )
        out.sort(key=lambda r: r["seq"])
        return out

    def story_documents(self, ids: Sequence[str]) -> dict[str, list[str]]:
        """{story id: member documents in join order} for the given stories."""
        found: dict[str, list[str]] = {i: [] for i in _unique(ids)}
        for chunk in chunks(list(found)):
            sql = (
                f"SELECT story, doc FROM story_members WHERE story IN ({param_marks(len(chunk))})"
                " ORDER BY seq"
            )
            for story, doc in self._rows(sql, chunk):
                found[story].append(doc)
        return found

    def save_stories(
        self, stories: Sequence[dict[str, Any]], members: Sequence[tuple[str, str, float, str]]
    ) -> None:
        """Insert or update story rows and add (doc, story, score, reason) memberships, in ONE
        transaction. A story row is {id, first_doc, title, first_seen, last_seen, last_day, size,
        state}; a new story gets the next creation ordinal. A membership already stored is kept
        as it is (a document never moves), so saving the same run twice changes nothing."""
        now = _utc_now()
        with self._transaction("save stories to") as conn:
            base = conn.execute("SELECT coalesce(max(seq), 0) FROM stories").fetchone()[0]
            known: set[str] = set()
            ids = [s["id"] for s in stories]
            for chunk in chunks(_unique(ids)):
                sql = f"SELECT id FROM stories WHERE id IN ({param_marks(len(chunk))})"
                known.update(r[0] for r in conn.execute(sql, chunk))
            new_rows, updates = [], []
            for s in stories:
                state = json.dumps(s["state"], ensure_ascii=False, sort_keys=True)
                fields = (s["title"], s["first_seen"], s["last_seen"], s["last_day"], s["size"], state, now)
                if s["id"] in known:
                    updates.append((*fields, s["id"]))
                else:
                    base += 1
                    known.add(s["id"])
                    new_rows.append((s["id"], base, s["first_doc"], *fields))
            conn.executemany(
                "INSERT INTO stories (id, seq, first_doc, title, first_seen, last_seen, last_day, size,"
                " state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new_rows,
            )
            conn.executemany(
                "UPDATE stories SET title = ?, first_seen = ?, last_seen = ?, last_day = ?, size = ?,"
                " state = ?, updated_at = ? WHERE id = ?",
                updates,
            )
            base = conn.execute("SELECT coalesce(max(seq), 0) FROM story_members").fetchone()[0]
            conn.executemany(
                "INSERT INTO story_members (doc, story, seq, score, reason) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (doc) DO NOTHING",
                [
                    (doc, story, base + i, score, reason)
                    for i, (doc, story, score, reason) in enumerate(members, 1)
                ],
            )

    # -- lifetime ------------------------------------------------------------------------------

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.close()
            except sqlite3.Error as err:
                raise StoreError(self._describe("close", err)) from err

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"


def open_store(path: str | Path | None, config: dict[str, Any]) -> SQLiteStore:
    """The store at `path`, or at `config["store"]["path"]` when no path is given (`--db` absent)."""
    if path is None:
        path = config.get("store", {}).get("path")
        if not path:
            raise ConfigError("no database path: pass --db PATH or set store.path in the configuration")
    return SQLiteStore(path)
