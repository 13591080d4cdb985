"""Local engines: the map in this process, or in a pool of worker processes.

An engine takes the run's batches lazily, as `(context, todo)` pairs (`todo`: the inputs of the
batch that need mapping), and yields `(context, {input key: Mapped})` in the order it took them.
The caller resolves each batch (duplicates, outcomes, one store transaction) before it asks for
the next, so everything that needs the run's history stays in one process and in input order.

The pool keeps at most `window` batches in flight beyond the one being resolved, so memory stays
flat whatever the input size.

Start method: forkserver (spawn where there is none), not fork. At pool start the parent holds an
open SQLite connection (SQLite forbids carrying one across fork), may run threads (the executor's
own manager thread, tqdm's monitor, a caller's threads when marsad is used as a library), and a
fork copies any lock one of them holds, held forever in the child. The cost is that each worker
loads the lexicons and model itself, once, in its initializer (~1.6 s on the shipped pipeline).

A worker that dies hard (a crash in a C extension, the kernel's out-of-memory killer) breaks the
pool; the engine restarts it and maps the inputs of the broken chunk one at a time, so the input
that kills a worker is quarantined with that reason and the others are mapped as usual.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from marsad.engines.docmap import QUARANTINED, DocumentMap, Mapped, build_map, one_line, stage_factories
from marsad.errors import PipelineError

Todo = list[Any]  # RawInputs
Results = dict[str, Mapped]

# Batches submitted ahead of the one being resolved.
WINDOW = 2
WORKER_DIED = (
    "a worker process died while analysing this input (a crash in a component or a library it "
    "calls, or the out-of-memory killer); run with --workers 1 to see the crash"
)


def cpu_count() -> int:
    """CPUs this process may run on (its affinity mask where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class LocalEngine:
    """The map in this process. Reads only: the caller annotates what is not a duplicate, so a
    duplicate costs no annotation."""

    def __init__(self, docmap: DocumentMap) -> None:
        self.docmap = docmap

    def run(self, batches: Iterable[tuple[Any, Todo]]) -> Iterator[tuple[Any, Results]]:
        for context, todo in batches:
            yield context, {raw.key: self.docmap.read(raw) for raw in todo}

    def close(self, abort: bool = False) -> None:
        pass


# --- The pool's workers -----------------------------------------------------------------------

_worker_map: DocumentMap | BaseException | None = None


def _init_worker(names: list[str], factories: dict[str, Any], config: dict[str, Any]) -> None:
    global _worker_map
    # Ctrl-C reaches the whole process group: the run handles it (and shuts the pool down); a
    # worker interrupted mid-chunk would only turn it into a broken pool first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    try:
        _worker_map = build_map(names, factories, config)
    except BaseException as err:  # raised again with the first chunk: a clear error, not a broken pool
        _worker_map = err


def _map_chunk(raws: Todo) -> list[Mapped]:
    if isinstance(_worker_map, BaseException):
        raise PipelineError(f"a worker process could not build the pipeline: {one_line(_worker_map)}")
    assert _worker_map is not None, "worker used before its initializer ran"
    return _worker_map.batch(raws)


def _exit_with_parent() -> None:
    """A SIGKILLed run cannot stop its pool, and its forkserver lives as long as any worker: each
    worker watches the run itself (multiprocessing's parent sentinel, a pipe the run holds open)
    and exits when it is gone, instead of waiting for work forever."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="marsad-parent-watch", daemon=True).start()


def _check_sendable(factories: dict[str, Any]) -> None:
    """Workers receive component factories by reference: one defined inside a function (or
    otherwise not importable) would break the pool at start; say so before any work."""
    for name, factory in factories.items():
        try:
            pickle.dumps(factory)
        except (pickle.PicklingError, AttributeError, TypeError) as err:
            raise PipelineError(
                f"component {name!r} cannot be sent to worker processes ({one_line(err)}); define "
                "its class at module level of an importable module, or run with --workers 1"
            ) from None


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class PoolEngine:
    """The full map (read and annotate) in `workers` processes, each with its own pipeline."""

    def __init__(self, names: list[str], config: dict[str, Any], workers: int, window: int = WINDOW) -> None:
        self.workers = workers
        self.window = window
        self._initargs = (list(names), stage_factories(list(names)), config)
        _check_sendable(self._initargs[1])
        self._pool: ProcessPoolExecutor | None = None
        self._generation = 0  # bumped at each (re)start: a broken future of an older pool is redone

    def _start(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=_init_worker,
                                         initargs=self._initargs)  # fmt: skip
        self._generation += 1

    def _submit(self, raws: Todo) -> tuple[int, Todo, Future[list[Mapped]]]:
        if self._pool is None:
            self._start()
        assert self._pool is not None
        try:
            future = self._pool.submit(_map_chunk, raws)
        except BrokenProcessPool:
            # A worker died on an earlier chunk since the last submit (seen on a loaded CI
            # machine): that chunk's own result finds the input; this one goes to a fresh pool.
            self._start()
            future = self._pool.submit(_map_chunk, raws)
        return self._generation, raws, future

    def run(self, batches: Iterable[tuple[Any, Todo]]) -> Iterator[tuple[Any, Results]]:
        inflight: deque[tuple[Any, list[tuple[int, Todo, Future[list[Mapped]]]]]] = deque()
        for context, todo in batches:
            # One chunk per worker, so a batch keeps every worker busy.
            size = max(1, -(-len(todo) // self.workers))
            inflight.append((context, [self._submit(todo[i : i + size]) for i in range(0, len(todo), size)]))
            if len(inflight) > self.window:
                yield self._collect(*inflight.popleft())
        while inflight:
            yield self._collect(*inflight.popleft())

    def _collect(
        self, context: Any, chunks: list[tuple[int, Todo, Future[list[Mapped]]]]
    ) -> tuple[Any, Results]:
        results: Results = {}
        for generation, raws, future in chunks:
            results.update((m.key, m) for m in self._results(generation, raws, future))
        return context, results

    def _results(self, generation: int, raws: Todo, future: Future[list[Mapped]]) -> list[Mapped]:
        while True:
            try:
                return future.result()
            except BrokenProcessPool:
                if generation == self._generation:
                    # This pool broke on a chunk still in flight: find the input that breaks it.
                    self._start()
                    return [self._alone(raw) for raw in raws]
                # The pool this chunk was sent to broke on another chunk, already handled: redo it.
                generation, raws, future = self._submit(raws)

    def _alone(self, raw: Any) -> Mapped:
        _, _, future = self._submit([raw])
        try:
            return future.result()[0]
        except BrokenProcessPool:
            self._start()
            return Mapped(raw.key, QUARANTINED, reason=WORKER_DIED, error=PipelineError(WORKER_DIED))

    def close(self, abort: bool = False) -> None:
        """Stop the workers. `abort` (the run failed or was interrupted): the chunks they are on
        are thrown away, so they are stopped at once rather than waited for."""
        if self._pool is None:
            return
        if abort:
            # The executor has no public way to stop busy workers before Python 3.14.
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None
