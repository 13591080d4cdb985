"""The HTML site in a real browser: Debian's Chromium driven by Playwright (no browser download).

CI installs the browser with `apt-get install -y chromium fonts-noto-core` and Playwright with the
dev extra; without either these tests are skipped. They check function (the page renders right to
left, its script runs, the filter filters, a story page opens directly at a document); speed is
measured by benchmarks/bench_site.py, not here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_site import generated_report

from marsad.report.build import ranked_stories
from marsad.report.site import STORIES_PER_PAGE, write_site
from marsad.report.source import DictSource

CHROMIUM = shutil.which("chromium")
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright not installed (pip install -e '.[dev]')"
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium fonts-noto-core)"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("browser-site")
    report = generated_report(1500, 400)
    write_site(DictSource(report), out)
    return out, report


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield opened
    opened.close()
    assert errors == [], errors  # no script error and no policy violation on any page


def _open(page: Any, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-js=ready]", state="attached")


def test_site_index_renders_rtl_with_its_script(site: tuple[Path, dict], page: Any) -> None:
    out, _ = site
    _open(page, out / "index.html")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("#stories tbody tr").count() == STORIES_PER_PAGE
    # The stylesheet applied: the header band is dark.
    assert page.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor") == (
        "rgb(20, 50, 79)"
    )
    assert page.locator("nav.pager a").first.is_visible()


def test_site_index_filter_filters_rows(site: tuple[Path, dict], page: Any) -> None:
    out, report = site
    _open(page, out / "index.html")
    rows = page.locator("#stories tbody tr")
    on_page = ranked_stories(report["stories"])[:STORIES_PER_PAGE]
    title = on_page[-1]["title"]  # "قصة N": no other title on the page contains it
    page.fill("input[name=q]", title)
    assert rows.evaluate_all("rs => rs.filter(r => !r.hidden).map(r => r.cells[1].textContent)") == [title]
    page.fill("input[name=q]", "")
    page.fill("input[name=from]", "2024-07-25")
    visible = rows.evaluate_all("rs => rs.filter(r => !r.hidden).length")
    assert visible == sum(1 for s in on_page if (s["last_seen"] or "") >= "2024-07-25") < STORIES_PER_PAGE
    assert page.locator("form.filter output").text_content() == str(visible)


def test_site_search_filters_all_stories(site: tuple[Path, dict], page: Any) -> None:
    out, _ = site
    _open(page, out / "search.html")
    page.fill("input[name=q]", "قصة 1498")  # on the last page of the index, found from search
    links = page.locator("#stories tbody a")
    assert links.count() == 1
    links.first.click()
    page.wait_for_selector("html[data-js=ready]", state="attached")
    assert page.locator("h1").text_content() == "قصة 1498"


def test_site_story_page_opens_directly_at_a_document(site: tuple[Path, dict], page: Any) -> None:
    out, _ = site
    pages = sorted((out / "story").glob("big-*.html"))
    assert pages, "the large story should page its documents"
    target = pages[-1]
    html = target.read_text(encoding="utf-8")
    last_id = html.rsplit('<article class="card article" id="', 1)[1].split('"', 1)[0]
    page.goto(f"{target.as_uri()}#{last_id}")
    page.wait_for_selector("html[data-js=ready]", state="attached")
    assert page.locator("h1").text_content() == "نشر قوات بلاد الشمال على الحدود الشرقية"
    article = page.locator(f"#{last_id}")
    assert article.is_visible() and "بلاد الشمال" in article.locator("div.text").text_content()
    # Opened at its anchor: the document is in view, not a blank page scrolled past the content.
    top = article.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 900
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("mark.ent-GPE").count() > 0


def test_site_entity_page_links_to_story_documents(site: tuple[Path, dict], page: Any) -> None:
    out, _ = site
    _open(page, out / "entity" / "ent-everywhere.html")
    first = page.locator("table.mentions a").first
    first.click()
    page.wait_for_selector("html[data-js=ready]", state="attached")
    assert "/story/" in page.url and "#d" in page.url
    anchor = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#{anchor}").is_visible()


def test_site_of_an_empty_report_runs_its_script(tmp_path: Path, page: Any) -> None:
    write_site(DictSource({"counts": {}, "documents": []}), tmp_path)
    for name in ("index.html", "search.html", "entities.html"):
        _open(page, tmp_path / name)  # the filter has no table to filter, and says nothing
