"""The store as a cumulative knowledge base: batches add up, ids stay, selections cut cleanly,
path spellings are one input, and an older store is carried forward."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

import marsad
from marsad.api import report as write_store_report
from marsad.config import load_config
from marsad.report import check_report_offsets, validate_report
from marsad.store import SQLiteStore, latest_version

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _config() -> dict:
    return load_config(environ={})


def _batches(examples_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The example articles split in two folders by name, each with the metadata sidecar."""
    first, second = tmp_path / "b1", tmp_path / "b2"
    for folder in (first, second):
        folder.mkdir()
        shutil.copy(examples_dir / "articles" / "metadata.jsonl", folder)
    for path in sorted((examples_dir / "articles").glob("*.txt")):
        shutil.copy(path, first if path.name < "07" else second)
    return first, second


def _story_sets(report: dict) -> dict[str, set[str]]:
    return {s["id"]: set(s["documents"]) for s in report["stories"]}


def test_second_batch_reports_both_with_stable_story_ids(examples_dir, tmp_path):
    first, second = _batches(examples_dir, tmp_path)
    db = tmp_path / "kb.db"
    one = marsad.analyze(first, db=db, config=_config())
    two = marsad.analyze(second, db=db, config=_config())
    validate_report(two)
    check_report_offsets(two)
    # The report covers the whole store; `run` is this batch alone.
    assert two["counts"]["stored"] == one["counts"]["stored"] + two["run"]["stored"]
    assert {d["id"] for d in one["documents"]} < {d["id"] for d in two["documents"]}
    # Every story of the first batch is still there under its id, with all its documents.
    later = _story_sets(two)
    for sid, docs in _story_sets(one).items():
        assert sid in later and docs <= later[sid]
    # Events of the first batch keep their ids (an event's id is its earliest report's).
    assert {e["id"] for e in one["events"]} <= {e["id"] for e in two["events"]}


def test_batches_give_the_documents_and_entities_of_one_run(examples_dir, tmp_path):
    first, second = _batches(examples_dir, tmp_path)
    db = tmp_path / "kb.db"
    marsad.analyze(first, db=db, config=_config())
    both = marsad.analyze(second, db=db, config=_config())
    once = marsad.analyze(examples_dir / "articles", db=tmp_path / "once.db", config=_config())
    assert {d["id"] for d in both["documents"]} == {d["id"] for d in once["documents"]}
    assert {e["id"] for e in both["entities"]} == {e["id"] for e in once["entities"]}
    assert {r["id"] for r in both["events"]} == {r["id"] for r in once["events"]}


def test_path_spelling_does_not_make_a_new_input(examples_dir, tmp_path, monkeypatch):
    folder = tmp_path / "news"
    shutil.copytree(examples_dir / "articles", folder)
    db = tmp_path / "kb.db"
    first = marsad.analyze(folder, db=db, config=_config())
    monkeypatch.chdir(tmp_path)
    again = marsad.analyze(["./news/../news", os.path.abspath("news")], db=db, config=_config())
    assert again["counts"] == first["counts"]  # nothing added to the store
    assert again["run"]["inputs"] == 2 * first["run"]["inputs"]  # both spellings counted in this run
    assert again["run"]["stored"] == again["run"]["inputs"]  # ... as the stored inputs they are


def test_selection_reports_only_its_documents(examples_dir, tmp_path):
    db = tmp_path / "kb.db"
    full = marsad.analyze(examples_dir / "articles", db=db, config=_config())
    story = full["stories"][0]
    out = tmp_path / "story"
    write_store_report(db=db, out=out, config=_config(), story=story["id"])
    picked = json.loads((out / "report.json").read_text(encoding="utf-8"))
    validate_report(picked)
    check_report_offsets(picked)  # nothing points outside the selected documents
    assert {d["id"] for d in picked["documents"]} == set(story["documents"])
    assert [s["id"] for s in picked["stories"]] == [story["id"]]
    outlet = full["documents"][0]["outlet"]
    out = tmp_path / "outlet"
    write_store_report(db=db, out=out, config=_config(), outlet=outlet)
    picked = json.loads((out / "report.json").read_text(encoding="utf-8"))
    check_report_offsets(picked)
    assert picked["documents"] and {d["outlet"] for d in picked["documents"]} == {outlet}
    day = sorted(d["published"] for d in full["documents"] if d["published"])[-1][:10]
    out = tmp_path / "since"
    write_store_report(db=db, out=out, config=_config(), since=day)
    picked = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert picked["documents"] and all(d["published"] >= day for d in picked["documents"])


def test_streamed_report_equals_the_collected_one(examples_dir, tmp_path):
    collected = marsad.analyze(examples_dir / "articles", out=tmp_path, config=_config())
    on_disk = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert on_disk == collected


def test_knowledge_tables_hold_every_annotation_with_offsets(examples_dir, tmp_path):
    db = tmp_path / "kb.db"
    report = marsad.analyze(examples_dir / "articles", db=db, config=_config())
    with sqlite3.connect(db) as conn:
        kinds = dict(conn.execute("SELECT kind, count(*) FROM mentions GROUP BY kind").fetchall())
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        linked = conn.execute(
            "SELECT count(*) FROM mentions WHERE kind = 'entity' AND entity IS NULL"
        ).fetchone()[0]
    assert kinds["time"] == len(report["times"]) and kinds["quote"] == len(report["quotes"])
    assert kinds["entity"] == sum(len(e["mentions"]) for e in report["entities"])
    assert events == len(report["events"]) and linked == 0


def _version_two_store(path: Path) -> None:
    """A store as marsad 0.2 left it: migrations 0001 and 0002 only."""
    folder = resources.files("marsad.store").joinpath("migrations")
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL)")  # fmt: skip
        for version, name in ((1, "initial"), (2, "stories")):
            conn.executescript(folder.joinpath(f"{version:04d}_{name}.sql").read_text(encoding="utf-8"))
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (version, name))


def test_a_version_two_store_is_carried_forward(examples_dir, tmp_path):
    db = tmp_path / "old.db"
    _version_two_store(db)
    with SQLiteStore(db) as store:
        assert store.version == latest_version() >= 3
    report = marsad.analyze(examples_dir / "articles", db=db, config=_config())
    assert report["counts"]["stored"] == 13 and report["events"]


def test_map_stores_features_and_the_stage_gives_the_same_knowledge_from_them(examples_dir, tmp_path):
    from marsad.api import update_knowledge
    from marsad.corpus.similarity import FEATURES_VERSION
    from marsad.report.knowledge import collect_report, store_report

    db = tmp_path / "kb.db"
    marsad.analyze(examples_dir / "articles", db=db, config=_config())
    with SQLiteStore(db) as store:
        ids = store.document_ids()
        assert set(store.features(ids, FEATURES_VERSION)) == set(ids)  # every document, from the map
        from_map = collect_report(store_report(store, generated_at="T"))
        store.conn.execute("DELETE FROM doc_features")  # as a 0.2 store: the stage computes them
        update_knowledge(store, _config())
        assert collect_report(store_report(store, generated_at="T")) == from_map
