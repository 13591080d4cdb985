"""`run.engine = ray` on a local Ray (`ray.init(num_cpus=2)`): the same store and report as the
local engine, and duplicate candidates by group-by equal to corpus.dedup's."""

from __future__ import annotations

import gzip
import itertools
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_local import EXAMPLES, _config, _without_time, generated_corpus, store_content

from marsad.api import analyze, ingest_inputs
from marsad.config import defaults
from marsad.corpus.dedup import lsh_band_keys, lsh_pairs
from marsad.corpus.similarity import signature
from marsad.engines.ray_data import duplicate_candidates
from marsad.model import article_from_json

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'marsad[ray]')")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
JULY = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "saudinewsnet" / "july2015.jsonl.gz"


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Any:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _july(folder: Path, n: int) -> Path:
    if not JULY.exists():
        pytest.skip(f"SaudiNewsNet not found at {JULY}")
    path = folder / f"july-{n}.jsonl"
    with gzip.open(JULY, "rt", encoding="utf-8") as src:
        path.write_text("".join(itertools.islice(src, n)), encoding="utf-8")
    return path


@pytest.mark.parametrize("corpus", ["examples", "july"])
def test_ray_engine_gives_the_local_store_and_report(corpus: str, tmp_path: Path) -> None:
    inputs = EXAMPLES if corpus == "examples" else _july(tmp_path, 200)
    results = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        config = _config(run__engine=engine, run__workers=2 if engine == "ray" else 1, store__batch_size=40)
        report = analyze(inputs, out=out, config=config)
        results[engine] = (_without_time(report), store_content(out / "marsad.db"))
    assert results["ray"][1]["articles"], "the run stored nothing to compare"
    assert results["ray"] == results["local"]


def test_ray_duplicate_candidates_equal_the_local_lsh(tmp_path: Path) -> None:
    # The generated corpus holds exact and near-verbatim copies by design (5% and 10%).
    db = tmp_path / "store.db"
    ingest_inputs(generated_corpus(tmp_path / "corpus", 80), db=db, config=_config(run__workers=1))
    with sqlite3.connect(db) as conn:
        payloads = [p for (p,) in conn.execute("SELECT payload FROM articles ORDER BY created_at")]
    sigs = [signature(article_from_json(p)) for p in payloads]
    sigs = [s for s in sigs if s.shingles.size]  # as dedup does: empty texts are nobody's copy
    # Exact copies were stored once (same document id): some signatures again make exact groups.
    sigs += sigs[3:9]
    docs = [f"{s.doc}#{i}" for i, s in enumerate(sigs)]
    cfg = defaults()["corpus"]["dedup"]
    keys = lsh_band_keys(np.stack([s.minhash for s in sigs]), int(cfg["bands"]))

    exact, near = duplicate_candidates(docs, [s.exact for s in sigs], keys, cap=int(cfg["bucket_cap"]))

    groups: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sigs):
        groups[s.exact].append(i)
    local_exact = {(docs[g[0]], docs[m]) for g in groups.values() for m in g[1:]}
    local_near = {(docs[i], docs[j]) for i, j in lsh_pairs(keys, int(cfg["bucket_cap"]))}
    assert near - {(a, b) for a, b in local_exact}, "no near-copy candidates: the comparison proves nothing"
    assert len(local_exact) >= 6
    assert (exact, near) == (local_exact, local_near)
