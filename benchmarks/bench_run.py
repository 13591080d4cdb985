"""End-to-end cost of `marsad analyze` on real news: articles per CPU-second, peak memory, and the
ratio to a plain read + normalise + tokenise floor measured in the same invocation.

    python benchmarks/bench_run.py                          # whole July file, all CPUs
    python benchmarks/bench_run.py --articles 3000 --workers 1
    python benchmarks/bench_run.py --mode linearity         # cost of the whole input / of its first half
    python benchmarks/bench_run.py --mode scaling           # map wall time, 2 workers / 1 worker

Input: ../shared/data/saudinewsnet/july2015.jsonl.gz when present (its first --articles records),
else a generated corpus (benchmarks/generate_corpus.py). Every measurement runs in a fresh process
and a fresh temporary store, so its peak memory and CPU are its own:

    CPU    own + children (getrusage SELF + CHILDREN; pool workers are counted through their
           forkserver, which is stopped and reaped before reading CHILDREN)
    peak   max of own and children's maximum resident set size
    floor  the same inputs read, cleaned (build_article), normalised, segmented and tokenised,
           nothing else: what any analysis of them costs at least

"articles" are inputs (stored, duplicate, filtered or quarantined alike). The map measurement of
`--mode scaling` runs the per-document map and its store writes (api._Run.ingest) without the
corpus stage and report, which is the part workers share. Wall times on a shared machine are
noisy; CPU seconds are the figure to compare.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REAL = HERE.parent / ".." / "shared" / "data" / "saudinewsnet" / "july2015.jsonl.gz"
FLOOR_STAGES = ("normalize", "segment", "tokenize")


def prepare_input(articles: int | None, folder: Path) -> tuple[Path, str]:
    """The first `articles` records (all when None) as one file, and what they are."""
    if REAL.exists():
        if articles is None:
            return REAL, "SaudiNewsNet July 2015 (whole file)"
        path = folder / f"saudinewsnet-{articles}.jsonl"
        with gzip.open(REAL, "rt", encoding="utf-8") as src:
            path.write_text("".join(itertools.islice(src, articles)), encoding="utf-8")
        return path, f"SaudiNewsNet July 2015 (first {articles})"
    sys.path.insert(0, str(HERE))
    from generate_corpus import write_corpus  # benchmarks/ is not a package

    n = articles or 3000
    return write_corpus(folder / f"generated-{n}.jsonl", n, "jsonl"), f"generated corpus ({n})"


# --- One measurement, in a process of its own --------------------------------------------------


def _config(workers: int) -> dict[str, Any]:
    from marsad.config import load_config

    return load_config(overrides={"run.workers": str(workers)}, environ={})


def _analyze(path: Path, workers: int, tmp: Path) -> int:
    import marsad

    return int(marsad.analyze([str(path)], out=tmp / "out", config=_config(workers))["counts"]["inputs"])


def _map(path: Path, workers: int, tmp: Path) -> int:
    from marsad.api import _Run
    from marsad.pipeline import default_pipeline
    from marsad.store import open_store

    config = _config(workers)
    store = open_store(tmp / "map.db", config)
    try:
        run = _Run(store, default_pipeline(config), config, strict=False)
        run.ingest([str(path)], progress=False)
        return len(run.outcomes)
    finally:
        store.close()


def _floor(path: Path, workers: int, tmp: Path) -> int:
    from marsad.errors import InputError
    from marsad.ingest import build_article, iter_inputs
    from marsad.pipeline import Pipeline

    config = _config(1)
    pipeline = Pipeline(FLOOR_STAGES, config)
    n = 0
    for raw in iter_inputs([str(path)], config):
        n += 1
        try:
            pipeline(build_article(raw, config))
        except InputError:
            continue  # filtered or quarantined: read, and counted, like the run counts it
    return n


KINDS = {"analyze": _analyze, "map": _map, "floor": _floor}


def _stop_forkserver() -> None:
    """Pool workers are children of multiprocessing's forkserver, which reaps them and lives until
    this process ends; stopping (and so reaping) it now puts their CPU and memory into CHILDREN."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    if server is not None and getattr(server, "_forkserver_pid", None) is not None:
        server._stop()  # private, but the only way to reap it before exit; a benchmark may rely on it


def child(kind: str, path: Path, workers: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        inputs = KINDS[kind](path, workers, Path(tmp))
        wall = time.perf_counter() - start
    _stop_forkserver()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return {
        "kind": kind,
        "workers": workers,
        "inputs": inputs,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        # The run's own process: with workers, what it cannot hand off (reading, writing, decoding
        # results) bounds the map's wall time.
        "own_cpu_s": round(own.ru_utime + own.ru_stime, 2),
        "articles_per_cpu_s": round(inputs / cpu, 1),
        "peak_mb": round(max(own.ru_maxrss, children.ru_maxrss) / 1024),  # Linux reports KiB
    }


def measure(kind: str, path: Path, workers: int) -> dict[str, Any]:
    args = [sys.executable, __file__, "--child", kind, "--input", str(path), "--workers", str(workers)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- The modes ----------------------------------------------------------------------------------


def _table(rows: list[dict[str, Any]]) -> None:
    print(
        f"  {'measure':10} {'workers':>7} {'inputs':>7} {'wall s':>8} {'CPU s':>8} {'art/CPU-s':>10} {'peak MB':>8}"
    )
    for r in rows:
        print(f"  {r['kind']:10} {r['workers']:>7} {r['inputs']:>7} {r['wall_s']:>8} {r['cpu_s']:>8} "
              f"{r['articles_per_cpu_s']:>10} {r['peak_mb']:>8}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, help="first N records (default: the whole file)")
    parser.add_argument("--workers", type=int, default=0, help="run.workers (0 = all CPUs)")
    parser.add_argument("--mode", choices=("run", "linearity", "scaling"), default="run")
    parser.add_argument("--child", choices=sorted(KINDS), help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.input, args.workers)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        path, what = prepare_input(args.articles, Path(tmp))
        print(f"input: {what}  ({path})")
        floor = measure("floor", path, 1)
        rows = [floor]
        result: dict[str, Any] = {"input": what, "mode": args.mode}
        if args.mode == "run":
            rows.append(measure("analyze", path, args.workers))
            result["analyze"] = rows[-1]
        elif args.mode == "linearity":
            n = rows[0]["inputs"]
            half, _ = prepare_input(n // 2, Path(tmp))  # both corpora are sequential: a prefix
            rows.append(measure("analyze", half, args.workers))
            rows.append(measure("analyze", path, args.workers))
            result["whole_over_half_cpu"] = round(rows[2]["cpu_s"] / rows[1]["cpu_s"], 2)
            result["half"], result["whole"] = rows[1], rows[2]
        else:
            rows.append(measure("map", path, 1))
            rows.append(measure("map", path, 2))
            result["map_wall_2_over_1"] = round(rows[2]["wall_s"] / rows[1]["wall_s"], 2)
            result["map_1"], result["map_2"] = rows[1], rows[2]
    last = rows[-1]
    result["floor"] = floor
    result["ratio_to_floor"] = round(last["articles_per_cpu_s"] / floor["articles_per_cpu_s"], 3)
    _table(rows)
    for key in ("whole_over_half_cpu", "map_wall_2_over_1"):
        if key in result:
            print(f"  {key}: {result[key]}")
    print(f"  {last['kind']} per CPU-s / floor per CPU-s: {result['ratio_to_floor']}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
