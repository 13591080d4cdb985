"""Timeline: events ordered by event date at mixed granularities; undated last; ties by first report."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.corpus.timeline import date_span, timeline
from marsad.model import Article, Provenance
from marsad.model.corpus import Event, MentionRef, Story
from marsad.model.spans import EventDate
from marsad.pipeline import Pipeline, available


def _d(y: int, m: int, d: int) -> int:
    return date(y, m, d).toordinal()


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("2024-11-13", (_d(2024, 11, 13), _d(2024, 11, 13))),
        ("2024-02", (_d(2024, 2, 1), _d(2024, 2, 29))),
        ("2023-12", (_d(2023, 12, 1), _d(2023, 12, 31))),
        ("2022", (_d(2022, 1, 1), _d(2022, 12, 31))),
        ("2024-W23", (_d(2024, 6, 3), _d(2024, 6, 9))),
        ("2024-10-01/2024-10-15", (_d(2024, 10, 1), _d(2024, 10, 15))),
        ("2024-01/2024-03", (_d(2024, 1, 1), _d(2024, 3, 31))),
        ("2024-11-13T09:00:00+02:00", (_d(2024, 11, 13), _d(2024, 11, 13))),
        ("2024-02-30", None),
        ("2024-05-01/2024-04-01", None),  # an interval that ends before it starts
        ("قبل أيام", None),
        ("", None),
        (None, None),
    ],
)
def test_timeline_date_span_reads_iso_granularities(value, span) -> None:
    assert date_span(value) == span


def _event(eid: str, value: str | None, *reports: tuple[str, int]) -> Event:
    return Event(
        id=eid,
        type="CONSULT",
        mode=None,
        source=None,
        target=None,
        date=EventDate(value) if value is not None else None,
        location=None,
        negated=False,
        modality="asserted",
        confidence=0.5,
        reason="test",
        mentions=[MentionRef(doc, start, start + 5) for doc, start in reports],
    )


def test_timeline_orders_mixed_granularities_coarser_first() -> None:
    story = Story(id="sty-t", title="t", documents=["d1", "d2", "d3"])
    events = [
        _event("day", "2024-06-15", ("d1", 0)),
        _event("month", "2024-06", ("d1", 10)),
        _event("first-of-month", "2024-06-01", ("d1", 20)),
        _event("year", "2024", ("d2", 0)),
        _event("old", "2022-02", ("d3", 0)),
        _event("interval", "2023-08-20/2023-09-10", ("d1", 30)),
        _event("undated", None, ("d1", 40)),
        _event("unreadable", "السنة الماضية", ("d1", 5)),
        _event("other-story", "2020", ("elsewhere", 0)),
    ]
    assert timeline(story, events) == [
        "old",
        "interval",
        "year",  # starts 2024-01-01
        "month",  # starts 2024-06-01 and is coarser than the day that also starts then
        "first-of-month",
        "day",
        "unreadable",  # undated events last, by first report (d1 offset 5 before offset 40)
        "undated",
    ]


def test_timeline_ties_break_on_first_report() -> None:
    story = Story(id="sty-t", title="t", documents=["early", "late"])
    events = [
        _event("b", "2024-03-03", ("late", 0)),
        _event("a", "2024-03-03", ("late", 50), ("early", 90)),
        _event("c", "2024-03-03", ("early", 95)),
    ]
    assert timeline(story, events) == ["a", "c", "b"]


def test_timeline_is_independent_of_input_order() -> None:
    story = Story(id="sty-t", title="t", documents=["d"])
    events = [_event(f"e{i}", f"2024-0{i % 9 + 1}", ("d", i)) for i in range(12)]
    assert timeline(story, events) == timeline(story, list(reversed(events)))


STAGES = ["normalize", "segment", "tokenize", "entities", "times", "quantities", "quotes", "events"]


def test_timeline_seed_dates_in_order(seed_texts) -> None:
    """February 2022 < August 2023 < June 2024 < 13 November 2024 in the seeds' story."""
    missing = [s for s in STAGES if s not in available()]
    if missing:
        pytest.skip(f"components not installed yet: {', '.join(missing)}")
    pipeline = Pipeline(STAGES)
    # One Event per per-document report, so the test checks ordering, not event merging. The
    # seeds are plain files without a publication date, and are read as such.
    events, docs = [], []
    for key, text in seed_texts.items():
        art = pipeline(Article(id=key, text=text, provenance=Provenance(source=key, format="txt")))
        docs.append(art.id)
        for i, m in enumerate(art.events):
            ev = _event(f"{key}-{i}", None, (art.id, m.start))
            ev.date = m.date
            events.append(ev)
    order = timeline(Story(id="sty-seeds", title="", documents=docs), events)
    by_id = {e.id: e for e in events}
    values = [by_id[i].date.value if by_id[i].date else None for i in order]
    wanted = ["2022-02", "2023-08", "2024-06", "2024-11-13"]
    positions = [values.index(v) for v in wanted]  # ValueError names a date the coder did not give
    assert positions == sorted(positions), list(zip(order, values, strict=True))


def test_timeline_background_and_history_are_off_the_main_line() -> None:
    story = Story(id="sty-t", title="t", documents=["d1", "d2"], first_seen="2015-07-21")
    bombing = _event("bombing", "2015-07-20", ("d1", 0))
    birth = _event("birth-year", "1994", ("d1", 40))  # a date the sentence gave for the bomber
    context = _event("context", "2015-07-10", ("d2", 0))
    context.date = EventDate("2015-07-10", "10 يوليو", "background")  # the coder marked it
    recent = _event("recent", "2015-07-01", ("d2", 10))  # within the story's reach: on the line
    assert timeline(story, [bombing, birth, context, recent]) == ["recent", "bombing"]
    assert story.background == ["birth-year", "context"]
