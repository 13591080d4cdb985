"""Inputs: files, folders, globs and stdin -> one `RawInput` per document, never an exception.

Two kinds of file in a folder are not articles and are not inputs: README files (documentation
of the folder) and the metadata sidecar (`ingest.sidecar`, "metadata.jsonl" by default), whose
lines `{"file": "a.txt", "outlet": ..., "published": ..., "url": ...}` give the metadata that
plain-text files cannot carry themselves. Named explicitly on the command line, a README is read
like any other file.

A container (JSONL, JSON, RSS/Atom, WARC) yields one `RawInput` per record, numbered from 1, with
source "path#N". Anything wrong that is known before building an article (a missing path, an
unsupported extension, a bad JSON line, an unreadable feed) is a `RawInput` whose `error` is set,
so the run can count it as quarantined and go on: every input is accounted for.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from marsad.errors import QuarantineError

EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
}
_SUPPORTED = ", ".join(EXTENSIONS)
_GLOB_CHARS = set("*?[")
_META_KEYS = ("id", "title", "url", "outlet", "published", "author")


@dataclass(slots=True)
class RawInput:
    source: str  # path, or "path#N" for record N (1-based) in a container, or "<stdin>"
    format: str  # txt | html | jsonl | rss | atom | warc | stdin
    record: int | None
    data: bytes
    fields: dict[str, Any] = field(default_factory=dict)
    error: QuarantineError | None = None
    # Stable identity of this input: its source and its bytes (see ARCHITECTURE: idempotence).
    # Computed once here because a run asks for it several times per input.
    key: str = field(init=False)

    def __post_init__(self) -> None:
        inner = hashlib.sha256(self.data).hexdigest()
        self.key = hashlib.sha256(f"{self.source}\0{inner}".encode()).hexdigest()[:32]


def _error(source: str, fmt: str, message: str, record: int | None = None) -> RawInput:
    return RawInput(source, fmt, record, b"", {}, QuarantineError(message))


def _extension(path: Path) -> str:
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _walk(root: Path, sidecar: str) -> Iterator[Path]:
    """Files under `root`, recursively, sorted, without hidden files, dot-folders, READMEs and sidecars."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name == sidecar or name.upper().startswith("README"):
                continue
            yield Path(dirpath) / name


