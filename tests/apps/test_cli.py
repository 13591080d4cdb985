"""The `marsad` command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _outcome_rows(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM outcomes").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # the table does not exist yet (migration in progress) or the db is locked


def _db_counts(db: Path) -> tuple[int, int, dict[str, int]]:
    with sqlite3.connect(db) as conn:
        outcomes = conn.execute("SELECT count(*) FROM outcomes").fetchone()[0]
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        by_status = dict(conn.execute("SELECT status, count(*) FROM outcomes GROUP BY status").fetchall())
    return outcomes, articles, by_status


def _without_time(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "generated_at"}


def test_cli_analyze_seeds_writes_valid_report(seeds_dir, tmp_path, run_cli):
    seeds = seeds_dir
    out = tmp_path / "out"
    result = run_cli("analyze", str(seeds), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip()
        == f"5 inputs: 5 stored, 0 duplicates, 0 filtered, 0 quarantined; the store now holds 5 inputs"
        f" -> {out / 'report.json'}"
    )
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["documents"]) == 5
    valid = run_cli("validate", str(out / "report.json"), cwd=tmp_path)
    assert valid.returncode == 0, valid.stderr

    before = _db_counts(out / "marsad.db")
    again = run_cli("analyze", str(seeds), "--out", str(out), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    second = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert _without_time(second) == _without_time(report)
    assert _db_counts(out / "marsad.db") == before


def test_cli_ingest_then_stats_and_export(seeds_dir, tmp_path, run_cli):
    seeds = seeds_dir
    db = tmp_path / "m.db"
    assert run_cli("ingest", str(seeds), "--db", str(db), cwd=tmp_path).returncode == 0
    stats = run_cli("stats", "--db", str(db), "--json", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    counts = json.loads(stats.stdout)
    assert counts["stored"] == counts["documents"] == 5
    assert counts["languages"] == {"ar": 5}
    assert counts["knowledge"]["events"] == 0  # ingest stores documents; analyze adds knowledge
    assert (
        run_cli("analyze", str(seeds), "--out", str(tmp_path / "o"), "--db", str(db), cwd=tmp_path).returncode
        == 0
    )
    knowledge = json.loads(run_cli("stats", "--db", str(db), "--json", cwd=tmp_path).stdout)["knowledge"]
    assert knowledge["events"] > 0 and knowledge["stories"] > 0 and knowledge["mentions"] > 0
    table = run_cli("stats", "--db", str(db), cwd=tmp_path)
    assert "languages.ar" in table.stdout
    export = run_cli("export", "--db", str(db), cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    lines = export.stdout.splitlines()
    assert len(lines) == 5
    assert all(json.loads(line)["schema"] == "marsad.article/1" for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "x.txt", "--db", "no/such/dir/m.db"], "does not exist"),
        (["--set", "store.nonsense=3", "config", "show"], "unknown configuration key"),
        (["config", "show", "--set", "no_equals_sign"], "KEY=VALUE"),
        (["stats", "--db", "missing.db"], "no marsad database"),
        (["validate", "missing.json"], "does not exist"),
    ],
)
def test_cli_error_is_one_line_exit_1(tmp_path, run_cli, arabic_article, args, message):
    (tmp_path / "x.txt").write_text(arabic_article(1), encoding="utf-8")
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("marsad: error: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_cli_debug_shows_traceback(tmp_path, run_cli):
    result = run_cli("--debug", "--set", "store.nonsense=3", "config", "show", cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "ConfigError" in result.stderr


def test_cli_usage_error_exit_2(tmp_path, run_cli):
    assert run_cli("analyze", "x.txt", cwd=tmp_path).returncode == 2  # --out is required


def test_cli_validate_rejects_broken_report(tmp_path, run_cli):
    bad = tmp_path / "report.json"
    bad.write_text(json.dumps({"schema": "marsad.report/1"}), encoding="utf-8")
    result = run_cli("validate", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert "does not match" in result.stderr


def test_cli_config_show_json_round_trips_override(tmp_path, run_cli):
    result = run_cli("config", "show", "--json", "--set", "store.batch_size=7", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["store"]["batch_size"] == 7
    toml = run_cli("config", "show", cwd=tmp_path)
    assert "[store]" in toml.stdout and "batch_size = 200" in toml.stdout


def _descendants(pid: int) -> set[int]:
    """Processes below `pid` (Linux /proc), to check that a killed run's workers do not linger."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended while we looked
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists()}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_kill_and_resume_accounts_every_input_once(tmp_path, run_cli, arabic_article, workers):
    n = 3000
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(n):
        (corpus / f"a{i:05d}.txt").write_text(arabic_article(i), encoding="utf-8")
    db = tmp_path / "killed.db"
    options = ["--db", str(db), "--set", "store.batch_size=50", "--workers", workers]
    args = [sys.executable, "-m", "marsad.apps.cli", "ingest", str(corpus), *options]
    proc = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _outcome_rows(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    pool = _descendants(proc.pid) if Path("/proc/self/stat").exists() else set()
    assert pool or workers == "1" or not Path("/proc/self/stat").exists(), "no worker processes to check"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = _outcome_rows(db)
    assert killed_at > 0, proc.stderr.read() if proc.stderr else ""
    # The pool's processes exit with the run they served (their parent watch), not linger.
    deadline = time.monotonic() + 30
    while _alive(pool) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pool), f"workers outlived the killed run: {sorted(_alive(pool))}"
    if killed_at == n:
        pytest.skip("the run finished before it could be killed; nothing to resume")

    resumed = run_cli("ingest", str(corpus), *options, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.startswith(f"{n} inputs: {n} stored, 0 duplicates, 0 filtered, 0 quarantined")

    fresh = tmp_path / "fresh.db"
    clean = run_cli("ingest", str(corpus), "--db", str(fresh), cwd=tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert _db_counts(db) == _db_counts(fresh) == (n, n, {"stored": n})


def test_cli_export_events_as_jsonl_and_csv(tmp_path: Path, run_cli) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(
        "أدان وزير الخارجية الفرنسي بشدة الهجوم على السفارة في بغداد يوم 3 مارس 2021.\n", encoding="utf-8"
    )
    db = tmp_path / "out" / "marsad.db"
    assert run_cli("analyze", str(inputs), "--out", str(tmp_path / "out")).returncode == 0
    jsonl = run_cli("export", "events", "--db", str(db))
    assert jsonl.returncode == 0, jsonl.stderr
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    accuse = next(r for r in records if r["type"] == "ACCUSE")
    assert accuse["source_code"] == "FRA GOV" and accuse["event_date"] == "2021-03-03"
    assert accuse["id"].startswith("evt-") and accuse["text"] in (inputs / "a.txt").read_text(
        encoding="utf-8"
    )
    csv_out = run_cli("export", "events", "--format", "csv", "--db", str(db))
    header, *rows = csv_out.stdout.splitlines()
    assert header.startswith("id,event_date,") and len(rows) == len(records)
    refused = run_cli("export", "documents", "--format", "csv", "--db", str(db))
    assert refused.returncode == 1 and "JSONL only" in refused.stderr


def _stable(report_path: Path) -> dict:
    """A report without what legitimately changes between runs: the time and the run's counts."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report.pop("generated_at"), report.pop("run", None)
    return report


def test_cli_kill_during_knowledge_and_report_resumes(tmp_path, run_cli, arabic_article):
    """Killed after the per-document map, while the corpus stage rewrites the knowledge tables or
    the report is written: the next run completes it, and the result is a clean run's."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(400):
        (corpus / f"a{i:04d}.txt").write_text(arabic_article(i), encoding="utf-8")
    clean = run_cli("analyze", str(corpus), "--out", str(tmp_path / "clean"), cwd=tmp_path)
    assert clean.returncode == 0, clean.stderr

    out = tmp_path / "killed"
    args = [sys.executable, "-m", "marsad.apps.cli", "analyze", str(corpus), "--out", str(out)]
    landed = 0
    for delay in (0.0, 0.3, 0.8, 1.5):
        proc = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        # The map is done when every input has its outcome; what follows is the corpus stage.
        while _outcome_rows(out / "marsad.db") < 400 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            landed += 1
        proc.wait()
    if landed == 0:
        pytest.skip("every run finished before it could be killed; nothing to resume")
    resumed = run_cli("analyze", str(corpus), "--out", str(out), cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert not list(out.glob(".report-*")), "a killed run left a partial report behind"
    assert _stable(out / "report.json") == _stable(tmp_path / "clean" / "report.json")
