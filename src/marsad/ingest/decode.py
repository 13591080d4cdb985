"""Bytes to text: refuse what is not text, and decode what is, in the encodings Arabic news uses.

The order matters: a byte-order mark is the strongest evidence, so UTF-16 is recognised before the
NUL-byte test (UTF-16 text is full of NULs); strict UTF-8 comes next because nearly all of the web
is UTF-8; windows-1256 (the legacy Arabic code page) is the last resort, accepted only when the
result reads as Arabic, because any byte string "decodes" as windows-1256.
"""

from __future__ import annotations

import re

from marsad.errors import QuarantineError

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Control bytes other than tab, newline, vertical tab, form feed and carriage return.
_CONTROL_RE = re.compile(rb"[\x01-\x08\x0e-\x1f\x7f]")
_CONTROL_SAMPLE = 8192
_CONTROL_MAX_SHARE = 0.10
# Arabic-script letters (the basic block; presentation forms are rare in legacy code pages).
_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_ANY_LETTER_RE = re.compile(r"[^\W\d_]")
_CP1256_MIN_ARABIC_SHARE = 0.6


def human_size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.1f} kB"


def check_size(data: bytes, limit: int, what: str = "file") -> None:
    if len(data) == 0:
        raise QuarantineError(f"empty {what} (0 bytes)")
    if len(data) > limit:
        raise QuarantineError(
            f"{what} is {human_size(len(data))}, over the {human_size(limit)} limit for one article; "
            "raise ingest.max_document_bytes to accept it"
        )


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) or raise QuarantineError saying why the bytes are not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise QuarantineError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(at offset {err.start + len(bom)}: {err.reason})"
                ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise QuarantineError(f"binary file, not text (NUL bytes at offset {nul})")
    sample = data[:_CONTROL_SAMPLE]
    controls = len(_CONTROL_RE.findall(sample))
    if controls > _CONTROL_MAX_SHARE * len(sample):
        raise QuarantineError(
            f"binary file, not text ({controls} of the first {len(sample)} bytes are control characters)"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = f"invalid byte 0x{data[err.start]:02x} at offset {err.start}"
    # windows-1256 leaves five bytes undefined in Python's codec; those mean it is not cp1256 either.
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    arabic = len(_ARABIC_LETTER_RE.findall(text))
    letters = len(_ANY_LETTER_RE.findall(text))
    if letters and arabic >= _CP1256_MIN_ARABIC_SHARE * letters:
        return text, "windows-1256"
    raise QuarantineError(f"not valid UTF-8 ({utf8_error}) and not windows-1256 Arabic")
