"""Strings from untrusted inputs made safe to store and show: one-line reasons and clean metadata.

Two jobs, one per function:

- `printable(message)`: a quarantine reason is read by a person in a terminal, report.json and the
  page, so it is one line of printable characters; anything else (raw binary from a broken
  container, newlines, control and bidirectional characters) is written as a `\\xNN`/`\\uNNNN`
  escape, and a long message is cut.
- `clean_metadata(value)`: a title, outlet, author, id or URL is shown beside other text. Control
  characters (NUL included) are removed, line breaks become spaces, and bidirectional embeddings,
  overrides and isolates are balanced, so an unclosed right-to-left override in an outlet cannot
  reverse the rest of the byline it is shown in.
"""

from __future__ import annotations

import re

_REASON_MAX_CHARS = 400
# Embeddings and overrides (LRE, RLE, LRO, RLO) are closed by PDF; isolates (LRI, RLI, FSI) by PDI.
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")
_PDF, _PDI = "\u202c", "\u2069"
# Line breaks of every kind become one space in a one-line field.
_BREAKS_RE = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
# Other C0/C1 controls and lone surrogates have no place in text shown to a person.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_BIDI = _EMBEDDINGS | _ISOLATES | {_PDF, _PDI}


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(message: str, limit: int = _REASON_MAX_CHARS) -> str:
    """One line of printable text; other characters escaped, the whole cut at `limit` characters."""
    out = []
    for char in message:
        if char == " " or (char.isprintable() and char not in _BIDI):
            out.append(char)
        else:
            out.append(_escape(char))
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _balance_bidi(text: str) -> str:
    """Drop closers without an opener and close every opener left open (UAX #9 pairing rules)."""
    out: list[str] = []
    stack: list[str] = []  # "e" for an embedding/override, "i" for an isolate
    for char in text:
        if char in _EMBEDDINGS or char in _ISOLATES:
            stack.append("e" if char in _EMBEDDINGS else "i")
        elif char == _PDF:
            if not stack or stack[-1] != "e":
                continue  # a PDF closes nothing outside its own isolate
            stack.pop()
        elif char == _PDI:
            if "i" not in stack:
                continue
            while stack.pop() != "i":  # a PDI also ends the embeddings opened inside its isolate
                out.append(_PDF)
        out.append(char)
    out.extend(_PDF if kind == "e" else _PDI for kind in reversed(stack))
    return "".join(out)


def clean_metadata(value: str | None, *, balance: bool = True) -> str | None:
    """A metadata value safe to store and display, or None if nothing printable is left.

    `balance=False` is for identifiers (ids, URLs): they must stay as the source wrote them to be
    looked up, so only control characters go; the page shows them isolated in any case.
    """
    if value is None:
        return None
    text = _CONTROL_RE.sub("", _BREAKS_RE.sub(" ", value)).strip()
    text = _balance_bidi(text) if balance else text
    return text if text.strip(" " + "".join(_BIDI)) else None


def lone_surrogate(value: str) -> int | None:
    """Offset of the first lone surrogate in `value` (JSON allows them; UTF-8 cannot hold them)."""
    match = re.search(r"[\ud800-\udfff]", value)
    return match.start() if match else None
