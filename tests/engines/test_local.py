"""The process pool (`run.workers`) gives the store and report of the serial run, accounts for bad
inputs, and turns a worker that dies into a quarantined input or a clear error, never a hang."""

from __future__ import annotations

import importlib.util
import json
import multiprocessing
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from marsad.api import analyze, ingest_inputs
from marsad.config import load_config
from marsad.engines import LocalEngine, PoolEngine, open_engine
from marsad.engines.docmap import DocumentMap
from marsad.engines.local import WORKER_DIED
from marsad.errors import ConfigError, PipelineError
from marsad.pipeline import BaseComponent, Pipeline, register

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
# Written for these tests; long enough (> ingest.min_letters) to be analysed.
ARABIC = [
    "أعلنت وزارة الصحة في عمّان اليوم افتتاح ثلاثة مستشفيات جديدة في محافظات الجنوب بكلفة {n} مليون دينار.",
    "قال رئيس بلدية صفاقس إن أعمال صيانة الطرق ستبدأ الأسبوع المقبل وتستمر {n} أشهر.",
    "وصل وفد برلماني مغربي إلى نواكشوط أمس في زيارة تستمر {n} أيام لبحث التعاون في مجال الصيد البحري.",
]
ENGLISH = "The city council met on Tuesday to discuss the new budget for public transport and road repairs."
CRASH_MARKER = "انهيار_العامل"  # an article holding this word kills the worker that annotates it


@register("crash_on_marker")
class CrashOnMarker(BaseComponent):
    """A component that dies hard, as a crash in a C extension would: no exception, no cleanup."""

    name = "crash_on_marker"
    requires = ("norm",)

    def __call__(self, article: Any) -> Any:
        if CRASH_MARKER in article.text:
            os._exit(7)
        return article


def _config(**overrides: Any) -> dict[str, Any]:
    return load_config(overrides={k.replace("__", "."): str(v) for k, v in overrides.items()}, environ={})


