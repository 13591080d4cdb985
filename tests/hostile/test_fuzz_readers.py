"""Hypothesis fuzzing of every reader: random bytes, and random JSON, HTML, XML feed and WARC
structure, through `iter_inputs` and `build_article`, the path every run takes.

The property is issue 11's: reading never raises, never yields zero inputs for a file, never holds
more than `max_document_bytes + 1` bytes of one input; every failure is an `InputError` whose
reason is one printable line; metadata that is stored holds no control characters.

A few dozen examples per reader run in CI; `-m slow` runs 10,000 per reader.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.config import load_config
from marsad.errors import InputError
from marsad.ingest import build_article, iter_inputs

LIMIT = 4096  # a small max_document_bytes, so the limits are crossed often
CI_EXAMPLES = 25
SLOW_EXAMPLES = 10_000

ARABIC = st.text(
    alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A) | st.just(" "), max_size=200
)
# Characters that broke readers or output: controls, NUL, bidi overrides and isolates, lone surrogates.
NASTY = st.sampled_from(
    ["\x00", "\x1b", "\u202e", "\u2067", "\u202c", "\u2069", "\udfff", "\ud800", "\n", "\r"]
)
TEXT = st.lists(ARABIC | st.text(max_size=40) | NASTY, max_size=8).map("".join)
FIELDS = ("id", "text", "html", "title", "url", "outlet", "published", "author")

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)
RECORDS = st.dictionaries(st.sampled_from(FIELDS), TEXT | JSON_VALUES, max_size=8)


@st.composite
def jsonl_files(draw: Any) -> bytes:
    lines = draw(
        st.lists(RECORDS.map(json.dumps) | JSON_VALUES.map(json.dumps) | st.text(max_size=30), max_size=6)
    )
    nested = draw(st.integers(0, 3000))
    if nested:
        lines.append("[" * nested + "]" * draw(st.integers(0, nested)))
    return "\n".join(lines).encode("utf-8", "surrogatepass")


TAGS = (
    "html",
    "head",
    "body",
    "article",
    "p",
    "div",
    "nav",
    "footer",
    "script",
    "style",
    "title",
    "h1",
    "time",
    "a",
)


def _html_node(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    attrs = st.lists(
        st.tuples(st.sampled_from(("class", "id", "href", "datetime", "dir", "lang")), TEXT), max_size=2
    ).map(lambda pairs: "".join(f' {k}="{v}"' for k, v in pairs))
    return st.builds(
        lambda tag, attr, inner, close: f"<{tag}{attr}>{''.join(inner)}" + (f"</{tag}>" if close else ""),
        st.sampled_from(TAGS),
        attrs,
        st.lists(children, max_size=4),
        st.booleans(),
    )


HTML = st.recursive(TEXT, _html_node, max_leaves=25)
META = st.builds(
    lambda name, value: f'<meta property="{name}" content="{value}">',
    st.sampled_from(("og:title", "og:site_name", "article:published_time", "author", "og:url")),
    TEXT,
)


@st.composite
def html_files(draw: Any) -> bytes:
    head = "".join(draw(st.lists(META, max_size=3)))
    return f"<html><head>{head}</head><body>{draw(HTML)}</body></html>".encode("utf-8", "surrogatepass")


@st.composite
def feed_files(draw: Any) -> bytes:
    def item(title: str, body: str, cdata: bool, link: str) -> str:
        inner = f"<![CDATA[{body}]]>" if cdata else body
        return f"<item><title>{title}</title><link>{link}</link><description>{inner}</description></item>"

    items = draw(st.lists(st.builds(item, TEXT, HTML | TEXT, st.booleans(), TEXT), max_size=4))
    doc = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{draw(TEXT)}</title>'
    doc += "".join(items) + "</channel></rss>"
    if draw(st.booleans()):
        doc = doc.replace('<rss version="2.0"><channel>', '<feed xmlns="http://www.w3.org/2005/Atom">')
        doc = (
            doc.replace("</channel></rss>", "</feed>")
            .replace("<item>", "<entry>")
            .replace("</item>", "</entry>")
        )
    data = doc.encode("utf-8", "surrogatepass")
    return data[: draw(st.integers(0, len(data)))] if draw(st.booleans()) else data


@st.composite
def warc_records(draw: Any) -> bytes:
    body = draw(html_files() | st.binary(max_size=300))
    rec_type = draw(st.sampled_from(("response", "resource", "request", "metadata", "bogus")))
    if rec_type == "response" and draw(st.booleans()):
        ctype = draw(st.sampled_from(("text/html", "image/png", "")))
        body = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n".encode() + body
    headers = {
        "WARC-Type": rec_type,
        "WARC-Target-URI": draw(st.none() | TEXT),
        "WARC-Date": draw(st.none() | st.just("2024-11-22T08:00:00Z") | TEXT),
        "WARC-Record-ID": draw(st.none() | st.just("<urn:uuid:1>")),
        "Content-Type": draw(
            st.sampled_from(("text/html", "application/http; msgtype=response", "text/plain"))
        ),
        "Content-Length": draw(st.just(len(body)) | st.integers(-5, 10 * LIMIT)),
    }
    lines = [f"{k}: {v}" for k, v in headers.items() if v is not None]
    head = ("WARC/1.0\r\n" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogatepass")
    return head + body + b"\r\n\r\n"


@st.composite
def warc_files(draw: Any, compressed: bool) -> bytes:
    records = draw(st.lists(warc_records(), max_size=4))
    data = b"".join(gzip.compress(r) for r in records) if compressed else b"".join(records)
    return data[: draw(st.integers(0, len(data)))] if draw(st.booleans()) else data


READERS: dict[str, tuple[str, st.SearchStrategy[bytes]]] = {
    "txt": (".txt", TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))),
    "html": (".html", html_files()),
    "jsonl": (".jsonl", jsonl_files()),
    "json": (".json", jsonl_files() | RECORDS.map(lambda r: json.dumps([r, r]).encode())),
    "feed": (".rss", feed_files()),
    "warc": (".warc", warc_files(compressed=False)),
    "warc.gz": (".warc.gz", warc_files(compressed=True)),
    "stdin": ("-", jsonl_files() | html_files()),
}


def _config() -> dict[str, Any]:
    config = load_config(environ={})
    config["ingest"]["max_document_bytes"] = LIMIT
    return config


def _one_line(text: str) -> bool:
    return bool(text) and text.isprintable()


def check_reader(suffix: str, data: bytes, folder: Path, config: dict[str, Any]) -> None:
    if suffix == "-":
        sys.stdin = io.TextIOWrapper(io.BytesIO(data))
        args = ["-"]
    else:
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        args = [str(path)]
    inputs = list(iter_inputs(args, config))
    assert inputs, "a file must be at least one input"
    for raw in inputs:
        assert len(raw.data) <= LIMIT + 1
        if raw.error is not None:
            assert _one_line(str(raw.error)), str(raw.error)
            continue
        try:
            article = build_article(raw, config)
        except InputError as err:
            assert _one_line(str(err)), str(err)
            continue
        for value in (
            article.title,
            article.outlet,
            article.author,
            article.external_id,
            article.provenance.url,
        ):
            assert value is None or not any(ord(c) < 0x20 or 0xD800 <= ord(c) <= 0xDFFF for c in value), value


def _fuzz(reader: str, examples: int, monkeypatch: pytest.MonkeyPatch) -> None:
    suffix, strategy = READERS[reader]
    config = _config()
    monkeypatch.setattr(sys, "stdin", sys.stdin)  # restored after the test, whatever examples set
    with tempfile.TemporaryDirectory() as folder:

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.filter_too_much,
            ],
        )
        @given(data=strategy | st.binary(max_size=2 * LIMIT))
        def run(data: bytes) -> None:
            calls.append(1)
            check_reader(suffix, data, Path(folder), config)

        calls: list[int] = []
        run()
    assert len(calls) >= examples, f"{reader}: only {len(calls)} of {examples} examples ran"


@pytest.mark.parametrize("reader", sorted(READERS))
def test_fuzz_reader_never_fails(reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _fuzz(reader, CI_EXAMPLES, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("reader", sorted(READERS))
def test_fuzz_reader_never_fails_slow(reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _fuzz(reader, SLOW_EXAMPLES, monkeypatch)
