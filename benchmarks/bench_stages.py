"""Milliseconds per article for each per-document stage, on a generated corpus, on one core.

    python benchmarks/bench_stages.py --articles 1000

Builds articles through ingest (not timed), then times every configured stage in pipeline order
over all of them, so a slow component shows up by name. Complements bench_pipeline.py, which
times the whole path end to end.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_corpus import write_corpus  # noqa: E402  (benchmarks/ is not a package)
from marsad.config import load_config  # noqa: E402
from marsad.errors import InputError  # noqa: E402
from marsad.ingest import build_article, iter_inputs  # noqa: E402
from marsad.pipeline import default_pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    corpus = HERE / "corpora" / f"txt-{args.articles}"
    if not corpus.exists():
        write_corpus(corpus, args.articles, "txt")
    config = load_config()
    articles = []
    for raw in iter_inputs([str(corpus)], config):
        try:
            articles.append(build_article(raw, config))
        except InputError:
            continue  # a generated corpus has no bad inputs; nothing to time here
    pipeline = default_pipeline(config)
    # As marsad.api does for a run: the loaded lexicons are frozen out of the collector's view.
    gc.collect()
    gc.freeze()
    chars = sum(len(a.text) for a in articles) / len(articles)
    print(f"{len(articles)} articles, {chars:.0f} characters on average")
    total = 0.0
    for component in pipeline.components:
        start = time.perf_counter()
        for article in articles:
            component(article)
        ms = (time.perf_counter() - start) * 1000 / len(articles)
        total += ms
        print(f"  {component.name:12} {ms:7.3f} ms/article")
    print(f"  {'total':12} {total:7.3f} ms/article = {1000 / total:.0f} articles/s")


if __name__ == "__main__":
    main()
