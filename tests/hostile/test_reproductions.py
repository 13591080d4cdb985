"""Issue 11's reproductions, one test per class: crash, hang, memory, silent loss, configuration,
output hygiene, functional. Each runs `marsad` on its hostile input beside one good article.

A run must exit 0 within 60 s under 1 GB, store the good article, put the hostile input in
quarantine[] or filtered[] with a printable one-line reason, and account for every input.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from _hostile import GOOD, OTHER, assert_survived, jsonl, not_stored, run_marsad

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _survive(inbox: Path, *extra: str, stdin: object = None) -> list[dict]:
    db = inbox.parent / "m.db"
    run = run_marsad("ingest", *(extra or (str(inbox),)), "--db", str(db), cwd=inbox.parent, stdin=stdin)
    return assert_survived(run, db, "good.txt")


def _warc_record(
    uri: str | None, body: bytes, *, rec_type: str = "resource", length: int | None = None
) -> bytes:
    headers = [
        "WARC/1.0",
        f"WARC-Type: {rec_type}",
        "WARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-123456789abc>",
        "WARC-Date: 2024-11-22T08:00:00Z",
        "Content-Type: text/html; charset=utf-8",
        f"Content-Length: {len(body) if length is None else length}",
    ]
    if rec_type == "response":
        headers[4] = "Content-Type: application/http; msgtype=response"
    if uri is not None:
        headers.insert(2, f"WARC-Target-URI: {uri}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body + b"\r\n\r\n"


def _page(text: str) -> bytes:
    return f"<html><body><article><p>{text}</p><p>{text}</p></article></body></html>".encode()


# --- crash of the whole run --------------------------------------------------------------------


def _lone_surrogates(inbox: Path) -> str:
    fields = ("title", "text", "id", "outlet")
    records = [{"text": OTHER, "title": "عنوان", "id": "x", "outlet": "منفذ"} for _ in fields]
    lines = []
    for record, name in zip(records, fields, strict=True):
        record[name] = record[name] + "\udfff"  # json.dumps writes it as the escape "\udfff"
        lines.append(json.dumps(record))
    (inbox / "surrogates.jsonl").write_text("\n".join(lines) + "\n", encoding="ascii")
    return "surrogates.jsonl"


def _deep_json(inbox: Path) -> str:
    depth = 100_000
    (inbox / "deep.json").write_text(
        jsonl({"text": OTHER}) + "[" * depth + "]" * depth + "\n", encoding="utf-8"
    )
    return "deep.json#2"


def _warc_without_uri(inbox: Path) -> str:
    pages = [
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body for body in (_page(OTHER), b"\x00\xff")
    ]
    (inbox / "nouri.warc").write_bytes(b"".join(_warc_record(None, p, rec_type="response") for p in pages))
    return "nouri.warc#2"


def _symlinks_to_each_other(inbox: Path) -> str:
    os.symlink("b.txt", inbox / "a.txt")
    os.symlink("a.txt", inbox / "b.txt")
    return "a.txt"


@pytest.mark.parametrize("build", [_lone_surrogates, _deep_json, _warc_without_uri, _symlinks_to_each_other])
def test_hostile_crash_is_one_quarantined_input(inbox: Path, build: Callable[[Path], str]) -> None:
    hostile = build(inbox)
    rows = _survive(inbox)
    assert not_stored(rows, hostile), rows
    if build is _lone_surrogates:
        assert len(not_stored(rows, hostile)) == 4
        assert all("lone surrogate" in r["reason"] for r in not_stored(rows, hostile))
    if build in (_deep_json, _warc_without_uri):
        # The valid record beside the hostile one survives too.
        assert sum(r["status"] == "stored" for r in rows) == 2, rows


# --- hang --------------------------------------------------------------------------------------


def test_hostile_fifo_in_folder_is_refused_unopened(inbox: Path) -> None:
    os.mkfifo(inbox / "pipe.txt")
    rows = _survive(inbox)
    (row,) = not_stored(rows, "pipe.txt")
    assert "FIFO" in row["reason"]


def test_hostile_glob_through_self_linking_folder_ends_and_counts_once(inbox: Path) -> None:
    (inbox / "sub").mkdir()
    (inbox / "sub" / "other.txt").write_text(OTHER, encoding="utf-8")
    os.symlink("..", inbox / "sub" / "loop")
    os.symlink(".", inbox / "self")
    rows = _survive(inbox, f"{inbox}/**/*.txt")
    assert sum(r["source"].endswith("other.txt") for r in rows) == 1, rows
    assert sum(r["source"].endswith("good.txt") for r in rows) == 1, rows
    assert {r["source"].rpartition("/")[2] for r in not_stored(rows, "")} == {"loop", "self"}


# --- unbounded memory --------------------------------------------------------------------------


def test_hostile_dev_zero_behind_txt_link(inbox: Path) -> None:
    os.symlink("/dev/zero", inbox / "zero.txt")
    os.symlink("/dev/urandom", inbox / "random.jsonl")
    rows = _survive(inbox)
    for name in ("zero.txt", "random.jsonl"):
        (row,) = not_stored(rows, name)
        assert "character device" in row["reason"]


def test_hostile_dev_zero_on_stdin_is_bounded(inbox: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        rows = _survive(inbox, "-", str(inbox), stdin=zero)
    (row,) = not_stored(rows, "<stdin>")
    assert "limit" in row["reason"]


def _gzip_of_zeros(path: Path, head: bytes, zeros: int, tail: bytes) -> None:
    """One gzip member of head + `zeros` zero bytes + tail, written without compressing 1 GiB:
    after a full flush deflate starts afresh, so every 1 MiB block of zeros packs to the same bytes."""
    block = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate; the gzip frame is written here
    packed = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = zlib.crc32(head)
    with path.open("wb") as fh:
        fh.write(
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
            + packer.compress(head)
            + packer.flush(zlib.Z_FULL_FLUSH)
        )
        for _ in range(zeros // len(block)):
            fh.write(packed)
            crc = zlib.crc32(block, crc)
        fh.write(packer.compress(tail) + packer.flush())
        size = len(head) + zeros // len(block) * len(block) + len(tail)
        fh.write(struct.pack("<II", zlib.crc32(tail, crc), size & 0xFFFFFFFF))


def test_hostile_gigabyte_record_in_small_warc_gz(inbox: Path) -> None:
    claimed = 1 << 30
    head = _warc_record("https://example.org/zeros", b"", length=claimed)[: -len(b"\r\n\r\n")]
    _gzip_of_zeros(inbox / "bomb.warc.gz", head, claimed, b"\r\n\r\n")
    assert (inbox / "bomb.warc.gz").stat().st_size < 2_000_000
    rows = _survive(inbox)
    (row,) = not_stored(rows, "bomb.warc.gz")
    assert "limit" in row["reason"]


# --- silent loss -------------------------------------------------------------------------------


def test_hostile_linked_folder_is_read_once(inbox: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.txt").write_text(OTHER, encoding="utf-8")
    os.symlink(elsewhere, inbox / "linked")
    os.symlink(elsewhere, inbox / "linked_again")
    rows = _survive(inbox)
    assert any(r["source"].endswith("linked/linked.txt") and r["status"] == "stored" for r in rows), rows
    (row,) = not_stored(rows, "linked_again")
    assert "already reads; skipped" in row["reason"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod-0 folder (the in-process test covers it)")
def test_hostile_unreadable_folder_is_accounted(inbox: Path) -> None:
    closed = inbox / "closed"
    closed.mkdir()
    (closed / "x.txt").write_text(OTHER, encoding="utf-8")
    closed.chmod(0)
    try:
        rows = _survive(inbox)
    finally:
        closed.chmod(stat.S_IRWXU)
    (row,) = not_stored(rows, "closed")
    assert "cannot be read" in row["reason"]


def test_hostile_unreadable_folder_in_process(inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same accounting for a folder the OS refuses (simulated, so it also runs as root)."""
    import marsad
    from marsad.config import load_config

    closed = inbox / "closed"
    closed.mkdir()
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == closed:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    result = marsad.ingest_inputs([inbox], db=inbox.parent / "m.db", config=load_config(environ={}))
    (entry,) = result["quarantine"]
    assert entry["source"].endswith("closed") and "Permission denied" in entry["reason"]
    assert result["counts"]["stored"] == 1 and result["counts"]["inputs"] == 2


