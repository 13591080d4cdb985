"""The per-document map: one input (a reader's `RawInput`) -> an article, or why there is none.

Every engine runs this one map: the local run in-process, the process pool in its workers, Ray
in its actors. It is pure (the same input and configuration give the same result), which is what
lets an engine run it anywhere and in any order while the caller resolves results in input order.

A result is a `Mapped`: the article (read, and annotated when `annotated`), or the reader's
quarantine/filter reason, or a pipeline failure on an article that was read. The map never
decides duplicates or touches the store: those need the run's history and stay with the caller.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any

from marsad.errors import FilteredError, MarsadError, PipelineError, QuarantineError
from marsad.model import Article
from marsad.pipeline import Pipeline, registry

# Mapped.status values.
READ, ANNOTATED, QUARANTINED, FILTERED, FAILED = "read", "annotated", "quarantined", "filtered", "failed"


def one_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


@dataclass(slots=True)
class Mapped:
    """What the map made of one input (identified by `key`, the input's RawInput.key)."""

    key: str
    status: str  # read | annotated | quarantined | filtered | failed (the pipeline raised)
    article: Article | None = None  # read or annotated; for `failed`, the article as read
    reason: str | None = None
    language: str | None = None
    error: MarsadError | None = None  # what --strict raises
    features: bytes | None = None  # annotated: the corpus stage's compact signature (similarity.features)


class DocumentMap:
    """`read` (reader output -> article) and `annotate` (article -> annotated article); calling
    the map does both. The local engine calls the two apart so that a duplicate, found between
    them by the caller, is never annotated; a remote engine calls both at once."""

    def __init__(self, pipeline: Pipeline, config: dict[str, Any]) -> None:
        from marsad.ingest import build_article  # ingest is heavy to import; only a run needs it

        self.pipeline = pipeline
        self.config = config
        self._build = build_article
        # A pipeline that finds entities (analyze's) also makes the corpus stage's signatures,
        # which is then spared normalising every article again; `ingest`'s does not: its
        # signature would lack the entity, figure, date and quote keys.
        self.features = "entities" in pipeline.provides

    def read(self, raw: Any) -> Mapped:
        try:
            article = self._build(raw, self.config)
        except QuarantineError as err:
            return Mapped(raw.key, QUARANTINED, reason=one_line(err), error=err)
        except FilteredError as err:
            # Out of scope is not an error, even with --strict: the input is fine, just not ours.
            return Mapped(raw.key, FILTERED, reason=one_line(err), language=err.language)
        return Mapped(raw.key, READ, article=article)

    def annotate(self, mapped: Mapped) -> Mapped:
        if mapped.status != READ or mapped.article is None:
            return mapped
        try:
            article = self.pipeline(mapped.article)
        except PipelineError as err:
            return Mapped(mapped.key, FAILED, article=mapped.article, reason=one_line(err), error=err)
        features = document_features(article) if self.features else None
        # Tokens and the matching form are never stored and cost more memory (and, from a
        # worker, more pickling) than the text: dropped here, before the result travels.
        article.tokens = None
        article.norm = None
        return Mapped(mapped.key, ANNOTATED, article=article, features=features)

    def __call__(self, raw: Any) -> Mapped:
        return self.annotate(self.read(raw))

    def batch(self, raws: list[Any]) -> list[Mapped]:
        return [self(raw) for raw in raws]


def document_features(article: Article) -> bytes:
    """The article's compact signature as stored bytes, made while its matching form and tokens
    are still there (corpus.similarity.features)."""
    from marsad.corpus.similarity import features

    return features(article).to_bytes()


# --- Building the map in another process ------------------------------------------------------


def stage_factories(names: list[str]) -> dict[str, Any]:
    """The factories of these stages, to register in a worker before it builds its pipeline: a
    component registered in code (not through an entry point) exists only in the process that
    registered it. Factories travel by reference, so they must be importable (module level)."""
    return {name: registry.factory(name) for name in names}


def build_map(names: list[str], factories: dict[str, Any], config: dict[str, Any]) -> DocumentMap:
    """A worker's map: the same stages, factories and configuration as the caller's pipeline.
    Loads lexicons and models once; then freezes them out of the collector's view (as the main
    process does for its run), so full collections in the worker stop re-scanning them."""
    for name, factory in factories.items():
        registry.register(name)(factory)
    docmap = DocumentMap(Pipeline(names, config), config)
    gc.collect()
    gc.freeze()
    return docmap
