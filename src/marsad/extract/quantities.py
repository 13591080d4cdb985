"""Quantities: numbers (digits or words, with scale words), their qualifier, counted noun and whole.

For each number the matcher reads (see `numbers.parse_number`) it looks left for a qualifier
phrase (أكثر من، ما يصل إلى ...) and right for a trailing one (على الأقل، تقريبا), a percent
marker (%، في المئة), the counted noun (the next word, or the word after من in "آلاف من الجنود"),
and "من أصل/من بين N" for the whole. The span covers qualifier..number..scale (and the percent
marker); the noun is reported as `unit_text` and, normalised through `units.tsv`, as `unit`.

Numbers that are not quantities are skipped: years and day numbers inside a time expression (the
times matcher is run on the same tokens), clock times (10:30, الساعة 10), long digit runs (phone
numbers), and a bare label number right after a definite noun ("القرار 2231", "الشمال 38").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from operator import attrgetter
from typing import Any

from marsad.errors import PipelineError
from marsad.extract.numbers import NumberMatch, bare_candidates, number_lexicon, parse_number, read_tsv
from marsad.extract.times import TimeMatcher, _match_phrase
from marsad.model import Article, QuantityMention
from marsad.normalize.text import normalize_form
from marsad.pipeline import BaseComponent, register
from marsad.segment.tokens import StemPieces, Token, stems

NAME = "quantities"
# Deletions only (harakat, tatweel, invisibles): the unit's display form keeps hamza and alef
# shapes but has the same length as the token's matching form, so a stem cut maps 1:1.
_DELETE = {c: None for c in [*range(0x064B, 0x0660), 0x0670, 0x0640, 0x200C, 0x200D, 0x200E, 0x200F]}


@dataclass(slots=True)
class QuantityLexicon:
    before: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    after: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # matching form -> lemma
    stop: set[str] = field(default_factory=set)
    percent: set[tuple[str, ...]] = field(default_factory=set)


@lru_cache(maxsize=1)
def load_lexicon() -> QuantityLexicon:
    lex = QuantityLexicon()
    for phrase, qualifier, position in read_tsv("qualifiers.tsv"):
        words = tuple(normalize_form(phrase).split())
        table = lex.before if position.strip() == "before" else lex.after
        table.setdefault(words[0], []).append((words, qualifier))
        table[words[0]].sort(key=lambda e: -len(e[0]))
    for row in read_tsv("units.tsv"):
        lemma, forms, kind = row[0], row[1], row[2].strip()
        others = [f.strip() for f in forms.split(",") if f.strip()]
        if kind == "stop":
            lex.stop.update(normalize_form(f) for f in others)
            continue
        if kind == "percent":
            lex.percent.update(tuple(normalize_form(f).split()) for f in others)
            continue
        for form in (lemma, *others):
            lex.units.setdefault(normalize_form(form), lemma)
    return lex


# Attached possessive pronouns, longest first: "قيمته" is قيمة + his, "سكانها" سكان + its.
_PRONOUNS = ("هما", "كما", "هم", "هن", "ها", "كم", "نا", "ه", "ك", "ي")


def _without_pronoun(token: Token, lex: QuantityLexicon) -> str | None:
    """The unit of a noun carrying a possessive pronoun: the stem when the lexicon knows it, or
    the stem with its ت restored to ة (a feminine noun before a suffix: قيمت+ه -> قيمة), which is
    how only a noun, never a verb or particle, ends before a pronoun."""
    for cand in stems(token.norm):
        for suffix in _PRONOUNS:
            base = cand[: -len(suffix)]
            if not cand.endswith(suffix) or len(base) < 3:
                continue
            if base in lex.units:
                return lex.units[base]
            if base.endswith("ت") and len(base) >= 4:
                noun = base[:-1] + "ة"
                if noun in lex.stop:
                    return None
                return lex.units.get(noun, noun)
    return None


def _clitic_chars(token: Token, stem: str) -> int:
    """How many characters of `token.text` the proclitics before `stem` take ("بنحو" -> 1), counting
    through characters the matching form deletes (harakat, tatweel) so the offset is in clean text."""
    drop = len(token.norm) - len(stem)
    k = 0
    while drop > 0 and k < len(token.text):
        if token.text[k].translate(_DELETE):
            drop -= 1
        k += 1
    while k < len(token.text) and not token.text[k].translate(_DELETE):
        k += 1  # a tatweel or haraka after the clitic ("بـنحو") is not the quantity's either
    return k


def _light(text: str) -> str:
    return text.translate(_DELETE)


def unit_of(token: Token, lex: QuantityLexicon, lexicon_only: bool = False) -> str | None:
    """The counted noun of a token, normalised: جندي/جنود/الجنود/جنديا -> جندي."""
    if not token.is_word or token.norm in lex.stop:
        return None
    for cand in stems(token.norm):
        for form in (cand, cand[:-1] if cand.endswith("ا") else None):
            if form and form in lex.units:
                return lex.units[form]
    owned = _without_pronoun(token, lex)
    if owned is not None:
        return owned
    if lexicon_only:
        return None
    # Fallback for nouns the lexicon lacks: the word without its article (and the clitics before
    # it), minus tanwin alef and the sound masculine plural ending; other proclitics are not
    # guessed (لاعبا is not ل + اعبا). The display form comes from the clean text (hamza kept).
    stem = token.norm
    for cand in stems(token.norm)[1:]:
        prefix = token.norm[: len(token.norm) - len(cand)]
        if prefix.endswith(("ال", "لل")) and not cand.startswith("ال"):
            stem = cand
            break
    if stem in lex.stop or len(stem) < 2:
        return None
    light = _light(token.text)
    if len(light) != len(token.norm):  # an unexpected character was folded away; use the norm
        light = token.norm
    cut = light[len(token.norm) - len(stem) :]
    if stem.endswith(("ين", "ون")) and len(stem) > 4:
        cut = cut[:-2]
    elif stem.endswith("ا") and len(stem) > 3:
        cut = cut[:-1]
    return cut


def _match(
    table: dict[str, list[tuple[tuple[str, ...], str]]], tokens: list[Token], i: int
) -> tuple[str, int] | None:
    hit = _match_stem(table, tokens, i)
    return None if hit is None else hit[:2]


def _match_stem(
    table: dict[str, list[tuple[tuple[str, ...], str]]], tokens: list[Token], i: int
) -> tuple[str, int, str] | None:
    """`_match`, also giving the stem of token i the phrase matched (its proclitics removed)."""
    for cand in stems(tokens[i].norm):
        for words, qualifier in table.get(cand, ()):
            k = len(words)
            if i + k <= len(tokens) and all(tokens[i + m].norm == words[m] for m in range(1, k)):
                return qualifier, i + k, cand
    return None


_NORM = attrgetter("norm")


def _overlap_test(spans: list[tuple[int, int]]) -> Callable[[Token], bool]:
    """A test for "does this token overlap one of `spans`" in O(log n) per token.

    Among the spans starting before the token ends, one overlaps it exactly when the furthest
    end among them lies after the token's start: a bisection on the sorted starts and a running
    maximum of the ends answer that for any spans, nested or overlapping ones included.
    """
    spans = sorted(spans)
    starts = [s for s, _ in spans]
    reach = list(accumulate((e for _, e in spans), max))

    def overlaps(tok: Token) -> bool:
        k = bisect_left(starts, tok.end)
        return k > 0 and reach[k - 1] > tok.start

    return overlaps


class QuantityMatcher:
    def __init__(self, lexicon: QuantityLexicon | None = None, times: TimeMatcher | None = None) -> None:
        self.lex = lexicon or load_lexicon()
        self.times = times or TimeMatcher()
        self._start_cache: dict[str, bool] = {}
        # The number words a start is read from: a form holding none of them starts no number.
        self._number_pieces = StemPieces(w for table in number_lexicon().values() for w in table)
        self.max_before = max((len(w) for e in self.lex.before.values() for w, _ in e), default=1)

    def _can_start(self, word: str) -> bool:
        """Whether a token of this matching form can start a number: digits, or a word one of
        whose bare stems is in the number lexicon (cached: one dict lookup per word type)."""
        hit = self._start_cache.get(word)
        if hit is None:
            lex = number_lexicon()
            hit = word[:1].isdigit() or (
                word[:1].isalpha()
                and self._number_pieces.may_match(word)
                and any(any(c in table for table in lex.values()) for c in bare_candidates(word))
            )
            if len(self._start_cache) > 200_000:  # bound memory on long runs over many vocabularies
                self._start_cache.clear()
            self._start_cache[word] = hit
        return hit

    def _qualifier_before(self, tokens: list[Token], i: int) -> tuple[str, int, str] | None:
        """(qualifier, first token index, that token's stem without proclitics) or None."""
        for k in range(self.max_before, 0, -1):
            s = i - k
            if s < 0:
                continue
            hit = _match_stem(self.lex.before, tokens, s)
            if hit is not None and hit[1] == i:
                return hit[0], s, hit[2]
        return None

    def find(
        self, article: Article, tokens: list[Token], time_spans: list[tuple[int, int]]
    ) -> list[QuantityMention]:
        """Quantities in `tokens`; numbers inside a date are not quantities.

        `time_spans` are the clean-text spans of the article's time mentions: the `times`
        component runs first (the component requires it), so dates are matched once per article.
        """
        n = len(tokens)
        in_time = _overlap_test(time_spans)
        # The tokens that can start a number, as C-level passes (`map` over the cache, `compress`
        # to keep the hits): a Python loop over the ~300 tokens of an article cost more than
        # reading the numbers. Only words seen for the first time go through `_can_start`, and
        # only the few tokens that can start a number are tested against the time spans.
        hits = list(map(self._start_cache.get, map(_NORM, tokens)))
        if None in hits:
            hits = [self._can_start(t.norm) if h is None else h for t, h in zip(tokens, hits, strict=True)]
        out: list[QuantityMention] = []
        i = 0
        for k in compress(range(n), hits):
            if k < i:
                continue  # inside the quantity read last
            i = k
            if in_time(tokens[i]):
                i += 1
                continue
            num = parse_number(tokens, i)
            if num is None or any(in_time(tokens[m]) for m in range(num.start, num.end)):
                i += 1
                continue
            skip = self._not_a_quantity(tokens, num)
            if skip:
                i = num.end
                continue
            mention, j = self._build(article, tokens, num)
            if mention is not None:
                out.append(mention)
            i = max(j, i + 1)
        return out

    def _not_a_quantity(self, tokens: list[Token], num: NumberMatch) -> bool:
        i, j = num.start, num.end
        tok = tokens[i]
        if tok.is_number:
            prev = tokens[i - 1].norm if i > 0 else ""
            nxt = tokens[j].norm if j < len(tokens) else ""
            if prev == "ال" and not num.scaled:
                return True  # "النسخة الـ33", "للمرة الـ5": an ordinal written with digits
            if j < len(tokens) and _match_phrase(self.times.lex.months, tokens, j) is not None:
                return True  # a day before a month name the times matcher left out: "ساحة 14 تموز"
            if nxt == ":" or prev in (":", "الساعه", "الساعة", "+"):
                return True  # a clock time or a phone prefix
            if len(tok.norm.replace(",", "").replace(".", "")) >= 8 and not num.scaled:
                return True  # phone numbers and ids
            definite = i > 0 and tokens[i - 1].is_word and any(st.startswith("ال") for st in stems(prev))
            percent = tok.norm.endswith("%") or (
                j < len(tokens)
                and (tokens[j].norm == "%" or any(tokens[j].norm == w[0] for w in self.lex.percent))
            )
            if not num.scaled and not percent and definite and prev not in self.lex.stop and len(prev) > 3:
                nxt_tok = tokens[j] if j < len(tokens) else None
                if (
                    nxt_tok is None
                    or not nxt_tok.is_word
                    or (
                        unit_of(nxt_tok, self.lex, lexicon_only=True) is None
                        and not _counted_accusative(nxt_tok.norm)
                        and _match(self.lex.after, tokens, j) is None
                    )
                ):
                    # A label number after a definite noun: القرار 2231. A count follows the
                    # same nouns ("عدد القتلى 30 على الأقل", "المهاجم المصري 32 هدفا"): a trailing
                    # qualifier or an indefinite accusative noun (the tamyiz of 11-99) says so.
                    return True
        return False

    def _build(
        self, article: Article, tokens: list[Token], num: NumberMatch
    ) -> tuple[QuantityMention | None, int]:
        n = len(tokens)
        reasons: list[str] = []
        qualifier = "vague" if num.kind == "vague" else "exact"
        start_idx, end_idx = num.start, num.end
        before = self._qualifier_before(tokens, num.start)
        first_stem: str | None = None  # the first token's stem, when it carries a proclitic
        if before is not None and num.kind != "vague":
            qualifier, start_idx, first_stem = before
        elif before is not None:
            reasons.append(f"qualifier {before[0]} on a vague amount")
        if start_idx == num.start and tokens[num.start].is_word:
            words = number_lexicon()
            first_stem = next(
                (c for c in bare_candidates(tokens[num.start].norm) if any(c in t for t in words.values())),
                None,
            )
        unit = unit_text = None
        j = num.end
        # Percent: "50%", "50 في المئة", "بالمئة".
        if tokens[num.start].norm.endswith("%") and num.end == num.start + 1:
            unit, unit_text = "%", "%"
        elif j < n and tokens[j].norm == "%":
            unit, unit_text, j = "%", "%", j + 1
            end_idx = j
        else:
            for phrase in self.lex.percent:
                if j + len(phrase) <= n and all(tokens[j + m].norm == phrase[m] for m in range(len(phrase))):
                    unit, unit_text = "%", article.text[tokens[j].start : tokens[j + len(phrase) - 1].end]
                    j += len(phrase)
                    end_idx = j
                    break
        if unit is None and j < n:
            k = j
            if tokens[k].norm == "من" and k + 1 < n and tokens[k + 1].norm not in ("اصل", "بين"):
                k += 1  # "آلاف من الجنود"
            if k < n and tokens[k].is_word:
                u = unit_of(tokens[k], self.lex)
                if u is not None:
                    unit, unit_text, j = u, tokens[k].text, k + 1
        # A trailing qualifier after the number or its noun: "50 على الأقل", "100 جندي تقريبا".
        for k in (j, end_idx):
            if k < n and qualifier == "exact":
                hit = _match(self.lex.after, tokens, k)
                if hit is not None:
                    qualifier = hit[0]
                    if k == end_idx:
                        end_idx = hit[1]
                    j = max(j, hit[1])
                    break
        # The whole: "21 صاروخا باليستيا من أصل 50", "3 من بين 10" (within a few words).
        of = None
        for k in range(j, min(j + 4, n - 2)):
            if tokens[k].norm in (".", "،", "؟", "!", "؛"):
                break
            if tokens[k].norm == "من" and tokens[k + 1].norm in ("اصل", "بين"):
                whole = parse_number(tokens, k + 2)
                if whole is not None and whole.kind in ("digits", "words"):
                    of = whole.value
                    j = whole.end
                    reasons.append(f"whole stated with من {tokens[k + 1].text}")
                break
        if num.kind == "vague":
            reasons.append("vague amount: value is the conventional lower bound")
        s, e = tokens[start_idx].start, tokens[end_idx - 1].end
        if first_stem is not None and first_stem != tokens[start_idx].norm:
            # "بنحو 3.5 في المائة", "بعشرين مليون": the attached preposition or conjunction is
            # not part of the quantity; the span starts at the stem.
            s += _clitic_chars(tokens[start_idx], first_stem)
        mention = QuantityMention(
            s,
            e,
            article.text[s:e],
            component=NAME,
            reason="; ".join(reasons) or None,
            value=num.value,
            qualifier=qualifier,
            unit=unit,
            unit_text=unit_text,
            of=of,
        )
        return mention, max(j, num.end)


def _counted_accusative(word: str) -> bool:
    """An indefinite noun with the accusative tanwin alef ("هدفا", "لاعبا"): the counted noun
    after 11-99, never the word after a label number."""
    return len(word) >= 4 and word.endswith("ا") and not word.startswith("ال") and not word.endswith("ءا")


@register("quantities")
class QuantitiesComponent(BaseComponent):
    name = "quantities"
    # After `times`: numbers inside dates are not quantities, and reusing the time mentions
    # halves this component's cost compared with matching dates again.
    requires = ("norm", "sentences", "tokens", "times")
    provides = ("quantities",)

    def __init__(self) -> None:
        super().__init__()
        self.matcher: QuantityMatcher | None = None

    def initialize(self, config: dict[str, Any]) -> None:
        super().initialize(config)
        self.matcher = QuantityMatcher(load_lexicon())

    def __call__(self, article: Article) -> Article:
        if self.matcher is None:
            self.initialize({})
        if article.tokens is None:
            raise PipelineError("quantities needs tokens: run the segment component first")
        spans = [(t.start, t.end) for t in article.times]
        matcher = self.matcher
        if matcher is None:  # initialize() sets it; a failed load raises there
            raise PipelineError("quantities could not load its lexicons")
        article.quantities = matcher.find(article, article.tokens, spans)
        return article
