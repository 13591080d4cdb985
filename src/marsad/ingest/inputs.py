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

Hostile input is the normal case for an archive from the wild, so reading is bounded and total:

- Only regular files are opened: a FIFO, a device (`/dev/zero` behind a `.txt` link) or a socket
  is refused from its `stat`, before `open`, so it can neither hang nor flood the run.
- No more than `max_document_bytes + 1` bytes of any file, line, record, stream or decompressed
  member are held, whatever sizes the container claims; one byte past the limit is enough to
  know the input is too large.
- Walking a folder accounts for every entry: an unreadable folder, a link loop, a FIFO or a
  device, a container that yields nothing or ends inside a record each become an error input.
  A folder reached twice (through a symbolic link) is read once, by its real identity; glob
  matches are deduplicated by real identity too.
- Any failure of a reader, including a library's on bytes it never expected, ends that file with
  one error input whose reason is one printable line (`sanitize.printable`); the run goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from marsad.errors import QuarantineError
from marsad.ingest.paths import (
    GLOB_CHARS,
    Entry,
    glob_entries,
    not_regular,
    open_regular,
    stat_entry,
    walk,
    why_not,
)
from marsad.ingest.sanitize import lone_surrogate, printable

EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl.gz",
    ".ndjson.gz": "jsonl.gz",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
}
_SUPPORTED = ", ".join(EXTENSIONS)
_META_KEYS = ("id", "title", "url", "outlet", "published", "author")
_CHUNK = 1 << 20  # bytes read at a time when skipping past an over-long line


@dataclass(slots=True)
class RawInput:
    source: str  # path, or "path#N" for record N (1-based) in a container, or "<stdin>"
    format: str  # txt | html | jsonl | rss | atom | warc | stdin
    record: int | None
    data: bytes
    fields: dict[str, Any] = field(default_factory=dict)
    error: QuarantineError | None = None
    # Stable identity of this input: its file's real path (however the path was spelt), its
    # record number and its bytes (see ARCHITECTURE: idempotence). Computed once here because a
    # run asks for it several times per input.
    key: str = field(init=False)

    def __post_init__(self) -> None:
        inner = hashlib.sha256(self.data).hexdigest()
        self.key = hashlib.sha256(
            f"{canonical_source(self.source, self.record)}\0{inner}".encode()
        ).hexdigest()[:32]


def canonical_source(source: str, record: int | None) -> str:
    """The source with its folder made absolute and free of links, `.` and `..`, so that
    `news/a.txt`, `./news/a.txt` and `/home/u/news/a.txt` are one input."""
    if source == "<stdin>" or "://" in source:
        return source
    path, mark, number = source.rpartition("#") if record is not None else (source, "", "")
    folder, name = os.path.split(path)
    # The folder is resolved, the name kept: a link inside a folder stays an input of its own
    # (a link to a folder already read is accounted for as itself, not merged with its target).
    return os.path.join(_real_folder(folder), name) + mark + number


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    # A folder's files share it: resolved once. realpath never raises, even on a link loop.
    return os.path.realpath(folder or ".")


def _error(source: str, fmt: str, message: str, record: int | None = None) -> RawInput:
    return RawInput(source, fmt, record, b"", {}, QuarantineError(printable(message)))


@dataclass(slots=True)
class _Limits:
    document: int  # bytes of one article: a file, a line, a record, a stream
    container: int  # bytes of one container file (streamed record by record)

    @classmethod
    def of(cls, ingest: dict[str, Any]) -> _Limits:
        return cls(int(ingest.get("max_document_bytes", 5_000_000)),
                   int(ingest.get("max_container_bytes", 2_000_000_000)))  # fmt: skip


def _over(size: int | None, limit: int, what: str, key: str = "max_document_bytes") -> str:
    """Why an input is too large; `size` None when only "more than the limit" was read."""
    stated = f"{size} bytes, over" if size is not None else "over"
    return f"{what} is {stated} the {limit}-byte limit; split it or raise ingest.{key}"


_COMPRESSED = (".warc.gz", ".jsonl.gz", ".ndjson.gz")


def _extension(path: Path) -> str:
    name = path.name.lower()
    return next((ext for ext in _COMPRESSED if name.endswith(ext)), path.suffix.lower())


