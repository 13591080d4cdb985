"""Figures of the cross-document stage on real multi-outlet news (issue 9, points 3 and 7).

    nice python benchmarks/eval_corpus.py                       # the July 2015 SaudiNewsNet file
    nice python benchmarks/eval_corpus.py --db /tmp/july.db     # another cache location

1. The per-document stages run once over the input and are kept in a marsad database (default
   benchmarks/corpora/saudinewsnet-july2015.db). A rerun on the same database reuses every stored
   outcome (the store resumes by input key and re-annotates only documents whose pipeline
   fingerprint changed), so only the cross-document stage costs time on a second run.
2. The cross-document stage runs once, without a store (stories start empty, so every run places
   every article afresh), and its time per step is printed.
3. Stories are measured against the silver same-title groups (pairs of articles two outlets
   published under one title, expected in one story) and against random pairs of articles
   published four or more days apart (expected apart), with the story count and sizes.
4. `article_similarity` and a plain character-4-gram TF-IDF cosine are scored side by side on the
   hand-judged same-story pairs of benchmarks/judged/same_story_pairs.jsonl (ROC-AUC and average
   precision).

Nothing here is shipped in the package; it reads ../shared/data and exits with a reason when absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = REPO / ".." / "shared" / "data" / "saudinewsnet"
JULY = DATA / "july2015.jsonl.gz"
GROUPS = DATA / "july2015_same_title_groups.json"
DEFAULT_DB = HERE / "corpora" / "saudinewsnet-july2015.db"
JUDGED_PAIRS = HERE / "judged" / "same_story_pairs.jsonl"
JUDGED_STORIES = HERE / "judged" / "stories.jsonl"  # round 1: --story-seed 20150701
JUDGED_STORIES_2 = HERE / "judged" / "stories_round2.jsonl"  # round 2: --story-seed 20150702
SEED = 20150701  # fixed: the random pairs are the same on every run
RANDOM_PAIRS = 20_000
MIN_GAP_DAYS = 4


def plain_input(path: Path, cache: Path) -> Path:
    """`path` itself, or for a .gz file its decompressed copy under `cache` (readers take plain JSONL)."""
    if path.suffix != ".gz":
        return path
    out = cache / path.with_suffix("").name
    if not out.exists():
        cache.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "rb") as src, out.open("wb") as dst:
            shutil.copyfileobj(src, dst)
    return out


def annotated_articles(inputs: Sequence[Path], db: Path, progress: bool) -> list[Any]:
    """The inputs' documents, annotated by the default pipeline, in input order (stored once in `db`)."""
    from marsad.api import _batches, _Run
    from marsad.config import load_config
    from marsad.pipeline import default_pipeline
    from marsad.store import open_store

    config = load_config()
    db.parent.mkdir(parents=True, exist_ok=True)
    store = open_store(db, config)
    try:
        start = time.perf_counter()
        run = _Run(store, default_pipeline(config), config, strict=False)
        run.ingest([str(p) for p in inputs], progress)
        ids = run.documents()
        refreshed = run.refresh(ids)
        articles = []
        for chunk in _batches(ids, 500):
            articles.extend(store.get_articles(chunk))
        counts = run.summary()["counts"]
        print(
            f"per-document stages: {counts} ({refreshed} re-annotated) in {time.perf_counter() - start:.0f} s",
            file=sys.stderr,
        )
        return articles
    finally:
        store.close()


def _day(article: Any) -> int | None:
    from marsad.corpus.stories import day_number

    return day_number(article.published)


