"""Throughput and peak memory of marsad's per-document path, on generated corpora, on one core.

    python benchmarks/bench_pipeline.py ingest --format txt --articles 3000
    python benchmarks/bench_pipeline.py ingest --format html --articles 1500
    python benchmarks/bench_pipeline.py analyze --format txt --articles 2000

`ingest` times ingest + clean + normalise + segment + store (the foundation's path);
`analyze` adds every extraction stage configured. Each run uses a fresh corpus directory
(generated once and cached under benchmarks/corpora/) and a fresh SQLite database, pins the
process to one CPU, and appends a JSON line to benchmarks/results/results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import marsad  # noqa: E402
from generate_corpus import write_corpus  # noqa: E402  (benchmarks/ is not a package)


def corpus(fmt: str, n: int) -> Path:
    path = HERE / "corpora" / f"{fmt}-{n}"
    if not path.exists():
        write_corpus(path, n, fmt)
    return path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run(stage: str, fmt: str, n: int) -> dict:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    source = corpus(fmt, n)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        start = time.perf_counter()
        if stage == "ingest":
            result = marsad.ingest_inputs([str(source)], db=db)
        else:
            result = marsad.analyze([str(source)], db=db, out=Path(tmp) / "out")
        elapsed = time.perf_counter() - start
    counts = result["counts"]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "stage": stage,
        "format": fmt,
        "articles": counts["inputs"],
        "stored": counts["stored"],
        "seconds": round(elapsed, 2),
        "articles_per_second": round(counts["inputs"] / elapsed, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=["ingest", "analyze"])
    parser.add_argument("--format", choices=["txt", "html"], default="txt")
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    result = run(args.stage, args.format, args.articles)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    with (results / "results.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(result, ensure_ascii=False) + "\n")
    print(
        f"{result['stage']:8} {result['format']:5} {result['articles']:6} articles  "
        f"{result['articles_per_second']:8.1f} articles/s  peak {result['peak_rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
