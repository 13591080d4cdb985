"""iter_inputs: every format, folders, globs, stdin; one RawInput per input, never an exception."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from marsad.ingest import build_article, iter_inputs

BODY = "قالت الحكومة إن أعمال صيانة الطريق الساحلي ستنتهي قبل نهاية الشهر الجاري وفق الجدول المعلن."


def test_inputs_folder_sorted_recursive_skips_hidden(tmp_path: Path, config: dict) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text(BODY, "utf-8")
    (tmp_path / "1.txt").write_text(BODY, "utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY, "utf-8")
    (tmp_path / ".git" / "x.txt").write_text(BODY, "utf-8")
    sources = [Path(r.source).relative_to(tmp_path).as_posix() for r in iter_inputs([str(tmp_path)], config)]
    assert sources == ["1.txt", "b/2.txt"]


def test_inputs_glob(tmp_path: Path, config: dict) -> None:
    for name in ("a.txt", "b.txt", "c.html"):
        (tmp_path / name).write_text(BODY, "utf-8")
    got = [Path(r.source).name for r in iter_inputs([str(tmp_path / "*.txt")], config)]
    assert got == ["a.txt", "b.txt"]


def test_inputs_jsonl_bad_line_among_good(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": BODY}, ensure_ascii=False),
        "{not json",
        "",
        json.dumps({"id": "a3", "title": "عنوان"}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines), "utf-8")
    inputs = list(iter_inputs([str(path)], config))
    assert [r.record for r in inputs] == [1, 2, 3]
    assert inputs[0].error is None and inputs[0].fields["id"] == "a1"
    assert str(inputs[1].error).startswith("line 2 is not valid JSON:")
    assert inputs[1].source == f"{path}#2"
    assert "neither field 'text' nor 'html'" in str(inputs[2].error)
    assert build_article(inputs[0], config).external_id == "a1"


def test_inputs_field_mapping(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(
        json.dumps({"body": BODY, "headline": "صيانة الطريق", "uid": 7}, ensure_ascii=False), "utf-8"
    )
    mapped = {
        **config,
        "ingest": {
            **config["ingest"],
            "fields": {**config["ingest"]["fields"], "text": "body", "title": "headline", "id": "uid"},
        },
    }
    (raw,) = iter_inputs([str(path)], mapped)
    article = build_article(raw, mapped)
    assert (article.title, article.external_id) == ("صيانة الطريق", "7")


@pytest.mark.parametrize("layout", ["object", "array"])
def test_inputs_json_file(tmp_path: Path, config: dict, layout: str) -> None:
    record = {"id": "x", "text": BODY}
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps(record if layout == "object" else [record, record], ensure_ascii=False), "utf-8"
    )
    inputs = list(iter_inputs([str(path)], config))
    assert len(inputs) == (1 if layout == "object" else 2)
    assert all(r.error is None for r in inputs)


def test_inputs_jsonl_html_record(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "pages.jsonl"
    html = f"<html><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>"
    path.write_text(json.dumps({"html": html, "outlet": "صحيفة التجربة"}, ensure_ascii=False), "utf-8")
    (raw,) = iter_inputs([str(path)], config)
    assert raw.fields["is_html"] is True
    article = build_article(raw, config)
    assert "<p>" not in article.text and article.outlet == "صحيفة التجربة"


RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>صحيفة التجربة - محليات</title>
<item><title>صيانة الطريق</title><link>https://example.org/a</link><guid>g-1</guid>
<pubDate>Fri, 22 Nov 2024 11:25:00 +0300</pubDate><description><![CDATA[<p>{BODY}</p>]]></description></item>
<item><title>ثانية</title><guid>g-2</guid><description>{BODY}</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>موقع التجربة</title>
<entry><title>صيانة الطريق</title><id>urn:x:1</id><updated>2024-11-22T08:00:00Z</updated>
<link href="https://example.org/b"/><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>"""


def test_inputs_rss(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS, "utf-8")
    inputs = list(iter_inputs([str(path)], config))
    assert [(r.format, r.record) for r in inputs] == [("rss", 1), ("rss", 2)]
    article = build_article(inputs[0], config)
    assert article.external_id == "g-1"
    assert article.outlet == "صحيفة التجربة"
    assert article.published == "2024-11-22T11:25:00+03:00"
    assert article.provenance.url == "https://example.org/a"
    assert "<p>" not in article.text


