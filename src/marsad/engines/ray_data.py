"""`--engine ray`: the per-document map as Ray Data `map_batches` over actors, and duplicate
candidates by group-by on exact hash and LSH band. Needs the optional extra: `marsad[ray]`.

What runs where (docs/ray.md): the driver (the `marsad` process) reads the inputs, skips known
keys, and, in input order, decides duplicates, writes outcomes and articles to the store and runs
the cross-document stage. The map (read, clean, annotate) runs in `_RayMap` actors on the cluster,
each loading the lexicons and model once. Inputs travel to the actors pickled, in windows of
`WINDOW_INPUTS`, so the driver's memory is bounded by a window, not the run; each window is one
Ray Data execution with `preserve_order`, so results come back in input order.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import numpy as np

from marsad.engines.docmap import DocumentMap, Mapped, build_map, stage_factories

# Inputs per Ray Data execution: larger amortises actor start-up (each actor loads the pipeline,
# ~1.6 s), smaller bounds the driver's memory; 5,000 raw inputs are tens of MB.
WINDOW_INPUTS = 5000
# Inputs per map_batches call on an actor.
ACTOR_BATCH = 50


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        from marsad.errors import ConfigError

        raise ConfigError(
            "run.engine = ray needs Ray: pip install 'marsad[ray]' (or use run.engine = local)"
        ) from None
    if not ray.is_initialized():
        # Joins the cluster named by RAY_ADDRESS (or one started on this machine), else starts a
        # local Ray with this machine's CPUs.
        ray.init(ignore_reinit_error=True, log_to_driver=False)
    return ray


class _RayMap:
    """A Ray Data actor: the pipeline loaded once, then `DocumentMap.batch` on each batch."""

    def __init__(self, names: list[str], factories: dict[str, Any], config: dict[str, Any]) -> None:
        self.docmap: DocumentMap = build_map(names, factories, config)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        raws = [pickle.loads(blob) for blob in batch["raw"]]
        mapped = [pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL) for m in self.docmap.batch(raws)]
        return {"i": batch["i"], "mapped": np.array(mapped, dtype=object)}


class RayEngine:
    """The full map (read and annotate) on Ray actors; `workers` actors (0: the cluster's CPUs)."""

    def __init__(self, names: Sequence[str], config: dict[str, Any], workers: int = 0) -> None:
        self.ray = _ray()
        self.names = list(names)
        self.config = config
        self.factories = stage_factories(self.names)
        cpus = int(self.ray.available_resources().get("CPU", 1))
        self.actors = workers if workers > 0 else max(1, cpus)
        self.ray.data.DataContext.get_current().execution_options.preserve_order = True

    def _map(self, raws: list[Any]) -> Iterator[Mapped]:
        rows = [
            {"i": i, "raw": pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL)} for i, raw in enumerate(raws)
        ]
        dataset = self.ray.data.from_items(rows).map_batches(
            _RayMap,
            fn_constructor_args=(self.names, self.factories, self.config),
            concurrency=self.actors,
            batch_size=ACTOR_BATCH,
            batch_format="numpy",
        )
        expected = 0
        for batch in dataset.iter_batches(batch_size=ACTOR_BATCH, batch_format="numpy"):
            for i, blob in zip(batch["i"], batch["mapped"], strict=True):
                assert int(i) == expected, "Ray Data returned rows out of order"
                expected += 1
                yield pickle.loads(blob)

    def run(self, batches: Iterable[tuple[Any, list[Any]]]) -> Iterator[tuple[Any, dict[str, Mapped]]]:
        batches = iter(batches)
        while True:
            window: list[tuple[Any, list[Any]]] = []
            size = 0
            for context, todo in batches:
                window.append((context, todo))
                size += len(todo)
                if size >= WINDOW_INPUTS:
                    break
            if not window:
                return
            results = self._map([raw for _, todo in window for raw in todo])
            for context, todo in window:
                yield context, {m.key: m for m in islice(results, len(todo))}

    def close(self, abort: bool = False) -> None:
        pass  # actors end with their Ray Data execution; the Ray session is the caller's


# --- Duplicate candidates by group-by (as NeMo Curator and datatrove find them at scale) --------


def _exact_pairs(group: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Within one exact-hash group: each later document with the group's first (input order)."""
    order = np.sort(group["order"])
    return {"a": np.repeat(order[:1], max(0, order.size - 1)), "b": order[1:]}


def _band_pairs(cap: int) -> Any:
    def pairs(group: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Within one (band, bucket) group: every pair, the first `cap` members with the rest."""
        members = np.sort(group["order"])
        ii, jj = np.triu_indices(members.size, 1)
        keep = ii < cap
        return {"a": members[ii[keep]], "b": members[jj[keep]]}

    return pairs


def duplicate_candidates(
    docs: Sequence[str], exact: Sequence[str], band_keys: np.ndarray, *, cap: int, partitions: int = 0
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(exact pairs, near-copy candidate pairs) of documents, by Ray group-bys: on the exact hash,
    and on (band, bucket) of `band_keys` (corpus.dedup.lsh_band_keys). Pairs are (earlier, later)
    document ids in the order of `docs`; the near candidates are those corpus.dedup.lsh_pairs
    gives, before its MinHash screen (which needs the whole signatures, not the band keys).
    `partitions` of the hash shuffle: 0 = the cluster's CPUs (Ray's default, 200, costs a second
    per empty partition on a small input)."""
    ray = _ray()
    partitions = partitions or max(1, int(ray.cluster_resources().get("CPU", 1)))
    rows = [{"order": i, "exact": h} for i, h in enumerate(exact)]
    exact_ds = (
        ray.data.from_items(rows)
        .groupby("exact", num_partitions=partitions)
        .map_groups(_exact_pairs, batch_format="numpy")
    )
    # Buckets as int64 (the same bits): Arrow columns are signed by default.
    buckets = np.ascontiguousarray(band_keys, dtype=np.uint64).view(np.int64)
    bands = [
        {"order": i, "band": band, "bucket": int(key)}
        for i, keys in enumerate(buckets)
        for band, key in enumerate(keys)
    ]
    near_ds = (
        ray.data.from_items(bands)
        .groupby(["band", "bucket"], num_partitions=partitions)
        .map_groups(_band_pairs(cap), batch_format="numpy")
    )

    def ids(dataset: Any) -> set[tuple[str, str]]:
        return {(docs[int(r["a"])], docs[int(r["b"])]) for r in dataset.iter_rows()}

    return ids(exact_ds), ids(near_ds)
