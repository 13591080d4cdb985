"""Time and peak memory of the cross-document stage on generated corpora of 10,000 and 30,000 articles.

    python benchmarks/bench_corpus.py                      # 10,000 and 30,000 (the acceptance run)
    python benchmarks/bench_corpus.py --sizes 2000 6000    # a quicker look

The corpus comes from `generate_corpus.write_corpus(..., "jsonl")` (exact and near copies built
in), is ingested and annotated by the configured per-document pipeline once, on every core, and
cached as marsad.article JSONL under benchmarks/corpora/ (annotating 30,000 articles takes
minutes; the cross-document stage is what is measured). Each size is then measured in a fresh
subprocess pinned to one CPU, so its peak RSS is that run's own: the articles loaded plus
whatever the stage adds. Only `corpus.analyze_corpus` is timed (or, where the orchestration is
not installed, signatures + dedup). The generator is sequential, so the first N articles of the
largest corpus are the N-article corpus. Results are appended to benchmarks/results/results.jsonl.
Acceptance: 30,000 articles within 60 s on one core, and less than 4x the 10,000 run.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE / "corpora"
sys.path.insert(0, str(HERE))

from generate_corpus import GENERATOR_VERSION, write_corpus  # noqa: E402  (benchmarks/ is not a package)

# Cache names carry the generator version: a corpus cached by an older generator is not reused.
TAG = f"v{GENERATOR_VERSION}"

_worker_state: dict = {}


def _init_worker() -> None:
    from marsad.config import load_config
    from marsad.pipeline import default_pipeline

    config = load_config()
    _worker_state["config"] = config
    _worker_state["pipeline"] = default_pipeline(config)


def _annotate(raw: object) -> str | None:
    """One RawInput -> annotated marsad.article JSON (None if ingest rejects it)."""
    from marsad.errors import FilteredError, QuarantineError
    from marsad.ingest import build_article
    from marsad.model import article_to_json

    try:
        article = build_article(raw, _worker_state["config"])
    except (FilteredError, QuarantineError):
        return None  # not stored, as in a real run; the caller counts it
    return article_to_json(_worker_state["pipeline"](article))


def annotated_corpus(n: int) -> Path:
    """Cached annotated JSONL with the first `n` generated articles, one per document id."""
    out = CORPORA / f"annotated-{TAG}-{n}.jsonl"
    if out.exists():
        return out
    raw = CORPORA / f"generated-{TAG}-{n}.jsonl"
    if not raw.exists():
        write_corpus(raw, n, "jsonl")
    from marsad.config import load_config
    from marsad.ingest import iter_inputs

    inputs = list(iter_inputs([str(raw)], load_config()))
    start = time.perf_counter()
    with Pool(os.cpu_count() or 1, initializer=_init_worker) as pool:
        results = pool.map(_annotate, inputs, chunksize=64)
    seen: set[str] = set()
    kept = 0
    with out.open("w", encoding="utf-8") as fh:
        for doc in results:
            if doc is None:
                continue
            doc_id = json.loads(doc)["id"]
            if doc_id in seen:
                continue  # an exact copy: the store keeps one document per clean text
            seen.add(doc_id)
            fh.write(doc + "\n")
            kept += 1
    print(f"annotated {len(inputs)} articles ({kept} documents) in {time.perf_counter() - start:.0f} s")
    return out


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"/proc/self/status has no {field} line")


def _reset_peak() -> bool:
    """Reset VmHWM (Linux >= 4.0: write 5 to clear_refs); False where the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError as err:
        print(f"peak RSS not reset ({err}); peak includes loading the articles", file=sys.stderr)
        return False
    return True


