"""Where sources disagree: figures, dates, attributions and denials."""

from __future__ import annotations

from pathlib import Path

import pytest
from _corpus_c_helpers import article

from marsad.corpus.contradictions import find_contradictions
from marsad.corpus.merge import merge_events
from marsad.model.corpus import Story

GULF = [("إيران", "GPE", "gaz:countries:IRN", "IRN"), ("اليمن", "GPE", "gaz:countries:YEM", "YEM")]


def _figure_doc(text: str, figure: str, value: float, qualifier: str, unit: str = "صاروخ", **kw: object):
    return article(text, entities=GULF, quantities=[(figure, value, qualifier, unit)], **kw)


def _run(arts: list, stories: list | None = None, kinds: str | None = None) -> list:
    stories = stories if stories is not None else [Story("s", "", [a.id for a in arts])]
    events = merge_events(arts, {}, [], stories)
    found = find_contradictions(arts, events, [], {}, stories)
    return [c for c in found if kinds is None or c.kind == kinds]


# (figure a, value, qualifier, figure b, value, qualifier, label or None)
FIGURES = [
    ("أكثر من 10 آلاف", 10000, "more_than", "ما يصل إلى 12 ألف", 12000, "up_to", "discrepancy"),
    ("300", 300, "exact", "250", 250, "exact", "conflict"),
    ("نحو 300", 300, "about", "310", 310, "exact", None),
    ("300", 300, "exact", "ثلاثمئة", 300, "exact", None),
    ("آلاف", 2000, "vague", "5 آلاف", 5000, "exact", None),
    ("أكثر من 100", 100, "more_than", "أقل من 50", 50, "less_than", "conflict"),
    ("على الأقل 20", 20, "at_least", "25", 25, "exact", "discrepancy"),
]


@pytest.mark.parametrize(("fa", "va", "qa", "fb", "vb", "qb", "expected"), FIGURES)
def test_contradictions_quantity(
    fa: str, va: float, qa: str, fb: str, vb: float, qb: str, expected: str | None
) -> None:
    a = _figure_doc(f"قالت مصادر إن إيران نقلت {fa} صاروخ إلى اليمن.", fa, va, qa)
    b = _figure_doc(f"وذكر تقرير أن إيران أرسلت {fb} صاروخ إلى اليمن.", fb, vb, qb)
    found = _run([a, b], kinds="quantity")
    assert [c.label for c in found] == ([expected] if expected else [])
    if expected:
        (c,) = found
        assert {cl.doc for cl in c.claims} == {a.id, b.id}
        assert all(
            arts.text[cl.start : cl.end] == cl.text for cl in c.claims for arts in (a, b) if arts.id == cl.doc
        )
        # The label names the figure's own place (where the missiles went), and says why.
        assert "اليمن" in c.about and c.id.startswith("con-") and expected in (c.reason or "")


def test_contradictions_quantity_same_outlet_is_not_a_dispute() -> None:
    a = _figure_doc("قالت مصادر إن إيران نقلت 300 صاروخ إلى اليمن.", "300", 300, "exact", outlet="وكالة أ")
    b = _figure_doc("وذكر تقرير أن إيران أرسلت 250 صاروخ إلى اليمن.", "250", 250, "exact", outlet="وكالة أ")
    assert _run([a, b], kinds="quantity") == []


def test_contradictions_quantity_needs_same_incident_wording() -> None:
    # Same story, measure and countries, but one figure counts missiles sent, the other missiles
    # destroyed somewhere else: different claims.
    a = _figure_doc("قالت مصادر إن إيران نقلت 300 صاروخ إلى اليمن عبر البحر.", "300", 300, "exact")
    b = article(
        "أعلن التحالف تدمير 40 صاروخ في مخازن الحوثيين قرب صعدة، وقال إن إيران زودت اليمن بها.",
        entities=GULF, quantities=[("40", 40, "exact", "صاروخ")],
    )  # fmt: skip
    assert _run([a, b], kinds="quantity") == []


def test_contradictions_quantity_needs_same_story() -> None:
    a = _figure_doc("قالت مصادر إن إيران نقلت 300 صاروخ إلى اليمن.", "300", 300, "exact")
    b = _figure_doc("وذكر تقرير أن إيران أرسلت 250 صاروخ إلى اليمن.", "250", 250, "exact")
    assert _run([a, b], [Story("s1", "", [a.id]), Story("s2", "", [b.id])], "quantity") == []


