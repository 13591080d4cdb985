"""Bylines and datelines: who wrote it, for which outlet, from where.

Arabic news opens with lines such as "القاهرة الإخبارية - مازن إسلام" (outlet - author),
"سيول - وكالة الأفق للأنباء - سارة حداد" (place - outlet - author), "موسكو (رويترز) -" (place and
wire source), "كتب: أحمد علي", or starts its first paragraph with "وكالات ـ" / "القاهرة - ". The
parts are separated by dashes (including a spaced tatweel "ـ", which many sites use as a dash) and
told apart with small word lists (data/byline.tsv): a segment holding an outlet word (وكالة،
صحيفة، الإخبارية، رويترز ...) is the outlet, a known city is the place, and a remaining short
run of 2-4 words is the author. A line is taken only when every part is accounted for, so an
ordinary sentence with a dash in it is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from marsad.ingest.clean import Lines
from marsad.model import Removal
from marsad.normalize.text import normalize_form

COMPONENT = "ingest.byline"

# A dash between parts, spaced on at least one side ("سبق- وكالات", "رويترز –لويزيانا"); the tatweel
# "ـ" only when spaced on both, since it also stretches letters inside words.
_SEPARATOR_RE = re.compile(r"\s+[-–—ـ]+\s+|(?<=\S)[-–—]+\s+|\s+[-–—]+(?=\S)|\s*/\s+")
# A dateline closed by a colon: "سبق- وكالات: نددت ..."، "واس- جدة: وصل ..."، "الكويت : أعرب ...".
_COLON_PREFIX_RE = re.compile(r"([^:\n]{1,80}?)\s*:\s*(?=\S)")
_DASHES = "-–—ـ"
_PAREN_RE = re.compile(r"(.*?)\s*\(([^()]{1,40})\)")
_AUTHOR_CUE_RE = re.compile(r"(\S+)\s*[:：]\s*(.+)|(\S+)\s+(.+)")
_SENTENCE_PUNCT_RE = re.compile(r"[.،,!?؟\"«»“”;؛]")
_PREFIX_RE = re.compile(r"(.{1,80}?)\s*[-–—ـ]+\s+(?=\S)")
_LETTERS_ONLY_RE = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")
_MAX_LINE_WORDS = 12
_MAX_LINE_CHARS = 100
_SCAN_LINES = 6  # bylines sit in the first lines; scanning further would catch body sentences
_PREFIX_SCAN_LINES = 3
_MIN_BODY_WORDS = 5
_MAX_OUTLET_WORDS = 5  # "وكالة الأنباء الألمانية د ب أ" is about the longest outlet segment


def _strip_trailing_dash(line: str) -> tuple[str, bool]:
    """`line` without a trailing dash run ("موسكو (رويترز) -"), and whether it had one.

    String methods, not a regex: a pattern anchored at the end is still tried at every position.
    """
    end = line.rstrip()
    bare = end.rstrip(_DASHES)
    return (bare.rstrip(), True) if len(bare) < len(end) else (line, False)


def fold(text: str) -> str:
    """Light matching form: hamza/alef/ya folding, no diacritics, ة -> ه, lower-case Latin."""
    return normalize_form(text).replace("ة", "ه").lower()


@dataclass(frozen=True, slots=True)
class Lexicon:
    outlet: frozenset[str]
    outlet_phrases: frozenset[str]
    wire: frozenset[str]
    author_cue: frozenset[str]
    place: frozenset[str]


def _gazetteer_names(path: Path) -> set[str]:
    # The entity gazetteers are written by another stage; only their first column is read.
    names: set[str] = set()
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                names.add(fold(line.split("\t", 1)[0].strip()))
    return names


@cache
def load_lexicon() -> Lexicon:
    kinds: dict[str, set[str]] = {"outlet": set(), "wire": set(), "author_cue": set(), "place": set()}
    text = resources.files("marsad.ingest").joinpath("data", "byline.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, kind = line.split("\t")
        if kind not in kinds:
            raise ValueError(f"byline.tsv: unknown kind {kind!r} for {word!r}; use one of {sorted(kinds)}")
        kinds[kind].add(fold(word))
    lexicons = Path(__file__).resolve().parent.parent / "extract" / "lexicons"
    for name in ("places.tsv", "countries.tsv"):
        kinds["place"] |= _gazetteer_names(lexicons / name)
    outlet_words = {w for w in kinds["outlet"] if " " not in w}
    outlet_phrases = {w for w in kinds["outlet"] if " " in w}
    return Lexicon(
        frozenset(outlet_words),
        frozenset(outlet_phrases),
        frozenset(kinds["wire"]),
        frozenset(kinds["author_cue"]),
        frozenset(kinds["place"]),
    )


@dataclass(slots=True)
class Byline:
    outlet: str | None = None
    author: str | None = None
    place: str | None = None
    line_index: int | None = None  # the whole line that was a byline, if any
    removed: list[Removal] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.outlet or self.author or self.place)


def _is_outlet(folded: str, lex: Lexicon) -> bool:
    """Whether a byline segment names an outlet: a wire word, a segment headed by an outlet word
    ("صحيفة المدينة", "وكالة الأنباء السعودية"), or a short one holding an outlet name ("القاهرة
    الإخبارية", "عين اليوم"). An outlet word deep in a long segment is an ordinary word of a
    sentence ("... رئيس جمهورية مصر العربية مؤكدا -"), not a byline."""
    if folded in lex.wire:
        return True
    words = folded.split()
    if not words or len(words) > _MAX_OUTLET_WORDS:
        return False
    head = words[0][1:] if words[0].startswith("و") and words[0][1:] in lex.outlet else words[0]
    if head in lex.outlet:
        return True
    if len(words) <= 3 and any(w in lex.outlet for w in words):
        return True
    padded = f" {folded} "
    return any(f" {p} " in padded for p in lex.outlet_phrases)


def _classify(segment: str, lex: Lexicon) -> list[tuple[str, str]] | None:
    """The roles of one dash-separated segment, or None if it is not a byline part."""
    segment = segment.strip()
    if not segment:
        return None
    paren = _PAREN_RE.fullmatch(segment)
    if paren:
        head, inside = paren.group(1).strip(), paren.group(2).strip()
        if not _is_outlet(fold(inside), lex):
            return None
        roles = [("outlet", inside)]
        if head:
            head_roles = _classify(head, lex)
            if head_roles is None or [r for r, _ in head_roles] not in (["place"], ["author"]):
                return None
            roles = [("place", head), *roles]  # "موسكو (رويترز)": the head is where it was filed
        return roles
    folded = fold(segment)
    if folded in lex.place:
        return [("place", segment)]
    if _is_outlet(folded, lex):
        return [("outlet", segment)]
    if 2 <= len(segment.split()) <= 4 and _LETTERS_ONLY_RE.fullmatch(segment):
        return [("author", segment)]
    return None


def _merge(roles: list[tuple[str, str]]) -> dict[str, str] | None:
    """Roles to one record. Several places ("بروكسل / سيول") are joined; a second outlet (a paper
    crediting "وكالات" as well) is dropped in favour of the first; two authors are not trusted."""
    out: dict[str, str] = {}
    for role, value in roles:
        if role not in out:
            out[role] = value
        elif role == "place":
            out[role] = f"{out[role]} / {value}"
        elif role == "author":
            return None
    return out


def _parse_line(line: str, lex: Lexicon) -> dict[str, str] | None:
    if len(line) > _MAX_LINE_CHARS or len(line.split()) > _MAX_LINE_WORDS:
        return None
    cue = _AUTHOR_CUE_RE.fullmatch(line)
    if cue:
        word, rest = (cue.group(1), cue.group(2)) if cue.group(1) else (cue.group(3), cue.group(4))
        if fold(word) in lex.author_cue and not _SENTENCE_PUNCT_RE.search(rest):
            rest = _strip_trailing_dash(rest)[0]
            parts = [p for p in _SEPARATOR_RE.split(rest) if p.strip()]
            if parts and len(parts[0].split()) <= 4 and _LETTERS_ONLY_RE.fullmatch(parts[0].strip()):
                result = {"author": parts[0].strip()}
                for part in parts[1:]:
                    found = _classify(part, lex)
                    if found is None or any(r == "author" for r, _ in found):
                        return None
                    result.update(found)
                return result
    body, trailing = _strip_trailing_dash(line)
    # The lazy _PAREN_RE is quadratic on long lines: only run it when there is a bracket.
    if _SENTENCE_PUNCT_RE.search(_PAREN_RE.sub("", body) if "(" in body else body):
        return None
    parts = _SEPARATOR_RE.split(body)
    if len(parts) < 2 and not trailing:
        return None  # a bare "القاهرة" or outlet name alone on a line is not clearly a byline
    roles: list[tuple[str, str]] = []
    for part in parts:
        classified = _classify(part, lex)
        if classified is None:
            return None
        roles.extend(classified)
    merged = _merge(roles)
    if not merged or set(merged) == {"author"}:
        return None  # a byline needs an outlet or a place, not just two names
    return merged


def _parse_prefix(line: str, lex: Lexicon) -> tuple[dict[str, str], str] | None:
    """A dateline opening the first paragraph: "وكالات ـ أعربت ...", "القاهرة - قال ..."."""
    roles: list[tuple[str, str]] = []
    rest = line
    while True:
        match = _PREFIX_RE.match(rest)
        if not match:
            break
        classified = _classify(match.group(1), lex)
        if classified is None or any(r == "author" for r, _ in classified):
            break
        roles.extend(classified)
        rest = rest[match.end() :]
    merged = _merge(roles) if roles else None
    if not merged or len(rest.split()) < _MIN_BODY_WORDS:
        return None
    return merged, line[: len(line) - len(rest)].strip()


def _parse_colon_prefix(line: str, lex: Lexicon) -> tuple[dict[str, str], str] | None:
    """A dateline closed by a colon, the Saudi wire style: every dash-separated part of the head
    is a place, an outlet or (once) an author, and an outlet or a place is among them
    ("علي حفول- سبق- نجران:"); a head such as "وزير الخارجية:" is a speaker, not a dateline."""
    match = _COLON_PREFIX_RE.match(line)
    if match is None or _SENTENCE_PUNCT_RE.search(match.group(1)):
        return None
    parts = [p.strip() for p in _SEPARATOR_RE.split(match.group(1)) if p.strip()]
    classified = [_classify(part, lex) for part in parts]
    has_outlet = any(c and any(r == "outlet" for r, _ in c) for c in classified)
    roles: list[tuple[str, str]] = []
    for part, found in zip(parts, classified, strict=True):
        if found is None:
            # Next to a known outlet, one unlisted word is the place it reports from
            # ("رويترز –لويزيانا:"); anything else means this is not a dateline.
            if not (has_outlet and _LETTERS_ONLY_RE.fullmatch(part) and " " not in part):
                return None
            found = [("place", part)]
        roles.extend(found)
    merged = _merge(roles) if roles else None
    if not merged or not ({"outlet", "place"} & set(merged)):
        return None
    if len(line[match.end() :].split()) < _MIN_BODY_WORDS:
        return None
    return merged, line[: match.end()].strip()


def _reason(found: dict[str, str], where: str) -> str:
    parts = " and ".join(k for k in ("place", "outlet", "author") if k in found)
    kind = "byline" if "author" in found else "dateline"
    return f"{kind}: {parts} {where}"


def find_byline(lines: Lines, skip: set[int] | None = None) -> Byline:
    """Find and remove the byline or dateline in the first lines of `lines` (in place)."""
    lex = load_lexicon()
    result = Byline()
    indices = [i for i in lines.content_indices() if not skip or i not in skip]
    for index in indices[:_SCAN_LINES]:
        line = lines.items[index] or ""
        found = _parse_line(line, lex)
        if found:
            result.outlet, result.author = found.get("outlet"), found.get("author")
            result.place, result.line_index = found.get("place"), index
            lines.items[index] = None
            result.removed.append(Removal(line, _reason(found, "line"), COMPONENT))
            return result
    for index in indices[:_PREFIX_SCAN_LINES]:
        line = lines.items[index] or ""
        prefixed = _parse_colon_prefix(line, lex) or _parse_prefix(line, lex)
        if prefixed:
            found, prefix = prefixed
            result.outlet, result.place = found.get("outlet"), found.get("place")
            result.author = found.get("author")
            lines.items[index] = line[len(prefix) :].lstrip(" -–—ـ:")
            result.removed.append(Removal(prefix, _reason(found, "at the start of the text"), COMPONENT))
            return result
    return result
