"""Small hand-built articles for the linking, merging and contradiction tests (engineer C).

Texts are written for these tests; annotations are placed by searching the surface form in the
text, so every span's offsets are right by construction.
"""

from __future__ import annotations

from typing import Any

from marsad.model import Article, EntityMention, Provenance, QuantityMention, Quote, TimeMention, document_id
from marsad.model.spans import ActorRef, EventDate, EventMention, Speaker


def span(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in ".؟!\n":
            out.append((start, i + 1))
            start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def article(
    text: str, *, outlet: str | None = None, published: str | None = None, **annotations: Any
) -> Article:
    a = Article(
        id=document_id(text),
        text=text,
        provenance=Provenance(source=f"test://{document_id(text)}", format="txt"),
        outlet=outlet,
        published=published,
    )
    a.sentences = sentences(text)
    for surface, type_, key, country, *rest in annotations.get("entities", ()):
        s, e = span(text, surface, rest[1] if len(rest) > 1 else 0)
        code = rest[0] if rest else None
        a.entities.append(EntityMention(s, e, surface, "entities", None, type_, surface, key, country, code))
    for surface, value, qualifier, unit in annotations.get("quantities", ()):
        s, e = span(text, surface)
        a.quantities.append(QuantityMention(s, e, surface, "quantities", None, value, qualifier, unit, unit))
    for surface, value, relative in annotations.get("times", ()):
        s, e = span(text, surface)
        a.times.append(TimeMention(s, e, surface, "times", None, value, "day", relative))
    for quoted, speaker in annotations.get("quotes", ()):
        s, e = span(text, quoted)
        ss, se = span(text, speaker)
        a.quotes.append(Quote(s, e, quoted, "quotes", None, Speaker(speaker, ss, se), "قال", True))
    for ev in annotations.get("events", ()):
        a.events.append(event(text, **ev))
    return a


def event(
    text: str,
    *,
    trigger: str,
    type: str,
    source: tuple[str, str] | None = None,
    target: tuple[str, str] | None = None,
    date: str | None = None,
    date_text: str | None = None,
    mode: str | None = None,
    negated: bool = False,
    modality: str = "asserted",
    magnitude: dict[str, Any] | None = None,
) -> EventMention:
    s, e = span(text, trigger)

    def actor(pair: tuple[str, str] | None) -> ActorRef | None:
        if pair is None:
            return None
        a_s, a_e = span(text, pair[0])
        return ActorRef(pair[0], None, pair[1], a_s, a_e)

    return EventMention(
        s, e, trigger, "events", "test rule", type, mode, actor(source), actor(target),
        EventDate(date, date_text, "sentence" if date else "publication"), None, negated, modality, 0.7,
        magnitude or {},
    )  # fmt: skip
