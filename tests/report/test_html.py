"""The static HTML report: structure, escaping, highlighting from offsets, linear cost.

The report used here is written by hand in our own Arabic (no seed sentences) and follows
REPORT.md, so these tests do not depend on the corpus stages that fill stories and relations.
"""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from marsad.events.plover import CATEGORIES
from marsad.report.html import (
    COLLAPSE_ABOVE,
    PageIndex,
    _fmt_value,
    highlight,
    label,
    labels,
    render_html,
)

HOSTILE = "<script>alert(\"x\")</script> & 'q' <img src=x onerror=alert(1)>"

T1 = (
    "أعلنت وزارة الدفاع في بلاد الشمال يوم الاثنين أنها أرسلت أكثر من 5 آلاف جندي إلى الحدود الشرقية.\n"
    "وقال المتحدث سامي الحداد إن الانتشار دفاعي بحت.\n"
    "وكانت أزمة مماثلة قد بدأت في فبراير 2022 ثم تجددت في أغسطس 2023."
)
T2 = (
    "ذكرت صحيفة محلية أن بلاد الشمال نشرت ما يصل إلى 7 آلاف جندي قرب الحدود الشرقية في 13 نوفمبر 2024.\n"
    "ونفى المتحدث صحة الأرقام المتداولة ووصفها بأنها أخبار كاذبة."
)
T3 = "نص فيه وسوم " + HOSTILE + " ثم ينتهي الخبر هنا."


def _span(doc: str, text: str, part: str, **extra: Any) -> dict[str, Any]:
    """A record pointing at the first occurrence of `part`, so offsets are right by construction."""
    start = text.index(part)
    return {"doc": doc, "start": start, "end": start + len(part), "text": part, **extra}


