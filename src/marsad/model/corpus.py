"""Cross-document records, filled by `corpus/`: one entity, event or story over many articles."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from marsad.model.spans import ActorRef, EventDate


def event_id(doc: str, start: int, end: int, type_: str) -> str:
    """Id of an event from its first report: an event reported once keeps it after merging."""
    return "evt-" + hashlib.sha1(f"{doc}:{start}:{end}:{type_}".encode()).hexdigest()[:12]


def unique_ids(ids: Iterable[str]) -> Iterator[str]:
    """The ids, with the second, third ... use of one id suffixed -2, -3 ...: two events coded in
    one clause (two triggers, or two modes of one type) have the same first report, and ids must
    stay unique and, in a fixed order, stable."""
    seen: dict[str, int] = {}
    for i in ids:
        n = seen[i] = seen.get(i, 0) + 1
        yield i if n == 1 else f"{i}-{n}"


@dataclass(slots=True)
class MentionRef:
    doc: str
    start: int
    end: int
    text: str | None = None


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    name: str
    country: str | None = None
    code: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[MentionRef] = field(default_factory=list)
    reason: str | None = None  # why variants were merged ("same gazetteer key", "fuzzy key 92")


@dataclass(slots=True)
class Event:
    """One real-world event, however many articles report it (`mentions`)."""

    id: str
    type: str
    mode: str | None
    source: ActorRef | None
    target: ActorRef | None
    date: EventDate | None
    location: ActorRef | None
    negated: bool
    modality: str
    confidence: float
    reason: str
    mentions: list[MentionRef] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # independent outlets (copies counted once)
    history: list[dict[str, object]] = field(default_factory=list)  # figures as they changed over time
    # measure -> the headline figure by ACLED's rule, its sources and the dispute (corpus/merge.py)
    figures: dict[str, dict[str, object]] = field(default_factory=dict)


@dataclass(slots=True)
class Relation:
    a: str
    b: str
    kind: str  # exact | near_duplicate | rewrite | same_story
    score: float
    passages: list[tuple[MentionRef, MentionRef]] = field(default_factory=list)
    reason: str | None = None  # the evidence behind kind and score ("shingle Jaccard 0.93")
    component: str = ""  # which corpus stage made the relation


@dataclass(slots=True)
class Copy:
    """Where one copy, near-copy or rewrite came from (corpus.dedup.lineage): the earlier
    document it copies (`source`) and the first publication of that chain (`origin`)."""

    doc: str
    source: str
    origin: str
    kind: str  # exact | near_duplicate | rewrite: the relation between doc and source
    score: float
    passages: list[tuple[MentionRef, MentionRef]] = field(default_factory=list)  # (in source, in doc)
    reason: str | None = None  # why source and not another: dates, then the tie-break


@dataclass(slots=True)
class Claim:
    doc: str
    start: int
    end: int
    text: str
    value: object


@dataclass(slots=True)
class Contradiction:
    id: str
    about: str
    kind: str  # quantity | date | attribution | denial
    claims: list[Claim] = field(default_factory=list)
    reason: str | None = None  # why these claims were judged to disagree
    # conflict: the claims cannot all be true (disjoint figures, a denial); discrepancy: they
    # differ but can all be true ("أكثر من 10 آلاف" and "ما يصل إلى 12 ألف").
    label: str = "conflict"


@dataclass(slots=True)
class Story:
    id: str
    title: str
    documents: list[str] = field(default_factory=list)
    summary: list[MentionRef] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None
    # The same_story relations the story stage made for this story's documents (each member of
    # the run to the story's most central one); analyze_corpus moves them into relations[].
    relations: list[Relation] = field(default_factory=list)
    # Events reported in the story as background or history (corpus/timeline.py), off the timeline.
    background: list[str] = field(default_factory=list)