def sample_pairs(
    articles: Sequence[Any], groups: list[list[str]], seed: int = SEED
) -> list[tuple[str, str, str]]:
    """(url a, url b, how sampled) pairs to judge by reading, fixed seed: 40 same-title pairs, 50
    pairs sharing one rare entity or date within three days, 40 sharing three or more within two
    days (the hard cases: one story told differently, or two stories about the same actors), 30
    random pairs. Identical texts are one stored document, so never a pair."""
    rng = random.Random(seed)
    by_url = {a.external_id: a for a in articles if a.external_id}
    pairs: list[tuple[str, str, str]] = []
    usable = [g for g in groups if sum(u in by_url for u in g) >= 2]
    for group in rng.sample(usable, 40):
        a, b = rng.sample([u for u in group if u in by_url], 2)
        pairs.append((a, b, "same title"))
    keys: dict[str, set[str]] = {}
    df: Counter[str] = Counter()
    for art in articles:
        ks = {"e:" + (e.key or e.text) for e in art.entities} | {"t:" + t.value for t in art.times if t.value}
        keys[art.id] = ks
        df.update(ks)
    postings: dict[str, list[Any]] = {}
    for art in articles:
        for k in keys[art.id]:
            if 2 <= df[k] <= 200:
                postings.setdefault(k, []).append(art)
    dated = [a for a in articles if a.external_id and _day(a) is not None]
    seen = {frozenset(p[:2]) for p in pairs}

    def add(a: Any, b: Any, how: str) -> None:
        if frozenset((a.external_id, b.external_id)) not in seen:
            seen.add(frozenset((a.external_id, b.external_id)))
            pairs.append((a.external_id, b.external_id, how))

    for quota, min_shared, max_gap in ((90, 1, 3), (130, 3, 2)):
        while len(pairs) < quota:
            a = rng.choice(dated)
            shared = sorted(k for k in keys[a.id] if k in postings)
            if not shared:
                continue
            b = rng.choice(postings[rng.choice(shared)])
            da, db = _day(a), _day(b)
            common = sum(1 for k in keys[a.id] & keys[b.id] if k in postings)
            if b.id == a.id or not b.external_id or db is None or da is None or abs(db - da) > max_gap:
                continue
            if common >= min_shared:
                add(a, b, f"share {common} rare keys")
    while len(pairs) < 160:
        a, b = rng.sample(dated, 2)
        add(a, b, "random")
    return pairs


def sample_stories(stories: Sequence[Any], seed: int = SEED) -> list[Any]:
    """30 multi-article stories to judge by reading, fixed seed: 10 of 20 articles or more, 10 of
    5-19, 10 of 2-4. Most stories are small, so a draw in proportion to size would still be
    mostly pairs; the strata put the large stories (where impurity costs most) in the sample
    without leaving the small ones out."""
    rng = random.Random(seed)
    chosen = []
    for lo, hi in ((20, 10**9), (5, 19), (2, 4)):
        stratum = sorted((s for s in stories if lo <= len(s.documents) <= hi), key=lambda s: s.id)
        chosen += rng.sample(stratum, min(10, len(stratum)))
    return chosen


def judged_story_figures(
    stories: Sequence[Any], judged: Path = JUDGED_STORIES, label: str = "judged_stories"
) -> dict[str, Any]:
    """The share of judged stories that were pure, and of their articles that belong, with how
    many judged stories this run reproduces (same id, same size): verdicts hold for those only."""
    if not judged.exists():
        return {}
    rows = [json.loads(line) for line in judged.read_text(encoding="utf-8").splitlines() if line.strip()]
    size = {s.id: len(s.documents) for s in stories}
    same = sum(size.get(r["story"]) == r["size"] for r in rows)
    articles = sum(r["size"] for r in rows)
    return {
        label: f"{len(rows)} ({same} reproduced by this run)",
        f"{label}_pure": sum(r["verdict"] == "pure" for r in rows) / len(rows),
        f"{label}_articles_belonging": 1 - sum(len(r["intruders"]) for r in rows) / articles,
    }


