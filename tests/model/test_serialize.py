from __future__ import annotations

import pytest

from marsad.errors import SchemaError
from marsad.model import (
    ActorRef,
    Article,
    EntityMention,
    EventDate,
    EventMention,
    Provenance,
    QuantityMention,
    Quote,
    Removal,
    Speaker,
    TimeMention,
    article_from_dict,
    article_from_json,
    article_to_dict,
    article_to_json,
    document_id,
)

TEXT = "قال الرئيس الروسي فلاديمير بوتين في 13 نوفمبر 2024 إن أكثر من 10 آلاف جندي وصلوا."


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def full_article() -> Article:
    art = Article(
        id=document_id(TEXT),
        text=TEXT,
        provenance=Provenance(source="a.txt", format="txt", input_sha256="00" * 32),
        title="عنوان",
        outlet="وكالة الأفق",
        published="2024-11-14",
        language="ar",
        removed=[Removal("مشاركة :", "share widget")],
        sentences=[(0, len(TEXT))],
    )
    s, e = span(TEXT, "فلاديمير بوتين")
    art.entities.append(EntityMention(s, e, TEXT[s:e], "entities", type="PER", name=TEXT[s:e], country="RUS"))
    s, e = span(TEXT, "13 نوفمبر 2024")
    art.times.append(TimeMention(s, e, TEXT[s:e], "times", value="2024-11-13"))
    s, e = span(TEXT, "أكثر من 10 آلاف")
    art.quantities.append(
        QuantityMention(s, e, TEXT[s:e], "quantities", value=10000, qualifier="more_than", unit="جندي")
    )
    s, e = span(TEXT, "أكثر من 10 آلاف جندي وصلوا")
    qs, qe = span(TEXT, "الرئيس الروسي فلاديمير بوتين")
    art.quotes.append(
        Quote(s, e, TEXT[s:e], "quotes", speaker=Speaker(TEXT[qs:qe], qs, qe), cue="قال", direct=False)
    )
    art.events.append(
        EventMention(
            s,
            e,
            TEXT[s:e],
            "events",
            reason="trigger وصل",
            type="MOBILIZE",
            source=ActorRef("بوتين", code="RUS GOV"),
            date=EventDate("2024-11-13", "13 نوفمبر 2024"),
        )
    )
    return art


def test_article_roundtrip_preserves_every_annotation():
    art = full_article()
    again = article_from_json(article_to_json(art))
    assert again == art
    assert isinstance(again.quotes[0].speaker, Speaker)
    assert isinstance(again.events[0].date, EventDate)


def test_article_dict_carries_schema_and_no_derived_fields():
    data = article_to_dict(full_article())
    assert data["schema"] == "marsad.article/1"
    assert "norm" not in data and "tokens" not in data


def test_article_from_dict_rejects_unknown_schema():
    data = article_to_dict(full_article())
    data["schema"] = "marsad.article/99"
    with pytest.raises(SchemaError, match=r"marsad\.article/99"):
        article_from_dict(data)


def test_article_from_dict_rejects_drifted_span():
    data = article_to_dict(full_article())
    data["entities"][0]["start"] += 1
    with pytest.raises(SchemaError, match="entities span"):
        article_from_dict(data)


def test_document_id_is_pinned_and_whitespace_insensitive():
    # Pinned literal: a silent change to the id scheme would orphan every stored document.
    assert document_id("مرحبا بالعالم") == "9262a0a791605071"
    assert document_id("مرحبا  بالعالم\n") == "9262a0a791605071"
    assert document_id("مرحبا بالعالم") != document_id("مرحبا بالعالم!")
