"""Where the per-document map runs: in this process, in a pool of processes, or on Ray.

    docmap.py   the map itself (RawInput -> article or a reason), the one function every engine runs
    local.py    LocalEngine (this process) and PoolEngine (`--workers N` processes)
    ray_data.py RayEngine (`--engine ray`: Ray Data map_batches with actors) and duplicate
                candidates by group-by on hash and LSH band

Engines only map. Outcomes, duplicates by document id, known-key skipping and store writes stay
with the caller (api._Run), in input order, so every engine gives the same store and report.
"""

from __future__ import annotations

from typing import Any

from marsad.engines.docmap import DocumentMap, Mapped, one_line
from marsad.engines.local import LocalEngine, PoolEngine, cpu_count

__all__ = ["DocumentMap", "LocalEngine", "Mapped", "PoolEngine", "cpu_count", "one_line", "open_engine"]


def workers_of(config: dict[str, Any]) -> int:
    """run.workers, where 0 means every CPU this process may use."""
    workers = int(config.get("run", {}).get("workers", 0))
    return workers if workers > 0 else cpu_count()


def open_engine(config: dict[str, Any], docmap: DocumentMap, *, small: bool) -> Any:
    """The configured engine for a run of `docmap`'s pipeline. A `small` run (one batch) maps in
    this process whatever the configuration: starting workers costs more than it saves there."""
    engine = config.get("run", {}).get("engine", "local")
    if engine == "ray":
        from marsad.engines.ray_data import RayEngine  # the optional extra: imported only when asked

        return RayEngine(docmap.pipeline.names, config, workers=int(config.get("run", {}).get("workers", 0)))
    workers = workers_of(config)
    if small or workers == 1:
        return LocalEngine(docmap)
    return PoolEngine(docmap.pipeline.names, config, workers)
