"""Time and peak memory of the cross-document stage: real news when ../shared is present, else generated.

    python benchmarks/bench_corpus.py --july                       # the July 2015 SaudiNewsNet store
    python benchmarks/bench_corpus.py --july --stored-signatures   # ... on signatures made beforehand
    python benchmarks/bench_corpus.py --store out/marsad.db        # any marsad database
    python benchmarks/bench_corpus.py --july --signature-memory 2000   # signature sizes
    python benchmarks/bench_corpus.py                      # generated: 10,000 and 30,000 (the acceptance run)
    python benchmarks/bench_corpus.py --sizes 2000 6000    # a quicker look

**Real news.** `--july` reads the database `benchmarks/eval_corpus.py` keeps of the July file's
per-document pass (`--db`, built on first use: about five CPU-minutes) and `--store` any marsad
database; `--sizes` then takes the first N stored articles (all by default). Each size is measured
in a fresh process: the articles are loaded, the peak RSS reset, and `analyze_corpus` timed step
by step in CPU seconds. With `--stored-signatures` a separate process first computes every
`similarity.features` and writes their `to_bytes()` to a file (the per-document map's job, timed
apart as "features"); the measured process reads them back (`from_bytes`, timed as "read
signatures") and passes them to `analyze_corpus(..., signatures=...)`, as a run on stored
features does. `--signature-memory N` prints the size of N signatures in memory and stored.

**Generated corpora.** The corpus comes from `generate_corpus.write_corpus(..., "jsonl")` (exact
and near copies built in), is ingested and annotated by the configured per-document pipeline
once, on every core, and cached as marsad.article JSONL under benchmarks/corpora/ (annotating
30,000 articles takes minutes; the cross-document stage is what is measured). Each size is then
measured in a fresh subprocess pinned to one CPU, so its peak RSS is that run's own: the articles
loaded plus whatever the stage adds. Only `corpus.analyze_corpus` is timed (or, where the
orchestration is not installed, signatures + dedup). The generator is sequential, so the first N
articles of the largest corpus are the N-article corpus. Results are appended to
benchmarks/results/results.jsonl. Acceptance: 30,000 articles within 60 s on one core, and less
than 4x the 10,000 run.
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


def load_articles(path: Path, limit: int | None = None) -> list:
    """The annotated articles of a marsad database (.db, in storage order) or a JSONL file."""
    from itertools import islice

    if path.suffix == ".db":
        from marsad.store.sqlite import SQLiteStore

        store = SQLiteStore(path)
        try:
            return list(islice(store.iter_articles(), limit))
        finally:
            store.close()
    from marsad.model import article_from_json

    with path.open(encoding="utf-8") as fh:
        return [article_from_json(line) for line in islice(fh, limit)]


def write_signatures(path: Path, limit: int | None, out: Path) -> dict:
    """Run in a fresh process: `similarity.features` of every article, written as length-prefixed
    `to_bytes()` records (what the per-document map would store)."""
    from marsad.corpus.similarity import features

    articles = load_articles(path, limit)
    cpu_start = time.process_time()
    sizes = []
    with out.open("wb") as fh:
        for article in articles:
            data = features(article).to_bytes()
            fh.write(len(data).to_bytes(4, "little") + data)
            sizes.append(len(data))
    sizes.sort()
    return {
        "features_cpu_seconds": round(time.process_time() - cpu_start, 2),
        "signature_bytes_median": sizes[len(sizes) // 2] if sizes else 0,
        "signature_bytes_total_mb": round(sum(sizes) / 2**20, 1),
    }


def read_signatures(path: Path) -> dict:
    from marsad.corpus.similarity import DocSignature

    out = {}
    data = path.read_bytes()
    at = 0
    while at < len(data):
        size = int.from_bytes(data[at : at + 4], "little")
        sig = DocSignature.from_bytes(data[at + 4 : at + 4 + size])
        out[sig.doc] = sig
        at += 4 + size
    return out


def _own_bytes(obj: object, seen: set[int], shared: dict[int, int]) -> int:
    """Bytes of `obj` and what it holds, strings held in containers aside (into `shared`): stems
    and keys are one string per process however many signatures hold them."""
    import numpy as np

    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, np.ndarray):
        return size  # its buffer is counted when it owns one; a view's base is the owner
    items: list = []
    if isinstance(obj, dict):
        items = [*obj.keys(), *obj.values()]
    elif isinstance(obj, (tuple, list, set, frozenset)):
        items = list(obj)
    elif hasattr(obj, "__slots__"):
        items = [getattr(obj, f, None) for f in obj.__slots__]
    for item in items:
        if isinstance(item, str) and not hasattr(obj, "__slots__"):
            shared[id(item)] = sys.getsizeof(item)
        else:
            size += _own_bytes(item, seen, shared)
    return size


def signature_memory(path: Path, limit: int) -> dict:
    """Run in a fresh process: the in-memory and stored size of the signatures of `limit` articles.
    Own bytes walk each signature (its arrays, tuples, dicts, floats); strings in its containers
    are counted once over all signatures. tracemalloc gives what building them allocates with the
    word caches already warm."""
    import statistics
    import tracemalloc

    from marsad.corpus.similarity import signature

    articles = load_articles(path, limit)
    sigs = [signature(a) for a in articles]  # warms the word caches
    shared: dict[int, int] = {}
    own = sorted(_own_bytes(s, set(), shared) for s in sigs)
    stored = sorted(len(s.to_bytes()) for s in sigs) if hasattr(sigs[0], "to_bytes") else []
    del sigs
    gc.collect()
    tracemalloc.start()
    sigs = [signature(a) for a in articles]
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {
        "articles": len(sigs),
        "own_bytes_median": own[len(own) // 2],
        "own_bytes_mean": round(statistics.mean(own)),
        "shared_strings_bytes_per_signature": round(sum(shared.values()) / len(own)),
        "traced_bytes_per_signature": round(traced / len(sigs)),
        "stored_bytes_median": stored[len(stored) // 2] if stored else None,
        "stored_bytes_mean": round(statistics.mean(stored)) if stored else None,
    }


def measure(
    path: Path, only_dedup: bool = False, limit: int | None = None, signatures: Path | None = None
) -> dict:
    """Run in a fresh process: load the annotated articles, time the cross-document stage
    (`only_dedup`: signatures and duplicate relations only, to see one step's scaling alone;
    `signatures`: a file of `write_signatures`, read inside the measured stage)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from marsad.config import load_config

    config = load_config()
    articles = load_articles(path, limit)
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
    # The stage times its steps with time.perf_counter; here that clock is made the process's CPU
    # time, so the steps are CPU seconds: on a shared machine wall time counts others' work.
    wall = time.perf_counter
    time.perf_counter = time.process_time
    start = wall()
    cpu_start = time.process_time()
    read: dict[str, float] = {}
    if analyze_corpus is not None:
        known = None
        if signatures is not None:
            known = read_signatures(signatures)
            read["read signatures"] = round(time.process_time() - cpu_start, 2)
        # Passed only when given: the same command then measures code from before stored signatures.
        given = {} if known is None else {"signatures": known}
        result = analyze_corpus(articles, config=config, **given)
        what = "analyze_corpus" + (" on stored signatures" if known is not None else "")
        counts = {
            "relations": len(result.relations),
            "stories": len(result.stories),
            "entities": len(result.entities),
            "events": len(result.events),
            "contradictions": len(result.contradictions),
        }
        steps = read | {k: round(v, 2) for k, v in result.timings.items()}
    else:
        from marsad.corpus.dedup import find_relations
        from marsad.corpus.similarity import signature

        sigs = {a.id: signature(a) for a in articles}
        t_sig = time.process_time() - cpu_start
        relations = find_relations(articles, sigs)
        what = "signatures+dedup"
        counts = {"relations": len(relations)}
        steps = {"signatures": round(t_sig, 2), "dedup": round(time.process_time() - cpu_start - t_sig, 2)}
    elapsed = wall() - start
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
        "peak_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
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


