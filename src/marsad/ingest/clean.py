"""Cleaning of scraped article text: an ordered list of small named rules.

Plain text and the text trafilatura extracts from HTML both pass through here. Every rule that
takes out visible content records a `Removal(text, reason)`, so nothing disappears silently;
whitespace changes and invisible characters are not recorded (they carry no content).

Order:
1. characters: NBSP and other spaces -> space, invisible and bidi-control characters dropped,
   CRLF -> LF, inline template leftovers ("{{...}}") removed;
2. tail furniture at the end of the text (tag lines "سمات ...", the outlet's link line, the
   author's contact), then per line: strip, collapse runs of spaces, then the line rules of
   data/boilerplate.tsv (site banners, share widgets, template leftovers, "read also" lines,
   social footers, copyright, syndication credits);
3. repeated lines: a line that repeats an earlier line (or a known title, below the top) is
   dropped, keeping the first;
4. (bylines and datelines: byline.py, run by build.py between 3 and 5);
5. top structure: the headline line at the top becomes the title when none was given, and a short
   run of names between the headline and the byline is an image caption;
6. broken punctuation from scraping (". ،", " .", "،.", "..", stray " . ");
7. blank lines: 3+ newlines collapse to one blank line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from marsad.model import Removal

COMPONENT = "ingest.clean"

RULE_REASONS = {
    "site_banner": "site banner line (site name / home-page link, not article text)",
    "share_widget": "share widget (social sharing buttons and labels)",
    "template_leftover": "template leftover (CSS class name or template variable scraped as text)",
    "read_also": 'related links ("read also" / most-read list)',
    "social_footer": "social footer (page link or follow-us line)",
    "copyright": "copyright line",
    "slider": "slider navigation text (Next Previous) scraped with the article",
    "syndication": "syndication credit (the wire or paper the piece was bought from)",
    "tag_line": "site tag line (keywords listed under the article, not article text)",
    "related_link": "the outlet's link line to the story (its title again)",
    "author_contact": "author contact details (email, handle, SMS code)",
}

# Spaces that should be a plain space: NBSP, narrow NBSP, figure space, the en/em space family,
# ideographic space. Written as escapes because they are invisible in an editor.
_SPACES = "\u00a0\u202f\u2007\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000\t\f\v"
# Invisible characters with no meaning in clean text: zero-width space, LRM, RLM, BOM, soft
# hyphen, word joiner, Arabic letter mark, bidi embeddings/overrides/isolates. ZWNJ (\u200c) and
# ZWJ (\u200d) are kept: Persian-style spellings and some names need them.
_INVISIBLE = (
    "\u200b\u200e\u200f\ufeff\u00ad\u2060\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_CHAR_TABLE = str.maketrans({**{c: " " for c in _SPACES}, **{c: None for c in _INVISIBLE}})
_CHAR_CHECK_RE = re.compile(f"[{_SPACES}{_INVISIBLE}]")
# Where a tail rule may start: at a line start or after a sentence's closing punctuation (sites
# glue tag lines to the last paragraph); at a line start only; after any space.
_TAIL_STARTS = {
    "tail": '(?:(?<![^\\n])|(?<=[.!؟?»"”)]))[ \\t]*',
    "tail_line": "(?<![^\\n])[ \\t]*",
    "tail_any": "(?<=\\s)",
}
_SCOPES = ("line", "inline", *_TAIL_STARTS)
_TAIL_WINDOW = 400  # tail furniture is short (at most 156 characters on 14,848 July 2015 articles)
_SPACE_RUN_RE = re.compile(r" {2,}")
_MAX_RULE_LINE = 200
_MIN_REPEAT_CHARS = 15  # shorter repeated lines ("الرئيسية") are left to the named rules

# Top structure.
_TITLE_MAX_WORDS = 25
_CAPTION_MAX_WORDS = 8
_SENTENCE_END_RE = re.compile(r"[.!?؟:…]\s*$")
_CAPTION_FORBIDDEN_RE = re.compile(r"[.،,:؛;!?؟\"«»“”()\[\]0-9٠-٩]")


@dataclass(frozen=True, slots=True)
class Rules:
    line: tuple[tuple[str, re.Pattern[str]], ...]
    inline: tuple[tuple[str, re.Pattern[str]], ...]
    tail: re.Pattern[str] | None = None  # every tail rule in one pattern, group "tN" for rule N
    tail_rules: tuple[str, ...] = ()


def _read_tsv(name: str) -> list[list[str]]:
    text = resources.files("marsad.ingest").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def load_rules() -> Rules:
    """Compile data/boilerplate.tsv once: one alternation per rule and scope, in file order (the
    tail rules together in one pattern)."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for row in _read_tsv("boilerplate.tsv"):
        if len(row) != 3 or row[1] not in _SCOPES or row[0] not in RULE_REASONS:
            raise ValueError(f"boilerplate.tsv: bad row {row!r}; want rule<TAB>{'|'.join(_SCOPES)}<TAB>regex")
        grouped.setdefault((row[0], row[1]), []).append(row[2])
    scoped: dict[str, list[tuple[str, re.Pattern[str]]]] = {"line": [], "inline": []}
    tail_parts: list[str] = []
    tail_rules: list[str] = []
    for (rule, scope), patterns in grouped.items():
        alternation = "|".join(f"(?:{p})" for p in patterns)
        if scope in _TAIL_STARTS:
            # One pattern for all tail rules: the text's end is scanned once, not once per rule.
            tail_parts.append(f"(?P<t{len(tail_rules)}>{_TAIL_STARTS[scope]}(?:{alternation}))")
            tail_rules.append(rule)
        else:
            scoped[scope].append((rule, re.compile(alternation, re.IGNORECASE)))
    # Case-sensitive: IGNORECASE makes every position of the window expensive to try, and the
    # Arabic furniture has no case (write [Tt]ags for Latin words).
    tail = re.compile(f"(?:{'|'.join(tail_parts)})\\s*\\Z") if tail_parts else None
    return Rules(tuple(scoped["line"]), tuple(scoped["inline"]), tail, tuple(tail_rules))


