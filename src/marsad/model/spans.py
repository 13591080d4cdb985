"""Stand-off annotations: every mention points into `Article.text` by code-point offsets.

All annotation types share `Span`: `start`/`end` into the clean text, the covered `text`
(checked against the article on load, so an annotation can never drift from its evidence),
the `component` that made it and, where a choice was made, a `reason`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Span:
    start: int
    end: int
    text: str
    component: str = ""
    reason: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets [{self.start}, {self.end}) for {self.text!r}")

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(slots=True)
class EntityMention(Span):
    """A person, organisation, place or country named in the text.

    `name` is the canonical display name, `key` the transliteration-aware matching key that
    cross-document linking merges on, `code` the CAMEO-style actor code where one applies
    ("RUS GOV" for الكرملين), `country` the ISO alpha-3 country the entity belongs to or, for a
    metonym such as موسكو, stands for.
    """

    type: str = "MISC"  # PER | ORG | LOC | GPE | NORP | MISC
    name: str = ""
    key: str = ""
    country: str | None = None
    code: str | None = None
    role: str | None = None
    entity: str | None = None  # document-level entity id, shared by a mention and its short forms


@dataclass(slots=True)
class TimeMention(Span):
    value: str | None = None  # ISO 8601 at the stated granularity, or an interval "a/b"
    granularity: str = "day"  # day | week | month | year | interval
    relative: bool = False
    calendar: str = "gregorian"  # gregorian | hijri
    anchor: str | None = None  # the date a relative expression was resolved against


@dataclass(slots=True)
class QuantityMention(Span):
    value: float = 0.0
    qualifier: str = "exact"  # exact | more_than | less_than | about | up_to | at_least | vague
    unit: str | None = None  # the counted noun, normalised (جندي/جنود/الجنود -> جندي)
    unit_text: str | None = None
    of: float | None = None  # the whole, for "21 من أصل 50"


@dataclass(slots=True)
class Speaker:
    text: str
    start: int
    end: int
    entity: str | None = None


@dataclass(slots=True)
class Quote(Span):
    speaker: Speaker | None = None
    cue: str | None = None  # the reporting verb: قال، أكد، بحسب ...
    direct: bool = True  # False for indirect speech ("قال X إن ...")


@dataclass(slots=True)
class ActorRef:
    text: str
    entity: str | None = None
    code: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class EventDate:
    value: str | None
    text: str | None = None
    source: str = "sentence"  # sentence | publication | background


@dataclass(slots=True)
class EventMention(Span):
    """One report of a PLOVER event in one article; the corpus stage merges reports into events."""

    type: str = ""
    mode: str | None = None
    source: ActorRef | None = None
    target: ActorRef | None = None
    date: EventDate | None = None
    location: ActorRef | None = None
    negated: bool = False
    modality: str = "asserted"  # asserted | possible | future | denied | hypothetical
    confidence: float = 0.5
    magnitude: dict[str, Any] = field(default_factory=dict)
    reporter: str | None = None  # who the article attributes the report to