class _Sidecars:
    """Per-folder metadata sidecars, read once per folder on first use."""

    def __init__(self, name: str, limits: _Limits) -> None:
        self.name = name
        self.limits = limits
        self._by_dir: dict[Path, dict[str, dict[str, Any]]] = {}

    def fields_for(self, path: Path) -> dict[str, Any]:
        folder = path.parent
        if folder not in self._by_dir:
            self._by_dir[folder] = self._load(folder / self.name) if self.name else {}
        return self._by_dir[folder].get(path.name, {})

    def _load(self, sidecar: Path) -> dict[str, dict[str, Any]]:
        try:
            fh = open_regular(sidecar)
        except FileNotFoundError:
            return {}
        except OSError as err:
            raise QuarantineError(
                printable(f"metadata sidecar {sidecar} cannot be read: {why_not(err)}")
            ) from None
        entries: dict[str, dict[str, Any]] = {}
        with fh:
            for n, line in enumerate(_bounded_lines(fh, self.limits.document), 1):
                if isinstance(line, bytes) and not line.strip():
                    continue
                try:
                    if isinstance(line, int):
                        raise ValueError(f"the line is {line} bytes long")
                    obj = json.loads(line)
                except (ValueError, RecursionError) as err:
                    # The sidecar is configuration of the corpus: a broken one is the user's to fix.
                    raise QuarantineError(
                        printable(f"metadata sidecar {sidecar} line {n} is not valid JSON: {err}")
                    ) from None
                if isinstance(obj, dict) and isinstance(obj.get("file"), str):
                    entries[obj["file"]] = {k: str(v) for k, v in obj.items() if k in _META_KEYS and v}
        return entries


def iter_inputs(paths: Iterable[str], config: dict[str, Any]) -> Iterator[RawInput]:
    ingest = config.get("ingest", {})
    limits = _Limits.of(ingest)
    sidecars = _Sidecars(str(ingest.get("sidecar", "metadata.jsonl")), limits)
    for arg in map(str, paths):
        if arg == "-":
            yield from _guarded("<stdin>", "stdin", _read_stdin(ingest, limits))
            continue
        path = Path(arg)
        entry = stat_entry(path)
        if entry.folder:
            entries: Iterable[Entry] = walk(path, sidecar=sidecars.name)
        elif entry.st is not None or os.path.lexists(path):
            entries = [entry]
        elif GLOB_CHARS & set(arg):
            entries = list(glob_entries(arg))
            if not entries:
                yield _error(arg, "txt", f"no files match the pattern {arg!r}")
        else:
            entries = []
            yield _error(arg, "txt", f"path does not exist: {arg}")
        for item in entries:
            yield from _read_entry(item, ingest, limits, sidecars)


def _source(path: Path) -> str:
    """The path as stored text: a name that is not valid UTF-8 gets U+FFFD for its bad bytes."""
    return os.fsencode(path).decode("utf-8", "replace")


def _read_entry(
    entry: Entry, ingest: dict[str, Any], limits: _Limits, sidecars: _Sidecars
) -> Iterator[RawInput]:
    source = _source(entry.path)
    if entry.problem is not None:
        yield _error(source, "txt", entry.problem)
        return
    assert entry.st is not None
    kind = EXTENSIONS.get(_extension(entry.path))
    what = not_regular(entry.st.st_mode)
    if what is not None:
        yield _error(source, kind or "txt", f"{what}, not a regular file: only regular files are read")
    elif kind is None:
        ext = _extension(entry.path) or entry.path.name
        yield _error(source, "txt", f"unsupported file type '{ext}'; supported: {_SUPPORTED}")
    else:
        yield from _guarded(source, kind, _read_file(entry.path, source, kind, ingest, limits, sidecars))


def _guarded(source: str, fmt: str, inputs: Iterator[RawInput]) -> Iterator[RawInput]:
    """The inputs of one file; if its reader fails in any way, one error input says why."""
    count = 0
    try:
        for raw in inputs:
            count += 1
            yield raw
    except OSError as err:
        yield _error(source, fmt, f"cannot read file: {why_not(err)}")
    except QuarantineError as err:
        where = f"after record {count}: " if count else ""
        yield _error(f"{source}#{count + 1}" if count else source, fmt, f"{where}{err}")
    except Exception as err:  # hostile bytes can break a library anywhere: recorded, the run goes on
        where = f"after record {count}" if count else "before any record"
        yield _error(source, fmt, f"reading stopped {where}: {type(err).__name__}: {err}")