def _removal(text: str, reason: str) -> Removal:
    return Removal(text=text, reason=reason, component=COMPONENT)


@dataclass(slots=True)
class Lines:
    """The text as lines while cleaning; a removed line becomes None so indices stay stable."""

    items: list[str | None]
    removed: list[Removal] = field(default_factory=list)

    def content_indices(self) -> list[int]:
        return [i for i, line in enumerate(self.items) if line]

    def drop(self, index: int, reason: str) -> None:
        text = self.items[index]
        if text:
            self.removed.append(_removal(text, reason))
        self.items[index] = None

    def text(self) -> str:
        out: list[str] = []
        blank = False
        for line in self.items:
            if line is None:
                continue  # a dropped line leaves no blank behind
            if line == "":
                blank = bool(out)
                continue
            if blank:
                out.append("")
                blank = False
            out.append(line)
        return "\n".join(out)


def split_lines(text: str, title: str | None = None) -> Lines:
    """Steps 1-3: characters, per-line rules, repeated lines."""
    rules = load_rules()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CHAR_CHECK_RE.search(text):  # translate() with a dict is slow; most texts need nothing
        text = text.translate(_CHAR_TABLE)
    result = Lines([])
    text = _strip_tail(text, rules, result.removed)
    for rule, pattern in rules.inline:
        found = pattern.findall(text)
        if found:
            text = pattern.sub("", text)
            result.removed.extend(_removal(f, f"{rule}: {RULE_REASONS[rule]}") for f in found)
    seen: set[str] = set()
    title_key = " ".join(title.split()) if title else None
    first_content = True
    for raw in text.split("\n"):
        line = _SPACE_RUN_RE.sub(" ", raw.strip())
        if not line:
            result.items.append("")
            continue
        if len(line) <= _MAX_RULE_LINE:
            rule_hit = next((rule for rule, p in rules.line if p.fullmatch(line)), None)
            if rule_hit is not None:
                result.items.append(None)
                result.removed.append(_removal(line, f"{rule_hit}: {RULE_REASONS[rule_hit]}"))
                continue
        if len(line) >= _MIN_REPEAT_CHARS:
            if line in seen:
                result.items.append(None)
                result.removed.append(
                    _removal(line, "repeated line: repeats an earlier line (kept the first)")
                )
                continue
            if line == title_key and not first_content:
                result.items.append(None)
                result.removed.append(_removal(line, "repeated headline: repeats the title inside the body"))
                continue
            seen.add(line)
        first_content = False
        result.items.append(line)
    return result