def test_contradictions_quantity_needs_same_actors() -> None:
    a = _figure_doc("قالت مصادر إن إيران نقلت 300 صاروخ إلى اليمن.", "300", 300, "exact")
    other = "وأعلنت اليابان أنها اشترت 250 صاروخ من أستراليا."
    b = article(other, entities=[("اليابان", "GPE", "gaz:countries:JPN", "JPN"), ("أستراليا", "GPE", "gaz:countries:AUS", "AUS")],
                quantities=[("250", 250, "exact", "صاروخ")])  # fmt: skip
    assert _run([a, b], kinds="quantity") == []


def test_contradictions_rising_toll_is_an_update() -> None:
    a = _figure_doc(
        "قتل 12 شخصا في غارة إيرانية على اليمن.", "12", 12, "exact", "قتيل", published="2024-03-03"
    )
    later = _figure_doc(
        "قتل 47 شخصا في غارة إيرانية على اليمن.", "47", 47, "exact", "قتيل", published="2024-03-04"
    )
    assert _run([a, later], kinds="quantity") == []  # a later, higher toll: history
    announced = _figure_doc(
        "ارتفعت الحصيلة إلى 47 قتيلا في الغارة الإيرانية على اليمن.",
        "47",
        47,
        "exact",
        "قتيل",
        published="2024-03-03",
    )
    assert _run([a, announced], kinds="quantity") == []  # same day, announced as an update
    same_day = _figure_doc(
        "قتل 30 شخصا في غارة إيرانية على اليمن.", "30", 30, "exact", "قتيل", published="2024-03-03"
    )
    (c,) = _run([a, same_day], kinds="quantity")  # same day, different tolls: disagreement
    assert c.label == "conflict" and c.about.startswith("عدد القتلى")


def test_contradictions_rising_toll_keeps_history_on_the_event() -> None:
    t1 = "قتل 12 شخصا عندما قصف الجيش مواقع المتمردين في 3 مارس 2024."
    t2 = "ارتفعت الحصيلة إلى 47 قتيلا بعدما قصف الجيش مواقع المتمردين في 3 مارس 2024."
    ev = {"trigger": "قصف", "type": "ASSAULT", "source": ("الجيش", "SDN MIL"), "date": "2024-03-03"}
    arts = [
        article(t1, published="2024-03-03", events=[{**ev, "magnitude": {"killed": 12}}],
                quantities=[("12", 12, "exact", "شخص")]),
        article(t2, published="2024-03-04", events=[{**ev, "magnitude": {"killed": 47}}],
                quantities=[("47", 47, "exact", "قتيل")]),
    ]  # fmt: skip
    stories = [Story("s", "", [a.id for a in arts])]
    (event,) = merge_events(arts, {}, [], stories)
    assert [h["killed"] for h in event.history] == [12, 47]
    assert [c for c in find_contradictions(arts, [event], [], {}, stories) if c.kind == "quantity"] == []


def test_contradictions_date() -> None:
    ta = "أعلنت الحكومة أن الجيش قصف مواقع المتمردين في 3 مارس 2024."
    tb = "قالت مصادر إن الجيش قصف مواقع المتمردين في 5 مارس 2024."
    ev = {
        "trigger": "قصف",
        "type": "ASSAULT",
        "source": ("الجيش", "SDN MIL"),
        "target": ("المتمردين", "SDN REB"),
    }
    arts = [
        article(ta, events=[{**ev, "date": "2024-03-03", "date_text": "3 مارس 2024"}],
                times=[("3 مارس 2024", "2024-03-03", False)]),
        article(tb, events=[{**ev, "date": "2024-03-05", "date_text": "5 مارس 2024"}],
                times=[("5 مارس 2024", "2024-03-05", False)]),
    ]  # fmt: skip
    (c,) = _run(arts, kinds="date")
    assert sorted(cl.value for cl in c.claims) == ["2024-03-03", "2024-03-05"]