def _child(args: list[str]) -> dict:
    """Run this script with `args` in a fresh process; its last stdout line is a JSON object."""
    child = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def _july_store() -> Path:
    """The database of the July file's per-document pass that eval_corpus.py keeps (built once)."""
    import eval_corpus

    if not eval_corpus.JULY.exists():
        raise SystemExit(
            f"{eval_corpus.JULY} is absent: --july needs ../shared/data (use --store or --sizes)"
        )
    if not eval_corpus.DEFAULT_DB.exists():
        eval_corpus.annotated_articles(
            [eval_corpus.plain_input(eval_corpus.JULY, CORPORA)], eval_corpus.DEFAULT_DB, False
        )
    return eval_corpus.DEFAULT_DB


def _print_row(label: str, row: dict) -> None:
    print(
        f"{label}: {row['articles']} documents  {row['stage']}: {row['seconds']:.2f} s "
        f"(CPU {row['cpu_seconds']:.2f} s)  peak {row['peak_rss_mb']:.0f} MB "
        f"(articles loaded: {row['rss_loaded_mb']:.0f} MB; stage adds {row['peak_rss_mb'] - row['rss_loaded_mb']:.0f} MB)  "
        f"CPU steps {row['steps']}  relations {row['relation_kinds']}"
        + (f"  features {row['features']}" if "features" in row else "")
    )