def _read_file(path: Path, source: str, kind: str, ingest: dict[str, Any], limits: _Limits,
               sidecars: _Sidecars) -> Iterator[RawInput]:  # fmt: skip
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if kind in ("txt", "html"):
            # build_article enforces max_document_bytes; one byte past it is enough to know.
            data = fh.read(limits.document + 1)
            fields = dict(sidecars.fields_for(path))
            if len(data) > limits.document:
                fields["size"] = max(size, len(data))
            yield RawInput(source, kind, None, data, fields)
            return
        if size > limits.container:
            yield _error(source, kind, _over(size, limits.container, "container file", "max_container_bytes"))
            return
        if kind == "jsonl":
            records = _read_json_file(path, source, fh, size, ingest, limits)
        elif kind == "jsonl.gz":
            records = _read_jsonl_gz(source, fh, ingest, limits)
        elif kind == "feed":
            records = _read_feed(source, fh, limits)
        else:
            records = _read_warc(source, fh, limits)
        yield from _nonempty(records, source, kind)


def _nonempty(records: Iterator[RawInput], source: str, kind: str) -> Iterator[RawInput]:
    """A container that yields no record at all is one input, quarantined, never zero inputs."""
    empty = True
    for raw in records:
        empty = False
        yield raw
    if empty:
        name = {"jsonl": "JSON", "jsonl.gz": "gzipped JSON Lines", "warc": "WARC"}.get(kind, kind)
        yield _error(source, kind, f"{name} file holds no records: it is empty or only blank lines")


def _bounded_lines(fh: BinaryIO, limit: int) -> Iterator[bytes | int]:
    """Lines of at most `limit` bytes; a longer line is skipped to its end and given as its length."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        length = len(line)
        while line and not line.endswith(b"\n"):
            line = fh.readline(_CHUNK)
            length += len(line)
        yield length


# --- JSON and JSONL -----------------------------------------------------------------------------


def _from_record(obj: Any, source: str, fmt: str, n: int, ingest: dict[str, Any]) -> RawInput:
    names = {**{k: k for k in ("id", "text", "html", *_META_KEYS)}, **ingest.get("fields", {})}
    rec_source = f"{source}#{n}"
    if not isinstance(obj, dict):
        return _error(rec_source, fmt, f"record {n} is a JSON {type(obj).__name__}, not an object", n)
    text, html_ = obj.get(names["text"]), obj.get(names["html"])
    fields: dict[str, Any] = {}
    for key in _META_KEYS:
        value = obj.get(names[key])
        if value not in (None, ""):
            fields[key] = str(value)
    for key, value in [*fields.items(), ("text", text), ("html", html_)]:
        # JSON can escape a lone surrogate ("\udfff"); no UTF-8 text or database can hold one.
        at = lone_surrogate(value) if isinstance(value, str) else None
        if at is not None:
            return _error(rec_source, fmt, f"record {n} field {names[key]!r} is not valid Unicode "
                          f"(lone surrogate U+{ord(value[at]):04X} at offset {at})", n)  # fmt: skip
    if isinstance(text, str) and text.strip():
        fields["is_html"] = False
        return RawInput(rec_source, fmt, n, text.encode("utf-8"), fields)
    if isinstance(html_, str) and html_.strip():
        fields["is_html"] = True
        return RawInput(rec_source, fmt, n, html_.encode("utf-8"), fields)
    present = ", ".join(sorted(map(str, obj))) or "none"
    return _error(
        rec_source,
        fmt,
        f"record {n} has no text: neither field {names['text']!r} nor {names['html']!r} holds a "
        f"non-empty string (fields present: {present}); set ingest.fields.text / ingest.fields.html "
        "to read another layout",
        n,
    )


def _loads(data: bytes) -> Any:
    """json.loads, with nesting too deep for the parser reported as the bad JSON it is."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None


def _iter_jsonl_lines(lines: Iterable[bytes | int], source: str, ingest: dict[str, Any],
                      limit: int) -> Iterator[RawInput]:  # fmt: skip
    n = 0
    for raw in lines:
        if isinstance(raw, int):
            n += 1
            yield _error(f"{source}#{n}", "jsonl", _over(raw, limit, f"line {n}"), n)
            continue
        if not raw.strip():
            continue  # blank lines are separators, not records
        n += 1
        try:
            obj = _loads(raw)
        except ValueError as err:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            yield _error(f"{source}#{n}", "jsonl", f"line {n} is not valid JSON: {err}", n)
            continue
        yield _from_record(obj, source, "jsonl", n, ingest)