def test_contradictions_date_relative_days_are_not_a_dispute() -> None:
    # "اليوم" in one paper and "أمس" in the next day's paper resolve a day apart: no dispute.
    ta = "قالت مصادر إن الجيش قصف مواقع المتمردين اليوم."
    tb = "قالت مصادر إن الجيش قصف مواقع المتمردين أمس."
    ev = {"trigger": "قصف", "type": "ASSAULT", "source": ("الجيش", "SDN MIL")}
    arts = [
        article(ta, events=[{**ev, "date": "2024-03-03", "date_text": "اليوم"}],
                times=[("اليوم", "2024-03-03", True)]),
        article(tb, events=[{**ev, "date": "2024-03-05", "date_text": "أمس"}],
                times=[("أمس", "2024-03-05", True)]),
    ]  # fmt: skip
    assert _run(arts, kinds="date") == []


def test_contradictions_attribution() -> None:
    quote = "لن نقبل بأي تسوية لا تضمن عودة اللاجئين"
    ta = f"قال وزير الخارجية سامي عودة: «{quote}»."
    tb = f"قال رئيس الوزراء كريم نصار: «{quote}»."
    a = article(
        ta,
        entities=[("سامي عودة", "PER", "gaz:people:سامي عودة", None)],
        quotes=[(quote, "وزير الخارجية سامي عودة")],
    )
    b = article(
        tb,
        entities=[("كريم نصار", "PER", "gaz:people:كريم نصار", None)],
        quotes=[(quote, "رئيس الوزراء كريم نصار")],
    )
    from marsad.corpus.linking import link_entities

    _, links = link_entities([a, b])
    stories = [Story("s", "", [a.id, b.id])]
    found = [c for c in find_contradictions([a, b], [], [], links, stories) if c.kind == "attribution"]
    assert len(found) == 1 and {cl.value for cl in found[0].claims} == {
        "وزير الخارجية سامي عودة",
        "رئيس الوزراء كريم نصار",
    }
    # The same speaker in both: no disagreement.
    same = article(
        ta + " ",
        entities=[("سامي عودة", "PER", "gaz:people:سامي عودة", None)],
        quotes=[(quote, "وزير الخارجية سامي عودة")],
    )
    _, links = link_entities([a, same])
    assert [
        c for c in find_contradictions([a, same], [], [], links, stories) if c.kind == "attribution"
    ] == []


def test_contradictions_denial() -> None:
    ta = "أكدت مصادر أن الجيش قصف مخازن السلاح التابعة للمتمردين قرب الحدود الشمالية."
    tb = "نفى الجيش أنه قصف مخازن السلاح التابعة للمتمردين قرب الحدود الشمالية."
    ev = {"trigger": "قصف", "type": "ASSAULT", "source": ("الجيش", "SDN MIL")}
    arts = [article(ta, events=[ev]), article(tb, events=[{**ev, "negated": True}])]
    (c,) = _run(arts, kinds="denial")
    assert sorted(cl.value for cl in c.claims) == ["asserted", "denied"]


@pytest.fixture(scope="module")
def seed_report(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    from marsad.api import analyze

    return analyze(seeds_dir, out=tmp_path_factory.mktemp("seeds"))


def test_contradictions_seed_troops(seed_report: dict) -> None:
    troops = [
        c for c in seed_report["contradictions"]
        if c["kind"] == "quantity" and {cl["text"] for cl in c["claims"]} >= {"أكثر من 10 آلاف", "ما يصل إلى 12 ألف"}
    ]  # fmt: skip
    assert len(troops) == 1
    docs = {d["id"]: d["source"] for d in seed_report["documents"]}
    assert {Path(docs[cl["doc"]]).name[:3] for cl in troops[0]["claims"]} == {"003", "004"}


def test_contradictions_seed_troops_are_a_discrepancy(seed_report: dict) -> None:
    # "أكثر من 10 آلاف" and "ما يصل إلى 12 ألف" can both be true: listed, as a discrepancy.
    (troops,) = [
        c for c in seed_report["contradictions"]
        if c["kind"] == "quantity" and {cl["text"] for cl in c["claims"]} >= {"أكثر من 10 آلاف", "ما يصل إلى 12 ألف"}
    ]  # fmt: skip
    assert troops["label"] == "discrepancy"


def test_contradictions_seed_denial(seed_report: dict) -> None:
    denials = [c for c in seed_report["contradictions"] if c["kind"] == "denial"]
    assert denials and all(c["label"] == "conflict" for c in denials)
    assert all({cl["value"] for cl in c["claims"]} == {"asserted", "denied"} for c in denials)
