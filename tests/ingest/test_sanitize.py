"""sanitize: one-line printable reasons, and metadata without controls and with balanced bidi."""

from __future__ import annotations

import pytest

from marsad.ingest.sanitize import clean_metadata, printable

# Bidirectional controls, written as escapes: RLO/LRE open an override/embedding closed by PDF;
# RLI opens an isolate closed by PDI.
RLO, LRE, PDF, RLI, PDI = "\u202e", "\u202a", "\u202c", "\u2067", "\u2069"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("وكالة الأنباء", "وكالة الأنباء"),
        ("عنوان\x00خفي", "عنوانخفي"),
        ("سطر\nثان\r\tثالث", "سطر ثان ثالث"),
        (f"منفذ {RLO}مقلوب", f"منفذ {RLO}مقلوب{PDF}"),
        (f"{PDF}بلا فاتح{PDI}", "بلا فاتح"),
        (f"{RLI}أ{LRE}ب{PDI}ج", f"{RLI}أ{LRE}ب{PDF}{PDI}ج"),
        (f"{LRE}ا{RLI}ب{PDF}", f"{LRE}ا{RLI}ب{PDI}{PDF}"),  # a PDF cannot close across an isolate
        ("\x00\x01", None),
        ("0\x1f0", "00"),  # found by the fuzzer: the unit separator is no line break, and no text
        (f"{RLO}{PDF}", None),
        ("نص\udfff", "نص"),
    ],
)
def test_sanitize_clean_metadata(raw: str, clean: str | None) -> None:
    assert clean_metadata(raw) == clean


def test_sanitize_identifiers_keep_their_bidi_controls() -> None:
    # A real news-site URL holds an unclosed RLE: closing it would change the identifier.
    url = "https://example.org/\u202bخبر/\x00"
    assert clean_metadata(url, balance=False) == "https://example.org/\u202bخبر/"


def test_sanitize_printable_escapes_and_cuts() -> None:
    assert printable("bad \x00\x1b[31m\n" + RLO) == "bad \\x00\\x1b[31m\\x0a\\u202e"
    assert printable("سبب واضح") == "سبب واضح"
    long = printable("x" * 1000)
    assert len(long) == 400 and long.endswith("…")