def measure(path: Path, only_dedup: bool = False) -> dict:
    """Run in a fresh process: load the annotated articles, time the cross-document stage
    (`only_dedup`: signatures and duplicate relations only, to see one step's scaling alone)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from marsad.config import load_config
    from marsad.model import article_from_json

    config = load_config()
    with path.open(encoding="utf-8") as fh:
        articles = [article_from_json(line) for line in fh]
    gc.collect()
    rss_loaded = _status_mb("VmRSS")
    # Reset the high-water mark so the peak below is the stage's own, not loading's JSON parse.
    hwm_reset = _reset_peak()
    try:
        from marsad.corpus import analyze_corpus
    except ImportError:
        analyze_corpus = None  # the orchestration is not installed: time what exists
    if only_dedup:
        analyze_corpus = None
    start = time.perf_counter()
    cpu_start = time.process_time()  # CPU time too: on a shared machine wall time counts others' work
    if analyze_corpus is not None:
        result = analyze_corpus(articles, config=config)
        what = "analyze_corpus"
        counts = {
            "relations": len(result.relations),
            "stories": len(result.stories),
            "entities": len(result.entities),
            "events": len(result.events),
            "contradictions": len(result.contradictions),
        }
        steps = {k: round(v, 2) for k, v in result.timings.items()}
    else:
        from marsad.corpus.dedup import find_relations
        from marsad.corpus.similarity import signature

        sigs = {a.id: signature(a) for a in articles}
        t_sig = time.perf_counter() - start
        relations = find_relations(articles, sigs)
        what = "signatures+dedup"
        counts = {"relations": len(relations)}
        steps = {"signatures": round(t_sig, 2), "dedup": round(time.perf_counter() - start - t_sig, 2)}
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    kinds: dict[str, int] = {}
    for rel in result.relations if analyze_corpus is not None else relations:
        kinds[rel.kind] = kinds.get(rel.kind, 0) + 1
    return {
        "articles": len(articles),
        "stage": what,
        "seconds": round(elapsed, 2),
        "cpu_seconds": round(cpu, 2),
        "steps": steps,
        "counts": counts,
        "relation_kinds": kinds,
        "rss_loaded_mb": round(rss_loaded, 1),
        "peak_rss_mb": round(
            _status_mb("VmHWM") if hwm_reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
        "peak_is_stage_only": hwm_reset,
    }


def subset(path: Path, n: int) -> Path:
    out = path.with_name(f"{path.stem}-first-{n}.jsonl")
    if not out.exists():
        with path.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= n:
                    break
                dst.write(line)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--only-dedup", action="store_true", help="time signatures + dedup only")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process's job
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.only_dedup)))
        return
    CORPORA.mkdir(parents=True, exist_ok=True)
    sizes = sorted(args.sizes)
    # Generated inputs: the largest corpus, of which the smaller ones are prefixes (the generator
    # is sequential). Exact copies collapse into one document, so a size counts inputs.
    largest = annotated_corpus(sizes[-1])
    rows = []
    for n in sizes:
        path = largest if n == sizes[-1] else subset(largest, n)
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)]
            + (["--only-dedup"] if args.only_dedup else []),
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(child.stdout.strip().splitlines()[-1])
        row.update(
            inputs=n,
            when=datetime.now(UTC).isoformat(timespec="seconds"),
            python=platform.python_version(),
            machine=platform.machine(),
            benchmark="corpus",
        )
        rows.append(row)
        print(
            f"{n:6} inputs {row['articles']:6} documents  {row['stage']}: {row['seconds']:6.2f} s "
            f"(CPU {row['cpu_seconds']:.2f} s)  "
            f"peak {row['peak_rss_mb']:.0f} MB (articles loaded: {row['rss_loaded_mb']:.0f} MB)  "
            f"steps {row['steps']}  relations {row['relation_kinds']}"
        )
    if len(rows) > 1:
        ratio = rows[-1]["seconds"] / max(rows[0]["seconds"], 1e-9)
        cpu_ratio = rows[-1]["cpu_seconds"] / max(rows[0]["cpu_seconds"], 1e-9)
        print(f"time ratio {rows[-1]['inputs']}/{rows[0]['inputs']}: {ratio:.2f} (CPU {cpu_ratio:.2f})")
        rows[-1]["ratio_to_smallest"] = round(ratio, 2)
        rows[-1]["cpu_ratio_to_smallest"] = round(cpu_ratio, 2)
    (HERE / "results").mkdir(exist_ok=True)
    with (HERE / "results" / "results.jsonl").open("a", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
