"""Milliseconds per article for each per-document stage, on real articles, on one core.

Each stage prints wall and CPU milliseconds per article, CPU milliseconds per 1,000 characters,
and that scaled to a 2,200-character article (the size issue 8's speed bar is set for).

    python benchmarks/bench_stages.py --articles 1000

Reads the first N SaudiNewsNet articles from ../shared/data/saudinewsnet/july2015.jsonl.gz when
that file is there (real news: the speed that matters), a generated corpus otherwise; builds them
through ingest (not timed), then times every configured stage in pipeline order over all of them,
so a slow component shows up by name. Complements bench_pipeline.py, which times the whole path
end to end.

Beside the stages it prints a floor measured in the same run: reading the same inputs and only
normalising and tokenising them (no cleaning, no annotations), and the stages' cost as a multiple
of it. `--dump FILE` also writes every article's annotations (sentences, entities, times,
quantities, quotes, events) as sorted JSON lines, so a speed-up can be shown to change no output
(`cmp` the dumps before and after). The machine is shared: compare CPU ms, run it with `nice`.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import itertools
import json
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
from marsad.model.serialize import ANNOTATION_LISTS, to_plain  # noqa: E402
from marsad.normalize import normalize  # noqa: E402
from marsad.pipeline import default_pipeline  # noqa: E402
from marsad.segment import tokenize  # noqa: E402

REAL = HERE.parent / ".." / "shared" / "data" / "saudinewsnet" / "july2015.jsonl.gz"


def corpus_path(articles: int) -> tuple[Path, str]:
    """A file or folder of `articles` inputs and what it holds: real SaudiNewsNet lines, else generated."""
    corpora = HERE / "corpora"
    if REAL.exists():
        path = corpora / f"saudinewsnet-{articles}.jsonl"
        if not path.exists():
            corpora.mkdir(exist_ok=True)
            with gzip.open(REAL, "rt", encoding="utf-8") as src:
                path.write_text("".join(itertools.islice(src, articles)), encoding="utf-8")
        return path, "SaudiNewsNet July 2015"
    path = corpora / f"txt-{articles}"
    if not path.exists():
        write_corpus(path, articles, "txt")
    return path, "generated (../shared/data absent)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument(
        "--dump",
        type=Path,
        help="also write every article's annotations here as JSON lines (to check a speed-up changes no output)",
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    corpus, kind = corpus_path(args.articles)
    config = load_config()
    articles = []
    for raw in iter_inputs([str(corpus)], config):
        try:
            articles.append(build_article(raw, config))
        except InputError:
            continue  # filtered or quarantined by ingest: not a per-document stage's cost
    pipeline = default_pipeline(config)
    # As marsad.api does for a run: the loaded lexicons are frozen out of the collector's view.
    gc.collect()
    gc.freeze()
    chars = sum(len(a.text) for a in articles) / len(articles)
    print(f"{len(articles)} articles ({kind}), {chars:.0f} characters on average")
    # CPU time is the figure to compare (a shared machine's load inflates wall time); per 1,000
    # characters and at 2,200 (issue 8's "average real article") it compares across corpora.
    print(f"  {'stage':16} {'wall ms':>8} {'CPU ms':>8} {'ms/1k ch':>9} {'@2,200 ch':>10}")
    wall = cpu = 0.0
    for component in pipeline.components:
        start, start_cpu = time.perf_counter(), time.process_time()
        for article in articles:
            component(article)
        ms = (time.perf_counter() - start) * 1000 / len(articles)
        spent = time.process_time() - start_cpu
        cpu += spent
        wall += ms
        print(_row(component.name, ms, spent * 1000 / len(articles), chars))
    print(_row("total", wall, cpu * 1000 / len(articles), chars))
    print(f"  {len(articles) / cpu:.0f} articles per CPU-second")
    floor = floor_cpu(corpus)
    print(
        f"  floor (read + normalise + tokenise, nothing else): {floor * 1000:.3f} CPU ms per article; "
        f"the stages cost {cpu / len(articles) / floor:.1f}x that"
    )
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for article in articles:
                record = {
                    "id": article.id,
                    "sentences": article.sentences,
                    **{k: to_plain(getattr(article, k)) for k in ANNOTATION_LISTS},
                }
                out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def floor_cpu(corpus: Path) -> float:
    """CPU seconds per input to read the corpus's texts and normalise and tokenise them with nothing else
    (no cleaning, no annotations): the least any per-document run over the same input costs."""
    start = time.process_time()
    if corpus.is_dir():
        texts = (p.read_text(encoding="utf-8") for p in sorted(corpus.iterdir()))
    else:
        with corpus.open(encoding="utf-8") as lines:
            texts = (json.loads(line).get("text") or "" for line in list(lines))
    count = 0
    for text in texts:
        tokenize(normalize(text), text)
        count += 1
    return (time.process_time() - start) / count


def _row(name: str, wall_ms: float, cpu_ms: float, chars: float) -> str:
    per_k = cpu_ms * 1000 / chars
    return f"  {name:16} {wall_ms:8.3f} {cpu_ms:8.3f} {per_k:9.3f} {per_k * 2.2:10.3f}"


if __name__ == "__main__":
    main()