def sample_report() -> dict[str, Any]:
    """A small report.json with every section filled, including a hostile document."""
    docs = [
        {"id": "d1", "title": "قوات جديدة تصل إلى الحدود", "outlet": "وكالة الأنباء الأولى", "author": "منى سالم",
         "published": "2024-06-10", "source": "a.txt", "url": None, "language": "ar", "text": T1,
         "removed": [{"text": "اشترك في النشرة البريدية", "reason": "boilerplate: newsletter"}],
         "sentences": [[0, T1.index("\n")]]},
        {"id": "d2", "title": "انتشار عسكري قرب الحدود", "outlet": "صحيفة الثانية", "author": None,
         "published": "2024-11-14", "source": "b.txt", "url": None, "language": "ar", "text": T2, "removed": [],
         "sentences": []},
        {"id": "d3", "title": HOSTILE, "outlet": HOSTILE, "author": HOSTILE, "published": None,
         "source": HOSTILE, "url": None, "language": "ar", "text": T3, "removed": [{"text": HOSTILE, "reason": HOSTILE}],
         "sentences": []},
        {"id": "d4", "title": "قوات جديدة تصل إلى الحدود", "outlet": "موقع ثالث", "author": None,
         "published": "2024-06-11", "source": "c.txt", "url": None, "language": "ar", "text": T1, "removed": [],
         "sentences": []},
    ]  # fmt: skip
    event = {
        "mode": None, "source": {"text": "بلاد الشمال", "entity": "ent-n", "code": "NTH MIL"},
        "target": None, "location": {"text": "الحدود الشرقية", "entity": None}, "negated": False,
        "modality": "asserted", "confidence": 0.8, "reason": "trigger أرسلت",
    }  # fmt: skip
    events = [
        {**event, "id": "e-jun", "type": "MOBILIZE", "date": {"value": "2024-06", "text": "يونيو"},
         "mentions": [_span("d1", T1, "أرسلت أكثر من 5 آلاف جندي"), _span("d4", T1, "أرسلت أكثر من 5 آلاف جندي"),
                      _span("d2", T2, "نشرت ما يصل إلى 7 آلاف جندي")],
         "history": [_span("d1", T1, "أرسلت", published="2024-06-10", troops=5000.0),
                     _span("d2", T2, "نشرت", published="2024-11-14", troops=7000.0)]},
        {**event, "id": "e-feb", "type": "THREATEN", "date": {"value": "2022-02", "text": "فبراير 2022"},
         "mentions": [_span("d1", T1, "بدأت في فبراير 2022")]},
        {**event, "id": "e-nov", "type": "ASSAULT", "date": {"value": "2024-11-13", "text": "13 نوفمبر 2024"},
         "modality": "denied", "negated": True, "mentions": [_span("d2", T2, "ونفى المتحدث")]},
        {**event, "id": "e-aug", "type": "PROTEST", "date": {"value": "2023-08", "text": "أغسطس 2023"},
         "mentions": [_span("d1", T1, "تجددت في أغسطس 2023")]},
        {**event, "id": "e-none", "type": "CONSULT", "date": {"value": None, "text": None},
         "mentions": [_span("d3", T3, "نص فيه")]},
    ]  # fmt: skip
    return {
        "schema": "marsad.report/1",
        "generated_at": "2026-01-02T03:04:05Z",
        "counts": {"inputs": 6, "stored": 4, "duplicates": 0, "filtered": 1, "quarantined": 1},
        "quarantine": [
            {"source": "broken.html", "reason": "لا يوجد نص مقالة " + HOSTILE, "status": "quarantined"}
        ],
        "filtered": [{"source": "english.txt", "reason": "language en, not ar", "language": "en"}],
        "documents": docs,
        "entities": [
            {
                "id": "ent-p",
                "type": "PER",
                "name": "سامي الحداد",
                "country": None,
                "aliases": ["سامي الحداد"],
                "mentions": [_span("d1", T1, "سامي الحداد")],
            },
            {
                "id": "ent-n",
                "type": "GPE",
                "name": "بلاد الشمال",
                "country": "NTH",
                "aliases": ["بلاد الشمال"],
                "mentions": [_span("d1", T1, "بلاد الشمال"), _span("d2", T2, "بلاد الشمال")],
            },
            {
                "id": "ent-h",
                "type": "ORG",
                "name": HOSTILE,
                "country": None,
                "aliases": [HOSTILE],
                "mentions": [_span("d3", T3, HOSTILE)],
            },
        ],
        "times": [
            _span("d1", T1, "فبراير 2022", value="2022-02", granularity="month"),
            _span("d2", T2, "13 نوفمبر 2024", value="2024-11-13", granularity="day"),
        ],
        "quantities": [
            _span("d1", T1, "أكثر من 5 آلاف", value=5000.0, qualifier="more_than", unit="جندي"),
            _span("d2", T2, "ما يصل إلى 7 آلاف", value=7000.0, qualifier="up_to", unit="جندي"),
        ],
        "quotes": [
            _span(
                "d1", T1, "الانتشار دفاعي بحت", speaker={"text": "سامي الحداد", "entity": "ent-p"}, cue="وقال"
            ),
        ],
        "events": events,
        "relations": [
            {"a": "d1", "b": "d4", "kind": "exact", "score": 1.0},
            {
                "a": "d1",
                "b": "d2",
                "kind": "rewrite",
                "score": 0.41,
                "passages": [
                    {
                        "a": _span("d1", T1, "أكثر من 5 آلاف جندي"),
                        "b": _span("d2", T2, "ما يصل إلى 7 آلاف جندي"),
                    }
                ],
            },
            {"a": "d2", "b": "d4", "kind": "same_story", "score": 0.4},
        ],
        "duplicates": [{"source": "feed.jsonl#7", "doc": "d2", "reason": "same text as d2"}],
        "lineage": [
            {
                "doc": "d4",
                "source": "d1",
                "origin": "d1",
                "kind": "exact",
                "score": 1.0,
                "passages": [
                    {
                        "source": {"doc": "d1", "start": 0, "end": len(T1)},
                        "copy": {"doc": "d4", "start": 0, "end": len(T1)},
                    }
                ],
                "reason": HOSTILE,
            },
            {
                "doc": "d2",
                "source": "d1",
                "origin": "d1",
                "kind": "rewrite",
                "score": 0.41,
                "passages": [
                    {
                        "source": _span("d1", T1, "أكثر من 5 آلاف جندي"),
                        "copy": _span("d2", T2, "ما يصل إلى 7 آلاف جندي"),
                    }
                ],
                "reason": "earlier",
            },
        ],
        "outlet_copies": [
            {
                "source_outlet": "وكالة الأنباء الأولى",
                "copy_outlet": "موقع ثالث",
                "copies": 1,
                "exact": 1,
                "near_duplicate": 0,
                "rewrite": 0,
            },
            {
                "source_outlet": "وكالة الأنباء الأولى",
                "copy_outlet": HOSTILE,
                "copies": 1,
                "exact": 0,
                "near_duplicate": 0,
                "rewrite": 1,
            },
        ],
        "stories": [
            {
                "id": "st-1",
                "title": "نشر قوات بلاد الشمال على الحدود الشرقية",
                "documents": ["d1", "d2", "d4"],
                "summary": [
                    {"doc": "d1", "start": 0, "end": T1.index("\n")},
                    _span("d2", T2, "ونفى المتحدث صحة الأرقام"),
                ],
                "timeline": ["e-feb", "e-aug", "e-jun", "e-nov"],
                "first_seen": "2024-06-10",
                "last_seen": "2024-11-14",
            },
            {
                "id": "st-2",
                "title": HOSTILE,
                "documents": ["d3"],
                "summary": [],
                "timeline": ["missing-event"],
                "first_seen": None,
                "last_seen": None,
            },
        ],
        "contradictions": [
            {
                "id": "c-1",
                "about": "عدد الجنود المرسلين إلى الحدود الشرقية",
                "kind": "quantity",
                "claims": [
                    _span("d1", T1, "أكثر من 5 آلاف", value=5000.0),
                    _span("d2", T2, "ما يصل إلى 7 آلاف", value=7000.0),
                ],
            },
            {
                "id": "c-2",
                "about": HOSTILE,
                "kind": "denial",
                "claims": [
                    _span("d3", T3, HOSTILE, value=HOSTILE),
                    _span("d2", T2, "أخبار كاذبة", value="denied"),
                ],
            },
        ],
    }


