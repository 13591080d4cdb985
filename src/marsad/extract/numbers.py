"""Arabic numbers over tokens: digits in both systems and number words, shared by times and
quantities.

Lexicons are TSV data files in `extract/lexicons/`, read once per process through `read_tsv`
(components call the loaders in `initialize`). Keys are stored in the matching form
(`normalize_form`), so أ/ا/إ and ى/ي spellings of one word find one entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.normalize.text import normalize_form
from marsad.segment.tokens import Token, stems

LEXICON_PACKAGE = "marsad.extract.lexicons"


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a lexicon file, without its `#` header comments and blank lines."""
    text = resources.files(LEXICON_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class NumberWord:
    value: float
    kind: str  # unit | unit_compound | teen_tail | ten | hundred | scale | vague | fraction | ordinal


@dataclass(frozen=True, slots=True)
class NumberMatch:
    value: float
    start: int  # token index of the first token of the number
    end: int  # token index after the last token
    kind: str  # digits | words | vague | fraction
    scaled: bool  # a scale word (ألف، مليون) was read


@lru_cache(maxsize=1)
def number_lexicon() -> dict[str, dict[str, NumberWord]]:
    """kind-group -> matching form -> NumberWord. One form can be both a scale and a vague word
    (آلاف): the reader decides by position, so each kind keeps its own table."""
    table: dict[str, dict[str, NumberWord]] = {}
    for form, value, kind in read_tsv("number_words.tsv"):
        table.setdefault(kind, {})[normalize_form(form)] = NumberWord(float(value), kind)
    return table


_CARDINAL_KINDS = ("unit", "unit_compound", "ten", "hundred", "scale")


def _strip_conj(word: str) -> str | None:
    """The word after a conjunction و (the only clitic a number continues with), or None."""
    return word[1:] if word.startswith("و") and len(word) > 2 else None


# Clitics a number word may carry. ك is left out: كمية/كميات would otherwise read as ك + مية/ميات,
# the matching forms of مئة/مئات.
_NUMBER_PREFIXES = frozenset(("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"))


def bare_candidates(word: str) -> list[str]:
    """Stems of `word` that did not lose the article: definite number words (الخمسة، الأحد،
    الاثنين) are anaphoric or weekday names, not counts, so they are not read as numbers."""
    out = []
    for stem in stems(word):
        prefix = word[: len(word) - len(stem)]
        if prefix not in _NUMBER_PREFIXES or (prefix and stem.startswith("ال")):
            continue
        out.append(stem)
    return out


def lookup_cardinal(word: str, kinds: tuple[str, ...] = _CARDINAL_KINDS) -> NumberWord | None:
    lex = number_lexicon()
    for cand in bare_candidates(word):
        for kind in kinds:
            hit = lex.get(kind, {}).get(cand)
            if hit is not None:
                return hit
    return None


def digits_value(raw: str, percent_context: bool = False) -> float | None:
    """Value of a digit token such as "10,000", "1.5", "2٫5", "10.000", "50%".

    A comma or Arabic ٬ followed by groups of exactly three digits separates thousands; otherwise
    a single comma is a decimal comma. A dot with exactly three digits after it is a European
    thousands separator ("10.000") unless the number is a percentage, where 12.500% reads as a
    decimal; every other dot is a decimal point.
    """
    s = raw.rstrip("%").replace("\u066c", ",").replace("\u066b", ".")
    if not s or not s[0].isdigit():
        return None
    try:
        if "," in s:
            head, *groups = s.split(",")
            if all(len(g) == 3 for g in groups) and "." not in "".join(groups):
                s = head + "".join(groups)
            elif len(groups) == 1:
                s = head + "." + groups[0]
            else:
                return None
        if s.count(".") > 1:
            head, *groups = s.split(".")
            if not all(len(g) == 3 for g in groups):
                return None
            s = head + "".join(groups)
        elif "." in s:
            head, frac = s.split(".")
            if len(frac) == 3 and not percent_context and not raw.endswith("%"):
                s = head + frac
        return float(s)
    except ValueError:  # a malformed digit run such as "1.2.3,4"; not a number
        return None


def parse_number(tokens: list[Token], i: int) -> NumberMatch | None:
    """Read the number starting at token `i`: digits (+ scale word) or a number-word phrase."""
    tok = tokens[i]
    lex = number_lexicon()
    n = len(tokens)
    if tok.is_number:
        value = digits_value(tok.norm)
        if value is None:
            return None
        j = i + 1
        scaled = False
        if j < n:
            scale = lex["scale"].get(tokens[j].norm)
            # "10 آلاف" is ten thousand: a plural or singular scale multiplies by its unit; a dual
            # (ألفين = 2000) cannot follow digits, so it is left alone.
            if scale is not None and scale.value in (1e3, 1e6, 1e9, 1e12):
                value *= scale.value
                j += 1
                scaled = True
                return _join_and(tokens, NumberMatch(value, i, j, "digits", True), scale.value)
        return NumberMatch(value, i, j, "digits", scaled)
    cands = bare_candidates(tok.norm)
    if not cands:
        return None
    for cand in cands:
        vague = lex["vague"].get(cand)
        if vague is not None:
            value, j = vague.value, i + 1
            # "عشرات الآلاف": tens of thousands, still vague, lower bound 20 x 1000.
            if j < n and tokens[j].norm.startswith("ال"):
                scale = lex["scale"].get(tokens[j].norm[2:])
                if scale is not None and scale.value in (1e3, 1e6, 1e9):
                    value *= scale.value
                    j += 1
            return NumberMatch(value, i, j, "vague", False)
        frac = lex["fraction"].get(cand)
        if frac is not None:
            value, j, scaled = frac.value, i + 1, False
            if j < n:
                scale = lex["scale"].get(tokens[j].norm)
                if scale is not None and scale.value in (1e3, 1e6, 1e9, 1e12):
                    value *= scale.value
                    j += 1
                    scaled = True
            return NumberMatch(value, i, j, "fraction", scaled)
    return _parse_words(tokens, i)


def _parse_words(tokens: list[Token], i: int) -> NumberMatch | None:
    lex = number_lexicon()
    first = lookup_cardinal(tokens[i].norm)
    if first is None:
        return None
    total, cur, j, scaled = 0.0, 0.0, i, False
    last: NumberWord | None = None
    last_scale = 0.0
    n = len(tokens)
    while j < n:
        word = tokens[j].norm
        if j == i:
            item: NumberWord | None = first
        else:
            item = None
            assert last is not None
            if last.kind in ("unit", "unit_compound") and last.value < 10 and word in ("عشر", "عشره", "عشرة"):
                item = NumberWord(10, "teen_tail")
            elif word in lex["scale"] and lex["scale"][word].value > max(cur, 1):
                item = lex["scale"][word]
            elif last.kind == "unit" and 3 <= last.value <= 9 and word in lex["hundred"]:
                item = NumberWord(lex["hundred"][word].value, "hundred_of")
            else:
                rest = _strip_conj(word)
                if rest is not None:
                    for kind in ("unit", "unit_compound", "ten", "hundred", "scale"):
                        if rest in lex.get(kind, {}):
                            item = lex[kind][rest]
                            break
        if item is None:
            break
        if item.kind in ("unit", "unit_compound", "ten", "hundred", "teen_tail"):
            cur += item.value
        elif item.kind == "hundred_of":
            cur = cur * item.value  # "ثلاث مئة" = 3 x 100
        elif item.kind == "scale":
            total += (cur or 1) * item.value
            cur = 0.0
            scaled = True
            last_scale = _scale_unit(item.value)
        last = item
        j += 1
    value = total + cur
    # A lone "واحد"/"أحد" usually means "one of"/"someone", not a count.
    if j == i + 1 and first.kind == "unit_compound":
        return None
    match = NumberMatch(value, i, j, "words", scaled)
    return _join_and(tokens, match, last_scale) if scaled and cur == 0 else match


def _scale_unit(value: float) -> float:
    """The power of ten a scale word counts in: 1000 for ألف and for the dual ألفين (2000)."""
    unit = 1.0
    while unit * 1000 <= value:
        unit *= 1000
    return unit


def _join_and(tokens: list[Token], match: NumberMatch, last_scale: float) -> NumberMatch:
    """Continue a scaled number over و with a smaller part: "3 آلاف و500" = 3500, "مليون و800
    ألف" = 1800000, "مليون ونصف (المليون)" = 1500000. A part not smaller than the last scale
    ("بين 3 آلاف و5 آلاف") is a second number, not a continuation."""
    lex = number_lexicon()
    n = len(tokens)
    value, j = match.value, match.end
    while last_scale and j < n:
        word = tokens[j].norm
        part: NumberMatch | None = None
        if word == "و" and j + 1 < n and tokens[j + 1].is_number:  # the tokenizer splits و500
            part = parse_number(tokens, j + 1)
        elif word in ("ونصف", "ونص"):
            end = j + 1
            # "ونصف المليون": the scale repeated with the article.
            if end < n and tokens[end].norm.startswith("ال") and tokens[end].norm[2:] in lex["scale"]:
                end += 1
            part = NumberMatch(0.5 * last_scale, j, end, "fraction", False)
        elif word.startswith("و") and tokens[j].is_word:
            part = _parse_words(tokens, j)
        if part is None or part.kind not in ("digits", "words", "fraction") or part.value >= last_scale:
            break
        value, j = value + part.value, part.end
        last_scale = _scale_unit(part.value) if part.scaled else 0.0
    if j == match.end:
        return match
    return NumberMatch(value, match.start, j, match.kind, True)


@lru_cache(maxsize=1)
def ordinal_lexicon() -> dict[str, NumberWord]:
    lex = number_lexicon()
    return {**lex.get("ordinal", {})}


def parse_ordinal_day(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """An ordinal day such as الخامس عشر, الحادي والعشرين, الأول: (day, end token index)."""
    ords = ordinal_lexicon()
    first = ords.get(tokens[i].norm)
    if first is None:
        return None
    day, j = int(first.value), i + 1
    if j < len(tokens) and tokens[j].norm in ("عشر", "عشره", "عشرة") and day < 10:
        day += 10
        j += 1
    elif j < len(tokens) and day < 10:
        rest = _strip_conj(tokens[j].norm)
        if rest is not None and rest in ords and ords[rest].value in (20, 30):
            day += int(ords[rest].value)
            j += 1
    return (day, j) if 1 <= day <= 31 else None