def story_figures(articles: Sequence[Any], stories: Sequence[Any], groups: list[list[str]]) -> dict[str, Any]:
    """Same-title pairs together, random far-apart pairs apart, and the story sizes."""
    story_of = {doc: s.id for s in stories for doc in s.documents}
    doc_of = {a.external_id: a.id for a in articles if a.external_id}
    together = total = 0
    for group in groups:
        docs = sorted({doc_of[u] for u in group if u in doc_of})
        for a, b in combinations(docs, 2):
            total += 1
            together += story_of.get(a) == story_of.get(b) is not None
    rng = random.Random(SEED)
    dated = [(a.id, d) for a in articles if (d := _day(a)) is not None]
    far = far_together = 0
    while far < RANDOM_PAIRS:
        (a, da), (b, db) = rng.sample(dated, 2)
        if abs(da - db) < MIN_GAP_DAYS:
            continue
        far += 1
        far_together += story_of.get(a) == story_of.get(b) is not None
    sizes = Counter(len(s.documents) for s in stories)
    return {
        "same_title_pairs": total,
        "same_title_together": together / total if total else None,
        "far_pairs": far,
        "far_together": far_together / far,
        "stories": len(stories),
        "multi_article_stories": sum(n for size, n in sizes.items() if size > 1),
        "largest": sorted((len(s.documents) for s in stories), reverse=True)[:10],
        "size_histogram": {
            label: sum(n for size, n in sizes.items() if lo <= size <= hi)
            for label, lo, hi in (
                ("1", 1, 1),
                ("2-4", 2, 4),
                ("5-19", 5, 19),
                ("20-99", 20, 99),
                ("100+", 100, 10**9),
            )
        },
    }


