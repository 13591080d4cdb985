"""The library face: `analyze()` and `ingest()`. The CLI is a thin shell over these two functions.

One run walks its inputs in order and gives each exactly one `store.Outcome`:

    known key (an earlier run saw these bytes)  -> reuse its stored outcome; nothing is redone
    RawInput.error / QuarantineError            -> quarantined, with the reader's one-line reason
    FilteredError                               -> filtered, with the detected language
    same clean text as a stored/earlier doc     -> duplicate of that document
    otherwise                                   -> run the pipeline and store the article

Outcomes and the articles they produced are written together, one transaction per
`store.batch_size` inputs, so a killed run loses at most its current batch and a rerun resumes
from the last committed one. Each stored article carries the fingerprint of the pipeline that
annotated it; `analyze` re-annotates any document of its run whose fingerprint differs (ingested
by `marsad ingest`, or by an older version), so the report always reflects the current pipeline.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from itertools import chain, islice
from pathlib import Path
from typing import Any

import marsad
from marsad.config import load_config, validate
from marsad.corpus.similarity import FEATURES_VERSION
from marsad.engines.docmap import FAILED, FILTERED, QUARANTINED, Mapped, document_features, one_line
from marsad.errors import ConfigError, PipelineError
from marsad.model import Article
from marsad.pipeline import Pipeline, default_pipeline

log = logging.getLogger(__name__)

# What `ingest` runs: enough to store sentences; extraction waits for `analyze`.
INGEST_STAGES = ("normalize", "segment")
# Annotation lists an extraction stage fills; cleared before re-annotating a stored article so a
# newer pipeline's mentions replace, rather than add to, an older one's.
_ANNOTATIONS = ("entities", "times", "quantities", "quotes", "events")
# Documents fetched from the store per query when building the report.
_FETCH_CHUNK = 500


def pipeline_fingerprint(pipeline: Pipeline, config: dict[str, Any]) -> str:
    """16 hex digits naming what annotated an article: version, stages and their configuration."""
    names = list(pipeline.names)
    payload = json.dumps(
        [marsad.__version__, names, {name: config.get(name, {}) for name in names}],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _as_paths(inputs: str | Path | Iterable[str | Path]) -> list[str]:
    if isinstance(inputs, (str, Path)):
        return [str(inputs)]
    return [str(p) for p in inputs]


def _progress(enabled: bool, what: str) -> AbstractContextManager[Any]:
    if not enabled:
        return nullcontext(None)
    from tqdm import tqdm  # only when a person is watching a terminal

    return tqdm(desc=what, unit=" inputs", file=sys.stderr, dynamic_ncols=True)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Batch:
    """One store batch of a run: its inputs in order, the outcomes earlier runs stored for them,
    and the inputs an engine must map (the first copy of each key not already decided)."""

    __slots__ = ("known", "raws", "todo")

    def __init__(self, raws: list[Any], known: dict[str, Any], todo: list[Any]) -> None:
        self.raws, self.known, self.todo = raws, known, todo


class _Run:
    """The state of one run over one store: outcomes in input order, and what this run stored.

    The per-document map runs in an engine (engines/: this process, a pool, Ray); everything that
    needs the run's history stays here and happens in input order, batch by batch: known keys,
    duplicates by document id, outcomes, one store transaction per batch. So the store and the
    report are the same whichever engine mapped, and a kill loses at most the batches in flight.
    """

    def __init__(self, store: Any, pipeline: Pipeline, config: dict[str, Any], strict: bool) -> None:
        from marsad.engines import DocumentMap
        from marsad.ingest import iter_inputs
        from marsad.store import Outcome

        self.iter_inputs = iter_inputs
        self.Outcome = Outcome
        self.store = store
        self.pipeline = pipeline
        self.docmap = DocumentMap(pipeline, config)
        self.config = config
        self.strict = strict
        self.fingerprint = pipeline_fingerprint(pipeline, config)
        self.batch_size = max(1, int(config.get("store", {}).get("batch_size", 200)))
        self.outcomes: list[Any] = []
        self.by_key: dict[str, Any] = {}  # this run's outcomes, so a repeated input is counted, not redone
        self.seen_docs: set[str] = set()  # documents stored by this run or by earlier runs it met
        self.excluded: set[str] = set()  # resolved paths of files this run writes

    def exclude(self, *paths: str | Path | None) -> None:
        """Never read these files as inputs: the run's own database and report, which live inside
        the input folder when a user runs `marsad analyze news --out news`."""
        for path in paths:
            if path is not None and str(path) != ":memory:":
                resolved = os.path.realpath(path)
                for suffix in ("", "-wal", "-shm", "-journal"):
                    self.excluded.add(str(resolved) + suffix)

    def _own_file(self, raw: Any) -> bool:
        if not self.excluded or raw.source == "<stdin>":
            return False
        # A record inside a container is "path#N"; the file is what was excluded.
        path = raw.source.rpartition("#")[0] if getattr(raw, "record", None) is not None else raw.source
        # realpath, not Path.resolve: it never raises, even on a symbolic-link loop.
        return os.path.realpath(path) in self.excluded

    def ingest(self, paths: list[str], progress: bool) -> None:
        from marsad.engines import open_engine

        inputs = self.iter_inputs(paths, self.config)
        if self.excluded:
            inputs = (raw for raw in inputs if not self._own_file(raw))
        # The lexicons the components loaded are hundreds of thousands of long-lived objects:
        # frozen out of the collector's view for the run, full collections stop re-scanning them
        # (measured ~0.3 ms per article). Unfrozen after, so the caller's process is left as it was.
        # (Pool workers and Ray actors freeze their own copy the same way: engines/docmap.build_map.)
        gc.collect()
        gc.freeze()
        try:
            planned = self._plan(_batches(inputs, self.batch_size))
            ahead = list(islice(planned, 2))  # one batch only: not worth starting workers for
            engine = open_engine(self.config, self.docmap, small=len(ahead) < 2)
            try:
                with _progress(progress, "marsad") as bar:
                    for batch, mapped in engine.run(chain(ahead, planned)):
                        self._resolve(batch, mapped)
                        if bar is not None:
                            bar.update(len(batch.raws))
            except BaseException:
                engine.close(abort=True)  # stopped (an error, --strict, Ctrl-C): work in flight is dropped
                raise
            engine.close()
        finally:
            gc.unfreeze()

    def _plan(self, batches: Iterable[list[Any]]) -> Iterator[tuple[_Batch, list[Any]]]:
        """Each batch with the inputs to map. Lazy: an engine plans a batch when it takes it, which
        may be before earlier batches are resolved; `_resolve` looks at this run's outcomes again,
        so a key decided in between is reused there (its mapping was only wasted work)."""
        for raws in batches:
            known = self.store.outcomes([r.key for r in raws if r.key not in self.by_key])
            # One copy of each key (copies of a key are the same bytes from the same source).
            todo = {r.key: r for r in raws if r.key not in self.by_key and r.key not in known}
            batch = _Batch(raws, known, list(todo.values()))
            yield batch, batch.todo

    def _resolve(self, batch: _Batch, mapped: dict[str, Mapped]) -> None:
        # First pass: outcomes that need no document lookup.
        pending: list[tuple[Any, Mapped]] = []
        slots: list[Any] = []  # per input: an Outcome, an index into `pending`, or a repeated key
        in_batch: set[str] = set()
        for raw in batch.raws:
            earlier = self.by_key.get(raw.key) or batch.known.get(raw.key)
            if earlier is not None:
                slots.append(earlier)
                continue
            if raw.key in in_batch:
                # The same bytes from the same source twice in one batch (a path given twice):
                # counted twice, decided once, when the first copy's outcome is known.
                slots.append(raw.key)
                continue
            in_batch.add(raw.key)
            result = mapped[raw.key]
            if result.status in (QUARANTINED, FILTERED):
                slots.append(self._not_read(raw, result))
            else:
                slots.append(len(pending))
                pending.append((raw, result))
        ids = list(dict.fromkeys(r.article.id for _, r in pending if r.article is not None))
        already = self.store.existing_documents(ids) if ids else set()

        new_outcomes: list[Any] = []
        new_articles: list[Article] = []
        features: list[tuple[str, int, bytes]] = []
        for slot in slots:
            if isinstance(slot, str):
                outcome = self.by_key[slot]
            elif isinstance(slot, int):
                raw, result = pending[slot]
                outcome = self._analyse(raw, result, already, new_articles, features)
                new_outcomes.append(outcome)
            else:
                outcome = slot
                if outcome.key not in self.by_key and outcome.key not in batch.known:
                    new_outcomes.append(outcome)  # a reader outcome made in this run
            if outcome.doc is not None:
                self.seen_docs.add(outcome.doc)
            self.by_key.setdefault(outcome.key, outcome)
            self.outcomes.append(outcome)
        if new_outcomes:
            self.store.write_batch(new_outcomes, new_articles, self.fingerprint, features=features)

    def _not_read(self, raw: Any, result: Mapped) -> Any:
        if result.status == QUARANTINED:
            if self.strict and result.error is not None:
                raise result.error
            return self._outcome(raw, "quarantined", reason=result.reason)
        return self._outcome(raw, "filtered", reason=result.reason, language=result.language)

    def _analyse(self, raw: Any, result: Mapped, already: set[str], new_articles: list[Article],
                 features: list[tuple[str, int, bytes]]) -> Any:  # fmt: skip
        article = result.article
        assert article is not None, "a read input carries its article"
        if article.id in already or article.id in self.seen_docs:
            return self._outcome(raw, "duplicate", doc=article.id, reason=f"same text as {article.id}")
        result = self.docmap.annotate(result)  # the local engine only read it; others annotated it
        if result.status == FAILED:
            if self.strict and result.error is not None:
                raise result.error
            return self._outcome(raw, "quarantined", reason=result.reason)
        assert result.article is not None
        new_articles.append(result.article)
        if result.features is not None:
            features.append((article.id, FEATURES_VERSION, result.features))
        self.seen_docs.add(article.id)
        return self._outcome(raw, "stored", doc=article.id, language=result.article.language)

    def _outcome(self, raw: Any, status: str, *, doc: str | None = None, reason: str | None = None,
                 language: str | None = None) -> Any:  # fmt: skip
        return self.Outcome(key=raw.key, source=raw.source, status=status, doc=doc, reason=reason,
                            language=language)  # fmt: skip

    def documents(self) -> list[str]:
        """Distinct documents this run's stored/duplicate outcomes point to, in first-seen order."""
        return list(dict.fromkeys(o.doc for o in self.outcomes if o.doc is not None))

    def refresh(self, doc_ids: list[str]) -> int:
        """Re-annotate documents whose stored fingerprint is not this pipeline's. Returns how many."""
        updated = 0
        for chunk in _batches(doc_ids, _FETCH_CHUNK):
            prints = self.store.fingerprints(chunk)
            stale = [d for d in chunk if prints.get(d) != self.fingerprint]
            if not stale:
                continue
            fresh: list[Article] = []
            features: list[tuple[str, int, bytes]] = []
            for article in self.store.get_articles(stale):
                for name in _ANNOTATIONS:
                    setattr(article, name, [])
                try:
                    fresh.append(self.pipeline(article))
                    if self.docmap.features:
                        features.append((article.id, FEATURES_VERSION, document_features(fresh[-1])))
                except PipelineError as err:
                    if self.strict:
                        raise
                    # The stored version (older annotations) stays; the report says so in the log.
                    log.warning("could not re-annotate %s, keeping its stored annotations: %s",
                                article.id, one_line(err))  # fmt: skip
            if fresh:
                self.store.update_articles(fresh, self.fingerprint, features=features)
                updated += len(fresh)
        return updated

    def counts(self) -> dict[str, int]:
        """This run's counts: one per input, by outcome."""
        from marsad.store.outcome import count_statuses

        return count_statuses(o.status for o in self.outcomes)

    def summary(self) -> dict[str, Any]:
        from marsad.report.build import build_report

        # Counts and the not-stored lists come from the same builder as the report, so the two
        # can never disagree.
        report = build_report([], self.outcomes)
        return {
            "counts": report["counts"],
            "quarantine": report["quarantine"],
            "filtered": report["filtered"],
        }


