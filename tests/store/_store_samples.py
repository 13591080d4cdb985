"""Sample articles for the store tests, built by hand so that every annotation type is present.

The module name is prefixed so that it cannot collide with helpers of other test folders on sys.path.
"""

from __future__ import annotations

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
    document_id,
)

# Written for these tests; not taken from any published article.
TEXT = (
    "قال وزير الخارجية سامر الحداد يوم الثلاثاء 12 آذار 2024 إن الحكومة أرسلت أكثر من 300 طن "
    "من المساعدات إلى مدينة حلب. وأضاف الحداد: «لن نتوقف عن دعم المتضررين»."
)


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def full_article(text: str = TEXT) -> Article:
    """One article with a removal, sentences and every annotation type, offsets computed."""
    s_name, e_name = _at(text, "سامر الحداد")
    s_city, e_city = _at(text, "حلب")
    s_gov, e_gov = _at(text, "الحكومة")
    s_date, e_date = _at(text, "يوم الثلاثاء 12 آذار 2024")
    s_qty, e_qty = _at(text, "أكثر من 300 طن")
    s_quote, e_quote = _at(text, "لن نتوقف عن دعم المتضررين")
    s_spk, e_spk = _at(text, "الحداد", 1)
    s_ev, e_ev = _at(text, "أرسلت أكثر من 300 طن من المساعدات")
    first_end = text.index(".") + 1
    return Article(
        id=document_id(text),
        text=text,
        provenance=Provenance(
            source="tests/example.html",
            format="html",
            record=3,
            url="https://example.org/a",
            input_sha256="ab" * 32,
        ),
        external_id="item-7",
        title="مساعدات إلى حلب",
        outlet="وكالة المثال",
        author="مراسل",
        published="2024-03-12",
        language="ar",
        language_score=0.98,
        removed=[Removal("اقرأ أيضا", "related-links block")],
        sentences=[(0, first_end), (first_end + 1, len(text))],
        entities=[
            EntityMention(
                s_name,
                e_name,
                "سامر الحداد",
                "entities",
                "gazetteer: person",
                type="PER",
                name="سامر الحداد",
                key="samr alhdad",
                role="وزير الخارجية",
                entity="e1",
            ),
            EntityMention(
                s_city,
                e_city,
                "حلب",
                "entities",
                None,
                type="GPE",
                name="حلب",
                key="hlb",
                country="SYR",
                code="SYR",
            ),
        ],
        times=[
            TimeMention(
                s_date,
                e_date,
                text[s_date:e_date],
                "times",
                "day month year",
                value="2024-03-12",
                granularity="day",
                relative=False,
                calendar="gregorian",
                anchor="2024-03-12",
            ),
        ],
        quantities=[
            QuantityMention(
                s_qty,
                e_qty,
                "أكثر من 300 طن",
                "quantities",
                "qualifier أكثر من",
                value=300.0,
                qualifier="more_than",
                unit="طن",
                unit_text="طن",
                of=None,
            ),
        ],
        quotes=[
            Quote(
                s_quote,
                e_quote,
                "لن نتوقف عن دعم المتضررين",
                "quotes",
                "guillemets after وأضاف",
                speaker=Speaker("الحداد", s_spk, e_spk, entity="e1"),
                cue="أضاف",
                direct=True,
            ),
        ],
        events=[
            EventMention(
                s_ev,
                e_ev,
                text[s_ev:e_ev],
                "events",
                "trigger أرسل + المساعدات",
                type="AID",
                mode="humanitarian",
                source=ActorRef("الحكومة", None, "SYR GOV", s_gov, e_gov),
                target=ActorRef("حلب", None, "SYR", s_city, e_city),
                date=EventDate("2024-03-12", text[s_date:e_date], "sentence"),
                location=ActorRef("حلب", None, "SYR", s_city, e_city),
                negated=False,
                modality="asserted",
                confidence=0.8,
                magnitude={"tons": 300},
                reporter="سامر الحداد",
            ),
        ],
        meta={"tags": ["سوريا", "مساعدات"], "description": None},
    )