def _read_json_file(path: Path, source: str, fh: BinaryIO, size: int, ingest: dict[str, Any],
                    limits: _Limits) -> Iterator[RawInput]:  # fmt: skip
    if path.suffix.lower() == ".json" and size <= limits.document:
        # A .json file is one object or an array of objects; if it does not parse as one JSON
        # value it is read as JSON Lines, which is what many tools write under .json. Only a file
        # within the one-article limit is parsed whole; a larger one is streamed as JSON Lines.
        data = fh.read(limits.document + 1)
        try:
            obj = _loads(data)
        except ValueError:
            yield from _iter_jsonl_lines(_bounded_lines(io.BytesIO(data), limits.document), source, ingest,
                                         limits.document)  # fmt: skip
            return
        items = obj if isinstance(obj, list) else [obj]
        for n, item in enumerate(items, 1):
            yield _from_record(item, source, "jsonl", n, ingest)
        return
    # Streamed line by line: a JSONL dump can be gigabytes.
    yield from _iter_jsonl_lines(_bounded_lines(fh, limits.document), source, ingest, limits.document)


def _read_jsonl_gz(source: str, fh: BinaryIO, ingest: dict[str, Any], limits: _Limits) -> Iterator[RawInput]:
    """Gzipped JSON Lines (how news dumps are shipped), decompressed as a stream: each line is held
    to max_document_bytes and the whole to max_container_bytes decompressed, whatever the archive
    claims, and a cut or corrupt archive ends in one quarantined entry after the records before it."""
    read = 0

    def counted(lines: Iterator[bytes | int]) -> Iterator[bytes | int]:
        nonlocal read
        for line in lines:
            read += line if isinstance(line, int) else len(line)
            if read > limits.container:
                raise ValueError(_over(None, limits.container, "decompressed archive", "max_container_bytes"))
            yield line

    n = 0
    lines = counted(_bounded_lines(gzip.GzipFile(fileobj=fh), limits.document))  # type: ignore[arg-type]
    try:
        for raw in _iter_jsonl_lines(lines, source, ingest, limits.document):
            n = raw.record or n
            yield raw
    except (OSError, EOFError, zlib.error, ValueError) as err:  # BadGzipFile is an OSError
        yield _error(f"{source}#{n + 1}", "jsonl", f"gzip archive unreadable after record {n}: {err}", n + 1)


# --- RSS and Atom ------------------------------------------------------------------------------

# A start tag, end tag, comment or doctype: a description without any is plain text, not HTML.
_MARKUP_RE = re.compile(r"<(?:[A-Za-z][^<>]*|/[A-Za-z][^<>]*|!--.*?--|![A-Za-z][^<>]*)>", re.DOTALL)


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()  # RFC 822 (RSS) -> ISO 8601
    except (TypeError, ValueError, IndexError):
        return value  # already ISO (Atom) or a form we keep as stated


def _entry_body(entry: Any) -> tuple[str, bool]:
    """The item's text and whether it is HTML. Feeds label every description text/html, but many
    carry plain paragraphs: without any markup it is read as text (its entities unescaped)."""
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
    if is_html and not _MARKUP_RE.search(body):
        return html.unescape(body), False
    return body, is_html


def _read_feed(source: str, fh: BinaryIO, limits: _Limits) -> Iterator[RawInput]:
    import feedparser  # imported here: only feeds need it

    # A feed is parsed whole, so it is held to the one-document limit.
    data = fh.read(limits.document + 1)
    if len(data) > limits.document:
        yield _error(source, "rss", _over(None, limits.document, "feed file"))
        return
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
        body, is_html = _entry_body(entry)
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
        yield RawInput(rec_source, fmt, n, body.encode("utf-8", "replace"), fields)


# --- WARC --------------------------------------------------------------------------------------

# Longest WARC or HTTP header line read: warcio's readline has no bound of its own, so a record
# of 1 GiB without a newline would otherwise be held whole just to find its first line.
_WARC_MAX_LINE = 64 * 1024