def test_inputs_atom(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "feed.atom"
    path.write_text(ATOM, "utf-8")
    (raw,) = iter_inputs([str(path)], config)
    assert raw.format == "atom" and raw.fields["id"] == "urn:x:1"
    assert BODY in build_article(raw, config).text


def test_inputs_malformed_feed_is_one_error(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<rss><channel><item><title>\x00\x01 broken")
    inputs = list(iter_inputs([str(path)], config))
    assert len(inputs) == 1 and inputs[0].error is not None


def test_inputs_warc(tmp_path: Path, config: dict) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    html = f"<html><body><article><p>{BODY}</p><p>{BODY} مرة ثانية.</p></article></body></html>".encode()
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/p", "response", payload=io.BytesIO(html), http_headers=headers
            )
        )
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/i.png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=img
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/t",
                "resource",
                payload=io.BytesIO(BODY.encode()),
                warc_content_type="text/plain",
            )
        )
    inputs = list(iter_inputs([str(path)], config))
    assert [(r.record, r.fields["is_html"]) for r in inputs] == [(1, True), (2, False)]
    article = build_article(inputs[0], config)
    assert article.provenance.url == "https://example.org/p"
    assert article.published is not None  # WARC-Date, as no page metadata states a date


@pytest.mark.parametrize(
    ("data", "fmt", "count"),
    [
        (BODY.encode(), "stdin", 1),
        (f"<html><body><article><p>{BODY}</p></article></body></html>".encode(), "stdin", 1),
        ((json.dumps({"text": BODY}, ensure_ascii=False) + "\n").encode() * 2, "jsonl", 2),
    ],
)
def test_inputs_stdin(
    monkeypatch: pytest.MonkeyPatch, config: dict, data: bytes, fmt: str, count: int
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    inputs = list(iter_inputs(["-"], config))
    assert len(inputs) == count and all(r.format == fmt for r in inputs)
    assert BODY in build_article(inputs[0], config).text


def test_inputs_container_over_limit(tmp_path: Path, config: dict) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": BODY}, ensure_ascii=False) * 3, "utf-8")
    small = {**config, "ingest": {**config["ingest"], "max_container_bytes": 10}}
    (raw,) = iter_inputs([str(path)], small)
    assert "over the" in str(raw.error)


def test_inputs_glob_without_doublestar_ignores_folder_links(tmp_path: Path, config: dict) -> None:
    (tmp_path / "a.txt").write_text(BODY, "utf-8")
    (tmp_path / "self").symlink_to(".")
    (tmp_path / "same.txt").symlink_to("a.txt")
    got = [(Path(r.source).name, r.error) for r in iter_inputs([str(tmp_path / "*.txt")], config)]
    assert got == [("a.txt", None)]  # one real file, once; the folder link is not descended into


def test_inputs_gzipped_jsonl_streams_and_reports_a_cut_archive(tmp_path: Path, config: dict) -> None:
    import gzip

    body = "\n".join(json.dumps({"id": f"g{n}", "text": BODY}, ensure_ascii=False) for n in range(3))
    whole = gzip.compress(body.encode("utf-8"))
    good, cut, junk = tmp_path / "dump.jsonl.gz", tmp_path / "cut.jsonl.gz", tmp_path / "junk.ndjson.gz"
    good.write_bytes(whole)
    cut.write_bytes(whole[: len(whole) - 12])  # the archive loses its end: the last record and trailer
    junk.write_bytes(b"not gzip at all")
    got = list(iter_inputs([str(good)], config))
    assert [(r.record, r.error, r.fields["id"]) for r in got] == [
        (1, None, "g0"),
        (2, None, "g1"),
        (3, None, "g2"),
    ]
    cut_inputs = list(iter_inputs([str(cut)], config))
    assert all(r.error is None for r in cut_inputs[:-1]) and len(cut_inputs) >= 2
    assert "gzip archive unreadable after record" in str(cut_inputs[-1].error)
    (junk_input,) = list(iter_inputs([str(junk)], config))
    assert "gzip archive unreadable after record 0" in str(junk_input.error)
