"""Time expressions: Gregorian and Hijri dates, years, and relative expressions, as ISO values.

The matcher walks the tokens once. At each token it tries, in order: a relative phrase from
`relative_times.tsv` (أمس، الشهر الماضي، في وقت سابق من هذا العام), a weekday, "منذ/قبل N <unit>"
arithmetic, a date built around a month name (day? + month + dual partner? + year?), and a year
alone in a year context. Month names of every region come from `months.tsv` and `hijri_months.tsv`;
names that are also ordinary words (مارس "practised", آب/أب "father") carry `needs_context` there.

A date with no year takes it from the document (`_resolve_years`): the closest preceding explicit
year, else the closest following one in the same sentence, else the publication date's year,
never today's date. Relative expressions are resolved against the publication date only; without
one they are kept with value None. Weeks are ISO weeks (Monday to Sunday).
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache, partial
from itertools import compress
from operator import attrgetter
from typing import Any, NamedTuple, cast

from hijridate import Gregorian, Hijri

from marsad.extract.numbers import ordinal_lexicon, parse_number, parse_ordinal_day, read_tsv
from marsad.model import Article, TimeMention
from marsad.normalize.text import normalize, normalize_form
from marsad.pipeline import BaseComponent, register
from marsad.segment.tokens import StemPieces, Token, stems, tokenize

NAME = "times"
_NORM = attrgetter("norm")
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_MIN_HIJRI, _MAX_HIJRI = 1343, 1500  # the Umm al-Qura range hijridate converts


@dataclass(frozen=True, slots=True)
class _Phrase:
    words: tuple[str, ...]
    kind: str
    value: Any
    extra: Any = None


@dataclass(slots=True)
class TimeLexicon:
    months: dict[str, list[_Phrase]] = field(default_factory=dict)  # first word -> phrases
    weekdays: dict[str, tuple[int, bool]] = field(default_factory=dict)
    relative: dict[str, list[_Phrase]] = field(default_factory=dict)
    words: dict[str, tuple[str, str]] = field(default_factory=dict)  # one-word kinds
    names: list[tuple[str, ...]] = field(default_factory=list)  # outlet names holding a time word
    # Arabic men's given names: a weekday right after one is a family name ("أحمد الخميس").
    given_names: frozenset[str] = frozenset()


def _add(table: dict[str, list[_Phrase]], phrase: _Phrase) -> None:
    table.setdefault(phrase.words[0], []).append(phrase)
    table[phrase.words[0]].sort(key=lambda p: -len(p.words))  # longest match first


@lru_cache(maxsize=1)
def load_lexicon() -> TimeLexicon:
    lex = TimeLexicon()
    for form, month, _region, ctx in read_tsv("months.tsv"):
        words = tuple(normalize_form(form).split())
        _add(lex.months, _Phrase(words, "gregorian", int(month), ctx.strip() == "1"))
    for form, month, ctx in read_tsv("hijri_months.tsv"):
        words = tuple(normalize_form(form).split())
        _add(lex.months, _Phrase(words, "hijri", int(month), ctx.strip() == "1"))
    for form, iso, ctx in read_tsv("weekdays.tsv"):
        lex.weekdays[normalize_form(form)] = (int(iso), ctx.strip() == "1")
    for form, kind, amount in read_tsv("relative_times.tsv"):
        words = tuple(normalize_form(form).split())
        if kind in ("day", "week", "month", "year") or kind.startswith("earlier_"):
            _add(lex.relative, _Phrase(words, kind, int(amount)))
        elif kind == "outlet_name":
            lex.names.append(words)
        else:
            # One-word classes: past/next/future_cue/duration_unit/ago/year_word/year_prep/part...
            lex.words.setdefault(words[0], (kind, amount.strip()))
            # One form can be of several kinds (شهر: a month word and a duration unit).
            lex.words[f"{kind}:{words[0]}"] = (kind, amount.strip())
    # Men's Arabic names only (women's are often common nouns: بيان الخميس is Thursday's statement),
    # and never a word that opens a time phrase (صباح in "صباح الخميس").
    day_parts = {p.words[0] for phrases in lex.relative.values() for p in phrases if len(p.words) > 1}
    lex.given_names = frozenset(
        normalize_form(name)
        for name, origin, gender, *_ in read_tsv("given_names.tsv")
        if origin.strip() == "ar" and gender.strip() == "m" and normalize_form(name) not in day_parts
    )
    return lex


@lru_cache(maxsize=100_000)
def _word_kind_cached(word: str, kind: str) -> str | None:
    return _word_kind_uncached(load_lexicon(), word, kind)


def _word_kind(lex: TimeLexicon, word: str, kind: str) -> str | None:
    """The lexicon amount if `word` (or a clitic-stripped stem of it) is of `kind`; cached for
    the shipped lexicon, since the same few hundred words recur in every article."""
    if lex is load_lexicon():
        return _word_kind_cached(word, kind)
    return _word_kind_uncached(lex, word, kind)


def _word_kind_uncached(lex: TimeLexicon, word: str, kind: str) -> str | None:
    for cand in stems(word):
        hit = lex.words.get(f"{kind}:{cand}") or lex.words.get(cand)
        if hit is not None and hit[0] == kind:
            return hit[1]
    return None


def _match_phrase(
    table: dict[str, list[_Phrase]], tokens: list[Token], i: int, first_stems: bool = True
) -> tuple[_Phrase, int] | None:
    """Longest phrase whose first word is token i (through its stems) and the rest exact."""
    cands = stems(tokens[i].norm) if first_stems else (tokens[i].norm,)
    for cand in cands:
        for phrase in table.get(cand, ()):
            k = len(phrase.words)
            if k > 1 and (i + 1 >= len(tokens) or tokens[i + 1].norm != phrase.words[1]):
                continue  # cheap reject on the second word before the full comparison
            if i + k <= len(tokens) and all(tokens[i + m].norm == phrase.words[m] for m in range(1, k)):
                return phrase, i + k
    return None


def parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:  # a publication date the input stated in another form: treated as unknown
        return None


@dataclass(slots=True)
class _Cand:
    start: int  # token indices
    end: int
    kind: str  # date | year | relative
    calendar: str = "gregorian"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    part: str | None = None
    direction: str | None = None  # past | next for "أكتوبر الماضي"
    value: str | None = None
    granularity: str = "day"
    reason: str = ""
    resolver: Any = None  # for relative: a function pub -> (value, granularity, reason)
    extendable: bool = False  # a week/month/year period a part word may precede (مطلع ...)


# A value a report can carry: years 0001-9999, as ISO 8601 states them without an expanded sign.
_ISO_VALUE = re.compile(r"(?!0000)\d{4}(-W\d{2}|-\d{2}(-\d{2})?)?(/(?!0000)\d{4}(-W\d{2}|-\d{2}(-\d{2})?)?)?")


def _resolve_relative(c: _Cand, pub: date) -> tuple[str | None, str, str]:
    """A relative candidate's value against `pub`, or None with the reason when it falls outside
    the calendar ("قبل 125 مليون عام": a geological age, not a date)."""
    assert c.resolver is not None
    try:
        value, granularity, reason = c.resolver(pub)
    except OverflowError as err:  # a day count beyond what datetime can subtract
        return None, "day", f"too far from publication to name a date ({err})"
    if not _ISO_VALUE.fullmatch(value):
        return None, granularity, f"{reason}: outside the years 0001-9999 a date can name"
    return value, granularity, reason


def _iso_month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _hijri_month_interval(y: int, m: int) -> str | None:
    try:
        first = Hijri(y, m, 1)
        last = Hijri(y, m, first.month_length())
        return f"{first.to_gregorian().isoformat()}/{last.to_gregorian().isoformat()}"
    except (ValueError, OverflowError):  # outside the Umm al-Qura table hijridate covers
        return None


def _hijri_day(y: int, m: int, d: int) -> str | None:
    try:
        return Hijri(y, m, d).to_gregorian().isoformat()
    except (ValueError, OverflowError):  # an impossible day (30 of a 29-day month) or out of range
        return None


class _Start(NamedTuple):
    """What a word can start: the matchers to try, in the walk's order, and the words the next
    token must be one of (None: any)."""

    matchers: tuple[Callable[[TimeMatcher, list[Token], int], _Cand | None], ...]
    seconds: frozenset[str] | None


# Falsy, unlike any `_Start`, so the walk drops the tokens that start nothing with a plain `if`.
_NO_START: tuple[()] = ()


class TimeMatcher:
    """Finds time expressions in one tokenised text; stateless between documents."""

    def __init__(self, lexicon: TimeLexicon | None = None) -> None:
        self.lex = lexicon or load_lexicon()
        # `_word_kind` for this lexicon, bound once: `_is` runs ~30 times per article, and going
        # through `_word_kind` paid a call to `load_lexicon()` each time to pick the cache.
        self._kind_of: Callable[[str, str], str | None] = (
            _word_kind_cached if self.lex is load_lexicon() else partial(_word_kind_uncached, self.lex)
        )
        # What each word type can start, cached: see `_start_filter`.
        self._start_cache: dict[str, _Start | tuple[()]] = {}
        # The listed words a start is read from: a form holding none of them starts nothing.
        listed = {k for k in self.lex.words if ":" not in k}  # every word is also listed bare
        listed.update(self.lex.weekdays, self.lex.months, self.lex.relative, ordinal_lexicon(), ["يوم"])
        self._start_pieces = StemPieces(listed)
        # Word beginnings that look like a سـ future verb but are nouns or past verbs (ستة, سيطر).
        self._not_future = tuple(
            key.split(":", 1)[1] for key in self.lex.words if key.startswith("future_exception:")
        )

    # Word kinds from `lex.words` that a matcher reads at the token where an expression starts
    # (`_date`: part, month_word, day_word; `_ago`: ago; `_year`: year_word). The other kinds (past, next,
    # year_prep, era_marker, duration_unit, future_cue) are only read after or before that token.
    _DATE_KINDS = ("part", "month_word", "day_word")

    def _start_filter(self, word: str) -> _Start | tuple[()]:
        """The matchers that can accept a token of this matching form as an expression's first.

        Most words get `_NO_START` and are skipped. For the others, the matchers that cannot
        start at this word are left out (they would return None), in the walk's order, so the
        first match is the same; `seconds` is set when the word only begins multi-word phrases
        (في in "في وقت سابق", هذا in "هذا الأسبوع", بعد in "بعد غد"): an expression can then
        start only when the next token is one of their second words, so a common preposition
        costs one set lookup instead of five matcher calls. The tests mirror what each matcher
        reads at its first token, through the same clitic stems:
        `_date` a weekday, a day number, an ordinal day, a part or month word, a month name;
        `_relative` a relative phrase; `_weekday` يوم or a weekday; `_ago` an ago word; `_year` a
        year word or a number.
        """
        hit = self._start_cache.get(word)
        if hit is not None:
            return hit
        number = word[:1].isdigit()
        if not number and not self._start_pieces.may_match(word):
            return self._keep_start(word, _NO_START)
        lex = self.lex
        cands = stems(word)
        weekday = any(c in lex.weekdays for c in cands)
        months = [p for c in cands for p in lex.months.get(c, ())]
        relative = [p for c in cands for p in lex.relative.get(c, ())]
        single = {  # matchers that can start here whatever the next token is
            TimeMatcher._date: number
            or weekday
            or word in ordinal_lexicon()
            or any(_word_kind(lex, word, kind) is not None for kind in self._DATE_KINDS)
            or any(len(p.words) == 1 for p in months),
            TimeMatcher._relative: any(len(p.words) == 1 for p in relative),
            TimeMatcher._weekday: word == "يوم" or weekday,
            TimeMatcher._ago: _word_kind(lex, word, "ago") is not None,
            TimeMatcher._year: number or _word_kind(lex, word, "year_word") is not None,
        }
        if any(single.values()):
            # Multi-word months and relative phrases stay possible: keep their matchers too.
            keep = {f for f, ok in single.items() if ok}
            keep |= {TimeMatcher._date} if months else set()
            keep |= {TimeMatcher._relative} if relative else set()
            hit = _Start(tuple(f for f in single if f in keep), None)
        elif months or relative:
            seconds = frozenset(p.words[1] for p in (*months, *relative))
            matchers = (TimeMatcher._date,) * bool(months) + (TimeMatcher._relative,) * bool(relative)
            hit = _Start(matchers, seconds)
        else:
            hit = _NO_START
        return self._keep_start(word, hit)

    def _keep_start(self, word: str, hit: _Start | tuple[()]) -> _Start | tuple[()]:
        if len(self._start_cache) > 200_000:  # bound memory on long runs over many vocabularies
            self._start_cache.clear()
        self._start_cache[word] = hit
        return hit

    # -- token helpers -------------------------------------------------------------------------
    def _year_at(self, tokens: list[Token], j: int, hijri: bool = False) -> int | None:
        if j >= len(tokens) or not tokens[j].norm.isdigit() or len(tokens[j].norm) != 4:
            return None
        y = int(tokens[j].norm)
        lo, hi = (_MIN_HIJRI, _MAX_HIJRI) if hijri else (_MIN_YEAR, _MAX_YEAR)
        return y if lo <= y <= hi else None

    def _day_at(self, tokens: list[Token], j: int) -> int | None:
        t = tokens[j].norm
        if t.isdigit() and len(t) <= 2 and 1 <= int(t) <= 31:
            return int(t)
        return None

    def _is(self, tokens: list[Token], j: int, kind: str) -> str | None:
        if 0 <= j < len(tokens):
            return self._kind_of(tokens[j].norm, kind)
        return None

    # -- the walk ------------------------------------------------------------------------------
    def candidates(self, tokens: list[Token]) -> list[_Cand]:
        out: list[_Cand] = []
        n = len(tokens)
        # What each token can start, as C-level passes (`map` over the cache, `compress` to keep
        # the tokens that start something): a Python loop over the ~300 tokens of an article
        # cost more than all the matchers together. Only words seen for the first time go
        # through `_start_filter`. The walk then visits about one token in thirty.
        hits = list(map(self._start_cache.get, map(_NORM, tokens)))
        if None in hits:
            hits = [self._start_filter(t.norm) if h is None else h for t, h in zip(tokens, hits, strict=True)]
        i = 0
        for s in compress(range(n), hits):
            if s < i:
                continue  # inside the expression found last
            matchers, seconds = cast(tuple[Any, Any], hits[s])  # compress() kept only the hits
            if seconds is not None and (s + 1 >= n or tokens[s + 1].norm not in seconds):
                continue  # the word only heads phrases whose second word is not next
            i = s
            cand = None
            for match in matchers:
                cand = match(self, tokens, i)
                if cand is not None:
                    break
            if cand is None:
                i += 1
                continue
            if cand.kind == "relative" and self._inside_name(tokens, cand.start, cand.end):
                i = cand.end  # "عين اليوم", "صحيفة اليوم", "«خطب الجمعة»": a name, not a date
                continue
            if cand.kind in ("relative", "year") and cand.extendable and cand.start > 0:
                # "نهاية الشهر الماضي", "أواخر عام 2019": a part word before a period belongs to
                # its span (the walk tried the part word already: alone it starts nothing).
                prev = cand.start - 1
                if (not out or out[-1].end <= prev) and self._is(tokens, prev, "part") is not None:
                    cand.start = prev
                    cand.reason = f"part of the period: {tokens[prev].text}"
            out.append(cand)
            i = max(cand.end, i + 1)
        return out

    def _inside_name(self, tokens: list[Token], start: int, end: int) -> bool:
        """Whether tokens[start:end], a relative time, is part of a name rather than a date.

        Three signs, each a class seen on real news: a known outlet name covers it ("عين اليوم"
        in every byline of that site); an outlet noun in construct state precedes it, directly or
        through an opening quote ("صحيفة اليوم", "قناة “اليوم”"); or it ends a short quoted
        name ("“المصري اليوم”", "«موسوعة خطب الجمعة»"). A quoted sentence is longer than a
        name, so a quote that merely ends with "اليوم" keeps its date.
        """
        for words in self.lex.names:
            for s in range(max(0, end - len(words)), start + 1):
                if _name_at(tokens, s, words):
                    return True
        prev = start - 1
        if prev > 0 and _opens_quote(tokens, prev):
            prev -= 1
        if (
            prev >= 0
            and self._is(tokens, prev, "outlet_head") is not None
            and not _DEFINITE_RE.match(tokens[prev].norm)
        ):
            return True
        return _in_short_quote(tokens, start, end)

    def _date(self, tokens: list[Token], i: int) -> _Cand | None:
        """[weekday] [day|ordinal من] [part] [شهر] MONTH [/ MONTH | (MONTH)] [من] [عام] [YEAR] [هـ|م]"""
        n = len(tokens)
        start, j = i, i
        weekday = None
        if tokens[j].norm in self.lex.weekdays and j + 1 < n:
            weekday = j
            j += 1
        day = None
        part = None
        if j < n and (d := self._day_at(tokens, j)) is not None:
            day, j = d, j + 1
        elif (
            j < n
            and (od := parse_ordinal_day(tokens, j)) is not None
            and od[1] < n
            and tokens[od[1]].norm == "من"
        ):
            day, j = od[0], od[1] + 1
        if day is None and j < n and (dw := self._is(tokens, j, "day_word")) is not None:
            day, j = int(dw), j + 1  # "فاتح شتنبر": the first of the month
        if day is None and j < n and (p := self._is(tokens, j, "part")) is not None:
            part, j = p, j + 1
        month_word = j < n and self._is(tokens, j, "month_word") is not None
        if month_word:
            j += 1
        if j >= n:
            return None
        hit = _match_phrase(self.lex.months, tokens, j)
        if hit is None:
            return None
        phrase, j = hit
        month, cal = phrase.value, phrase.kind
        dual = False
        # Dual form of print: يونيو/حزيران, حزيران (يونيو), نوفمبر / تشرين الثاني.
        if j + 1 < n and tokens[j].norm in ("/", "(", "-", "،"):
            partner = _match_phrase(self.lex.months, tokens, j + 1, first_stems=False)
            if partner is not None and partner[0].value == month and partner[0].kind == cal:
                j = partner[1]
                if tokens[j - 1].norm != ")" and j < n and tokens[j].norm == ")":
                    j += 1
                dual = True
        # Year: "2024", "من العام 2024", "عام 2024", "1446 هـ".
        year = None
        k = j
        if k < n and tokens[k].norm == "من":
            k += 1
        if k < n and self._is(tokens, k, "year_word") is not None:
            k += 1
        y = self._year_at(tokens, k, hijri=cal == "hijri")
        if y is not None:
            year, j = y, k + 1
            era = self._is(tokens, j, "era_marker") if j < n else None
            if era is not None and (era == "hijri") == (cal == "hijri"):
                j += 1
        direction = None
        if year is None and j < n:
            if self._is(tokens, j, "past") is not None:
                direction, j = "past", j + 1
            elif self._is(tokens, j, "next") is not None:
                direction, j = "next", j + 1
        if phrase.extra:  # the month name is also an ordinary word: demand date context
            prev = tokens[start - 1].norm if start > 0 else ""
            prev_ok = (
                month_word
                or part is not None
                or self._is(tokens, start - 1, "year_prep") is not None
                or prev in ("شهر",)
            )
            if cal == "hijri":
                ok = day is not None or year is not None or month_word
            else:
                ok = (
                    day is not None
                    or year is not None
                    or dual
                    or month_word
                    or (prev_ok and (direction is not None or part is not None or _is_prep(prev)))
                )
            if not ok:
                return None
        if year is None and weekday is None:
            # "ثورة 25 يناير", "ملعب 5 جويلية": a yearless day-month right after a naming noun is
            # a name. The month alone is tried again one token later: reject it there too.
            d = start if day is not None else start - 1
            if (
                d > 0
                and (
                    day is not None
                    or (part is None and not month_word and self._day_at(tokens, d) is not None)
                )
                and self._is(tokens, d - 1, "name_head") is not None
            ):
                return None
        if weekday is not None and day is None:
            start = weekday + 1  # "الجمعة يونيو" is not a weekday+date; drop the weekday
        c = _Cand(start, j, "date", cal, year, month, day, part, direction)
        reasons = []
        if dual:
            reasons.append("dual month form")
        if part:
            reasons.append(f"part of month: {part}")
        c.reason = "; ".join(reasons)
        return c

    def _relative(self, tokens: list[Token], i: int) -> _Cand | None:
        hit = _match_phrase(self.lex.relative, tokens, i)
        if hit is None:
            return None
        phrase, j = hit
        n = len(tokens)
        if phrase.kind == "day":
            if phrase.words[-1] in ("اليوم", "الليلة"):
                nxt = tokens[j].norm if j < n else ""
                # "(صباح) اليوم التالي/الأول/نفسه" is "the day", not today; a weekday after it
                # confirms. The same holds for الليلة ("الليلة الأولى").
                if nxt.startswith("ال") and nxt not in self.lex.weekdays:
                    return None
                if nxt in ("نفسه", "ذاته", "الذي", "التالي"):
                    return None
                if (
                    len(phrase.words) == 1
                    and i > 0
                    and tokens[i - 1].norm in ("هذا", "ذلك", "في", "كل", "ذات", "نفس")
                    and nxt not in self.lex.weekdays
                ):
                    return None
            weekday = None
            if j < n and tokens[j].norm in self.lex.weekdays:
                weekday = self.lex.weekdays[tokens[j].norm][0]
                j += 1
            offset = phrase.value

            def day_resolver(
                pub: date, offset: int = offset, weekday: int | None = weekday
            ) -> tuple[str, str, str]:
                d = pub + timedelta(days=offset)
                reason = f"{offset:+d} days from publication"
                if weekday is not None and d.isoweekday() != weekday:
                    reason += f"; the stated weekday does not match {d.isoformat()}"
                return d.isoformat(), "day", reason

            return _Cand(i, j, "relative", resolver=day_resolver)
        kind, amount = phrase.kind, phrase.value

        def unit_resolver(pub: date, kind: str = kind, amount: int = amount) -> tuple[str, str, str]:
            return _resolve_unit(pub, kind, amount)

        return _Cand(i, j, "relative", resolver=unit_resolver, extendable=kind in ("week", "month", "year"))

    def _weekday(self, tokens: list[Token], i: int) -> _Cand | None:
        n = len(tokens)
        start = i
        if tokens[i].norm == "يوم" and i + 1 < n and tokens[i + 1].norm in self.lex.weekdays:
            i += 1
        wd = None
        for cand in stems(tokens[i].norm):
            if cand in self.lex.weekdays:
                wd = self.lex.weekdays[cand]
                break
        if wd is None:
            return None
        iso, needs_ctx = wd
        j = i + 1
        direction = "recent"
        if j < n and self._is(tokens, j, "past") is not None:
            direction, j = "past", j + 1
        elif j < n and self._is(tokens, j, "next") is not None:
            direction, j = "next", j + 1
        if needs_ctx and start == i and direction == "recent":
            return None
        if (
            start == i
            and direction == "recent"
            and i > 0
            and tokens[i].norm.startswith("ال")
            and tokens[i - 1].norm in self.lex.given_names
        ):
            return None  # "مدير الجمعية أحمد الخميس": a family name; "سعد الجمعة الماضية" stays a date

        def resolver(pub: date, iso: int = iso, direction: str = direction) -> tuple[str, str, str]:
            delta = (pub.isoweekday() - iso) % 7
            if direction == "next":
                d = pub + timedelta(days=(iso - pub.isoweekday()) % 7 or 7)
                return d.isoformat(), "day", "the next such weekday after publication"
            if direction == "past":
                d = pub - timedelta(days=delta or 7)
                return d.isoformat(), "day", "the last such weekday before publication"
            d = pub - timedelta(days=delta)
            return d.isoformat(), "day", "weekday in a news report: the most recent on or before publication"

        return _Cand(start, j, "relative", resolver=resolver)

    def _ago(self, tokens: list[Token], i: int) -> _Cand | None:
        """ "منذ ثلاثة أيام", "قبل أسبوعين": a date that far before publication."""
        if self._is(tokens, i, "ago") is None or i + 1 >= len(tokens):
            return None
        j = i + 1
        count = 1.0
        num = parse_number(tokens, j)
        if num is not None and num.kind in ("digits", "words"):
            count, j = num.value, num.end
        if j >= len(tokens):
            return None
        unit = self._is(tokens, j, "duration_unit")
        if unit is None:
            return None
        if num is None and tokens[j].norm in ("ايام", "اسابيع", "اشهر", "شهور", "اعوام", "سنوات", "سنين"):
            return None  # "منذ سنوات": no count, no date
        days = int(unit)
        j += 1
        if self._year_at(tokens, j) is not None:
            return None  # "منذ عام 2019" is a year, read by `_year`

        def resolver(pub: date, days: int = days, count: float = count) -> tuple[str, str, str]:
            if days % 365 == 0:
                y = pub.year - int(count * days // 365)
                return f"{y:04d}", "year", f"{int(count * days // 365)} years before publication"
            if days % 30 == 0:
                months = int(count * days // 30)
                y, m = divmod(pub.year * 12 + pub.month - 1 - months, 12)
                return _iso_month(y, m + 1), "month", f"{months} months before publication"
            d = pub - timedelta(days=int(count * days))
            return d.isoformat(), "day", f"{int(count * days)} days before publication"

        return _Cand(i, j, "relative", resolver=resolver)

    def _year(self, tokens: list[Token], i: int) -> _Cand | None:
        n = len(tokens)
        yw = self._is(tokens, i, "year_word")
        if yw is not None:
            y = self._year_at(tokens, i + 1)
            hy = self._year_at(tokens, i + 1, hijri=True)
            if (
                y is None
                and hy is not None
                and i + 2 < n
                and self._is(tokens, i + 2, "era_marker") == "hijri"
            ):
                return _Cand(i, i + 3, "year", "hijri", year=hy)
            if y is None:
                return None
            j = i + 2
            if yw == "2" and j + 1 < n and tokens[j].norm == "و":  # "عامي 2020 و2022"
                y2 = self._year_at(tokens, j + 1)
                if y2 is not None and y < y2:
                    c = _Cand(i, j + 2, "year", year=y)
                    c.value, c.granularity = f"{y}-01-01/{y2}-12-31", "interval"
                    return c
            if j < n and self._is(tokens, j, "era_marker") == "gregorian":
                j += 1
            return _Cand(i, j, "year", year=y, extendable=True)
        # A bare four-digit number is a year only after a year preposition: "في 2022", "منذ 2014".
        t = tokens[i]
        y = self._year_at(tokens, i) if t.is_number else None
        if y is not None and self._is(tokens, i - 1, "year_prep") is not None:
            j = i + 1
            if j < n and self._is(tokens, j, "era_marker") == "gregorian":
                j += 1
            return _Cand(i, j, "year", year=y)
        hy = self._year_at(tokens, i, hijri=True) if t.is_number else None
        if hy is not None and i + 1 < n and self._is(tokens, i + 1, "era_marker") == "hijri":
            return _Cand(i, i + 2, "year", "hijri", year=hy)
        return None

    # How far back in its clause a date looks for a future cue: "من المقرر أن تعقد القمة في 5 ..."
    # puts المقرر five tokens before the day.
    FUTURE_WINDOW = 8

    def is_future(self, tokens: list[Token], c: _Cand) -> bool:
        """Whether the clause before a yearless date speaks of a scheduled event: a future cue
        (المقرر، يعتزم، سوف) or a verb with the future prefix سـ (ستنطلق، سيزور)."""
        for k in range(c.start - 1, max(-1, c.start - 1 - self.FUTURE_WINDOW), -1):
            word = tokens[k].norm
            if word in (".", "،", "؛", "؟", "!", ":"):
                return False  # the cue must be in the date's own clause
            if self._is(tokens, k, "future_cue") is not None or self._future_verb(word):
                return True
        return False

    def _future_verb(self, word: str) -> bool:
        """سـ + an imperfective prefix (ي ت ن) + a stem of three letters or more, after an
        optional و/ف: "وستنطلق". Nouns that begin the same way are listed as future_exception."""
        if word[:1] in ("و", "ف") and word[1:2] == "س":
            word = word[1:]
        return (
            len(word) >= 5 and word[0] == "س" and word[1] in "يتن" and not word.startswith(self._not_future)
        )


_OPEN_QUOTES = frozenset('«“„"')
_CLOSE_QUOTES = frozenset('»”"')
_MAX_NAME_WORDS = 3  # a quoted name is short (المصري اليوم، موسوعة خطب الجمعة); a statement is not
# Definite forms, with the clitics that can precede ال: الصحيفة، والصحيفة، بالصحيفة، للصحيفة.
_DEFINITE_RE = re.compile(r"[وف]?(?:[بك]?ال|لل)")


def _name_at(tokens: list[Token], s: int, words: tuple[str, ...]) -> bool:
    """Whether the name `words` starts at token s (its first word through clitic stems)."""
    if s + len(words) > len(tokens) or words[0] not in stems(tokens[s].norm):
        return False
    return all(tokens[s + m].norm == words[m] for m in range(1, len(words)))


def _opens_quote(tokens: list[Token], q: int) -> bool:
    # A straight quote opens when it is written against the next word and not against the previous
    # one, unless that is a one-letter clitic ("لـ\"روسيا اليوم\"").
    t = tokens[q]
    if t.norm not in _OPEN_QUOTES or q + 1 >= len(tokens) or t.end != tokens[q + 1].start:
        return False
    if t.norm != '"' or q == 0:
        return True
    before = tokens[q - 1]
    return before.end < t.start or len(before.norm) == 1


def _closes_quote(tokens: list[Token], q: int) -> bool:
    t = tokens[q]
    return t.norm in _CLOSE_QUOTES and q > 0 and tokens[q - 1].end == t.start


def _in_short_quote(tokens: list[Token], start: int, end: int) -> bool:
    """Whether tokens[start:end] ends a quoted name of at most `_MAX_NAME_WORDS` words."""
    lo = start - 1
    while lo >= 0 and start - lo <= _MAX_NAME_WORDS and not _opens_quote(tokens, lo):
        if not tokens[lo].norm[:1].isalnum():
            return False  # punctuation or another quote between: not one quoted name
        lo -= 1
    if lo < 0 or start - lo > _MAX_NAME_WORDS:
        return False
    hi = end  # such names end with the time word: the quote closes right after it
    if hi >= len(tokens) or not _closes_quote(tokens, hi) or hi - lo - 1 > _MAX_NAME_WORDS:
        return False
    # A quote holding only the time word is a name when something is said *to* it (لـ«اليوم»:
    # to the newspaper); a bare «الخميس» in a programme listing is still the day.
    return hi - lo - 1 > end - start or (lo > 0 and tokens[lo - 1].norm == "ل")


def _is_prep(word: str) -> bool:
    return word in ("في", "منذ", "حتى", "خلال", "بحلول", "قبل", "بعد")


def _monday(d: date) -> date:
    return d - timedelta(days=d.isoweekday() - 1)


def _resolve_unit(pub: date, kind: str, amount: int) -> tuple[str, str, str]:
    if kind == "week":
        mon = _monday(pub) + timedelta(weeks=amount)
        return (
            f"{mon.isoformat()}/{(mon + timedelta(days=6)).isoformat()}",
            "week",
            f"ISO week {amount:+d} from publication",
        )
    if kind == "month":
        y, m = divmod(pub.year * 12 + pub.month - 1 + amount, 12)
        return _iso_month(y, m + 1), "month", f"month {amount:+d} from publication"
    if kind == "year":
        return f"{pub.year + amount:04d}", "year", f"year {amount:+d} from publication"
    if kind == "earlier_week":
        return f"{_monday(pub).isoformat()}/{pub.isoformat()}", "interval", "start of the week to publication"
    if kind == "earlier_month":
        return (
            f"{pub.replace(day=1).isoformat()}/{pub.isoformat()}",
            "interval",
            "start of the month to publication",
        )
    return (
        f"{pub.replace(month=1, day=1).isoformat()}/{pub.isoformat()}",
        "interval",
        "start of the year to publication",
    )


def find_times(article: Article, matcher: TimeMatcher | None = None) -> list[TimeMention]:
    """All time mentions of an article that has `norm` and `tokens` set."""
    matcher = matcher or TimeMatcher()
    tokens = article.tokens if article.tokens is not None else _tokens(article)
    pub = parse_published(article.published)
    cands = matcher.candidates(tokens)
    # Without a segmenter's sentences, a full stop, question mark or line break ends a sentence.
    sent_starts = [s for s, _ in article.sentences] or [0] + [
        t.end for t in tokens if t.norm in (".", "؟", "?", "!")
    ]

    def sent_of(offset: int) -> int:
        return bisect_right(sent_starts, offset) - 1

    # Explicit Gregorian years, in document order, for dates that state none.
    explicit = [
        (tokens[c.start].start, c.year) for c in cands if c.calendar == "gregorian" and c.year is not None
    ]
    explicit_offsets = [o for o, _ in explicit]
    out: list[TimeMention] = []
    for c in cands:
        start, end = tokens[c.start].start, tokens[c.end - 1].end
        text = article.text[start:end]
        m = TimeMention(start, end, text, component=NAME, calendar=c.calendar)
        if c.kind == "relative":
            m.relative = True
            if pub is None:
                m.value, m.reason = None, "relative to an unknown publication date"
            else:
                m.value, m.granularity, m.reason = _resolve_relative(c, pub)
                m.anchor = pub.isoformat()
            out.append(m)
            continue
        if c.kind == "year":
            if c.value is not None:
                m.value, m.granularity, m.reason = c.value, c.granularity, "range of years"
            elif c.calendar == "hijri":
                assert c.year is not None
                first = _hijri_day(c.year, 1, 1)
                last = _hijri_day(c.year + 1, 1, 1)
                if first and last:
                    end_d = date.fromisoformat(last) - timedelta(days=1)
                    m.value, m.granularity = f"{first}/{end_d.isoformat()}", "interval"
                m.reason = f"Hijri year {c.year} as its Gregorian span"
            else:
                m.value, m.granularity, m.reason = f"{c.year:04d}", "year", "explicit year"
            out.append(m)
            continue
        _resolve_date(c, m, tokens, matcher, pub, explicit, explicit_offsets, sent_of)
        out.append(m)
    return out


def _resolve_date(c, m, tokens, matcher, pub, explicit, explicit_offsets, sent_of) -> None:
    reasons = [c.reason] if c.reason else []
    year = c.year
    assert c.month is not None
    if c.calendar == "hijri":
        if year is None and pub is not None:
            # The Hijri year of the publication date; a month not yet begun is last year's.
            h = Gregorian(pub.year, pub.month, pub.day).to_hijri()
            year = h.year if c.month <= h.month else h.year - 1
            reasons.append("Hijri year from publication date")
        if year is None:
            m.reason = "; ".join([*reasons, "Hijri year unknown"])
            return
        if c.day is not None:
            m.value = _hijri_day(year, c.month, c.day)
            m.granularity = "day"
        else:
            m.value = _hijri_month_interval(year, c.month)
            m.granularity = "interval"
        reasons.append(f"Hijri {year}-{c.month:02d}" + (f"-{c.day:02d}" if c.day else "") + " (Umm al-Qura)")
        m.reason = "; ".join(reasons)
        return
    if c.direction is not None and c.day is not None and pub is not None:
        # "15 أكتوبر المقبل": a day; the direction picks the year around the publication date.
        m.relative = True
        year = _year_near(pub, c.month, c.day, c.direction == "next")
        if c.day > calendar.monthrange(year, c.month)[1]:
            m.value, m.reason = None, "no such day in that month"
            return
        m.value, m.granularity, m.anchor = f"{year:04d}-{c.month:02d}-{c.day:02d}", "day", pub.isoformat()
        m.reason = f"the {'next' if c.direction == 'next' else 'last'} such day relative to publication"
        return
    if c.direction is not None:
        m.relative = True
        if pub is None:
            m.value, m.granularity = None, "month"
            m.reason = "relative to an unknown publication date"
            return
        cur = pub.year * 12 + pub.month - 1
        target = pub.year * 12 + c.month - 1
        if c.direction == "past":
            while target >= cur:
                target -= 12
        else:
            while target <= cur:
                target += 12
        y, mo = divmod(target, 12)
        m.value, m.granularity, m.anchor = _iso_month(y, mo + 1), "month", pub.isoformat()
        m.reason = f"the {'last' if c.direction == 'past' else 'next'} such month relative to publication"
        return
    if year is None:
        offset = tokens[c.start].start
        k = bisect_right(explicit_offsets, offset) - 1
        following = [(o, y) for o, y in explicit if o > offset and sent_of(o) == sent_of(offset)]
        if k >= 0:
            year = explicit[k][1]
            reasons.append(f"year from context {year} at offset {explicit[k][0]}")
        elif following:
            year = following[0][1]
            reasons.append(f"year from context {year} at offset {following[0][0]}")
        elif pub is not None:
            year = _year_near(pub, c.month, c.day, matcher.is_future(tokens, c))
            reasons.append("year from publication date")
    if year is None:
        m.value = None
        m.granularity = "day" if c.day else "month"
        m.reason = "; ".join([*reasons, "year unknown: no year in the document and no publication date"])
        return
    if c.day is not None:
        if c.day > calendar.monthrange(year, c.month)[1]:
            m.value, m.reason = None, "; ".join([*reasons, "no such day in that month"])
            return
        m.value, m.granularity = f"{year:04d}-{c.month:02d}-{c.day:02d}", "day"
    else:
        m.value, m.granularity = _iso_month(year, c.month), "month"
    m.reason = "; ".join(reasons) or "explicit date"


def _year_near(pub: date, month: int, day: int | None, future: bool) -> int:
    """The year that puts month/day nearest the publication date: not after it for a report of
    the past, not before it for a scheduled event."""
    if future:
        for y in (pub.year, pub.year + 1):
            d = date(y, month, min(day or calendar.monthrange(y, month)[1], calendar.monthrange(y, month)[1]))
            if d >= pub:
                return y
        return pub.year + 1
    for y in (pub.year, pub.year - 1):
        d = date(y, month, min(day or 1, calendar.monthrange(y, month)[1]))
        if d <= pub:
            return y
    return pub.year - 1


def _tokens(article: Article) -> list[Token]:
    if article.norm is None:
        article.norm = normalize(article.text)
    article.tokens = tokenize(article.norm, article.text)
    return article.tokens


@register("times")
class TimesComponent(BaseComponent):
    name = "times"
    requires = ("norm", "sentences", "tokens")
    provides = ("times",)

    def __init__(self) -> None:
        super().__init__()
        self.matcher: TimeMatcher | None = None

    def initialize(self, config: dict[str, Any]) -> None:
        super().initialize(config)
        self.matcher = TimeMatcher(load_lexicon())

    def __call__(self, article: Article) -> Article:
        if self.matcher is None:
            self.initialize({})
        article.times = find_times(article, self.matcher)
        return article