class _Sidecars:
    """Per-folder metadata sidecars, read once per folder on first use."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._by_dir: dict[Path, dict[str, dict[str, Any]]] = {}

    def fields_for(self, path: Path) -> dict[str, Any]:
        folder = path.parent
        if folder not in self._by_dir:
            self._by_dir[folder] = self._load(folder / self.name) if self.name else {}
        return self._by_dir[folder].get(path.name, {})

    @staticmethod
    def _load(sidecar: Path) -> dict[str, dict[str, Any]]:
        if not sidecar.is_file():
            return {}
        entries: dict[str, dict[str, Any]] = {}
        with sidecar.open("rb") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as err:
                    # The sidecar is configuration of the corpus: a broken one is the user's to fix.
                    raise QuarantineError(
                        f"metadata sidecar {sidecar} line {n} is not valid JSON: {err}"
                    ) from None
                if isinstance(obj, dict) and isinstance(obj.get("file"), str):
                    entries[obj["file"]] = {k: str(v) for k, v in obj.items() if k in _META_KEYS and v}
        return entries


def iter_inputs(paths: Iterable[str], config: dict[str, Any]) -> Iterator[RawInput]:
    ingest = config.get("ingest", {})
    sidecars = _Sidecars(str(ingest.get("sidecar", "metadata.jsonl")))
    for arg in map(str, paths):
        if arg == "-":
            yield from _read_stdin(ingest)
            continue
        path = Path(arg)
        if path.is_dir():
            for file in _walk(path, sidecars.name):
                yield from _read_file(file, ingest, sidecars)
        elif path.exists():
            yield from _read_file(path, ingest, sidecars)
        elif _GLOB_CHARS & set(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file() and not Path(m).name.startswith(".")]
            if not files:
                yield _error(arg, "txt", f"no files match the pattern {arg!r}")
            for file in files:
                yield from _read_file(file, ingest, sidecars)
        else:
            yield _error(arg, "txt", f"path does not exist: {arg}")


def _read_file(path: Path, ingest: dict[str, Any], sidecars: _Sidecars) -> Iterator[RawInput]:
    source = str(path)
    kind = EXTENSIONS.get(_extension(path))
    if kind is None:
        yield _error(
            source, "txt", f"unsupported file type '{_extension(path) or path.name}'; supported: {_SUPPORTED}"
        )
        return
    try:
        size = path.stat().st_size
        if kind in ("txt", "html"):
            # Single documents are read whole; build_article enforces max_document_bytes. Reading
            # one byte past the limit is enough to know it is too large without loading 1 GB.
            limit = int(ingest.get("max_document_bytes", 5_000_000))
            with path.open("rb") as fh:
                data = fh.read(limit + 1) if size > limit else fh.read()
            try:
                fields = dict(sidecars.fields_for(path))
            except QuarantineError as err:
                yield RawInput(source, kind, None, data, {}, err)
                return
            if size > limit:
                fields["size"] = size
            yield RawInput(source, kind, None, data, fields)
            return
        limit = int(ingest.get("max_container_bytes", 2_000_000_000))
        if size > limit:
            yield _error(
                source,
                kind,
                f"container file is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB "
                "limit; split it or raise ingest.max_container_bytes",
            )
            return
        if kind == "jsonl":
            yield from _read_json_file(path, ingest)
        elif kind == "feed":
            yield from _read_feed(source, path.read_bytes(), ingest)
        else:
            yield from _read_warc(path)
    except OSError as err:
        yield _error(source, kind, f"cannot read file: {err.strerror or err}")


# --- JSON and JSONL -----------------------------------------------------------------------------


def _from_record(obj: Any, source: str, fmt: str, n: int, ingest: dict[str, Any]) -> RawInput:
    names = {**{k: k for k in ("id", "text", "html", *_META_KEYS)}, **ingest.get("fields", {})}
    rec_source = f"{source}#{n}"
    if not isinstance(obj, dict):
        return _error(rec_source, fmt, f"record {n} is a JSON {type(obj).__name__}, not an object", n)
    text, html = obj.get(names["text"]), obj.get(names["html"])
    fields: dict[str, Any] = {}
    for key in _META_KEYS:
        value = obj.get(names[key])
        if value not in (None, ""):
            fields[key] = str(value)
    if isinstance(text, str) and text.strip():
        fields["is_html"] = False
        return RawInput(rec_source, fmt, n, text.encode("utf-8"), fields)
    if isinstance(html, str) and html.strip():
        fields["is_html"] = True
        return RawInput(rec_source, fmt, n, html.encode("utf-8"), fields)
    present = ", ".join(sorted(map(str, obj))) or "none"
    return _error(
        rec_source,
        fmt,
        f"record {n} has no text: neither field {names['text']!r} nor {names['html']!r} holds a "
        f"non-empty string (fields present: {present}); set ingest.fields.text / ingest.fields.html "
        "to read another layout",
        n,
    )


def _iter_jsonl_lines(lines: Iterable[bytes], source: str, ingest: dict[str, Any]) -> Iterator[RawInput]:
    n = 0
    for raw in lines:
        if not raw.strip():
            continue  # blank lines are separators, not records
        n += 1
        try:
            obj = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            yield _error(f"{source}#{n}", "jsonl", f"line {n} is not valid JSON: {err}", n)
            continue
        yield _from_record(obj, source, "jsonl", n, ingest)


def _read_json_file(path: Path, ingest: dict[str, Any]) -> Iterator[RawInput]:
    source = str(path)
    if path.suffix.lower() == ".json":
        # A .json file is one object or an array of objects; if it does not parse as one JSON
        # value it is read as JSON Lines, which is what many tools write under .json.
        data = path.read_bytes()
        try:
            obj = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError):
            yield from _iter_jsonl_lines(data.splitlines(), source, ingest)
            return
        items = obj if isinstance(obj, list) else [obj]
        for n, item in enumerate(items, 1):
            yield _from_record(item, source, "jsonl", n, ingest)
        return
    with path.open("rb") as fh:  # streamed: a JSONL dump can be gigabytes
        yield from _iter_jsonl_lines(fh, source, ingest)


# --- RSS and Atom ------------------------------------------------------------------------------


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()  # RFC 822 (RSS) -> ISO 8601
    except (TypeError, ValueError, IndexError):
        return value  # already ISO (Atom) or a form we keep as stated


def _read_feed(source: str, data: bytes, ingest: dict[str, Any]) -> Iterator[RawInput]:
    import feedparser  # imported here: only feeds need it

    parsed = feedparser.parse(data)
    version = str(parsed.get("version") or "")
    fmt = "atom" if version.startswith("atom") else "rss"
    entries = parsed.get("entries") or []
    if not entries:
        reason = parsed.get("bozo_exception")
        if reason is not None:
            yield _error(source, fmt, f"feed XML is malformed and no items could be recovered: {reason}")
        else:
            yield _error(source, fmt, "feed has no items (no <item> or <entry> elements)")
        return
    channel = parsed.get("feed", {})
    feed_title = str(channel.get("title") or "").strip()
    # A channel title is often "Outlet - Section"; the outlet is the first part.
    outlet = feed_title.split(" - ")[0].split(" | ")[0].strip() or None
    for n, entry in enumerate(entries, 1):
        body, is_html = "", False
        for content in entry.get("content") or []:
            if content.get("value", "").strip():
                body = content["value"]
                is_html = "html" in str(content.get("type", "")).lower()
                break
        if not body:
            body = entry.get("summary") or entry.get("description") or ""
            detail = entry.get("summary_detail") or {}
            is_html = "html" in str(detail.get("type", "")).lower()
        rec_source = f"{source}#{n}"
        if not body.strip():
            yield _error(rec_source, fmt, f"feed item {n} has no content or description", n)
            continue
        fields: dict[str, Any] = {"is_html": is_html}
        values = {
            "id": entry.get("id") or entry.get("guid"),
            "title": entry.get("title"),
            "url": entry.get("link"),
            "outlet": outlet,
            "published": _iso(entry.get("published") or entry.get("updated")),
            "author": entry.get("author"),
        }
        fields.update({k: str(v) for k, v in values.items() if v})
        yield RawInput(rec_source, fmt, n, body.encode("utf-8"), fields)


# --- WARC --------------------------------------------------------------------------------------


def _read_warc(path: Path) -> Iterator[RawInput]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    n = 0
    with path.open("rb") as fh:
        try:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    ctype = (
                        record.http_headers.get_header("Content-Type") if record.http_headers else ""
                    ) or ""
                    if "html" not in ctype.lower():
                        continue
                    is_html = True
                elif record.rec_type == "resource":
                    ctype = record.rec_headers.get_header("Content-Type") or ""
                    is_html = "html" in ctype.lower()
                else:
                    continue
                n += 1
                data = record.content_stream().read()
                fields: dict[str, Any] = {"is_html": is_html}
                url = record.rec_headers.get_header("WARC-Target-URI")
                date = record.rec_headers.get_header("WARC-Date")
                rid = record.rec_headers.get_header("WARC-Record-ID")
                fields.update({k: v for k, v in (("url", url), ("published", date), ("id", rid)) if v})
                yield RawInput(f"{source}#{n}", "warc", n, data, fields)
        except ArchiveLoadFailed as err:
            yield _error(
                f"{source}#{n + 1}", "warc", f"WARC file is unreadable after record {n}: {err}", n + 1
            )


# --- stdin -------------------------------------------------------------------------------------


def _read_stdin(ingest: dict[str, Any]) -> Iterator[RawInput]:
    data = sys.stdin.buffer.read()
    head = data.lstrip()[:1]
    if head == b"{":
        yield from _iter_jsonl_lines(data.splitlines(), "<stdin>", ingest)
    else:
        yield RawInput("<stdin>", "stdin", None, data, {"is_html": head == b"<"})
