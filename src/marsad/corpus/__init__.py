"""The cross-document stage: one pass over a run's articles after the per-document pipeline.

`analyze_corpus` runs, in order: signatures and duplicate relations (similarity, dedup), entity
linking (linking), stories with their same_story relations (stories), event merging (merge), a
timeline per story (timeline) and contradictions (contradictions). Each step is near-linear
(inverted indexes, LSH buckets, blocking keys), so 30,000 articles take seconds, not hours.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from marsad.model import Article
from marsad.model.corpus import Contradiction, Copy, Entity, Event, Relation, Story

if TYPE_CHECKING:
    from marsad.corpus.similarity import DocSignature

log = logging.getLogger(__name__)

Link = tuple[str, int, int]


@dataclass(slots=True)
class CorpusResult:
    relations: list[Relation] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    mention_entity: dict[Link, str] = field(default_factory=dict)  # (doc, start, end) -> entity id
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step, for benchmarks
    lineage: list[Copy] = field(default_factory=list)  # who copied whom (dedup.lineage)


def analyze_corpus(
    articles: Sequence[Article],
    *,
    store: Any = None,
    config: Mapping[str, Any] | None = None,
    signatures: Mapping[str, DocSignature] | None = None,
) -> CorpusResult:
    """Relations, stories, linked entities, merged events and contradictions for `articles`.

    `store` (a SQLiteStore) lets stories join the ones earlier runs opened, so story ids stay
    stable across batches; `config` is the whole resolved configuration (its `corpus` section
    is read); `signatures` (doc id -> `similarity.features`, e.g. computed by the per-document
    map and stored) are used as given, and only the missing ones are computed here.
    """
    # The stage allocates millions of small objects that live until it returns (mentions, relations,
    # postings) on top of the articles already loaded; each automatic full collection walks all of
    # them, which made the stage's cost grow faster than the corpus (3.7 s of 30 s at 10,000
    # articles). Its structures hold no reference cycles that need collecting while it runs, so
    # the cyclic collector is paused and restored as it was afterwards.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyze(articles, store, config, signatures)
    finally:
        if gc_was_enabled:
            gc.enable()


def _analyze(
    articles: Sequence[Article],
    store: Any,
    config: Mapping[str, Any] | None,
    precomputed: Mapping[str, DocSignature] | None = None,
) -> CorpusResult:
    from marsad.corpus.contradictions import find_contradictions
    from marsad.corpus.dedup import find_relations, lineage
    from marsad.corpus.linking import link_entities
    from marsad.corpus.merge import merge_events
    from marsad.corpus.similarity import signatures as sign_all
    from marsad.corpus.stories import assign_stories
    from marsad.corpus.timeline import timeline

    section = dict((config or {}).get("corpus", {}))
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    docs = list({a.id: a for a in articles}.values())  # each document once, in run order
    signatures = sign_all(docs, precomputed)
    lap("signatures")
    relations = list(find_relations(docs, signatures, section.get("dedup")))
    copies = lineage(docs, relations)
    lap("dedup")
    entities, links = link_entities(docs)
    lap("linking")
    same_story: list[Relation] = []
    stories = assign_stories(docs, signatures, relations, store, dict(config or {}), same_story=same_story)
    known = {(r.a, r.b) for r in relations}
    # A pair dedup already related (a copy) keeps its stronger kind rather than a second relation.
    relations.extend(r for r in same_story if (r.a, r.b) not in known and (r.b, r.a) not in known)
    lap("stories")
    events = merge_events(docs, links, relations, stories)
    lap("merge")
    # Each story's timeline reads only the events reported in its documents (an index by
    # document), not every event of the run: all stories x all events grew quadratically.
    events_of_doc: dict[str, list[int]] = {}
    for i, ev in enumerate(events):
        for m in ev.mentions:
            events_of_doc.setdefault(m.doc, []).append(i)
    for story in stories:
        mine = sorted({i for doc in story.documents for i in events_of_doc.get(doc, ())})
        story.timeline = timeline(story, [events[i] for i in mine])
    lap("timeline")
    contradictions = find_contradictions(docs, events, relations, links, stories)
    lap("contradictions")
    log.debug("corpus stage over %d articles: %s", len(docs), timings)
    return CorpusResult(relations, stories, entities, events, contradictions, links, timings, copies)


__all__ = ["CorpusResult", "analyze_corpus"]