def _capped_reader(fh: BinaryIO) -> Any:
    from warcio.bufferedreaders import DecompressingBufferedReader

    class CappedLines(DecompressingBufferedReader):  # type: ignore[misc]
        def readline(self, length: int | None = None) -> bytes:
            return super().readline(min(length or _WARC_MAX_LINE, _WARC_MAX_LINE))

    return CappedLines(fh)


def _header(headers: Any, name: str) -> str | None:
    value = headers.get_header(name) if headers is not None else None
    return value if isinstance(value, str) and value.strip() else None


def _loader() -> Any:
    from warcio.recordloader import ArcWarcRecordLoader

    class Loader(ArcWarcRecordLoader):  # type: ignore[misc]
        def load_http_headers(self, rec_type: str, uri: str | None, stream: Any, length: int) -> Any:
            # A response without WARC-Target-URI is still a page; warcio decides whether to parse
            # HTTP headers from the URI's scheme, and fails on a missing one.
            return super().load_http_headers(rec_type, uri or "http:", stream, length)

    return Loader()


def _archive_records(archive: Any) -> Iterator[Any]:
    """The records of a warcio archive; its load failure as a reason without the bytes it quotes."""
    from warcio.exceptions import ArchiveLoadFailed

    try:
        yield from archive
    except ArchiveLoadFailed as err:
        # warcio quotes the offending line, which for a broken file is raw binary.
        reason = re.split(r"[,:] (?:first line|Found)", str(err))[0]
        raise QuarantineError(f"not a readable WARC file: {reason}") from None


def _read_warc(source: str, fh: BinaryIO, limits: _Limits) -> Iterator[RawInput]:
    from warcio.archiveiterator import ArchiveIterator

    n = skipped = 0
    archive = ArchiveIterator(fh)
    # Both replaced before the first record is read (the iterator reads lazily).
    archive.reader, archive.loader = _capped_reader(archive.fh), _loader()
    for record in _archive_records(archive):
        if record.rec_type == "response":
            is_html = "html" in (_header(record.http_headers, "Content-Type") or "").lower()
            if not is_html:
                skipped += 1
                continue
        elif record.rec_type == "resource":
            is_html = "html" in (_header(record.rec_headers, "Content-Type") or "").lower()
        else:
            skipped += 1
            continue
        n += 1
        rec_source = f"{source}#{n}"
        # Bounded whatever Content-Length claims: the content stream is decompressed (gzip
        # member, Content-Encoding, chunking) as it is read, and is read one byte past the limit.
        data = record.content_stream().read(limits.document + 1)
        if len(data) > limits.document:
            yield _error(rec_source, "warc", _over(None, limits.document, f"record {n}"), n)
            continue
        if getattr(record.raw_stream, "limit", 0) > 0 and not record.raw_stream.read(1):
            yield _error(rec_source, "warc", f"record {n} is cut short: the file ends inside it", n)
            continue
        fields: dict[str, Any] = {"is_html": is_html}
        for key, name in (("url", "WARC-Target-URI"), ("published", "WARC-Date"), ("id", "WARC-Record-ID")):
            value = _header(record.rec_headers, name)
            if value is not None:
                fields[key] = value
        yield RawInput(rec_source, "warc", n, data, fields)
    if n == 0 and skipped:
        yield _error(source, "warc", f"WARC file holds no HTML response or resource records "
                     f"({skipped} records of other types)")  # fmt: skip


# --- stdin -------------------------------------------------------------------------------------


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read to look at: those bytes, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size], self._head = self._head[:size], self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_stdin(ingest: dict[str, Any], limits: _Limits) -> Iterator[RawInput]:
    stream = sys.stdin.buffer
    head = b""
    # Leading whitespace is skipped to see whether the stream is JSON Lines; bounded like any read.
    while len(head) <= limits.document and not head.strip():
        chunk = stream.read(min(_CHUNK, limits.document + 1 - len(head)) or 1)
        if not chunk:
            break
        head += chunk
    reader = io.BufferedReader(_Prefixed(head, stream))
    if head.lstrip()[:1] == b"{":
        yield from _iter_jsonl_lines(
            _bounded_lines(reader, limits.document), "<stdin>", ingest, limits.document
        )
        return
    data = reader.read(limits.document + 1)
    fields: dict[str, Any] = {"is_html": data.lstrip()[:1] == b"<"}
    if len(data) > limits.document:
        fields["size"] = len(data)
    yield RawInput("<stdin>", "stdin", None, data, fields)