class _Tree(HTMLParser):
    """Collects elements with their attributes and text, and checks that every tag closes in order."""

    VOID = frozenset({"meta", "br", "img", "input", "link", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.open_text: list[list[str]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            self.elements.append((tag, dict(attrs), []))
            return
        self.stack.append((tag, dict(attrs)))
        self.open_text.append([])

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        name, attrs = self.stack.pop()
        text = self.open_text.pop()
        self.elements.append((name, attrs, text))
        if self.open_text:
            self.open_text[-1].extend(text)

    def handle_data(self, data: str) -> None:
        if self.open_text:
            self.open_text[-1].append(data)

    def find(self, tag: str, cls: str | None = None) -> list[tuple[dict[str, str | None], str]]:
        return [
            (attrs, "".join(text))
            for name, attrs, text in self.elements
            if name == tag and (cls is None or cls in (attrs.get("class") or "").split())
        ]


def parse(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    assert tree.errors == [], tree.errors[:3]
    assert tree.stack == [], "unclosed elements"
    return tree


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(sample_report())


@pytest.fixture(scope="module")
def tree(page: str) -> _Tree:
    return parse(page)


def test_render_html_page_is_arabic_rtl(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="ar" dir="rtl">' in page
    assert '<meta charset="utf-8">' in page


def test_render_html_page_needs_no_network(page: str, tree: _Tree) -> None:
    # Nothing may be fetched: no external scripts, styles, fonts or images; links stay in the page.
    assert not [name for name, _, _ in tree.elements if name in ("link", "iframe", "img", "object", "embed")]
    assert not [attrs for _, attrs, _ in tree.elements if "src" in attrs]
    assert all(attrs["href"].startswith("#") for attrs, _ in tree.find("a"))
    style = "".join(text for _, text in tree.find("style"))
    assert "@import" not in style and "url(" not in style
    assert "default-src 'none'" in page


@pytest.mark.parametrize(
    "fragment",
    [
        HOSTILE,  # appears as title, outlet, author, source, text, entity name, story title, claim, reason
        "<script>alert",
        "<img src=x",
        "onerror=alert(1)>",
    ],
)
def test_render_html_escapes_untrusted_text(page: str, fragment: str) -> None:
    assert fragment not in page


def test_render_html_escaped_text_reads_back_unchanged(tree: _Tree) -> None:
    titles = [text for _, text in tree.find("h3")]
    assert HOSTILE in titles  # shown to the reader as text, not run as markup
    scripts = tree.find("script")
    assert len(scripts) == 1 and "alert" not in scripts[0][1]


def test_render_html_header_counts(tree: _Tree) -> None:
    counts = {attrs["data-count"]: text for attrs, text in tree.find("li") if attrs.get("data-count")}
    assert counts == {
        "inputs": "المدخلات6",
        "stored": "المخزنة4",
        "duplicates": "المكررة0",
        "filtered": "المستبعدة1",
        "quarantined": "المعزولة1",
    }
    assert "2026-01-02T03:04:05Z" in "".join(text for _, text in tree.find("header"))


def test_render_html_story_timeline_in_story_order(tree: _Tree) -> None:
    story = next(text for attrs, text in tree.find("article", "story") if attrs.get("id") == "s0")
    timeline = tree.find("table", "timeline")[0][1]
    positions = [timeline.index(v) for v in ("2022-02", "2023-08", "2024-06", "2024-11-13")]
    assert positions == sorted(positions)
    assert "نشر قوات بلاد الشمال على الحدود الشرقية" in story
    assert "حدث غير موجود" in next(
        text for attrs, text in tree.find("article", "story") if attrs.get("id") == "s1"
    )


def test_render_html_summary_cites_sentence_in_article(page: str, tree: _Tree) -> None:
    cites = [attrs["href"] for attrs, _ in tree.find("a", "cite")]
    assert cites == ["#c0-0", "#c0-1"]
    cited = {attrs["id"]: text for attrs, text in tree.find("mark", "cited") if "id" in attrs}
    assert cited["c0-0"] == T1[: T1.index("\n")]
    assert cited["c0-1"] == "ونفى المتحدث صحة الأرقام"


def test_render_html_events_ordered_by_date_unknown_last(tree: _Tree) -> None:
    table = next(e for e in tree.elements if e[0] == "table" and "events" in (e[1].get("class") or ""))
    rows = [attrs.get("data-sort") for attrs, _ in tree.find("td") if attrs.get("data-sort") is not None]
    dates = [r for r in rows if r == "" or re.fullmatch(r"\d{4}(-\d\d){0,2}", r)]
    # The timeline table carries the same cells first; the events table's are the last five.
    assert dates[-5:] == ["2022-02", "2023-08", "2024-06", "2024-11-13", ""]
    assert "sortable" in (table[1].get("class") or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اعتداء", "ASSAULT"),  # Arabic label shown beside the code
        ("منفي", "badge"),  # modality denied
        ("لم يقع", "badge"),  # negated
        ("محتمل", None),  # no event is possible, so the label must not appear as a badge
    ],
)
def test_render_html_event_labels_and_badges(tree: _Tree, text: str, expected: str | None) -> None:
    cells = "".join(t for _, t in tree.find("td"))
    badges = [t for _, t in tree.find("span", "badge")]
    if expected is None:
        assert text not in badges
    elif expected == "badge":
        assert text in badges
    else:
        assert text in cells and expected in cells


def test_render_html_contradiction_claims_side_by_side(tree: _Tree) -> None:
    cards = [text for _, text in tree.find("article", "contradiction")]
    assert len(cards) == 2
    assert "عدد الجنود المرسلين إلى الحدود الشرقية" in cards[0]
    claims = [text for _, text in tree.find("div", "claim")]
    assert "5,000" in claims[0] and "«أكثر من 5 آلاف»" in claims[0] and "وكالة الأنباء الأولى" in claims[0]
    assert "7,000" in claims[1] and "«ما يصل إلى 7 آلاف»" in claims[1] and "صحيفة الثانية" in claims[1]
    assert len(tree.find("div", "claims")) == 2


@pytest.mark.parametrize(
    ("css", "text"),
    [
        ("ent-PER", "سامي الحداد"),
        ("ent-GPE", "بلاد الشمال"),
        ("ent-ORG", HOSTILE),
        ("time", "فبراير 2022"),
        ("time", "13 نوفمبر 2024"),
        ("qty", "أكثر من 5 آلاف"),
        ("qty", "ما يصل إلى 7 آلاف"),
        ("quote", "الانتشار دفاعي بحت"),
    ],
)
def test_render_html_article_marks(tree: _Tree, css: str, text: str) -> None:
    assert text in [t for _, t in tree.find("mark", css)]


def test_render_html_article_text_survives_highlighting(tree: _Tree) -> None:
    texts = {attrs.get("id"): t for attrs, t in tree.find("article", "article")}
    bodies = [t for _, t in tree.find("div", "text")]
    assert bodies == [T1, T2, T3, T1]
    assert set(texts) == {"d0", "d1", "d2", "d3"}


@pytest.mark.parametrize(
    ("doc_anchor", "badge"),
    [
        ("d0", "نسخة مكررة من"),  # d1 <-> d4 exact
        ("d3", "نسخة مكررة من"),
        ("d0", "إعادة صياغة لـ"),  # d1 <-> d2 rewrite
        ("d1", "إعادة صياغة لـ"),
    ],
)
def test_render_html_duplicates_badged(tree: _Tree, doc_anchor: str, badge: str) -> None:
    article = next(t for attrs, t in tree.find("article", "article") if attrs.get("id") == doc_anchor)
    assert badge in article


def test_render_html_lineage_lists_copies_with_source_and_passages(tree: _Tree) -> None:
    (section,) = [t for attrs, t in tree.find("section") if attrs.get("id") == "lineage"]
    assert "(2)" in section
    rows = [t for _, t in tree.find("tr") if "منقولة عن" not in t and "المصدر الأسبق" not in t]
    table = [r for r in rows if "موقع ثالث" in r and "وكالة الأنباء الأولى" in r]
    assert table, "the outlet table names who republished whom"
    rewrite = next(r for r in rows if "إعادة صياغة لـ" in r and "2. " in r)
    assert "1. قوات جديدة تصل إلى الحدود" in rewrite  # the source, by its number and title
    assert "أكثر من 5 آلاف جندي" in rewrite and "ما يصل إلى 7 آلاف جندي" in rewrite  # passages


def test_render_html_lineage_lists_inputs_with_a_stored_text(tree: _Tree) -> None:
    (row,) = [t for _, t in tree.find("tr") if "feed.jsonl#7" in t]
    assert "2. انتشار عسكري قرب الحدود" in row


def test_render_html_same_story_is_not_a_duplicate(tree: _Tree) -> None:
    kinds = {attrs.get("data-kind") for attrs, _ in tree.find("span", "dup")}
    assert kinds == {"exact", "rewrite"}


def test_render_html_removed_boilerplate_collapsed(tree: _Tree) -> None:
    removed = [t for _, t in tree.find("details", "removed")]
    assert any("اشترك في النشرة البريدية" in t and "boilerplate: newsletter" in t for t in removed)


def test_render_html_lists_inputs_not_stored(tree: _Tree) -> None:
    section = next(t for attrs, t in tree.find("section") if attrs.get("id") == "inputs")
    assert "broken.html" in section and "english.txt" in section
    assert "language en, not ar" in section and "معزول" in section and "مستبعد" in section


@pytest.mark.parametrize(
    ("relations", "expected"),
    [
        ([], 3),  # three outlets, nothing copied
        ([{"a": "d1", "b": "d4", "kind": "exact", "score": 1.0}], 2),
        (
            [
                {"a": "d1", "b": "d4", "kind": "exact", "score": 1.0},
                {"a": "d2", "b": "d4", "kind": "rewrite", "score": 0.5},
            ],
            1,
        ),
        ([{"a": "d1", "b": "d2", "kind": "same_story", "score": 0.5}], 3),  # same story is not a copy
    ],
)
def test_index_independent_sources_count_copies_once(relations: list[dict], expected: int) -> None:
    report = sample_report()
    report["relations"] = relations
    event = next(e for e in report["events"] if e["id"] == "e-jun")
    assert PageIndex(report).sources(event) == expected


def test_index_independent_sources_prefers_merge_stage() -> None:
    report = sample_report()
    event = dict(report["events"][0], sources=["وكالة", "صحيفة"])
    assert PageIndex(report).sources(event) == 2


def _marks_well_formed(rendered: str) -> str:
    """The text of a highlighted fragment after checking its marks nest; fails on a stray tag."""
    tree = parse(f"<div>{rendered}</div>")
    return "".join(tree.find("div")[0][1])


@pytest.mark.parametrize(
    "spans",
    [
        [],
        [(0, 4, "ent", "ent", "")],
        [(0, 6, "ent", "ent", ""), (3, 10, "time", "time", "")],  # crossing: clipped to nest
        [(2, 8, "quote", "quote", ""), (2, 8, "ent", "ent", ""), (2, 8, "qty", "qty", "")],  # identical spans
        [
            (0, 20, "cited", "cited", "c0-0"),
            (1, 3, "ent", "ent", ""),
            (3, 5, "qty", "qty", ""),
            (4, 30, "time", "time", ""),
        ],
        [
            (-5, 3, "ent", "ent", ""),
            (8, 999, "time", "time", ""),
            (5, 5, "qty", "qty", ""),
            (7, 6, "qty", "qty", ""),
        ],
        [(0, 11, "ent", "ent", '<b>"tip"</b>')],  # hostile tooltip
    ],
)
def test_highlight_keeps_text_and_nests(spans: list[tuple[int, int, str, str, str]]) -> None:
    text = 'بلاد <الشمال> & "الجنوب" في 2024'
    rendered = highlight(text, spans)
    assert _marks_well_formed(rendered) == text
    assert "<b>" not in rendered and "<الشمال>" not in rendered


def test_highlight_marks_exact_offsets() -> None:
    text = "قال سامي الحداد اليوم"
    start = text.index("سامي")
    rendered = highlight(text, [(start, start + len("سامي الحداد"), "ent", "ent ent-PER", "سامي · شخص")])
    assert rendered == 'قال <mark class="ent ent-PER" title="سامي · شخص">سامي الحداد</mark> اليوم'


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_labels_every_plover_category_has_arabic_label(category: str) -> None:
    shown = label("plover", category)
    assert shown != category and re.search(r"[\u0600-\u06ff]", shown)


@pytest.mark.parametrize(
    "group", ["modality", "relation", "contradiction", "granularity", "entity", "status"]
)
def test_labels_groups_loaded(group: str) -> None:
    assert labels()[group]


def test_label_unknown_code_falls_back_to_code() -> None:
    assert label("plover", "NEWCATEGORY") == "NEWCATEGORY"


def _big_report(n: int) -> dict[str, Any]:
    base = sample_report()
    report = copy.deepcopy(base)
    report["documents"] = []
    for key in ("entities", "times", "quantities", "quotes", "events"):
        report[key] = []
    for i in range(n):
        doc = f"doc{i}"
        report["documents"].append(dict(base["documents"][0], id=doc))
        report["entities"].append({"id": f"e{i}", "type": "PER", "name": "سامي الحداد", "aliases": [],
                                   "mentions": [_span(doc, T1, "سامي الحداد")]})  # fmt: skip
        report["times"].append(_span(doc, T1, "فبراير 2022", value="2022-02", granularity="month"))
        report["events"].append(dict(base["events"][0], id=f"ev{i}", mentions=[_span(doc, T1, "أرسلت")]))
    report["relations"] = [
        {"a": f"doc{i}", "b": f"doc{i + 1}", "kind": "exact", "score": 1.0} for i in range(0, n - 1, 2)
    ]
    report["stories"] = [
        dict(base["stories"][0], documents=[f"doc{i}" for i in range(n)], summary=[], timeline=[])
    ]
    report["contradictions"] = []
    return report


def test_render_html_large_report_collapses_article_texts() -> None:
    page = render_html(_big_report(COLLAPSE_ABOVE + 1))
    assert page.count("<details><summary>النص (") == COLLAPSE_ABOVE + 1
    small = render_html(_big_report(3))
    assert "<details><summary>النص (" not in small


def test_render_html_real_examples_report(examples_dir: Path, tmp_path: Path) -> None:
    from marsad.api import analyze

    report = analyze(examples_dir / "articles", out=tmp_path)
    page = render_html(report)
    tree = parse(page)
    bodies = [t for _, t in tree.find("div", "text")]
    assert bodies == [d["text"] for d in report["documents"]]
    marks = tree.find("mark")
    assert len(marks) >= len(report["times"]) > 0


def test_render_html_copy_passages_side_by_side(tree: _Tree) -> None:
    first = next(t for attrs, t in tree.find("article", "article") if attrs.get("id") == "d0")
    passages = [t for _, t in tree.find("details", "passages")]
    assert len(passages) == 2  # the rewrite, shown on both documents
    assert "أكثر من 5 آلاف جندي" in passages[0] and "ما يصل إلى 7 آلاف جندي" in passages[0]
    assert "مقاطع مشتركة (1)" in first


def test_render_html_event_history_listed(tree: _Tree) -> None:
    history = [t for _, t in tree.find("details", "history")]
    assert len(history) == 1
    assert history[0].index("5,000") < history[0].index("7,000")
    assert "2024-06-10" in history[0] and "troops" in history[0]


def test_render_html_citations_use_article_numbers(tree: _Tree) -> None:
    assert [t for _, t in tree.find("a", "cite")] == ["[1]", "[2]"]
    headings = [t for attrs, t in tree.find("h3") if t.startswith(("1.", "2."))]
    assert headings == ["1. قوات جديدة تصل إلى الحدود", "2. انتشار عسكري قرب الحدود"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": "عنوان الخبر", "outlet": "وكالة"}, "1. عنوان الخبر"),
        ({"title": None, "outlet": "وكالة"}, "1. وكالة"),
        ({"title": None, "outlet": None, "text": "كلمة " * 20}, "1. " + " ".join(["كلمة"] * 8) + "…"),
        ({"title": None, "outlet": None, "text": ""}, "1. x"),
    ],
)
def test_index_title_falls_back_for_untitled_documents(fields: dict[str, Any], expected: str) -> None:
    report = {"documents": [{"id": "x", "text": "نص", **fields}]}
    assert PageIndex(report).title("x") == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (5000.0, "5,000"),
        (12, "12"),
        (2.5, "2.5"),
        ("2024-06", "2024-06"),
        (None, ""),
        ({"value": 10000.0, "qualifier": "more_than", "unit": "جندي"}, "أكثر من 10,000 جندي"),
        ({"value": 12000.0, "qualifier": "up_to", "unit": "جندي"}, "ما يصل إلى 12,000 جندي"),
        ({"value": 21.0, "qualifier": "exact", "unit": "قتيلا", "of": 50.0}, "21 من 50 قتيلا"),
        ({"value": None, "qualifier": "vague", "unit": None}, "عدد غير محدد من ؟"),
        ({"speaker": "الوزير", "verb": "نفى"}, '{"speaker": "الوزير", "verb": "نفى"}'),
    ],
)
def test_fmt_value_reads_like_the_report(value: Any, shown: str) -> None:
    assert _fmt_value(value) == shown


def test_render_html_seed_report(seeds_dir: Path, tmp_path: Path) -> None:
    from marsad.api import analyze

    report = analyze(seeds_dir, out=tmp_path)
    # `analyze` wrote the site: every document appears once on its story's pages.
    trees = [parse(p.read_text(encoding="utf-8")) for p in sorted((tmp_path / "story").glob("*.html"))]
    texts = sorted(t for tree in trees for _, t in tree.find("div", "text"))
    assert texts == sorted(d["text"] for d in report["documents"])
    claims = " ".join(t for tree in trees for _, t in tree.find("div", "claim"))
    for contradiction in report["contradictions"]:
        for claim in contradiction["claims"]:
            assert f"«{claim['text']}»" in claims
    stories = [t for tree in trees for _, t in tree.find("article", "story")]
    assert len(stories) == len(report["stories"])


def test_render_html_denial_claims_labelled_in_arabic() -> None:
    report = sample_report()
    report["contradictions"][1]["claims"][0]["value"] = "asserted"
    tree = parse(render_html(report))
    values = [t for _, t in tree.find("div", "value")]
    assert values[-2:] == ["مؤكد", "منفي"]