def char4_tfidf(texts: dict[str, str], corpus: Iterable[str]) -> Any:
    """The baseline: cosine of character-4-gram TF-IDF vectors (raw counts, smoothed idf fitted on
    `corpus`, L2-normalised), as scikit-learn's TfidfVectorizer(analyzer="char", ngram_range=(4, 4))
    computes it on lower-cased text with whitespace folded."""

    def grams(text: str) -> Counter[str]:
        t = " ".join(text.lower().split())
        return Counter(t[i : i + 4] for i in range(len(t) - 3))

    counts = {doc: grams(t) for doc, t in texts.items()}
    wanted = set().union(*counts.values())
    df: Counter[str] = Counter()
    n = 0
    for text in corpus:
        n += 1
        t = " ".join(text.lower().split())
        df.update(wanted.intersection(t[i : i + 4] for i in range(len(t) - 3)))
    vectors = {}
    for doc, c in counts.items():
        vec = {g: k * (math.log((1 + n) / (1 + df[g])) + 1) for g, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors[doc] = {g: v / norm for g, v in vec.items()}

    def cosine(a: str, b: str) -> float:
        va, vb = vectors[a], vectors[b]
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(v * vb.get(g, 0.0) for g, v in va.items())

    return cosine


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Probability that a same-story pair outscores a different-story one (ties count half)."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def average_precision(scores: Sequence[float], labels: Sequence[bool]) -> float:
    ranked = sorted(zip(scores, labels, strict=True), key=lambda sl: -sl[0])
    hits, total = 0, 0.0
    for rank, (_, y) in enumerate(ranked, 1):
        if y:
            hits += 1
            total += hits / rank
    return total / max(1, hits)


def similarity_figures(articles: Sequence[Any], judged: Path) -> dict[str, Any]:
    """ROC-AUC and average precision on the judged pairs of: marsad's similarity as the corpus
    stage uses it (tf-idf over the run's documents), the same without corpus weights (what
    `marsad.similarity` on two texts does), and the character-4-gram TF-IDF baseline fitted on
    the same documents."""
    from marsad.corpus.similarity import TermWeights, article_similarity, reweigh, signatures

    by_url = {a.external_id: a for a in articles if a.external_id}
    rows = [json.loads(line) for line in judged.read_text(encoding="utf-8").splitlines() if line.strip()]
    usable = [r for r in rows if r["a"] in by_url and r["b"] in by_url]
    docs = {u: by_url[u] for r in usable for u in (r["a"], r["b"])}
    baseline = char4_tfidf({u: a.text for u, a in docs.items()}, (a.text for a in articles))
    every = signatures(articles)
    weights = TermWeights.from_signatures(every.values())
    plain = {u: every[a.id] for u, a in docs.items()}
    weighted = {u: reweigh(sig, weights) for u, sig in plain.items()}
    labels = [bool(r["same_story"]) for r in usable]
    scores = {
        "marsad_similarity": [article_similarity(weighted[r["a"]], weighted[r["b"]]) for r in usable],
        "marsad_similarity_no_corpus": [article_similarity(plain[r["a"]], plain[r["b"]]) for r in usable],
        "char4_tfidf": [baseline(r["a"], r["b"]) for r in usable],
    }
    out: dict[str, Any] = {"judged_pairs": f"{len(usable)} of {len(rows)} ({sum(labels)} same story)"}
    for name, values in scores.items():
        out[f"auc_{name}"] = roc_auc(values, labels)
    for name, values in scores.items():
        out[f"ap_{name}"] = average_precision(values, labels)
    return out


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=JULY, help="JSONL(.gz) of articles")
    parser.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help="marsad database caching the per-document pass"
    )
    parser.add_argument(
        "--progress", action="store_true", help="show a progress bar for the per-document pass"
    )
    parser.add_argument(
        "--sample-pairs", action="store_true", help="print the pairs to judge and their leads, then stop"
    )
    parser.add_argument("--judged", type=Path, default=JUDGED_PAIRS, help="judged same-story pairs (JSONL)")
    parser.add_argument(
        "--only-similarity", action="store_true", help="score the judged pairs, skip the corpus stage"
    )
    parser.add_argument("--sample-stories", action="store_true", help="print 30 sampled stories to judge")
    parser.add_argument(
        "--story-seed", type=int, default=SEED, help="seed of --sample-stories (a fresh sample per round)"
    )
    parser.add_argument(
        "--stories-out", type=Path, help="write the stories (id, title, documents) here as JSON"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not args.input.exists():
        print(
            f"skipped: {args.input} is absent (../shared/data is not next to the repository)", file=sys.stderr
        )
        return 2
    source = plain_input(args.input, args.db.parent)
    articles = annotated_articles([source], args.db, args.progress)
    groups = json.loads(GROUPS.read_text(encoding="utf-8"))
    if args.sample_pairs:
        by_url = {a.external_id: a for a in articles}
        for a, b, how in sample_pairs(articles, groups):
            print(f"## {how}\n{a}\n{b}")
            for art in (by_url[a], by_url[b]):
                lead = " ".join(art.text.split())[:260]
                print(f"  [{art.outlet} {art.published}] {art.title}\n    {lead}")
        return 0
    for key, value in similarity_figures(articles, args.judged).items():
        print(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
    if args.only_similarity:
        return 0
    from marsad.config import load_config
    from marsad.corpus import analyze_corpus

    start = time.perf_counter()
    corpus = analyze_corpus(articles, store=None, config=load_config())
    elapsed = time.perf_counter() - start
    steps = ", ".join(f"{k} {v:.1f}" for k, v in corpus.timings.items())
    print(f"corpus stage: {elapsed:.1f} s over {len(articles)} documents ({steps})")
    figures = (
        story_figures(articles, corpus.stories, groups)
        | judged_story_figures(corpus.stories)
        | judged_story_figures(corpus.stories, JUDGED_STORIES_2, "judged_stories_round2")
    )
    for key, value in figures.items():
        print(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
    print(f"relations: {dict(Counter(r.kind for r in corpus.relations))}")
    print(f"lineage: {len(corpus.lineage)} copies, by kind {dict(Counter(c.kind for c in corpus.lineage))}")
    if args.sample_stories:
        by_id = {a.id: a for a in articles}
        for story in sample_stories(corpus.stories, args.story_seed):
            print(f"## {story.id} size {len(story.documents)}: {story.title}")
            for doc in story.documents:
                art = by_id[doc]
                lead = " ".join(art.text.split())[:160]
                print(f"  {doc} [{art.outlet} {art.published}] {art.title}\n      {lead}")
    if args.stories_out:
        rows = [{"id": s.id, "title": s.title, "documents": s.documents} for s in corpus.stories]
        args.stories_out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
