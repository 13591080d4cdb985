"""Clitic-aware tokens for matching.

A token is a run of letters/digits (or one punctuation mark) with offsets into the clean text and
its matching form. Arabic writes conjunctions, prepositions and the article onto the word
(وبيونغ، لموسكو، للأمم، بالكرملين), so matchers look words up through `stems()`: the word with each
plausible proclitic sequence removed. Splitting is generate-and-test, not a guess: a matcher keeps
the candidate its lexicon knows, so "لبنان" still matches as itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import ahocorasick

from marsad.normalize.text import NormalizedText

# Letters (any script), digits, and internal joiners of numbers (1.5, 10,000, 50%) form a word.
# The Arabic decimal and thousands separators (U+066B, U+066C) and percent sign (U+066A) join a
# number as their Latin counterparts do: "٥٠٪" is one token, like "50%".
_TOKEN_RE = re.compile(r"\d+(?:[.,\u066b\u066c]\d+)*[%\u066a]?|[^\W\d_]+|[^\w\s]", re.UNICODE)

# Proclitic sequences in the matching form, longest first. و/ف (and, so), then ب/ل/ك (prepositions)
# or س (future), then ال (article); ل+ال is written لل.
_PROCLITICS = (
    "وبال",
    "فبال",
    "وكال",
    "فكال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "فلل",
    "لل",
    "ال",
    "وب",
    "فب",
    "ول",
    "فل",
    "وك",
    "فك",
    "وس",
    "فس",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
# The proclitic sequences each letter can begin, in `_PROCLITICS` order.
_CLITICS_BY_LETTER = {
    letter: tuple(c for c in _PROCLITICS if c[0] == letter) for letter in {c[0] for c in _PROCLITICS}
}
_MIN_STEM = 2


class Token(NamedTuple):
    """One token. A NamedTuple, not a frozen dataclass: an article has hundreds of tokens and a
    NamedTuple is built 2.5x faster, with the same fields, immutability and hashing."""

    start: int  # into the clean text
    end: int
    text: str  # surface form in the clean text
    norm: str  # matching form

    @property
    def is_word(self) -> bool:
        return self.norm[:1].isalpha()

    @property
    def is_number(self) -> bool:
        return self.norm[:1].isdigit()

    def stems(self) -> tuple[str, ...]:
        return stems(self.norm)


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """The word and every form with a plausible proclitic sequence removed, longest word first.

    >>> stems("وبالكرملين")
    ('وبالكرملين', 'بالكرملين', 'الكرملين', 'كرملين')
    The article-bearing form is listed too ("الكرملين"), since lexicons often keep the article.
    """
    out = [word]
    for clitic in _CLITICS_BY_LETTER.get(word[:1], ()):  # most words start with none
        if word.startswith(clitic) and len(word) - len(clitic) >= _MIN_STEM:
            rest = word[len(clitic) :]
            if clitic.endswith("ال") or clitic.endswith("لل"):
                # Offer the form with the article kept, as lexicons often list it (الكرملين).
                out.append("ال" + rest)
            out.append(rest)
    # Least stripping first: a matcher takes the first candidate its lexicon knows.
    return tuple(sorted(dict.fromkeys(out), key=len, reverse=True))


class StemPieces:
    """Can a word form match one of `words` through `stems()`, once a suffix or prefix is cut?

    Only if it holds the listed word, or that word without its article when it has four or more
    letters (`stems()` also offers "ال" + a stem: للأمن -> الأمن). One Aho-Corasick scan (C)
    rules out most forms before their stems are worked out and looked up one by one.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._automaton: ahocorasick.Automaton | None = None
        pieces = {w[2:] if w.startswith("ال") and len(w) >= 4 else w for w in words if w}
        if pieces:
            self._automaton = ahocorasick.Automaton()
            for piece in pieces:
                self._automaton.add_word(piece, piece)
            self._automaton.make_automaton()

    def may_match(self, word: str) -> bool:
        """False when `word` holds none of the pieces: it can match no listed word."""
        return self._automaton is not None and next(self._automaton.iter(word), None) is not None


def strip_proclitics(word: str) -> str:
    """The shortest plausible stem: for keys where recall matters more than precision."""
    return stems(word)[-1] if len(stems(word)) > 1 else word


# `tuple.__new__(Token, fields)` builds the same Token as `Token(...)` without the Python-level
# `__new__` that NamedTuple generates: one C call per token instead of a Python frame.
_new_tuple = tuple.__new__


def tokenize(norm: NormalizedText, clean_text: str) -> list[Token]:
    # `offsets` indexed directly (what `NormalizedText.to_clean` does) to save a call per token;
    # a loop over `finditer` with a bound `append` measured faster than a comprehension or than
    # splitting the whole text at once with `re.split` + `accumulate` (timeit, 1000 articles).
    offsets = norm.offsets
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN_RE.finditer(norm.text):
        s, e = m.span()
        start = offsets[s]
        end = offsets[e]
        append(_new_tuple(Token, (start, end, clean_text[start:end], m[0])))
    return tokens