def bench_store(db: Path, sizes: list[int] | None, stored_signatures: bool) -> list[dict]:
    """Measure the corpus stage on the first N articles of a marsad database (all when no sizes)."""
    rows = []
    for n in sizes or [None]:
        limit = [] if n is None else ["--limit", str(n)]
        extra: dict = {}
        if stored_signatures:
            sig_file = CORPORA / f"signatures-{db.stem}-{n or 'all'}.bin"
            CORPORA.mkdir(parents=True, exist_ok=True)
            extra["features"] = _child(["--write-signatures", str(sig_file), "--measure", str(db), *limit])
            limit += ["--signatures", str(sig_file)]
        row = _child(["--measure", str(db), *limit]) | extra
        row.update(source=str(db), benchmark="corpus-store")
        _print_row(f"{db.name} first {n}" if n else db.name, row)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", help="articles per run (generated: 10,000 and 30,000)"
    )
    parser.add_argument("--only-dedup", action="store_true", help="time signatures + dedup only")
    parser.add_argument("--july", action="store_true", help="the July 2015 SaudiNewsNet store (../shared)")
    parser.add_argument("--store", type=Path, help="a marsad database whose articles are measured")
    parser.add_argument(
        "--stored-signatures",
        action="store_true",
        help="with --july/--store: run on signatures made beforehand",
    )
    parser.add_argument(
        "--signature-memory",
        type=int,
        metavar="N",
        help="with --july/--store: signature sizes over N articles",
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process's job
    parser.add_argument("--sizes-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--signatures", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write-signatures", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.signature_memory:
        db = _july_store() if args.july else args.store
        if db is None:
            raise SystemExit("--signature-memory needs --july or --store")
        print(
            json.dumps(_child(["--measure", str(db), "--limit", str(args.signature_memory), "--sizes-only"]))
        )
        return
    if args.sizes_only:
        print(json.dumps(signature_memory(args.measure, args.limit)))
        return
    if args.write_signatures:
        print(json.dumps(write_signatures(args.measure, args.limit, args.write_signatures)))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.only_dedup, args.limit, args.signatures)))
        return
    if args.july or args.store:
        db = _july_store() if args.july else args.store
        rows = bench_store(db, sorted(args.sizes) if args.sizes else None, args.stored_signatures)
        _append(rows)
        return
    CORPORA.mkdir(parents=True, exist_ok=True)
    sizes = sorted(args.sizes or [10_000, 30_000])
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
        row.update(inputs=n, benchmark="corpus")
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
    _append(rows)


def _append(rows: list[dict]) -> None:
    for row in rows:
        row.update(
            when=datetime.now(UTC).isoformat(timespec="seconds"),
            python=platform.python_version(),
            machine=platform.machine(),
        )
    (HERE / "results").mkdir(exist_ok=True)
    with (HERE / "results" / "results.jsonl").open("a", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
