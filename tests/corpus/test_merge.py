"""One event, many reports: merging event mentions across articles."""

from __future__ import annotations

import pytest
from _corpus_c_helpers import article, event

from marsad.corpus.merge import merge_events, parse_period
from marsad.model.corpus import Relation, Story

A = "أعلنت الحكومة أن الجيش قصف مواقع المتمردين في 3 مارس 2024 قرب الحدود."
B = "قالت مصادر محلية إن الجيش قصف مواقع المتمردين يوم 3 مارس 2024 في المنطقة الحدودية."
C = "ذكرت وكالة أنباء أن الجيش قصف مواقع المتمردين في مارس 2024."
D = "قصف الجيش مواقع المتمردين مجددا في 20 يونيو 2024."


def _assault(text: str, date: str | None, date_text: str | None = None, **extra: object) -> dict:
    return {"trigger": "قصف", "type": "ASSAULT", "source": ("الجيش", "SDN MIL"),
            "target": ("المتمردين", "SDN REB"), "date": date, "date_text": date_text, **extra}  # fmt: skip


def _docs(*specs: tuple[str, str | None, str | None]) -> list:
    return [
        article(text, outlet=outlet, published=published, events=[_assault(text, date, date and date[:7])])
        for text, date, (outlet, published) in specs
    ]


def test_merge_same_event_from_two_outlets() -> None:
    arts = _docs((A, "2024-03-03", ("وكالة أ", "2024-03-03")), (B, "2024-03-03", ("صحيفة ب", "2024-03-04")))
    events = merge_events(arts, {}, [])
    assert len(events) == 1
    assert {m.doc for m in events[0].mentions} == {a.id for a in arts}
    assert events[0].sources == ["صحيفة ب", "وكالة أ"]


@pytest.mark.parametrize(
    ("date_a", "date_b", "merged"),
    [("2024-03-03", "2024-03", True), ("2024-03-03", "2024-03-05", True), ("2024-03-03", "2024-06-20", False),
     ("2024", "2024-03-03", True), ("2024-03-01/2024-03-10", "2024-03-03", True)],
)  # fmt: skip
def test_merge_dates_compatible(date_a: str, date_b: str, merged: bool) -> None:
    arts = [
        article(A, outlet="أ", events=[_assault(A, date_a)]),
        article(D, outlet="د", events=[_assault(D, date_b)]),
    ]
    assert (len(merge_events(arts, {}, [])) == 1) is merged


def test_merge_copies_count_as_one_source() -> None:
    arts = _docs(
        (A, "2024-03-03", ("وكالة أ", None)),
        (B, "2024-03-03", ("صحيفة ب", None)),
        (C, "2024-03", ("موقع ج", None)),
    )
    rel = [Relation(arts[0].id, arts[1].id, "near_duplicate", 0.9)]
    events = merge_events(arts, {}, rel)
    assert len(events) == 1 and len(events[0].mentions) == 3
    assert len(events[0].sources) == 2  # A and its copy B count once


def test_merge_publication_dated_joins_within_window() -> None:
    undated = "وأفادت التقارير بأن الجيش قصف مواقع المتمردين."
    arts = [
        article(A, outlet="أ", published="2024-03-03", events=[_assault(A, "2024-03-03")]),
        article(undated, outlet="ب", published="2024-03-04", events=[_assault(undated, None)]),
        article(undated + " ", outlet="ج", published="2024-05-20", events=[_assault(undated + " ", None)]),
    ]
    events = merge_events(arts, {}, [])
    sizes = sorted(len(e.mentions) for e in events)
    assert sizes == [1, 2]  # the report two months later is another occurrence


def test_merge_keeps_figure_history_in_publication_order() -> None:
    t1 = "قتل 12 شخصا عندما قصف الجيش مواقع المتمردين في 3 مارس 2024."
    t2 = "ارتفعت الحصيلة إلى 47 قتيلا بعدما قصف الجيش مواقع المتمردين في 3 مارس 2024."
    arts = [
        article(
            t2,
            outlet="ب",
            published="2024-03-05",
            events=[_assault(t2, "2024-03-03", magnitude={"killed": 47})],
        ),
        article(
            t1,
            outlet="أ",
            published="2024-03-03",
            events=[_assault(t1, "2024-03-03", magnitude={"killed": 12})],
        ),
    ]
    (event,) = merge_events(arts, {}, [])
    assert [h["killed"] for h in event.history] == [12, 47]
    assert event.mentions[0].doc == arts[1].id  # earliest report first; it names the event


def test_merge_event_id_is_stable_and_comes_from_earliest_report() -> None:
    arts = _docs((A, "2024-03-03", ("أ", "2024-03-03")), (B, "2024-03-03", ("ب", "2024-03-04")))
    one = merge_events(arts, {}, [])
    two = merge_events(list(reversed(arts)), {}, [])
    assert one[0].id == two[0].id


def test_merge_different_stories_stay_apart() -> None:
    arts = _docs((A, "2024-03-03", ("أ", None)), (B, "2024-03-03", ("ب", None)))
    stories = [Story("s1", "", [arts[0].id]), Story("s2", "", [arts[1].id])]
    assert len(merge_events(arts, {}, [], stories)) == 2


