"""Features of a token sequence for the trained entity recogniser.

A token's features come from its word alone (form, clitic-stripped stems, affixes, shape, the
lexicons it is listed in) and from its neighbours' words, plus two that need the sentence:
whether a listed multi-word name (gazetteer) or a nationality phrase covers it. The word-alone part
is computed once per word type and kept, already prefixed for each neighbour position, so tagging a
sentence costs a dict probe and a few tuple concatenations per token (news repeats its words).
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import compress
from typing import Any

from marsad.extract.entities import Recognizer, lexical_stems
from marsad.extract.lexicon_loader import Lexicons
from marsad.segment.tokens import Token, strip_proclitics

# Neighbour offsets whose word features a token sees, and how many of those features they get:
# the near neighbours everything, the far ones only their form and lexicon flags.
_NEAR = (-1, 1)
_FAR = (-2, 2)
NEIGHBOURS = (*_NEAR, *_FAR)  # the order of a word's neighbour feature tuples after its own
_CACHE_MAX = 300_000  # word types kept; cleared when full so a long run keeps bounded memory
FLAGS = "+flags"  # where a word's lexicon flags go in a layout (each flag is a name with no value)
_NEAR_NAMES = ("w", "s", "shape", FLAGS)
# The features a word gives itself, then each neighbour (NEIGHBOURS order): names, in order.
LAYOUT = (
    ("bias", *_NEAR_NAMES, "len", "p2", "p3", "x1", "x2", "x3", "sp2", "al"),
    *(_NEAR_NAMES for _ in _NEAR),
    *(("s", FLAGS) for _ in _FAR),
)
# The attribute prefix of the token itself and of each neighbour, in `LAYOUT` order.
PREFIXES = ("", *(f"{k}:" for k in NEIGHBOURS))
# A word feature as (name, value): rendered "name=value", or "name" alone for a flag (value None).
Item = tuple[str, str | None]


def render(prefix: str, item: Item) -> str:
    """The crfsuite attribute string of a word feature at a position (`PREFIXES`)."""
    name, value = item
    return prefix + name if value is None else f"{prefix}{name}={value}"


def parse(attr: str) -> tuple[int, Item]:
    """`render` undone: (index into PREFIXES, item) of an attribute string. Word feature names
    never start with a position or hold "=", so every attribute parses back to itself."""
    head, sep, rest = attr.partition(":")
    position = PREFIXES.index(head + sep) if sep and head + sep in PREFIXES else 0
    body = rest if position else attr
    name, eq, value = body.partition("=")
    return position, (name, value if eq else None)


def _shape(word: str) -> str:
    if word[:1].isdigit():
        return "digit"
    if not word[:1].isalpha():
        return "punct"
    if word.isascii():
        return "latin"
    return "arabic"


class NerFeatures:
    """Builds crfsuite feature lists for the tokens of one sentence.

    Given `known` (the attributes a trained model has weights for), features outside it are left
    out when a word's features are cached: crfsuite would ignore them, so the tags are the same,
    but each one would still cost a lookup at tagging time.
    """

    def __init__(self, lex: Lexicons, rules: Recognizer, known: frozenset[str] | None = None) -> None:
        self.lex = lex
        self.rules = rules  # reused for its gazetteer and nationality matchers
        self.known = known
        self._cache: dict[str, tuple[tuple[str, ...], ...]] = {}
        # Feature name -> the words (or clitic-stripped stems) a lexicon lists under it.
        self._listed: tuple[tuple[str, Collection[str]], ...] = (
            ("given", lex.given_names),
            ("ambig", lex.ambiguous_names),
            ("gazword", lex.gazetteer_words),
            ("title", frozenset(lex.titles.index).union(lex.title_words)),
            ("orghead", lex.org_heads),
            ("placehead", lex.place_heads),
            ("nat", lex.nationalities.index),
            ("cueverb", lex.cue_verbs),
            ("cuenoun", lex.cue_nouns),
            ("club", lex.clubs.index),
            ("sport", lex.sports_words),
            ("time", lex.time_words),
            ("orgadj", lex.org_adjectives),
        )
        # The same lists inverted, with the gazetteer's first words: word -> the flags it gives
        # as itself and as a clitic-stripped stem ("~"), so a stem costs one probe, not fourteen.
        listing: dict[str, list[str]] = {}
        for name, words in self._listed:
            for word in words:
                listing.setdefault(word, []).append(name)
        for first, bucket in lex.gazetteer.index.items():
            if bucket:  # the shortest listed name starting with the word says one word or more
                listing.setdefault(first, []).append(
                    f"gaz{'N' if bucket[-1][0] else '1'}:{bucket[-1][1].type}"
                )
        self._listing = {word: tuple(names) for word, names in listing.items()}
        self._listing_cut = {word: tuple(name + "~" for name in names) for word, names in listing.items()}
        self._left_edge = self._keep(("-1:edge",))  # the first token of a sentence
        self._right_edge = self._keep(("1:edge",))  # the last

    def _keep(self, feats: Any) -> tuple[str, ...]:
        known = self.known
        return tuple(feats) if known is None else tuple(f for f in feats if f in known)

    def _flags(self, norm: str) -> list[str]:
        """The lexicons that list this word or one of its clitic-stripped stems."""
        lex = self.lex
        out: list[str] = []
        for stem in lexical_stems(norm):
            found = (self._listing if stem == norm else self._listing_cut).get(stem)
            if found:
                out += found
        if norm in lex.stopwords:
            out.append("stop")
        if norm in lex.particles:
            out.append("particle")
        if norm in lex.number_words:
            out.append("number")
        return sorted(set(out))

    def _word(self, norm: str) -> tuple[tuple[str, ...], ...]:
        found = self._cache.get(norm)
        if found is None:
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            found = self._cache[norm] = self.word_features(norm)
        return found

    def word_values(self, norm: str) -> dict[str, Any]:
        """The value of each feature name in `LAYOUT` for a word (None for "bias", which is a flag;
        under FLAGS, the sorted names of its lexicon flags)."""
        stem = strip_proclitics(norm)
        return {
            "bias": None,
            "w": norm,
            "s": stem,
            "shape": _shape(norm),
            FLAGS: self._flags(norm),
            "len": str(min(len(stem), 8)),
            "p2": norm[:2],
            "p3": norm[:3],
            "x1": norm[-1:],
            "x2": norm[-2:],
            "x3": norm[-3:],
            "sp2": stem[:2],
            "al": str(norm.startswith("ال") or (stem != norm and "ال" + stem in lexical_stems(norm))),
        }

    def word_items(self, norm: str) -> tuple[tuple[Item, ...], ...]:
        """A word's own features, then the ones it gives each neighbour (NEIGHBOURS order), as
        (name, value) items in `LAYOUT` order; a flag's value is None."""
        values = self.word_values(norm)
        return tuple(
            tuple(
                item
                for name in names
                for item in (
                    [(flag, None) for flag in values[FLAGS]] if name == FLAGS else [(name, values[name])]
                )
            )
            for names in LAYOUT
        )

    def word_features(self, norm: str) -> tuple[tuple[str, ...], ...]:
        """`word_items` as crfsuite attribute strings ("w=...", "-1:s=...", "2:given")."""
        return tuple(
            self._keep(render(prefix, item) for item in items)
            for prefix, items in zip(PREFIXES, self.word_items(norm), strict=True)
        )

    def span_features(
        self, toks: list[Token], fams_of: list[tuple[str, ...]] | None = None
    ) -> dict[int, tuple[str, ...]]:
        """Token -> its features from listed multi-word names and nationality phrases (B-/I- of one
        covering it or a neighbour), looked for only where a word can start one (the rules' trigger
        table)."""
        marks: dict[int, list[str]] = {}
        rules = self.rules
        end = 0
        if fams_of is None:  # else the caller's, worked out for a whole article at once
            fams_of = rules.token_families(toks)
        for i in compress(range(len(toks)), fams_of):  # only the few tokens that trigger a family
            if i < end:
                continue
            fams = fams_of[i]
            found = rules._gaz_match(toks, i) if "gaz" in fams else None
            if found is not None and found[0] - i > 1:
                end, _, entry = found
                marks.setdefault(i, []).append(f"gazB:{entry.type}")
                for k in range(i + 1, end):
                    marks.setdefault(k, []).append(f"gazI:{entry.type}")
                continue
            nat = rules._nationality(toks, i) if "norp" in fams else None
            if nat is not None:
                end = nat[0]
                for k in range(i, end):
                    marks.setdefault(k, []).append("natspan")
        out: dict[int, list[str]] = {}
        for k, feats in marks.items():
            out.setdefault(k, []).extend(feats)
            if k + 1 < len(toks):
                out.setdefault(k + 1, []).extend(f"-1:{x}" for x in feats)
            if k:
                out.setdefault(k - 1, []).extend(f"1:{x}" for x in feats)
        return {k: self._keep(v) for k, v in out.items()}

    def sentence(self, toks: list[Token]) -> list[tuple[str, ...]]:
        norms = [t.norm for t in toks]
        words = list(map(self._word, norms))
        spans = self.span_features(toks)
        known = self.known
        n = len(toks)
        pad = [((),) * 5] * 2
        padded = pad + words + pad
        feats = []
        for i in range(n):
            w_2, w_1, w, w1, w2 = padded[i : i + 5]
            f = w[0] + w_1[1] + w1[2] + w_2[3] + w2[4]
            if i:
                bigram = f"w-1|w={norms[i - 1]}|{norms[i]}"
                if known is None or bigram in known:
                    f += (bigram,)
            else:
                f += self._left_edge
            if i == n - 1:
                f += self._right_edge
            if i in spans:
                f += spans[i]
            feats.append(f)
        return feats