def store_content(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of a store in insertion order, without the columns that record wall-clock
    times (`*_at` but the `created_at` ordinal), so two runs can be compared row for row."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        content = {}
        for table in tables:
            if table == "schema_migrations":
                continue
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            keep = [c for c in columns if not c.endswith("_at") or c == "created_at"]
            rows = conn.execute(f"SELECT {', '.join(keep)} FROM {table} ORDER BY rowid").fetchall()
            content[table] = rows
    return content


def _without_time(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "generated_at"}


def generated_corpus(folder: Path, n: int) -> Path:
    spec = importlib.util.spec_from_file_location(
        "generate_corpus", REPO / "benchmarks" / "generate_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_corpus(folder, n, "txt")


@pytest.mark.parametrize("corpus", ["examples", "generated"])
def test_pool_gives_the_serial_store_and_report(corpus: str, tmp_path: Path) -> None:
    inputs = EXAMPLES if corpus == "examples" else generated_corpus(tmp_path / "corpus", 60)
    results = {}
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        report = analyze(inputs, out=out, config=_config(run__workers=workers, store__batch_size=7))
        results[workers] = (_without_time(report), store_content(out / "marsad.db"))
    assert results[2][1]["outcomes"], "the run stored nothing to compare"
    assert results[2] == results[1]


def _bad_and_good_inputs(folder: Path) -> Path:
    folder.mkdir()
    for i in range(12):
        (folder / f"a{i:02d}.txt").write_text(ARABIC[i % 3].format(n=i + 2), encoding="utf-8")
    (folder / "copy.txt").write_text(ARABIC[0].format(n=2), encoding="utf-8")  # a duplicate of a00
    (folder / "english.txt").write_text(ENGLISH, encoding="utf-8")  # filtered
    (folder / "empty.txt").write_bytes(b"")  # quarantined by the reader
    (folder / "blank.txt").write_text("   \n\n ", encoding="utf-8")  # quarantined by build_article
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)  # quarantined
    (folder / "page.html").write_text("<html><body><nav>x</nav></body></html>", encoding="utf-8")
    return folder


def test_pool_accounts_for_bad_inputs_like_the_serial_run(tmp_path: Path) -> None:
    folder = _bad_and_good_inputs(tmp_path / "in")
    summaries = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        # The folder twice: every input is counted twice and decided once.
        config = _config(run__workers=workers, store__batch_size=3)
        summaries[workers] = (ingest_inputs([folder, folder], db=db, config=config), store_content(db))
    summary, _ = summaries[2]
    counts = summary["counts"]
    statuses = (counts["stored"], counts["duplicates"], counts["filtered"], counts["quarantined"])
    assert counts["inputs"] == 2 * 18 == sum(statuses)
    assert statuses == (24, 2, 2, 8)
    assert summaries[2] == summaries[1]

    again = ingest_inputs(
        [folder], db=tmp_path / "w2.db", config=_config(run__workers=2, store__batch_size=3)
    )
    assert again["counts"]["inputs"] == 18
    assert store_content(tmp_path / "w2.db") == summaries[2][1], "a rerun changed the store"


def _crash_config(workers: int) -> dict[str, Any]:
    return _config(run__workers=workers, store__batch_size=4,
                   pipeline__stages=json.dumps(["normalize", "segment", "crash_on_marker"]))  # fmt: skip


def test_pool_quarantines_the_input_that_kills_its_worker(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(16):
        text = ARABIC[i % 3].format(n=i + 2) + (f" {CRASH_MARKER}" if i in (5, 11) else "")
        (folder / f"a{i:02d}.txt").write_text(text, encoding="utf-8")
    summary = analyze(folder, db=tmp_path / "pool.db", config=_crash_config(2))
    assert summary["counts"]["stored"] == 14 and summary["counts"]["quarantined"] == 2
    assert sorted(Path(q["source"]).name for q in summary["quarantine"]) == ["a05.txt", "a11.txt"]
    assert all(q["reason"] == WORKER_DIED for q in summary["quarantine"])

    with pytest.raises(PipelineError, match="worker process died"):
        analyze(folder, db=tmp_path / "strict.db", config=_crash_config(2), strict=True)


@register("fails_in_worker")
class FailsInWorker(BaseComponent):
    """Loads in the main process, fails to load in a worker (a model file only one host has)."""

    name = "fails_in_worker"

    def initialize(self, config: dict[str, Any]) -> None:
        if multiprocessing.parent_process() is not None:
            raise RuntimeError("model file missing on this host")

    def __call__(self, article: Any) -> Any:
        return article


def test_pool_reports_a_worker_that_cannot_build_its_pipeline(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(8):
        (folder / f"a{i}.txt").write_text(ARABIC[i % 3].format(n=i + 2), encoding="utf-8")
    config = _config(run__workers=2, store__batch_size=2, pipeline__stages='["normalize", "fails_in_worker"]')
    with pytest.raises(PipelineError, match="could not build the pipeline: model file missing"):
        analyze(folder, db=tmp_path / "x.db", config=config)


def test_pool_refuses_a_component_workers_cannot_import() -> None:
    class Local(BaseComponent):
        name = "local_only"

    register("local_only")(Local)
    with pytest.raises(PipelineError, match="'local_only' cannot be sent to worker processes"):
        PoolEngine(["normalize", "local_only"], _config(), workers=2)


def test_open_engine_maps_a_one_batch_run_in_process() -> None:
    config = _config()
    docmap = DocumentMap(Pipeline(["normalize"], config), config)
    assert isinstance(open_engine(_config(run__workers=2), docmap, small=True), LocalEngine)
    assert isinstance(open_engine(_config(run__workers=1), docmap, small=False), LocalEngine)
    engine = open_engine(_config(run__workers=2), docmap, small=False)
    assert isinstance(engine, PoolEngine)
    engine.close()


def test_run_section_is_validated() -> None:
    with pytest.raises(ConfigError, match=r"run\.workers = -1 is out of range; allowed: 0\.\."):
        _config(run__workers=-1)
    with pytest.raises(ConfigError, match=r"run\.engine = 'spark' is not allowed; allowed: local, ray"):
        _config(run__engine="spark")


def test_pool_that_broke_before_a_submit_is_restarted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker can die between two submits; the next submit then finds the pool broken and
    must start a fresh one rather than fail the run."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    class BrokenPool:
        def submit(self, *args: Any) -> Future[Any]:
            raise BrokenProcessPool("a child process terminated abruptly")

        def shutdown(self, **kwargs: Any) -> None:
            pass

    class FreshPool(BrokenPool):
        def submit(self, fn: Any, raws: Any) -> Future[Any]:
            future: Future[Any] = Future()
            future.set_result([f"mapped {raw}" for raw in raws])
            return future

    engine = PoolEngine(["normalize"], _config(), workers=2)
    engine._pool = BrokenPool()  # type: ignore[assignment]
    monkeypatch.setattr(engine, "_start", lambda: setattr(engine, "_pool", FreshPool()))
    _, raws, future = engine._submit(["a", "b"])
    assert future.result() == ["mapped a", "mapped b"] and raws == ["a", "b"]
