"""Write the HTML site from a report.json and time its pages in headless Chromium.

    nice marsad analyze ../shared/data/saudinewsnet/july2015.jsonl.gz --out /tmp/site-july
    python benchmarks/bench_site.py /tmp/site-july/report.json --out /tmp/site-july-site

The report is loaded into `DictSource` (the site's record source over an in-memory report) and
`write_site` writes every page; the script prints the CPU and wall time of the writing, the page
count, total and largest sizes by kind of page, then opens index.html, search.html and the
largest page of each kind in Debian's Chromium (through Playwright, no browser download) and
prints the median time from navigation to the page's script having run, and the load event as
the page itself measured it. Filtering the all-stories search page is timed the same way.
Without chromium on PATH or Playwright installed, only the writing is measured.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from marsad.report.site import write_site
from marsad.report.source import DictSource


def _largest(out: Path, pattern: str) -> Path | None:
    pages = sorted(out.glob(pattern), key=lambda p: p.stat().st_size, reverse=True)
    return pages[0] if pages else None


def _open_times(browser: Any, page_path: Path, runs: int) -> dict[str, float]:
    """Median seconds from navigation to the page's script having run, and to its load event."""
    ready, load = [], []
    for _ in range(runs):
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(page_path.as_uri(), timeout=120_000)
        page.wait_for_selector("html[data-js=ready]", state="attached", timeout=120_000)
        ready.append(time.perf_counter() - start)
        load.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
        page.close()
    return {"ready_s": round(statistics.median(ready), 3), "load_event_s": round(statistics.median(load), 3)}


def _filter_time(browser: Any, search: Path, word: str) -> dict[str, Any]:
    page = browser.new_page()
    page.goto(search.as_uri(), timeout=120_000)
    page.wait_for_selector("html[data-js=ready]", state="attached")
    before = page.locator("#stories tbody tr").count()
    start = time.perf_counter()
    page.fill("input[name=q]", word)
    shown = page.locator("form.filter output").text_content()
    seconds = time.perf_counter() - start
    page.close()
    return {"word": word, "rows_before": before, "shown_after": shown, "seconds": round(seconds, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="a report.json written by marsad analyze")
    parser.add_argument("--out", type=Path, default=Path("site-bench"), help="folder to write the site into")
    parser.add_argument("--runs", type=int, default=3, help="openings per page (the median is printed)")
    args = parser.parse_args()

    start = time.perf_counter()
    report = json.loads(args.report.read_text(encoding="utf-8"))
    print(
        f"loaded {args.report}: {len(report.get('documents') or [])} documents in {time.perf_counter() - start:.1f} s"
    )
    if args.out.exists():
        shutil.rmtree(args.out)
    cpu, wall = time.process_time(), time.perf_counter()
    summary = write_site(DictSource(report), args.out)
    result: dict[str, Any] = {
        "documents": len(report.get("documents") or []),
        "stories": len(report.get("stories") or []),
        "write_cpu_s": round(time.process_time() - cpu, 1),
        "write_wall_s": round(time.perf_counter() - wall, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "pages": summary.pages,
        "total_mb": round(summary.total_bytes / 1e6, 1),
        "largest": {"bytes": summary.largest[0], "page": summary.largest[1]},
        "largest_by_kind": summary.sizes,
        "search_index": summary.search,
    }
    del report
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None  # type: ignore[assignment]
    if chromium and sync_playwright is not None:
        targets = {
            "index": args.out / "index.html",
            "search": args.out / "search.html",
            "story (largest)": _largest(args.out / "story", "*.html"),
            "entity (largest)": _largest(args.out / "entity", "*.html"),
            "lineage (largest)": _largest(args.out, "lineage*.html"),
        }
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            result["chromium"] = {
                name: {"page": str(path.relative_to(args.out)), "bytes": path.stat().st_size,
                       **_open_times(browser, path, args.runs)}
                for name, path in targets.items() if path is not None
            }  # fmt: skip
            result["search_filter"] = _filter_time(browser, args.out / "search.html", "السعودية")
            browser.close()
    else:
        result["chromium"] = "skipped: chromium or playwright not installed"
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