def _strip_tail(text: str, rules: Rules, removed: list[Removal]) -> str:
    """Take tail furniture off the end of `text`, innermost last: "... سمات إيران داعش" or
    "... والله ولي التوفيق. رابط الخبر بصحيفة الوئام: <title>" after "كاتب سعودي x@"."""
    if rules.tail is None:
        return text
    while True:
        end = text.rstrip()
        # Searching from `pos` keeps the look-behinds on the real text before the window.
        match = rules.tail.search(end, max(0, len(end) - _TAIL_WINDOW))
        if match is None or match.start() == 0 or match.lastgroup is None:  # never the whole text
            return text
        rule = rules.tail_rules[int(match.lastgroup[1:])]
        removed.append(_removal(match.group(0).strip(), f"{rule}: {RULE_REASONS[rule]}"))
        text = end[: match.start()].rstrip()


def find_title(lines: Lines, title: str | None, byline_index: int | None) -> tuple[str | None, int | None]:
    """Step 5: return (title, index of the headline line in `lines` or None).

    With no given title, the first content line is the headline when it is short and does not end
    like a sentence; it stays in the text (it is part of what the outlet published).
    """
    indices = lines.content_indices()
    if not indices:
        return title, None
    first = indices[0]
    line = lines.items[first] or ""
    if title is not None:
        key = " ".join(title.split())
        return title, (first if line == key else None)
    if len(indices) >= 2 and len(line.split()) <= _TITLE_MAX_WORDS and not _SENTENCE_END_RE.search(line):
        return line, first
    return None, None


def drop_caption(lines: Lines, title_index: int | None, byline_index: int | None) -> None:
    """Step 5, conservatively: a short verbless run of names directly between headline and byline.

    Scraped pages put the photo caption ("فلاديمير بوتين وكيم جونج أون") right under the headline.
    Only the case with a byline right after it is taken: there the line cannot be a lead paragraph.
    """
    if title_index is None or byline_index is None:
        return
    after = [i for i in lines.content_indices() if i > title_index]
    if not after or after[0] >= byline_index:
        return
    candidate = after[0]
    rest = [i for i in after[1:] if i < byline_index]
    if rest:
        return
    line = lines.items[candidate] or ""
    if len(line.split()) <= _CAPTION_MAX_WORDS and not _CAPTION_FORBIDDEN_RE.search(line):
        lines.drop(candidate, "image caption: short line of names between the headline and the byline")


# Step 6. Each repair: (name, pattern, replacement). Order matters: the specific shapes first.
def _stray_stop(match: re.Match[str]) -> str:
    # " . " between two words: a clause-opening و/ف after it means the dot was a real sentence end
    # typed with a space; otherwise it is a scraping artefact inside a clause.
    return ". " if match.group(1) in ("و", "ف") else " "


def _stray_stop_checked(match: re.Match[str]) -> str:
    before = match.string[match.start() - 1] if match.start() else " "
    if before in " \n.،,؛:":
        return match.group(0)  # not between two words
    return _stray_stop(match)


# Patterns start with a literal where possible: Python's re scans for a literal prefix quickly,
# while a leading look-behind is tried at every position (3x slower on a 3 KB article).
_PUNCT_REPAIRS: tuple[tuple[str, re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    ("full stop before a comma", re.compile(r"\.(?<![.\s]\.) ?(?=[،,؛])"), ""),
    ("stray full stop after a comma", re.compile(r"([،,؛]) +\.(?= )"), r"\1"),
    ("comma before a full stop", re.compile(r"[،,؛]\.(?!\.)"), "."),
    ("doubled full stop", re.compile(r"\.\.(?!\.)(?<!\.\.\.)"), "."),
    ("doubled comma", re.compile(r"،{2,}|,{2,}"), lambda m: m.group(0)[0]),
    ("stray full stop between words", re.compile(r" \. (?=(\w))"), _stray_stop_checked),
    ("space before punctuation", re.compile(r" +(?=[.،؛!؟](?:\s|$))"), ""),
)


# A cheap test that some repair above may apply: every one of them needs two marks in a row or a
# space before a mark. Most articles need none, and then this costs one simple scan, not seven.
_ANY_PUNCT_REPAIR = re.compile(r"[.،,؛] *[.،,؛]| [.،؛!؟]")


def repair_punctuation(text: str) -> tuple[str, list[Removal]]:
    removed: list[Removal] = []
    if _ANY_PUNCT_REPAIR.search(text) is None:
        return text, removed
    for name, pattern, repl in _PUNCT_REPAIRS:
        first = pattern.search(text)
        if first is None:
            continue
        new_text, count = pattern.subn(repl, text)
        if new_text == text:
            continue  # a checked repair found nothing to change
        text = new_text
        # One record per kind keeps this cheap; the first occurrence shows what was taken out.
        removed.append(_removal(first.group(0), f"broken punctuation: {name} ({count}x)"))
    return text, removed