def test_hostile_truncated_warc_gz_reports_its_cut_record(inbox: Path) -> None:
    members = [gzip.compress(_warc_record("https://example.org/a", _page(OTHER)))]
    members.append(gzip.compress(_warc_record("https://example.org/b", _page(GOOD + " " + OTHER))))
    data = b"".join(members)
    (inbox / "cut.warc.gz").write_bytes(data[: len(members[0]) + len(members[1]) * 2 // 3])
    rows = _survive(inbox)
    assert any(r["source"].endswith("cut.warc.gz#1") and r["status"] == "stored" for r in rows), rows
    assert not_stored(rows, "cut.warc.gz"), rows


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.warc", "empty.json", "blank.jsonl"])
def test_hostile_empty_container_is_one_quarantined_input(inbox: Path, name: str) -> None:
    (inbox / name).write_text("\n\n" if name.startswith("blank") else "", encoding="utf-8")
    rows = _survive(inbox)
    (row,) = not_stored(rows, name)
    assert "holds no records" in row["reason"], row


# --- configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["--set", "corpus.dedup.bands=0"], {}, ("corpus.dedup.bands", "allowed: 1, 2")),
        (["--set", "store.batch_size=abc"], {}, ("store.batch_size", "integer")),
        (["--set", "ingest.max_document_bytes=-1"], {}, ("ingest.max_document_bytes", "allowed: 1..")),
        ([], {"MARSAD__PIPELINE__STAGES": "bogus"}, ("pipeline.stages", "list of strings")),
        ([], {"MARSAD__PIPELINE__STAGES": '["bogus"]'}, ("'bogus'", "installed stages: ")),
        (["--out", "good.txt/out"], {}, ("--out", "not a writable folder")),
    ],
)
def test_hostile_configuration_fails_before_work(
    inbox: Path, args: list[str], env: dict[str, str], words: tuple[str, ...]
) -> None:
    out = ["--out", str(inbox.parent / "out")] if "--out" not in args else []
    run = run_marsad("analyze", str(inbox), *out, *args, cwd=inbox, env=env)
    assert run.returncode == 1, (run.returncode, run.stderr)
    assert len(run.stderr.strip().splitlines()) == 1 and run.stderr.startswith("marsad: error: ")
    assert all(word in run.stderr for word in words), run.stderr
    assert not (inbox.parent / "out" / "marsad.db").exists()  # no work was done


