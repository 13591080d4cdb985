"""Sentence boundaries in the clean text.

Arabic newswire ends sentences with . ! ? ؟ … (and .. or ... in looser writing), and scraped text
keeps headlines and paragraphs as lines without any stop, so a line break always ends a sentence.
The Arabic comma "،", semicolon "؛" and ":" never do: Arabic chains clauses with them over whole
paragraphs. A stop does not end a sentence inside a number (1.5), a URL or domain, an abbreviation
(د. أ. م. ق.م. U.S.) or a quotation, and a closing quote or bracket right after a stop belongs
to the sentence it ends.

One compiled regex finds every candidate event (line break, stop run, quote mark); a small loop
decides. Quote regions are found by looking ahead for the matching mark inside the paragraph and
within `MAX_QUOTE_CHARS`: an unbalanced mark then simply opens no region instead of swallowing
the rest of a paragraph.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from marsad.normalize.text import normalize_form

# Longer "quotes" are almost always an unbalanced mark, not speech; splitting normally is safer.
MAX_QUOTE_CHARS = 400

# Line breaks as str.splitlines knows them: each ends a headline, paragraph or list item.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Sentence stops: . ! ? ؟ … plus the fullwidth "!" / "?" and the Urdu/Persian full stop U+06D4.
_STOPS = ".!?\u061f\u2026\uff01\uff1f\u06d4"
# What may follow a stop and still belong to its sentence: closing quotes and brackets.
_CLOSERS = "\u00bb\u201d\u201c\"\u2019')]}"
# Quote openers and the mark that closes each. Some Arabic sites reverse the guillemets and the
# curly quotes (» ... « and ” ... “), so a mark that is normally a closer also opens a region when
# no region is open; the same mark is the fallback closer for sites that use one mark for both.
_QUOTE_PAIRS = {
    "\u00ab": "\u00bb",  # « ... »
    "\u00bb": "\u00ab",  # » ... « (reversed)
    "\u201c": "\u201d",  # “ ... ”
    "\u201d": "\u201c",  # ” ... “ (reversed)
    '"': '"',
}

# One character class for every event kind keeps the regex a fast scan: the engine skips to the
# next event character, where any alternation (even of two classes, "[stops]+|[marks]") tries a
# match at every position and costs four times as much. The loop tells the kinds apart by the
# character and extends a stop to the whole run of stops itself.
_EVENT_RE = re.compile(rf"[{re.escape(_STOPS)}{_LINE_BREAKS}{''.join(_QUOTE_PAIRS)}]")
_LINE_BREAK_RE = re.compile(rf"[{_LINE_BREAKS}]")
# After a stop's trailing closers: a space (checked apart), punctuation or the end. Otherwise a quote mark glued to
# the next word is that word's opener ('انتهى."بدأ'), not this sentence's closer.
_AFTER_CLOSERS = frozenset(".,\u060c\u061b:!?\u061f")
_ALNUM_RE = re.compile(r"[^\W_]")
# A run of single letters each followed by a dot, minus the final dot: د / ق.م / U.S / e.g.
_DOTTED_LETTERS_RE = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
# Characters to peel off the front of the word before a dot ("(د." -> "د").
_WORD_LEAD = "([{\"'\u00ab\u00bb\u201c\u201d\u2018\u2019-"


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """Abbreviations (without their final dot) from data/abbreviations.txt, in matching form."""
    text = resources.files("marsad.segment").joinpath("data/abbreviations.txt").read_text("utf-8")
    return frozenset(
        normalize_form(line.strip()).lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


# How far back `_word_before` looks in one step; longer words (URLs) take the slow path.
_WORD_WINDOW = 64


def _word_before(text: str, pos: int) -> str:
    """The whitespace-delimited word ending at `pos`, leading brackets and quotes removed."""
    if not pos or text[pos - 1].isspace():
        return ""
    # `rsplit(None, 1)` walks back from the end to the first whitespace in C, where a Python loop
    # paid an `isspace` call per character; both use the same definition of whitespace.
    lo = pos - _WORD_WINDOW if pos > _WORD_WINDOW else 0
    window = text[lo:pos]
    parts = window.rsplit(None, 1)
    if len(parts) == 2 or not lo or window[0].isspace():
        return parts[-1].lstrip(_WORD_LEAD)
    start = lo  # no whitespace in the window: the word starts further back
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:pos].lstrip(_WORD_LEAD)


def _dot_continues(text: str, start: int) -> bool:
    """True when the single "." at `start` is an abbreviation's dot, not a sentence end."""
    word = _word_before(text, start)
    return bool(word) and _word_continues(word)


@lru_cache(maxsize=8192)
def _word_continues(word: str) -> bool:
    """The word-only part of `_dot_continues`, cached: a dot follows the same few thousand
    sentence-final words again and again, and folding, matching and lower-casing each cost more
    than the cache lookup."""
    if "://" in word or word.lower().startswith("www."):
        return True
    if word[-1].isdigit():
        return False  # "بلغ عددهم 50." ends a sentence; 1.5 never reaches here (digit follows)
    folded = normalize_form(word)
    if _DOTTED_LETTERS_RE.fullmatch(folded):
        return True
    return folded.lower() in abbreviations()