def test_merge_negated_report_is_not_the_asserted_event() -> None:
    neg = "نفى الجيش أنه قصف مواقع المتمردين في 3 مارس 2024."
    arts = [
        article(A, outlet="أ", events=[_assault(A, "2024-03-03")]),
        article(neg, outlet="ب", events=[_assault(neg, "2024-03-03", negated=True)]),
    ]
    assert len(merge_events(arts, {}, [])) == 2


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [("2024", "2024-01-01", "2024-12-31"), ("2024-02", "2024-02-01", "2024-02-29"), ("2024-12-31", "2024-12-31", "2024-12-31"),
     ("2024-10-01/2024-10-15", "2024-10-01", "2024-10-15")],
)  # fmt: skip
def test_merge_parse_period(value: str, first: str, last: str) -> None:
    period = parse_period(value)
    assert period is not None and (period[0].isoformat(), period[1].isoformat()) == (first, last)


def test_merge_parse_period_rejects_non_dates() -> None:
    assert parse_period("2024-W41") is None and parse_period(None) is None


def _toll(text: str, outlet: str, published: str, killed: int) -> object:
    return article(text, outlet=outlet, published=published,
                   events=[_assault(text, "2024-03-03", magnitude={"killed": killed})])  # fmt: skip


def test_merge_headline_figure_is_the_most_conservative_well_sourced_one() -> None:
    t = "قتل {} شخصا عندما قصف الجيش مواقع المتمردين في 3 مارس 2024 قرب الحدود."
    arts = [
        _toll(t.format(12), "وكالة أ", "2024-03-03", 12),
        _toll(t.format(12) + " (ب)", "صحيفة ب", "2024-03-03", 12),
        _toll(t.format(15), "موقع ج", "2024-03-03", 15),
        _toll(t.format(15) + " (د)", "موقع د", "2024-03-03", 15),
        _toll(t.format(9), "موقع ه", "2024-03-03", 9),  # lowest, but one source only
    ]
    (event,) = merge_events(arts, {}, [])
    killed = event.figures["killed"]
    assert killed["value"] == 12 and killed["well_sourced"] is True
    assert [d["value"] for d in killed["disputed"]] == [9, 15]


def test_merge_headline_toll_takes_the_latest_day() -> None:
    t = "قتل {} شخصا عندما قصف الجيش مواقع المتمردين في 3 مارس 2024 قرب الحدود."
    arts = [
        _toll(t.format(12), "وكالة أ", "2024-03-03", 12),
        _toll(t.format(47), "صحيفة ب", "2024-03-05", 47),
    ]
    (event,) = merge_events(arts, {}, [])
    assert event.figures["killed"]["value"] == 47 and event.figures["killed"]["well_sourced"] is False


def test_merge_reports_of_two_incidents_stay_apart() -> None:
    # Same type, actors and day, different places and wording: two strikes, not one.
    a = "قصف الجيش مواقع المتمردين في ميناء الحديدة صباح 3 مارس 2024 ودمر مخازن الذخيرة."
    b = "قصف الجيش مواقع المتمردين قرب قاعدة العند الجوية في 3 مارس 2024 وقطع طريق الإمداد."
    arts = [article(a, outlet="أ", events=[_assault(a, "2024-03-03")]),
            article(b, outlet="ب", events=[_assault(b, "2024-03-03")])]  # fmt: skip
    assert len(merge_events(arts, {}, [])) == 2


def test_merge_two_mentions_in_one_article_stay_two_events() -> None:
    text = "اتهم المدعي خمسة مسؤولين بالفساد في 3 مارس 2024. واتهم المدعي أربعة مسؤولين آخرين بالفساد في 3 مارس 2024."
    ev = {"trigger": "اتهم", "type": "ACCUSE", "source": ("المدعي", "USA JUD"), "date": "2024-03-03"}
    a = article(text, outlet="أ", events=[ev])
    a.events.append(event(text, **{**ev, "trigger": "واتهم"}))
    assert len(merge_events([a], {}, [])) == 2


def test_merge_one_host_two_guests_stay_apart() -> None:
    a = "استقبل الملك سلمان في قصر السلام اليوم أشتون كارتر وزير الدفاع الأمريكي."
    b = "استقبل الملك سلمان في قصر السلام اليوم سامح شكري وزير الخارجية المصري."
    ev = {"trigger": "استقبل", "type": "CONSULT", "source": ("الملك سلمان", "SAU GOV"), "date": "2024-03-03"}
    arts = [
        article(a, outlet="أ", events=[ev],
                entities=[("الملك سلمان", "PER", "gaz:people:salman", "SAU"), ("أشتون كارتر", "PER", "كرتر", "USA")]),
        article(b, outlet="ب", events=[ev],
                entities=[("الملك سلمان", "PER", "gaz:people:salman", "SAU"), ("سامح شكري", "PER", "شكر", "EGY")]),
    ]  # fmt: skip
    assert len(merge_events(arts, {}, [])) == 2


def test_unique_ids_suffix_repeats_in_order() -> None:
    from marsad.model.corpus import unique_ids

    # Two events coded in one clause share their first report: the second gets a suffix.
    assert list(unique_ids(["evt-a", "evt-b", "evt-a", "evt-a"])) == ["evt-a", "evt-b", "evt-a-2", "evt-a-3"]
