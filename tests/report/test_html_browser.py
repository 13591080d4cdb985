"""The HTML report as a person sees it: rendered by headless Chromium, checked from the DOM after
scripts ran and from a screenshot.

CI installs the browser and an Arabic font with `apt-get install -y chromium fonts-noto-core`;
without `chromium` on PATH these tests are skipped.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from test_html import sample_report

from marsad.report.html import render_html

CHROMIUM = shutil.which("chromium")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium fonts-noto-core)"
)

WIDTH, HEIGHT = 1280, 2000

# Measures the laid-out page and leaves the numbers in the DOM for --dump-dom. It is added to a
# test copy of the page only: the shipped page carries no test hooks.
PROBE = """<script>
(function () {
  function box(el) { var r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
  var claims = Array.prototype.map.call(
    document.querySelector(".claims").querySelectorAll(".claim"), box);
  var per = document.querySelector(".article mark.ent-PER");
  var bg = per ? getComputedStyle(per).backgroundColor : null;
  var text = getComputedStyle(per.closest(".article")).backgroundColor;
  var range = document.createRange();
  range.selectNodeContents(document.querySelector("h1"));  // the heading's text, not its block
  var h1 = range.getBoundingClientRect();
  var out = {claims: claims, h1: [h1.left, h1.top, h1.right, h1.bottom], width: window.innerWidth,
             direction: getComputedStyle(document.body).direction, markBg: bg, articleBg: text};
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}", f"--window-size={WIDTH},{HEIGHT}",
    ]  # fmt: skip
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=60, check=True)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("browser")
    page = render_html(sample_report())
    (tmp / "index.html").write_text(page, encoding="utf-8")
    probed = tmp / "probed.html"
    # The page's policy runs only its own script, by hash: the probe's hash is added to the copy.
    body = PROBE.removeprefix("<script>").removesuffix("</script>")
    probe_src = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "' "
    probed_page = page.replace("script-src ", "script-src " + probe_src, 1).replace(
        "</body>", PROBE + "</body>"
    )
    probed.write_text(probed_page, encoding="utf-8")
    dom = _chromium(tmp, "--dump-dom", probed.as_uri()).stdout
    shot = tmp / "shot.png"
    _chromium(tmp, f"--screenshot={shot}", (tmp / "index.html").as_uri())
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert match, "the probe script did not run"
    probe = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return {"dom": dom, "probe": probe, "shot": shot}


def test_browser_page_is_rtl_and_script_ran(rendered: dict[str, Any]) -> None:
    dom = rendered["dom"]
    assert re.search(r'<html[^>]*\bdir="rtl"', dom) and re.search(r'<html[^>]*\blang="ar"', dom)
    assert 'data-js="ready"' in dom  # the page's own script ran without error
    probe = rendered["probe"]
    assert probe["direction"] == "rtl"
    # Right to left: the heading's text starts at the right edge of the window.
    assert probe["h1"][2] > probe["width"] * 0.9 and probe["h1"][0] > probe["width"] * 0.5


def test_browser_shows_story_title_and_timeline(rendered: dict[str, Any]) -> None:
    dom = rendered["dom"]
    assert "نشر قوات بلاد الشمال على الحدود الشرقية" in dom
    timeline = dom[dom.index('class="timeline"') :]
    positions = [timeline.index(v) for v in ("2022-02", "2023-08", "2024-06", "2024-11-13")]
    assert positions == sorted(positions)


def test_browser_contradiction_claims_side_by_side(rendered: dict[str, Any]) -> None:
    dom = rendered["dom"]
    assert "«أكثر من 5 آلاف»" in dom and "«ما يصل إلى 7 آلاف»" in dom
    (l1, t1, _, _), (_, t2, r2, _) = rendered["probe"]["claims"]
    assert abs(t1 - t2) < 2, "claims should share a row"
    assert r2 <= l1 + 1, "the second claim sits to the left of the first (right to left)"


def test_browser_entity_marks_are_highlighted(rendered: dict[str, Any]) -> None:
    dom = rendered["dom"]
    assert re.search(r'<mark class="ent ent-PER"[^>]*>سامي الحداد</mark>', dom)
    probe = rendered["probe"]
    assert probe["markBg"] not in (None, probe["articleBg"], "rgba(0, 0, 0, 0)")


def test_browser_hostile_text_stays_text(rendered: dict[str, Any]) -> None:
    dom = rendered["dom"]
    assert "onerror=alert(1)>" not in dom
    assert len(re.findall(r"<script\b", dom)) == 2  # the page's script and the test probe only


def _png_pixels(path: Path, rows_wanted: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first `rows_wanted` RGB(A) rows of an 8-bit non-interlaced PNG (what
    Chromium writes); decoding stops there because unfiltering in Python costs about 1 s per 500 rows."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6), "expected 8-bit RGB or RGBA"
    bpp = 4 if color == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(min(height, rows_wanted)):
        filt = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + a) & 255
            elif filt == 2:
                line[i] = (line[i] + b) & 255
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def test_browser_screenshot_shows_the_page(rendered: dict[str, Any]) -> None:
    shot: Path = rendered["shot"]
    assert shot.stat().st_size > 30_000  # a blank 1280x2000 PNG compresses to a few KB
    width, height, rows = _png_pixels(shot, 400)
    assert (width, height) == (WIDTH, HEIGHT)
    bpp = len(rows[0]) // width
    # The header band is dark blue, the page body light: both visible means the CSS applied.
    # (x = width - 40 keeps clear of the scrollbar at the right edge.)
    header = rows[10][(width - 40) * bpp : (width - 40) * bpp + 3]
    body = rows[300][5 * bpp : 5 * bpp + 3]
    assert max(header) < 100 and min(body) > 200
    # Text was drawn: the story card has many distinct colours (anti-aliased glyphs).
    colours = {rows[y][x : x + 3] for y in range(150, 400, 3) for x in range(0, width * bpp, bpp * 2)}
    assert len(colours) > 20
