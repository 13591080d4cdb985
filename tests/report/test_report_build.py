"""report.build on hand-built articles: grouping, id mapping, order, schema and offsets."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from marsad.errors import ConfigError, SchemaError
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
from marsad.report import REPORT_SCHEMA, build_report, check_report_offsets, entity_id, validate_report
from marsad.report.build import dumps_report

NOW = "2024-06-01T12:00:00Z"


@dataclass
class FakeOutcome:
    """Shape of store.Outcome, so the builder is tested without the store."""

    key: str
    source: str
    status: str
    doc: str | None
    reason: str | None
    language: str | None = None


def at(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def entity(text: str, part: str, type_: str, key: str, *, nth: int = 0, eid: str | None = None,
           name: str | None = None, country: str | None = None) -> EntityMention:  # fmt: skip
    s, e = at(text, part, nth)
    return EntityMention(s, e, part, component="entities", reason="gazetteer", type=type_, name=name or part,
                         key=key, country=country, entity=eid)  # fmt: skip


def make_article(text: str, source: str) -> Article:
    return Article(id=document_id(text), text=text, provenance=Provenance(source=source, format="txt"),
                   language="ar", sentences=[(0, len(text))])  # fmt: skip


TEXT_A = "قال وزير الخارجية المصري أحمد سالم إن القاهرة سترسل 30 شاحنة مساعدات إلى غزة يوم 5 مايو 2024."
TEXT_B = "وصل أحمد سالم إلى عمّان أمس، وأكد سالم أن مصر تدعم الحوار."


@pytest.fixture
def articles() -> list[Article]:
    a = make_article(TEXT_A, "a.txt")
    a.removed = [Removal("شارك المقال", "share buttons")]
    a.entities = [
        entity(TEXT_A, "أحمد سالم", "PER", "احمد سالم", eid="e1"),
        entity(TEXT_A, "القاهرة", "GPE", "القاهره", country="EGY", name="مصر"),
        entity(TEXT_A, "غزة", "LOC", "غزه", country="PSE"),
    ]
    ts, te = at(TEXT_A, "يوم 5 مايو 2024")
    a.times = [TimeMention(ts, te, TEXT_A[ts:te], component="times", value="2024-05-05", granularity="day")]
    qs, qe = at(TEXT_A, "30 شاحنة")
    a.quantities = [QuantityMention(qs, qe, TEXT_A[qs:qe], component="quantities", value=30.0, unit="شاحنة")]
    sp = at(TEXT_A, "وزير الخارجية المصري أحمد سالم")
    qts, qte = at(TEXT_A, "القاهرة سترسل 30 شاحنة مساعدات إلى غزة يوم 5 مايو 2024")
    a.quotes = [Quote(qts, qte, TEXT_A[qts:qte], component="quotes", reason="قال + إن",
                      speaker=Speaker(TEXT_A[sp[0]:sp[1]], sp[0], sp[1]), cue="قال", direct=False)]  # fmt: skip
    es, ee = at(TEXT_A, "سترسل")
    a.events = [EventMention(es, ee, "سترسل", component="events", reason="trigger ارسل -> AID", type="AID",
                             source=ActorRef("القاهرة", code="EGY GOV", start=at(TEXT_A, "القاهرة")[0],
                                             end=at(TEXT_A, "القاهرة")[1]),
                             target=ActorRef("غزة", entity=None), date=EventDate("2024-05-05", "يوم 5 مايو 2024"),
                             modality="future", confidence=0.8)]  # fmt: skip
    b = make_article(TEXT_B, "b.txt")
    b.entities = [
        # Listed out of order on purpose: the report must sort by offset.
        entity(TEXT_B, "مصر", "GPE", "مصر", country="EGY"),
        entity(TEXT_B, "أحمد سالم", "PER", "احمد سالم", eid="p7"),
        entity(TEXT_B, "سالم", "PER", "احمد سالم", nth=1, eid="p7", name="أحمد سالم"),
    ]
    cs, ce = at(TEXT_B, "مصر تدعم الحوار")
    ss, se = at(TEXT_B, "سالم", 1)
    b.quotes = [Quote(cs, ce, TEXT_B[cs:ce], component="quotes", speaker=Speaker("سالم", ss, se, entity="p7"),
                      cue="أكد", direct=False)]  # fmt: skip
    return [a, b]


@pytest.fixture
def outcomes(articles: list[Article]) -> list[FakeOutcome]:
    a, b = articles
    return [
        FakeOutcome("k1", "a.txt", "stored", a.id, None, "ar"),
        FakeOutcome("k2", "empty.txt", "quarantined", None, "the file is empty"),
        FakeOutcome("k3", "b.txt", "stored", b.id, None, "ar"),
        FakeOutcome("k4", "en.txt", "filtered", None, "language is en, not one of: ar", "en"),
        FakeOutcome("k5", "copy.txt", "duplicate", a.id, f"same text as {a.id}", "ar"),
    ]


def test_build_report_counts_and_not_stored_lists(articles, outcomes):
    report = build_report(articles, outcomes, generated_at=NOW)
    assert report["schema"] == REPORT_SCHEMA
    assert report["generated_at"] == NOW
    assert report["counts"] == {"inputs": 5, "stored": 2, "duplicates": 1, "filtered": 1, "quarantined": 1}
    assert report["quarantine"] == [
        {"source": "empty.txt", "reason": "the file is empty", "status": "quarantined"}
    ]
    assert report["filtered"][0]["language"] == "en"
    assert [d["id"] for d in report["documents"]] == [a.id for a in articles]
    assert report["documents"][0]["removed"][0]["reason"] == "share buttons"
    assert report["relations"] == report["stories"] == report["contradictions"] == []


def test_build_report_groups_entities_across_documents(articles, outcomes):
    report = build_report(articles, outcomes, generated_at=NOW)
    person = next(e for e in report["entities"] if e["type"] == "PER")
    assert person["id"] == entity_id("PER", "احمد سالم")
    assert person["name"] == "أحمد سالم"
    assert person["aliases"] == sorted({"أحمد سالم", "سالم"})
    assert [(m["doc"], m["text"]) for m in person["mentions"]] == [
        (articles[0].id, "أحمد سالم"), (articles[1].id, "أحمد سالم"), (articles[1].id, "سالم"),
    ]  # fmt: skip
    # One entity per (type, key): the two mentions of Egypt with different surface forms but
    # different keys stay apart; the person mentioned in two documents is one entity.
    assert len({e["id"] for e in report["entities"]}) == len(report["entities"]) == 4


@pytest.mark.parametrize(
    ("quote_index", "expected_key"),
    [
        (0, "احمد سالم"),  # speaker is a description containing the name: mapped by offsets
        (1, "احمد سالم"),  # speaker carries the document-level id "p7": mapped through it
    ],
)
def test_build_report_maps_speaker_to_report_entity(articles, outcomes, quote_index, expected_key):
    report = build_report(articles, outcomes, generated_at=NOW)
    assert report["quotes"][quote_index]["speaker"]["entity"] == entity_id("PER", expected_key)


def test_build_report_maps_event_actors_and_keeps_reason(articles, outcomes):
    report = build_report(articles, outcomes, generated_at=NOW)
    (event,) = report["events"]
    assert event["source"]["entity"] == entity_id("GPE", "القاهره")
    assert event["source"]["code"] == "EGY GOV"
    assert event["target"]["entity"] is None  # no offsets, no document id: not guessed
    assert event["reason"] == "trigger ارسل -> AID"
    assert event["component"] == "events"
    assert event["mentions"] == [{"doc": articles[0].id, "start": event["mentions"][0]["start"],
                                  "end": event["mentions"][0]["end"], "text": "سترسل"}]  # fmt: skip


def test_build_report_is_deterministic(articles, outcomes):
    first = json.dumps(build_report(articles, outcomes, generated_at=NOW), ensure_ascii=False)
    shuffled = [make_article(a.text, a.source) for a in articles]
    for new, old in zip(shuffled, articles, strict=True):
        new.removed, new.times, new.quantities = old.removed, old.times, old.quantities
        new.quotes, new.events = list(reversed(old.quotes)), old.events
        new.entities = list(reversed(old.entities))
    second = json.dumps(build_report(shuffled, outcomes, generated_at=NOW), ensure_ascii=False)
    assert first == second


def test_build_report_annotations_carry_component(articles, outcomes):
    report = build_report(articles, outcomes, generated_at=NOW)
    records = [*report["times"], *report["quantities"], *report["quotes"], *report["events"]]
    records += [m for e in report["entities"] for m in e["mentions"]]
    assert records and all(r["component"] for r in records)


def test_validate_report_accepts_built_report(articles, outcomes):
    report = build_report(articles, outcomes, generated_at=NOW)
    validate_report(report)
    check_report_offsets(report)


def test_validate_report_accepts_empty_run():
    validate_report(build_report([], [], generated_at=NOW))


def _break_counts(r):
    r["counts"]["stored"] = -1


def _break_modality(r):
    r["events"][0]["modality"] = "certain"


def _break_granularity(r):
    r["times"][0]["granularity"] = "hour"


def _break_published(r):
    r["documents"][0]["published"] = "5 مايو"


def _break_missing_documents(r):
    del r["documents"]


def _break_sum(r):
    r["counts"]["inputs"] = 99


def _break_qualifier(r):
    r["quantities"][0]["qualifier"] = "roughly"


@pytest.mark.parametrize(
    ("breaker", "where"),
    [
        (_break_counts, "$.counts.stored"),
        (_break_modality, "$.events[0].modality"),
        (_break_granularity, "$.times[0].granularity"),
        (_break_published, "$.documents[0].published"),
        (_break_missing_documents, "$"),
        (_break_sum, "counts do not add up"),
        (_break_qualifier, "$.quantities[0]"),
    ],
)
def test_validate_report_rejects_broken_report(articles, outcomes, breaker, where):
    report = build_report(articles, outcomes, generated_at=NOW)
    breaker(report)
    with pytest.raises(SchemaError, match=__import__("re").escape(where)):
        validate_report(report)


@pytest.mark.parametrize("field", ["times", "quantities", "quotes"])
def test_check_report_offsets_rejects_shifted_span(articles, outcomes, field):
    report = build_report(articles, outcomes, generated_at=NOW)
    report[field][0]["start"] += 1
    with pytest.raises(SchemaError, match=field):
        check_report_offsets(report)


def test_build_report_rejects_unknown_status(articles):
    with pytest.raises(SchemaError, match="unknown outcome status"):
        build_report(articles, [FakeOutcome("k", "x", "lost", None, None)])


@pytest.mark.parametrize("layout", ["lines", "compact", "indented"])
def test_dumps_report_layouts_parse_back_identically(layout):
    report = {
        "schema": "marsad.report/1",
        "counts": {"inputs": 1},
        "documents": [{"id": "a", "text": "نص"}],
        "events": [],
    }
    assert json.loads(dumps_report(report, layout=layout)) == report


def test_dumps_report_lines_puts_one_record_per_line():
    docs = [{"id": str(i), "text": "خبر"} for i in range(3)]
    lines = dumps_report({"documents": docs, "events": []}).splitlines()
    assert sum(line.strip().startswith('{"id"') for line in lines) == 3
    assert "خبر" in lines[2]  # Arabic stays readable (ensure_ascii=False)


def test_dumps_report_rejects_unknown_layout():
    with pytest.raises(ConfigError, match="lines, compact, indented"):
        dumps_report({}, layout="pretty")


# -- stories ranked, lineage and the outlet table ---------------------------------------------------


def _corpus_with(articles, stories=(), lineage=()):
    from marsad.corpus import CorpusResult

    return CorpusResult(stories=list(stories), lineage=list(lineage))


@pytest.mark.parametrize(
    ("stories", "expected"),
    [
        # Larger first, whatever the input order.
        ([("s1", 1, "2024-05-09"), ("s2", 3, "2024-05-01"), ("s3", 2, "2024-05-05")], ["s2", "s3", "s1"]),
        # Same size: the most recently seen first; undated last; then id.
        ([("s1", 2, "2024-05-01"), ("s2", 2, None), ("s3", 2, "2024-05-07"), ("s0", 2, "2024-05-01")],
         ["s3", "s0", "s1", "s2"]),
    ],
)  # fmt: skip
def test_build_report_ranks_stories_by_size_then_recency(articles, outcomes, stories, expected):
    from marsad.model import Story

    records = [
        Story(id=i, title=i, documents=[f"d{k}" for k in range(n)], last_seen=seen) for i, n, seen in stories
    ]
    report = build_report(articles, outcomes, corpus=_corpus_with(articles, records))
    assert [s["id"] for s in report["stories"]] == expected
    assert [s["size"] for s in report["stories"]] == sorted((n for _, n, _ in stories), reverse=True)


def test_build_report_lists_copies_with_origin_and_outlet_table(articles, outcomes):
    from marsad.model.corpus import Copy, MentionRef

    a, b = articles
    a.outlet, b.outlet = "first-outlet", "copier"
    copy = Copy(
        b.id, a.id, a.id, "rewrite", 0.8, [(MentionRef(a.id, 0, 5), MentionRef(b.id, 0, 4))], "earlier"
    )
    report = build_report(articles, outcomes, corpus=_corpus_with(articles, lineage=[copy]))
    (record,) = report["lineage"]
    assert (record["doc"], record["source"], record["origin"], record["kind"]) == (
        b.id,
        a.id,
        a.id,
        "rewrite",
    )
    assert record["passages"] == [{"source": {"doc": a.id, "start": 0, "end": 5},
                                   "copy": {"doc": b.id, "start": 0, "end": 4}}]  # fmt: skip
    assert report["outlet_copies"] == [
        {"source_outlet": "first-outlet", "copy_outlet": "copier", "copies": 1, "exact": 0, "near_duplicate": 0,
         "rewrite": 1}
    ]  # fmt: skip
    validate_report(report)
    check_report_offsets(report)


def test_build_report_lists_duplicate_inputs_not_only_counts(articles, outcomes):
    report = build_report(articles, outcomes)
    a = articles[0]
    assert report["duplicates"] == [{"source": "copy.txt", "doc": a.id, "reason": f"same text as {a.id}"}]
    assert report["counts"]["duplicates"] == len(report["duplicates"])