def _is_boundary(text: str, start: int, end: int) -> bool:
    """Does the stop run at [start, end) (closers included) end a sentence? Judged on context."""
    after = text[end] if end < len(text) else ""
    run = text[start:end]
    single_dot = run[0] == "." and (len(run) == 1 or run[1] not in _STOPS)
    if single_dot and _dot_continues(text, start):
        return False
    if not after or after.isspace():
        return True
    if after.isdigit() or after in _STOPS:
        return False  # 1.5, 3.14, version strings
    if single_dot:
        # "انتهى.وقال": scraped Arabic often drops the space after a stop. Latin letters around a
        # dot are a domain, file name or initialism (example.com, U.S), so only Arabic splits.
        before = text[start - 1] if start else ""
        return bool(_ARABIC_LETTER_RE.match(after) and _ARABIC_LETTER_RE.match(before))
    return bool(_ALNUM_RE.match(after))  # "لماذا؟وكيف" / "!!وقال": ! and ؟ have no other use


def _quote_close(text: str, pos: int, mark: str, max_chars: int = MAX_QUOTE_CHARS) -> int:
    """Index of the mark closing a quote opened at `pos`, or -1 (unbalanced or runaway)."""
    limit = min(len(text), pos + 1 + max_chars)
    line_break = _LINE_BREAK_RE.search(text, pos + 1, limit)
    if line_break is not None:
        limit = line_break.start()
    closer = _QUOTE_PAIRS[mark]
    found = text.find(closer, pos + 1, limit)
    if found == -1 and closer != mark:
        found = text.find(mark, pos + 1, limit)
    return found


def _cuts(text: str) -> list[int]:
    """Offsets where one sentence ends and the next may begin (before whitespace trimming)."""
    cuts: list[int] = []
    quote_end = -1  # index of the closing mark of the open quote region, or -1
    consumed = 0  # quote marks before this offset were taken as a stop's closers
    n = len(text)
    for m in _EVENT_RE.finditer(text):
        start = m.start()
        if start < consumed:
            continue  # a closer taken by the previous stop, or the rest of its run of stops
        ch = text[start]
        if ch in _LINE_BREAKS:
            cuts.append(start)
            quote_end = -1
        elif ch in _QUOTE_PAIRS:
            if start < quote_end:
                continue  # a nested quote inside the open region
            if start == quote_end:
                quote_end = -1  # the region's own closing mark
                continue
            quote_end = _quote_close(text, start, ch)
        else:
            end = start + 1
            while end < n and text[end] in _STOPS:
                end += 1
            consumed = end
            # Trailing closing quotes and brackets belong to the sentence this stop ends.
            close = end
            while close < n and text[close] in _CLOSERS:
                close += 1
            if close > end and (close == n or text[close].isspace() or text[close] in _AFTER_CLOSERS):
                end = consumed = close
            if start < quote_end:
                if quote_end >= end:
                    continue  # a stop inside a quotation
                quote_end = -1  # the quotation closes among this stop's trailing closers
            if _is_boundary(text, start, end):
                cuts.append(end)
    return cuts


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Half-open clean-text offsets of the sentences of `text`.

    Sentences are whitespace-trimmed, sorted, non-overlapping, and together cover every
    non-space character. Each contains a letter or digit: a piece made only of punctuation (a
    stray ". " left by scraping, a "***" separator line) joins the next sentence, or the previous
    one at the end of the text. A text with no letter or digit at all has no sentences.
    """
    out: list[tuple[int, int]] = []
    pending = -1  # start of punctuation-only pieces waiting to join the next sentence
    pending_end = -1
    prev = 0
    for cut in [*_cuts(text), len(text)]:
        piece = text[prev:cut]
        # lstrip then rstrip of the rest: one pass over the leading space instead of two.
        lead = piece.lstrip()
        start = prev + len(piece) - len(lead)
        prev = cut
        stripped = lead.rstrip()
        if not stripped:
            continue
        end = start + len(stripped)
        if _ALNUM_RE.search(stripped):
            out.append((pending if pending != -1 else start, end))
            pending = -1
        else:
            if pending == -1:
                pending = start
            pending_end = end
    if pending != -1 and out:
        out[-1] = (out[-1][0], pending_end)  # trailing punctuation joins the last sentence
    return out


_QUOTE_MARK_RE = re.compile(f"[{''.join(_QUOTE_PAIRS)}]")


def quote_regions(text: str, max_chars: int = MAX_QUOTE_CHARS) -> list[tuple[int, int]]:
    """Outermost quotations as (index of the opening mark, index of the closing mark).

    The same pairing the splitter uses (« », “ ”, their reversed forms, alternating straight
    quotes; never across a line break), with its own length limit: a quotation extractor may
    allow quotes spanning several sentences. Marks nested inside a region are skipped.
    """
    regions: list[tuple[int, int]] = []
    end = -1
    for m in _QUOTE_MARK_RE.finditer(text):
        pos = m.start()
        if pos <= end:
            continue
        close = _quote_close(text, pos, m.group(), max_chars)
        if close != -1:
            regions.append((pos, close))
            end = close
    return regions
