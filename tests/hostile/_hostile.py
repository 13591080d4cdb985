"""Hostile-input helpers: a good article, and `marsad` run in a guarded subprocess.

Every reproduction runs the real command line in a child process with a wall-clock timeout and an
address-space limit, so a regression that hangs or floods memory fails the test instead of the
machine. The child's own peak resident memory comes from `os.wait4` (this child only, unlike
RUSAGE_CHILDREN, which mixes in every earlier child of the test process).
"""

from __future__ import annotations

import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Our own sentences (not from any corpus), long enough to pass the language and length checks.
GOOD = (
    "أعلنت وزارة النقل اليوم أن أعمال توسعة الطريق الساحلي بين المدينتين ستنتهي قبل نهاية الشهر "
    "المقبل، وقال المتحدث باسم الوزارة إن الفرق الفنية تعمل على مدار الساعة لإنجاز المشروع في موعده."
)
OTHER = (
    "افتتحت جامعة المدينة مكتبتها الجديدة بحضور عدد من الطلاب والأساتذة، وقالت رئيسة الجامعة إن "
    "المكتبة تضم أكثر من مئة ألف كتاب وقاعات للقراءة مفتوحة طوال أيام الأسبوع."
)
TIMEOUT_S = 60
PEAK_LIMIT_MB = 1024  # the acceptance: under 1 GB
# Address space for the child: room for Python and its libraries, far below what the unbounded
# readers took (a 1 GiB record), so a regression dies with MemoryError instead of swapping.
ADDRESS_SPACE = 3 * 1024**3
_SUMMARY_RE = re.compile(r"(\d+) inputs: (\d+) stored, (\d+) duplicates, (\d+) filtered, (\d+) quarantined")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def counts(self) -> dict[str, int]:
        match = _SUMMARY_RE.search(self.stdout)
        assert match, f"no summary line in {self.stdout!r} (stderr: {self.stderr!r})"
        keys = ("inputs", "stored", "duplicates", "filtered", "quarantined")
        return dict(zip(keys, map(int, match.groups()), strict=True))


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_marsad(*args: str, cwd: Path, stdin: Any = None, env: dict[str, str] | None = None) -> Run:
    out, err = cwd / ".stdout", cwd / ".stderr"
    started = time.monotonic()
    with out.open("wb") as fo, err.open("wb") as fe:
        proc = subprocess.Popen(
            [sys.executable, "-m", "marsad.apps.cli", *args],
            cwd=cwd,
            stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=fo,
            stderr=fe,
            env={**os.environ, **(env or {})},
            preexec_fn=_limit_memory,  # the test process starts no threads, so preexec_fn is safe
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > TIMEOUT_S:
                proc.kill()
                os.wait4(proc.pid, 0)
                pytest.fail(f"marsad {' '.join(args)} did not finish within {TIMEOUT_S} s")
            time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    return Run(
        returncode=proc.returncode,
        stdout=out.read_text("utf-8", "replace"),
        stderr=err.read_text("utf-8", "replace"),
        seconds=time.monotonic() - started,
        peak_mb=usage.ru_maxrss / 1024,  # Linux reports kilobytes
    )


def outcomes(db: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("SELECT source, status, reason FROM outcomes")]


def assert_survived(run: Run, db: Path, good_source: str) -> list[dict[str, Any]]:
    """The acceptance of issue 11: exit 0 in time and memory, the good article stored, every input
    accounted for, every reason one printable line. Returns the outcome rows."""
    assert run.returncode == 0, run.stderr
    assert run.seconds < TIMEOUT_S and run.peak_mb < PEAK_LIMIT_MB, (run.seconds, run.peak_mb)
    counts = run.counts()
    assert counts["inputs"] == sum(counts[k] for k in ("stored", "duplicates", "filtered", "quarantined"))
    rows = outcomes(db)
    assert len(rows) == counts["inputs"]
    assert any(r["source"].endswith(good_source) and r["status"] == "stored" for r in rows), rows
    for row in rows:
        if row["status"] in ("quarantined", "filtered"):
            assert row["reason"] and row["reason"].isprintable(), row
    return rows


def not_stored(rows: list[dict[str, Any]], needle: str) -> list[dict[str, Any]]:
    """Rows quarantined or filtered whose source contains `needle`."""
    return [r for r in rows if needle in r["source"] and r["status"] in ("quarantined", "filtered")]


def jsonl(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
