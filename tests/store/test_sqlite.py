"""SQLiteStore: round trips, idempotence, accounting, migrations, errors and speed."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from pathlib import Path

import pytest
from _store_samples import TEXT, full_article

from marsad.errors import ConfigError, SchemaError, StoreError
from marsad.model import Article, Provenance, article_to_json, document_id
from marsad.store import STATUSES, Outcome, SQLiteStore, latest_version, open_store


def stored(a: Article, key: str | None = None) -> Outcome:
    return Outcome(key or f"key-{a.id}", a.source, "stored", a.id, None, a.language)


def variant(n: int) -> Article:
    """A distinct fully annotated article: the shared text plus a numbered closing sentence."""
    return full_article(f"{TEXT} الخبر رقم {n}.")


@pytest.fixture
def store(tmp_path: Path):
    with SQLiteStore(tmp_path / "marsad.db") as s:
        yield s


# -- round trips ---------------------------------------------------------------------------


def test_sqlite_round_trip_preserves_every_annotation(store: SQLiteStore, article: Article) -> None:
    store.write_batch([stored(article)], [article], "fp1")
    (back,) = store.get_articles([article.id])
    assert back == article
    assert back.quotes[0].speaker is not None and back.quotes[0].speaker.entity == "e1"
    assert back.events[0].date is not None and back.events[0].date.text == article.events[0].date.text
    assert back.sentences == article.sentences and isinstance(back.sentences[0], tuple)


def test_sqlite_round_trip_survives_reopen(tmp_path: Path, article: Article) -> None:
    with SQLiteStore(tmp_path / "m.db") as s:
        s.write_batch([stored(article)], [article], "fp1")
    with SQLiteStore(tmp_path / "m.db") as s:
        assert s.get_articles([article.id]) == [article]
        assert s.fingerprints([article.id, "absent"]) == {article.id: "fp1"}


def test_sqlite_indexed_columns_mirror_the_payload(store: SQLiteStore, article: Article) -> None:
    store.write_batch([stored(article)], [article], "fp1")
    row = store.conn.execute(
        "SELECT external_id, source, outlet, published, language, title, payload FROM articles WHERE id = ?",
        (article.id,),
    ).fetchone()
    assert row == (
        "item-7",
        "tests/example.html",
        "وكالة المثال",
        "2024-03-12",
        "ar",
        "مساعدات إلى حلب",
        article_to_json(article),
    )


def test_sqlite_get_articles_keeps_the_order_of_ids(store: SQLiteStore) -> None:
    articles = [variant(n) for n in range(5)]
    store.write_batch([stored(a) for a in articles], articles, "fp")
    order = [articles[3].id, articles[0].id, articles[4].id]
    assert [a.id for a in store.get_articles(order)] == order


def test_sqlite_get_articles_names_missing_ids(store: SQLiteStore, article: Article) -> None:
    store.write_batch([stored(article)], [article], "fp")
    with pytest.raises(StoreError, match="not-there"):
        store.get_articles([article.id, "not-there"])


def test_sqlite_lookups_chunk_long_id_lists(store: SQLiteStore) -> None:
    # More ids than one IN list may hold (SQLite's parameter limit): must be split, not fail.
    articles = [variant(n) for n in range(30)]
    store.write_batch([stored(a) for a in articles], articles, "fp")
    ids = [f"absent-{n}" for n in range(2500)] + [a.id for a in articles]
    assert store.existing_documents(ids) == {a.id for a in articles}
    assert len(store.fingerprints(ids)) == 30
    assert len(store.outcomes([f"key-{a.id}" for a in articles] + ids)) == 30


def test_sqlite_iter_articles_streams_in_insertion_order(store: SQLiteStore) -> None:
    articles = [variant(n) for n in range(12)]
    for start in range(0, 12, 5):
        part = articles[start : start + 5]
        store.write_batch([stored(a) for a in part], part, "fp")
    assert [a.id for a in store.iter_articles(batch=4)] == [a.id for a in articles]
    assert [a.id for a in store.iter_articles(batch=12)] == [a.id for a in articles]


# -- accounting and idempotence ------------------------------------------------------------


def mixed_batch() -> tuple[list[Outcome], list[Article]]:
    a, b = variant(1), variant(2)
    outcomes = [
        stored(a, "k1"),
        stored(b, "k2"),
        Outcome("k3", "copy.txt", "duplicate", a.id, f"copy of {a.id}", "ar"),
        Outcome("k4", "english.txt", "filtered", None, "language is en, not one of: ar", "en"),
        Outcome("k5", "empty.txt", "quarantined", None, "the file is empty; nothing to analyse"),
    ]
    return outcomes, [a, b]


def test_sqlite_counts_by_status(store: SQLiteStore) -> None:
    outcomes, articles = mixed_batch()
    store.write_batch(outcomes, articles, "fp")
    counts = store.counts()
    assert counts == {
        "inputs": 5,
        "stored": 2,
        "duplicates": 1,
        "filtered": 1,
        "quarantined": 1,
        "documents": 2,
    }
    assert counts["inputs"] == sum(counts[k] for k in ("stored", "duplicates", "filtered", "quarantined"))


def test_sqlite_write_batch_twice_adds_no_rows(store: SQLiteStore) -> None:
    outcomes, articles = mixed_batch()
    store.write_batch(outcomes, articles, "fp")
    before = store.counts()
    store.write_batch(outcomes, articles, "fp-other")
    assert store.counts() == before
    # The first write wins: a rerun never rewrites what an earlier run recorded.
    assert set(store.fingerprints([a.id for a in articles]).values()) == {"fp"}


def test_sqlite_write_batch_ignores_repeats_inside_one_batch(store: SQLiteStore, article: Article) -> None:
    store.write_batch([stored(article), stored(article)], [article, article], "fp")
    assert store.counts()["inputs"] == 1 and store.counts()["documents"] == 1


def test_sqlite_outcomes_round_trip(store: SQLiteStore) -> None:
    outcomes, articles = mixed_batch()
    store.write_batch(outcomes, articles, "fp")
    assert store.outcomes([o.key for o in outcomes] + ["never-seen"]) == {o.key: o for o in outcomes}
    assert list(store.iter_outcomes()) == outcomes
    assert list(store.iter_outcomes("quarantined")) == [outcomes[4]]
    assert list(store.iter_outcomes("filtered", batch=1)) == [outcomes[3]]


def test_sqlite_quarantine_view_lists_failed_inputs(store: SQLiteStore) -> None:
    outcomes, articles = mixed_batch()
    store.write_batch(outcomes, articles, "fp")
    rows = store.conn.execute("SELECT key, source, reason FROM quarantine").fetchall()
    assert rows == [("k5", "empty.txt", "the file is empty; nothing to analyse")]


def test_sqlite_duplicate_may_point_at_an_earlier_batch(store: SQLiteStore, article: Article) -> None:
    store.write_batch([stored(article, "first")], [article], "fp")
    store.write_batch(
        [Outcome("second", "b.txt", "duplicate", article.id, f"copy of {article.id}")], [], "fp"
    )
    assert store.counts()["duplicates"] == 1


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        (Outcome("k", "a.txt", "kept", None, None), "valid statuses"),
        (Outcome("k", "a.txt", "stored", None, None), "names no document"),
        (Outcome("k", "a.txt", "duplicate", "0123456789abcdef", "copy"), "neither in this batch nor stored"),
    ],
)
def test_sqlite_write_batch_rejects_bad_outcomes_atomically(
    store: SQLiteStore, article: Article, outcome: Outcome, message: str
) -> None:
    with pytest.raises(StoreError, match=message):
        store.write_batch([stored(article), outcome], [article], "fp")
    assert store.counts()["inputs"] == 0 and store.counts()["documents"] == 0


def test_sqlite_iter_outcomes_rejects_unknown_status(store: SQLiteStore) -> None:
    with pytest.raises(StoreError, match="valid statuses"):
        list(store.iter_outcomes("lost"))


def test_sqlite_status_check_holds_in_the_database(store: SQLiteStore) -> None:
    # The CHECK is the last line of defence for writers that bypass write_batch.
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO outcomes (key, seq, source, status) VALUES ('k', 1, 's', 'lost')")
    assert set(STATUSES) == {"stored", "duplicate", "filtered", "quarantined"}


# -- updates -------------------------------------------------------------------------------


def test_sqlite_update_articles_replaces_annotations(store: SQLiteStore, article: Article) -> None:
    store.write_batch([stored(article)], [article], "fp1")
    revised = dataclasses.replace(article, entities=article.entities[:1], events=[])
    store.update_articles([revised], "fp2")
    assert store.get_articles([article.id]) == [revised]
    assert store.fingerprints([article.id]) == {article.id: "fp2"}
    assert store.counts()["documents"] == 1


def test_sqlite_update_articles_refuses_unknown_documents(store: SQLiteStore, article: Article) -> None:
    store.write_batch([stored(article)], [article], "fp1")
    other = variant(9)
    revised = dataclasses.replace(article, events=[])
    with pytest.raises(StoreError, match=other.id):
        store.update_articles([revised, other], "fp2")
    # Nothing of the failed update was written.
    assert store.get_articles([article.id]) == [article]
    assert store.fingerprints([article.id]) == {article.id: "fp1"}


def test_sqlite_corrupt_payload_is_a_schema_error_naming_the_document(
    store: SQLiteStore, article: Article
) -> None:
    store.write_batch([stored(article)], [article], "fp1")
    store.conn.execute(
        "UPDATE articles SET payload = replace(payload, 'marsad.article/1', 'marsad.article/9')"
    )
    with pytest.raises(SchemaError, match=article.id):
        store.get_articles([article.id])


# -- migrations ----------------------------------------------------------------------------


def test_sqlite_fresh_database_is_at_latest_version(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "m.db") as s:
        versions = [r[0] for r in s.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == list(range(1, latest_version() + 1))
        assert s.journal_mode == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_sqlite_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "m.db").close()
    with SQLiteStore(tmp_path / "m.db") as s:
        assert s.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == latest_version()


def test_sqlite_database_from_a_newer_marsad_is_refused(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "m.db").close()
    future = latest_version() + 1
    with sqlite3.connect(tmp_path / "m.db") as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'from_the_future', '2099-01-01')", (future,))
    with pytest.raises(StoreError, match=f"schema version {future}.*newer marsad"):
        SQLiteStore(tmp_path / "m.db")


def test_sqlite_foreign_database_is_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "other.db") as conn:
        conn.execute("CREATE TABLE articles (x)")
    with pytest.raises(StoreError, match="not a marsad store"):
        SQLiteStore(tmp_path / "other.db")


# -- bad paths -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d, "is a directory"),
        (lambda d: d / "missing" / "m.db", "does not exist"),
        (
            lambda d: (d / "junk.db").write_bytes(b"this is not sqlite " * 100) and d / "junk.db",
            "not an SQLite database",
        ),
    ],
    ids=["directory", "missing-folder", "not-a-database"],
)
def test_sqlite_bad_path_is_a_store_error(tmp_path: Path, make, message: str) -> None:
    path = make(tmp_path)
    with pytest.raises(StoreError, match=message) as info:
        SQLiteStore(path)
    assert str(path) in str(info.value) or path.name in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere, so permissions cannot be tested")
def test_sqlite_unwritable_folder_is_a_store_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="permissions"):
            SQLiteStore(folder / "m.db")
    finally:
        folder.chmod(0o700)


def test_sqlite_closed_store_says_so(tmp_path: Path) -> None:
    s = SQLiteStore(tmp_path / "m.db")
    s.close()
    s.close()  # closing twice is harmless
    with pytest.raises(StoreError, match="closed"):
        s.counts()


# -- open_store ----------------------------------------------------------------------------


def test_open_store_uses_config_path_when_none_given(tmp_path: Path) -> None:
    with open_store(None, {"store": {"path": str(tmp_path / "cfg.db")}}) as s:
        assert s.path == str(tmp_path / "cfg.db")
    with open_store(tmp_path / "arg.db", {"store": {"path": str(tmp_path / "cfg.db")}}) as s:
        assert s.path == str(tmp_path / "arg.db")


def test_open_store_without_any_path_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="--db"):
        open_store(None, {"store": {}})


# -- real articles -------------------------------------------------------------------------


def test_sqlite_round_trip_of_seed_texts(store: SQLiteStore, seeds_dir: Path) -> None:
    articles = []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        articles.append(Article(document_id(text), text, Provenance(str(path), "txt"), language="ar"))
    assert articles, f"no .txt seeds in {seeds_dir}"
    store.write_batch([stored(a) for a in articles], articles, "fp")
    assert list(store.iter_articles()) == articles


def test_sqlite_store_implements_the_store_protocol(store: SQLiteStore) -> None:
    from marsad.store import Store

    assert isinstance(store, Store)
    # Every method the protocol names is SQLiteStore's own, not an inherited placeholder.
    names = [n for n in vars(Store) if not n.startswith("_") and callable(getattr(Store, n))]
    assert names and all(getattr(SQLiteStore, n) is not getattr(Store, n) for n in names)