# --- output hygiene ----------------------------------------------------------------------------


def test_hostile_metadata_is_sanitised_and_isolated(inbox: Path) -> None:
    rlo = "\u202e"  # RIGHT-TO-LEFT OVERRIDE, left unclosed
    record = {"text": OTHER, "title": "عنوان\x00خفي", "outlet": f"منفذ {rlo}مقلوب", "id": "a\x00b"}
    (inbox / "meta.jsonl").write_text(jsonl({**record, "url": "https://example.org/\x00x"}), encoding="utf-8")
    out = inbox.parent / "out"
    run = run_marsad("analyze", str(inbox), "--out", str(out), cwd=inbox.parent)
    assert_survived(run, out / "marsad.db", "good.txt")
    report = json.loads((out / "report.json").read_text("utf-8"))
    (doc,) = [d for d in report["documents"] if d.get("outlet")]
    assert "\x00" not in json.dumps(doc, ensure_ascii=False)
    assert doc["title"] == "عنوانخفي" and doc["outlet"] == f"منفذ {rlo}مقلوب\u202c"
    page = (out / "index.html").read_text("utf-8")
    assert "\x00" not in page and f"<bdi>منفذ {rlo}مقلوب\u202c</bdi>" in page
    assert stat.S_IMODE((out / "report.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((out / "index.html").stat().st_mode) == 0o644


def test_hostile_page_policy_has_no_unsafe_inline(inbox: Path) -> None:
    import base64
    import hashlib
    import re

    from marsad.report.html import render_html

    page = render_html({"counts": {}, "documents": []})
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "unsafe-inline" not in policy
    for tag in ("style", "script"):
        block = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.DOTALL).group(1)
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"{tag}-src 'sha256-{digest}'" in policy


def test_hostile_binary_warc_reason_is_printable(inbox: Path) -> None:
    (inbox / "junk.warc").write_bytes(b"\x00\x01\x1b[31m\xff\xfe garbage\r\n" * 3)
    rows = _survive(inbox)
    (row,) = not_stored(rows, "junk.warc")
    assert row["reason"].isascii() and row["reason"].isprintable(), row


# --- functional --------------------------------------------------------------------------------


def test_hostile_rss_plain_text_description_is_stored(inbox: Path) -> None:
    (inbox / "feed.rss").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>صحيفة</title>'
        f"<item><title>مكتبة</title><guid>g-1</guid><description>{OTHER}</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    rows = _survive(inbox)
    assert any(r["source"].endswith("feed.rss#1") and r["status"] == "stored" for r in rows), rows


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="chromium not installed (apt-get install chromium)"
)
def test_hostile_page_script_runs_under_hashed_policy(tmp_path: Path) -> None:
    """The hashes match what a browser computes: the page's own script runs (it marks <html>)."""
    from marsad.report.html import write_html

    page = write_html({"counts": {}, "documents": []}, tmp_path / "index.html")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [str(shutil.which("chromium")), *flags, "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert 'data-js="ready"' in dom
