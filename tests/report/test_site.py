"""The HTML site: its record source, its pages, their links, and their bounded size.

The reports here are the hand-written sample of test_html.py and a generated corpus of a few
thousand documents shaped like a real run (one very large story, many small ones, an entity in
every document), so the bounds are checked where they matter without real data.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from test_html import HOSTILE, T1, _span, parse, sample_report

from marsad.report.build import ranked_stories
from marsad.report.html import write_html
from marsad.report.site import PAGE_BUDGET, file_id, paged, write_site
from marsad.report.source import DictSource

MAX_PAGE = 2_000_000  # bytes: the bound on any page of the site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_site(DictSource(sample_report()), out)
    return out


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


# --- the source ---------------------------------------------------------------------------------


def test_dict_source_ranks_stories_like_build() -> None:
    report = sample_report()
    report["stories"].reverse()
    ranked = [s["id"] for s in DictSource(report).ranked_stories()]
    assert ranked == ["st-1", "st-2"]  # three documents before one, whatever the input order
    assert ranked == [s["id"] for s in ranked_stories(report["stories"])]


def test_dict_source_story_parts_restricted_to_the_story() -> None:
    parts = DictSource(sample_report()).story_parts("st-1")
    assert [d["id"] for d in parts["documents"]] == ["d1", "d2", "d4"]
    assert {e["id"] for e in parts["entities"]} == {"ent-p", "ent-n"}  # not the hostile one in d3
    assert {m["doc"] for e in parts["entities"] for m in e["mentions"]} <= {"d1", "d2", "d4"}
    assert {e["id"] for e in parts["events"]} == {"e-jun", "e-feb", "e-nov", "e-aug"}
    assert {c["id"] for c in parts["contradictions"]} == {"c-1", "c-2"}  # c-2 has a claim in d2
    assert len(parts["relations"]) == 3 and len(parts["lineage"]) == 2
    # Lineage passages carry their words, for a source document shown on another page.
    passage = next(c for c in parts["lineage"] if c["kind"] == "rewrite")["passages"][0]
    assert passage["source"]["text"] == "أكثر من 5 آلاف جندي"


def test_dict_source_unknown_story_is_empty() -> None:
    parts = DictSource(sample_report()).story_parts("no-such-story")
    assert parts["documents"] == [] and parts["events"] == []


def test_dict_source_entities_most_mentioned_first() -> None:
    source = DictSource(sample_report())
    entities = list(source.entities())
    assert [e["id"] for e in entities] == ["ent-n", "ent-h", "ent-p"]
    assert entities[0]["mention_count"] == 2 and entities[0]["document_count"] == 2
    assert all("mentions" not in e for e in entities)
    assert [m["doc"] for m in source.entity_mentions("ent-n")] == ["d1", "d2"]


def test_dict_source_documents_brief_names_the_story() -> None:
    briefs = list(DictSource(sample_report()).documents_brief(["d3", "missing", "d1"]))
    assert [(b["id"], b["story"]) for b in briefs] == [("d3", "st-2"), ("d1", "st-1")]


# --- the pages ----------------------------------------------------------------------------------


def test_write_site_writes_every_kind_of_page(site: Path) -> None:
    names = {str(p.relative_to(site)) for p in _pages(site)}
    assert {
        "index.html",
        "search.html",
        "entities.html",
        "lineage.html",
        "duplicates.html",
        "inputs.html",
    } <= names
    assert {"story/st-1.html", "story/st-2.html"} <= names
    assert {"entity/ent-p.html", "entity/ent-n.html", "entity/ent-h.html"} <= names
    assert not [n for n in names if "/." in n or n.startswith(".")]  # no temp file left behind


def test_write_site_pages_well_formed_arabic_rtl_offline(site: Path) -> None:
    for path in _pages(site):
        page = path.read_text(encoding="utf-8")
        parse(page)
        assert '<html lang="ar" dir="rtl">' in page, path
        assert "default-src 'none'" in page, path
        assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", page), path


def test_write_site_links_resolve(site: Path) -> None:
    """Every relative link names a page of the site, and its anchor an element of that page."""
    ids: dict[Path, set[str]] = {}
    for path in _pages(site):
        ids[path.resolve()] = set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))
    for path in _pages(site):
        for href in re.findall(r'\bhref="([^"]*)"', path.read_text(encoding="utf-8")):
            target, _, anchor = unquote(href).partition("#")
            page = (path.parent / target).resolve() if target else path.resolve()
            assert page in ids, f"{path.name}: {href}"
            if anchor:
                assert anchor in ids[page], f"{path.name}: {href}"


def test_write_site_hostile_text_stays_text(site: Path) -> None:
    for path in _pages(site):
        page = path.read_text(encoding="utf-8")
        assert "<img src=x" not in page and '<script>alert("x")' not in page, path


def test_write_site_story_page_shows_story_and_documents(site: Path) -> None:
    tree = parse((site / "story" / "st-1.html").read_text(encoding="utf-8"))
    assert "نشر قوات بلاد الشمال على الحدود الشرقية" in [t for _, t in tree.find("h1")]
    assert [t for _, t in tree.find("div", "text")] == [T1, sample_report()["documents"][1]["text"], T1]
    assert len(tree.find("div", "claim")) == 4  # both contradictions, side by side
    assert tree.find("details", "history")  # the event's figures over time
    entity_links = [
        a.get("href") for a, _ in tree.find("a") if (a.get("href") or "").startswith("../entity/")
    ]
    assert "../entity/ent-p.html" in entity_links


def test_write_site_index_ranks_and_links_stories(site: Path) -> None:
    tree = parse((site / "index.html").read_text(encoding="utf-8"))
    links = [a.get("href") for a, _ in tree.find("a") if (a.get("href") or "").startswith("story/")]
    assert links == ["story/st-1.html", "story/st-2.html"]
    counts = {a.get("data-count"): t for a, t in tree.find("li")}
    assert counts["stored"].endswith("4") and counts["quarantined"].endswith("1")
    assert tree.find("form", "filter")


def test_write_site_search_index_cannot_close_its_block(tmp_path: Path) -> None:
    report = sample_report()
    report["stories"][0]["title"] = "عنوان </script><script>alert(1)</script>"
    summary = write_site(DictSource(report), tmp_path)
    assert summary.search == {"stories": 2, "left_out": 0, "bytes": summary.search["bytes"]}
    page = (tmp_path / "search.html").read_text(encoding="utf-8")
    assert page.count("</script>") == 2  # the data block's and the page script's own
    assert "\\u003c/script>" in page


def test_write_site_entity_page_lists_mentions_by_document(site: Path) -> None:
    tree = parse((site / "entity" / "ent-n.html").read_text(encoding="utf-8"))
    links = [a.get("href") for a, _ in tree.find("a") if (a.get("href") or "").startswith("../story/")]
    assert links == ["../story/st-1.html#d0", "../story/st-1.html#d1"]
    assert "NTH" in " ".join(t for _, t in tree.find("dd"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("st-1", "st-1"), ("ent-0a1b2c", "ent-0a1b2c"), ("../etc/passwd", None), (HOSTILE, None), ("", None)],
)
def test_file_id_keeps_plain_ids_and_hashes_others(value: str, expected: str | None) -> None:
    got = file_id(value)
    assert got == expected if expected else (got.startswith("h-") and re.fullmatch(r"h-[0-9a-f]{20}", got))


def test_paged_names_the_first_story_page_index() -> None:
    assert (paged("stories", 1), paged("stories", 3), paged("st-1", 1), paged("st-1", 2)) == (
        "index.html", "stories-3.html", "st-1.html", "st-1-2.html",
    )  # fmt: skip


def test_write_html_writes_the_site(tmp_path: Path) -> None:
    target = write_html(sample_report(), tmp_path / "out" / "index.html")
    assert target == tmp_path / "out" / "index.html"
    assert (tmp_path / "out" / "story" / "st-1.html").is_file()


# --- bounded pages on a generated corpus --------------------------------------------------------


def generated_report(documents: int, big_story: int) -> dict[str, Any]:
    """A report shaped like a real run, with every list of the large story at its worst: one
    story of `big_story` documents, the rest in stories of three, an entity mentioned in every
    document, hundreds of widely reported events with long figure histories, contradictions with
    many claims, and copies with their passages."""
    base = sample_report()
    report = copy.deepcopy(base)
    template = base["documents"][0]
    big_docs = [f"g{i}" for i in range(big_story)]
    report["documents"] = [dict(template, id=f"g{i}", title=f"خبر رقم {i}") for i in range(documents)]
    report["entities"] = [
        {"id": "ent-everywhere", "type": "GPE", "name": "بلاد الشمال", "country": "NTH",
         "aliases": ["بلاد الشمال"], "mentions": [_span(f"g{i}", T1, "بلاد الشمال") for i in range(documents)]},
    ]  # fmt: skip
    report["times"] = [
        _span(f"g{i}", T1, "فبراير 2022", value="2022-02", granularity="month") for i in range(documents)
    ]
    report["quantities"], report["quotes"] = [], []
    report["events"] = [
        dict(base["events"][0], id=f"ev-{n}", mentions=[_span(d, T1, "أرسلت") for d in big_docs[n % 7 :: 4]],
             history=[_span(d, T1, "أرسلت", published="2024-06-10", troops=5000.0 + k)
                      for k, d in enumerate(big_docs[:200])])
        for n in range(400)
    ]  # fmt: skip
    claims = [_span(d, T1, "أكثر من 5 آلاف", value=5000.0 + k) for k, d in enumerate(big_docs[:12])]
    report["contradictions"] = [
        {"id": f"c-{n}", "about": "عدد الجنود", "kind": "quantity", "claims": claims} for n in range(200)
    ]
    report["relations"] = [
        {"a": f"g{i}", "b": f"g{i + 1}", "kind": "exact", "score": 1.0} for i in range(0, documents - 1, 2)
    ]
    whole = {"start": 0, "end": len(T1)}
    report["lineage"] = [
        {"doc": f"g{i + 1}", "source": f"g{i}", "origin": f"g{i}", "kind": "near_duplicate", "score": 0.9,
         "passages": [{"source": {"doc": f"g{i}", **whole}, "copy": {"doc": f"g{i + 1}", **whole}}] * 3,
         "reason": "same text"} for i in range(0, documents - 1, 2)
    ]  # fmt: skip
    big = dict(base["stories"][0], id="big", documents=big_docs, timeline=[e["id"] for e in report["events"]])
    small = [
        dict(base["stories"][0], id=f"s{i}", title=f"قصة {i}", documents=[f"g{j}" for j in range(i, min(i + 3, documents))],
             summary=[], timeline=[], last_seen=f"2024-07-{1 + i % 28:02d}")
        for i in range(big_story, documents, 3)
    ]  # fmt: skip
    report["stories"] = [big, *small]
    report["duplicates"] = [{"source": f"feed.jsonl#{i}", "doc": f"g{i}"} for i in range(0, documents, 2)]
    return report


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("big-site")
    summary = write_site(DictSource(generated_report(3000, 1200)), out)
    return out, summary


def test_write_site_no_page_over_two_megabytes(big_site: tuple[Path, Any]) -> None:
    out, summary = big_site
    sizes = {p: p.stat().st_size for p in _pages(out)}
    assert max(sizes.values()) == summary.largest[0] < MAX_PAGE
    assert summary.pages == len(sizes)


def test_write_site_large_story_pages_its_documents(big_site: tuple[Path, Any]) -> None:
    out, _ = big_site
    story_pages = sorted((out / "story").glob("big*.html"))
    assert len(story_pages) >= 1 + 1200 * 1500 // PAGE_BUDGET  # the head, then the documents
    shown = sum(len(parse(p.read_text(encoding="utf-8")).find("div", "text")) for p in story_pages)
    assert shown == 1200  # every document once
    head = parse((out / "story" / "big.html").read_text(encoding="utf-8"))
    assert head.find("nav", "pager") and not head.find("div", "text")


def test_write_site_paginates_index_and_entity(big_site: tuple[Path, Any]) -> None:
    out, _ = big_site
    stories = 1 + len(range(1200, 3000, 3))
    assert (out / f"stories-{-(-stories // 100)}.html").is_file()
    assert not (out / f"stories-{-(-stories // 100) + 1}.html").exists()
    entity_pages = sorted((out / "entity").glob("ent-everywhere*.html"))
    assert len(entity_pages) > 1
    assert sorted((out / "duplicates.html", out / "duplicates-2.html")) == sorted(
        out.glob("duplicates*.html")
    )


def test_write_site_story_head_lists_are_cut_and_say_so(big_site: tuple[Path, Any]) -> None:
    out, _ = big_site
    head = (out / "story" / "big.html").read_text(encoding="utf-8")
    assert "الأحداث (400، أكثرها تقارير 150)" in head
    assert head.count('class="card contradiction"') == 60 and "يعرض هذا القسم 60 من 200 تناقضات" in head


def test_write_site_prunes_pages_of_an_earlier_site(tmp_path: Path) -> None:
    report = sample_report()
    write_site(DictSource(report), tmp_path)
    report["stories"] = report["stories"][:1]
    report["documents"] = [d for d in report["documents"] if d["id"] != "d3"]
    report["entities"] = [e for e in report["entities"] if e["id"] != "ent-h"]
    (tmp_path / "notes.html").write_text("mine", encoding="utf-8")
    write_site(DictSource(report), tmp_path)
    assert (
        not (tmp_path / "story" / "st-2.html").exists() and not (tmp_path / "entity" / "ent-h.html").exists()
    )
    assert (tmp_path / "story" / "st-1.html").exists() and (tmp_path / "notes.html").exists()
