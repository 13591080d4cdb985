"""The whole cross-document stage: analyze_corpus, the report it fills, and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from _corpus_c_helpers import article

from marsad.corpus import CorpusResult, analyze_corpus
from marsad.report import build_report, check_report_offsets, validate_report

BODY = (
    "أعلنت وزارة الصحة أن الفيضانات التي ضربت مدينة درنة أدت إلى مقتل 120 شخصا. "
    "وقالت الوزارة إن فرق الإنقاذ تواصل البحث عن المفقودين في الأحياء القريبة من الوادي. "
    "وأضافت أن المستشفيات استقبلت مئات الجرحى خلال الليل، وأن المساعدات بدأت تصل من المدن المجاورة. "
    "ودعت السلطات السكان إلى الابتعاد عن مجرى الوادي حتى انحسار المياه بالكامل."
)
OTHER = (
    "افتتح معرض الكتاب في مدينة تونس بمشاركة مئات الناشرين من البلدان العربية. "
    "وقالت إدارة المعرض إن عدد الزوار في اليوم الأول تجاوز التوقعات."
)


def _corpus() -> list:
    return [
        article(BODY, outlet="وكالة أ", published="2024-09-11"),
        article(BODY.replace("خلال الليل", "أثناء الليل"), outlet="موقع ب", published="2024-09-11"),
        article(OTHER, outlet="صحيفة ج", published="2024-09-12"),
    ]


def test_corpus_pipeline_fills_every_record() -> None:
    arts = _corpus()
    result = analyze_corpus(arts, config={})
    assert isinstance(result, CorpusResult)
    kinds = {(r.a, r.b): r.kind for r in result.relations}
    assert kinds.get((arts[0].id, arts[1].id)) in {"exact", "near_duplicate"}
    assert not any(arts[2].id in pair for pair, kind in kinds.items() if kind != "same_story")
    story_of = {d: s.id for s in result.stories for d in s.documents}
    assert story_of[arts[0].id] == story_of[arts[1].id] != story_of[arts[2].id]
    assert set(result.timings) >= {"dedup", "linking", "stories", "merge", "contradictions"}


def test_corpus_pipeline_report_validates() -> None:
    arts = _corpus()
    report = build_report(
        arts, [], corpus=analyze_corpus(arts, config={}), generated_at="2024-09-12T00:00:00Z"
    )
    validate_report(report)
    check_report_offsets(report)
    assert report["relations"] and report["stories"]


def test_corpus_pipeline_report_without_corpus_keeps_per_document_grouping() -> None:
    report = build_report(_corpus(), [], generated_at="2024-09-12T00:00:00Z")
    assert report["relations"] == [] and report["stories"] == [] and report["contradictions"] == []


@pytest.fixture(scope="module")
def seed_report(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    from marsad.api import analyze

    return analyze(seeds_dir, out=tmp_path_factory.mktemp("seeds"))


def _by_seed(report: dict) -> dict[str, str]:
    return {d["id"]: Path(d["source"]).name[:3] for d in report["documents"]}


def test_corpus_pipeline_seed_report_validates(seed_report: dict) -> None:
    validate_report(seed_report)
    check_report_offsets(seed_report)


def test_corpus_pipeline_seed_rewrite_and_no_other_copy(seed_report: dict) -> None:
    seed = _by_seed(seed_report)
    copies = {
        frozenset((seed[r["a"]], seed[r["b"]])): r["kind"]
        for r in seed_report["relations"]
        if r["kind"] != "same_story"
    }
    assert copies == {frozenset(("000", "001")): "rewrite"}


def test_corpus_pipeline_seed_troop_articles_share_a_story(seed_report: dict) -> None:
    seed = _by_seed(seed_report)
    story_of = {seed[d]: s["id"] for s in seed_report["stories"] for d in s["documents"] if d in seed}
    assert story_of["002"] == story_of["003"] == story_of["004"]


def test_corpus_pipeline_seed_timeline_order(seed_report: dict) -> None:
    events = {e["id"]: e for e in seed_report["events"]}
    wanted = ["2022-02", "2023-08", "2024-06", "2024-11-13"]
    for story in seed_report["stories"]:
        dates = [
            events[e]["date"]["value"] for e in story["timeline"] if events[e]["date"]["value"] in wanted
        ]
        if set(dates) == set(wanted):
            firsts = [dates.index(w) for w in wanted]
            assert firsts == sorted(firsts)
            return
    pytest.fail("no story timeline holds all four seed dates")


def test_corpus_pipeline_seed_events_merge_across_reports(seed_report: dict) -> None:
    # One event, many reports: some seed event is reported by more than one article, and every
    # merged event names at least one source.
    assert any(len({m["doc"] for m in e["mentions"]}) > 1 for e in seed_report["events"])
    assert all(e["sources"] for e in seed_report["events"])