def _writable_folder(path: str | Path, what: str) -> None:
    """Create the output folder if needed and write a scratch file there, before any work, so an
    unwritable `--out` fails in a second instead of after the whole analysis."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        raise ConfigError(
            f"{what} {path} is not a writable folder ({err.strerror or type(err).__name__}); "
            "give a folder you can create and write to"
        ) from None


def _checked(config: dict[str, Any] | None, out: str | Path | None) -> dict[str, Any]:
    """The run's configuration, validated, after checking that its output folder can be written.
    (The database is checked by opening it, which each run does before reading any input.)"""
    config = load_config() if config is None else validate(config)
    if out is not None:
        _writable_folder(out, "--out")
    return config


def _open(db: str | Path | None, config: dict[str, Any]) -> Any:
    from marsad.store import open_store

    return open_store(db, config)


def analyze(
    inputs: str | Path | Iterable[str | Path],
    *,
    out: str | Path | None = None,
    db: str | Path | None = None,
    config: dict[str, Any] | None = None,
    progress: bool = False,
    strict: bool = False,
    collect: bool = True,
    since: str | None = None,
    story: str | None = None,
    outlet: str | None = None,
) -> dict[str, Any]:
    """Ingest and analyse `inputs` (files, folders, globs, "-" for stdin) into the store, then
    bring the store's knowledge up to date and report it.

    The store is cumulative: the report covers every document it holds, and `run` gives this
    run's own counts. Writes `out/report.json` and `out/index.html` when `out` is given. Returns
    the report dict (REPORT.md), or with `collect=False` only `{"counts", "run"}`, so a caller
    that reads the written report never holds the whole of it. `since` (YYYY-MM-DD), `story`
    and `outlet` narrow the report to some documents. The store defaults to `out/marsad.db`,
    else the configured path.
    """
    selection = _selection(since, story, outlet)
    config = _checked(config, out)
    paths = _as_paths(inputs)
    if db is None and out is not None:
        db = Path(out) / "marsad.db"
    store = _open(db, config)  # before the pipeline loads its lexicons: a bad --db fails at once
    try:
        pipeline = default_pipeline(config)
        run = _Run(store, pipeline, config, strict)
        run.exclude(
            db,
            Path(out) / "report.json" if out is not None else None,
            Path(out) / "index.html" if out is not None else None,
        )
        run.ingest(paths, progress)
        run.refresh(store.document_ids())
        update_knowledge(store, config)
        return _report(store, out, config, run=run.counts(), collect=collect, selection=selection)
    finally:
        store.close()


def _selection(since: str | None, story: str | None, outlet: str | None) -> Any:
    from marsad.store.knowledge import Selection

    if since is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
        raise ConfigError(f"--since expects a day as YYYY-MM-DD, got {since!r}")
    return Selection(since, story, outlet)


def update_knowledge(store: Any, config: dict[str, Any]) -> dict[str, int]:
    """Run the cross-document stage over every document of the store and save what it finds.

    It sees the whole store, so a batch added later joins the stories, entities and events the
    earlier ones made (story ids never change: membership is persisted), and the knowledge
    tables are replaced in one transaction. Returns the rows written per table."""
    from marsad.corpus import analyze_corpus
    from marsad.corpus.similarity import DocSignature
    from marsad.report.knowledge import save_knowledge

    articles: list[Article] = list(store.iter_articles(batch=_FETCH_CHUNK))
    # Signatures made by the per-document map; a document stored without them (by an older
    # marsad, or re-annotated elsewhere) gets its signature computed by the stage.
    stored = store.features([a.id for a in articles], FEATURES_VERSION)
    signatures = {doc: DocSignature.from_bytes(data) for doc, data in stored.items()}
    del stored
    corpus = analyze_corpus(articles, store=store, config=config, signatures=signatures)
    return save_knowledge(store, articles, corpus)


def _report(
    store: Any, out: str | Path | None, config: dict[str, Any], *, run: dict[str, int] | None = None,
    collect: bool = True, selection: Any = None,
) -> dict[str, Any]:  # fmt: skip
    """Write report.json and the site for `selection` of the store into `out` (when given), each
    streamed from the knowledge tables; return the report dict, or `{"counts", "run"}` when not
    `collect`ing it."""
    from marsad.report.knowledge import collect_report, store_report, write_sections
    from marsad.report.site import write_site
    from marsad.report.store_source import StoreSource
    from marsad.store import Selection
    from marsad.store.outcome import count_statuses

    selection = selection or Selection()
    # A caller who wants the dict gets the very records written to report.json: read once.
    collected = collect_report(store_report(store, selection, run=run)) if collect else None
    if out is not None:
        layout = config.get("report", {}).get("layout", "lines")
        sections = collected.items() if collected is not None else store_report(store, selection, run=run)
        write_sections(sections, Path(out) / "report.json", layout=layout)
    with store.selected(selection) as kb:
        if out is not None:
            write_site(StoreSource(kb), out)
        if collected is not None:
            return collected
        counts = count_statuses(outcome[2] for outcome in kb.outcomes())
    return {"counts": counts, "run": run}


def report(
    *, db: str | Path | None = None, out: str | Path, config: dict[str, Any] | None = None,
    since: str | None = None, story: str | None = None, outlet: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Write the report of what the store knows (or of a selection of its documents) to `out`,
    without reading any input. Returns `{"counts"}` of what it covers."""
    selection = _selection(since, story, outlet)
    config = _checked(config, out)
    store = _open(db, config)
    try:
        if story is not None and not store.load_stories([story]):
            raise ConfigError(f"no story {story} in {store.path}; the report's stories[] lists the ids")
        return _report(store, out, config, collect=False, selection=selection)
    finally:
        store.close()


def ingest_inputs(
    inputs: str | Path | Iterable[str | Path],
    *,
    db: str | Path | None = None,
    config: dict[str, Any] | None = None,
    progress: bool = False,
    strict: bool = False,
) -> dict[str, Any]:
    """Read, clean, normalise, segment and store `inputs`, without extraction.

    Returns `{"counts": {...}, "quarantine": [...], "filtered": [...]}` for these inputs. A later
    `analyze` over the same inputs reuses the stored documents and only adds the annotations.
    """
    config = _checked(config, None)
    store = _open(db, config)
    try:
        pipeline = Pipeline(INGEST_STAGES, config)
        run = _Run(store, pipeline, config, strict)
        run.exclude(db if db is not None else config.get("store", {}).get("path"))
        run.ingest(_as_paths(inputs), progress)
        return run.summary()
    finally:
        store.close()
