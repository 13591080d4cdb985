"""The matching form of a text, with an offset map back to the clean text.

Normalisation is conservative and character-level: every output character comes from exactly one
input character, and deleted characters (diacritics, tatweel, invisibles) leave no trace. So a
match found at `[s, e)` in the matching form maps back to `[offsets[s], offsets[e])` in the clean
text, which is what annotations store. Aggressive equivalences (بيونغ = بيونج) belong to linking,
not here, so that evidence is never destroyed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from marsad.normalize import tables


@dataclass(frozen=True, slots=True)
class NormalizeOptions:
    alef: bool = True
    hamza_carriers: bool = True
    alef_maqsura: bool = True
    ta_marbuta: bool = False
    diacritics: bool = True
    tatweel: bool = True
    persian_letters: bool = True
    digits: bool = True

    @classmethod
    def from_config(cls, section: dict[str, object]) -> NormalizeOptions:
        return cls(**{k: bool(v) for k, v in section.items() if k in cls.__slots__})


DEFAULT_OPTIONS = NormalizeOptions()


@lru_cache(maxsize=16)
def translation_table(options: NormalizeOptions = DEFAULT_OPTIONS) -> dict[int, str]:
    table: dict[str, str] = dict(tables.INVISIBLE)
    for flag in (
        "alef",
        "hamza_carriers",
        "alef_maqsura",
        "ta_marbuta",
        "diacritics",
        "tatweel",
        "persian_letters",
        "digits",
    ):
        if getattr(options, flag):
            table.update(getattr(tables, flag.upper()))
    return str.maketrans(table)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """`text` is the matching form; `offsets[i]` is the clean-text index of `text[i]`.

    `offsets` has one extra final entry, the clean text's length, so that an end offset maps too.
    """

    text: str
    offsets: tuple[int, ...]
    source_length: int

    def to_clean(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open range of the matching form to the clean text.

        The end maps to the next kept character, so marks deleted after the last letter (a
        shadda, a tanwin) stay inside the span, as a reader would expect.
        """
        return self.offsets[start], self.offsets[end]

    def to_norm(self, clean_offset: int) -> int:
        """The matching-form index of the first kept character at or after `clean_offset`."""
        return bisect_left(self.offsets, clean_offset, 0, len(self.offsets) - 1)


@lru_cache(maxsize=16)
def _compiled(
    options: NormalizeOptions = DEFAULT_OPTIONS,
) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str], bool]:
    """(every changed character, every deleted run, char -> replacement, chainable) for `options`.

    `str.translate` with a dict costs a lookup per character (~0.2 ms on a 1.7 KB article); a
    regex that finds only the characters that change is faster on news text, where a few
    distinct characters (أ إ ى ة, a diacritic) change. `chainable` says that no replacement is
    itself a changed character, so replacing one character everywhere and then the next gives
    what a single translate gives (true for the shipped tables).
    """
    table = {chr(c): rep for c, rep in translation_table(options).items()}
    changed = re.compile("[" + "".join(re.escape(ch) for ch in sorted(table)) + "]")
    deleted = re.compile("[" + "".join(re.escape(ch) for ch in sorted(table) if not table[ch]) + "]+")
    chainable = not any(ch in table for rep in table.values() for ch in rep)
    return changed, deleted, table, chainable


# Identity offsets 0, 1, 2, ... shared by every call: slicing a tuple copies pointers to ints that
# already exist, where `range` builds a new int object per index above 256 (a third of the cost of
# `normalize` on a 1.7 KB article). Grown on demand; texts above the cap build their own.
_IDENTITY_CAP = 1 << 16
_identity: tuple[int, ...] = tuple(range(4096))


def _identity_offsets(start: int, stop: int) -> tuple[int, ...] | range:
    """`start, ..., stop - 1` as a tuple slice when small enough, else as a range (to extend)."""
    global _identity
    if stop > len(_identity):
        if stop > _IDENTITY_CAP:
            return range(start, stop)
        _identity = tuple(range(min(_IDENTITY_CAP, max(stop, 2 * len(_identity)))))
    return _identity[start:stop]


def normalize(text: str, options: NormalizeOptions = DEFAULT_OPTIONS) -> NormalizedText:
    # Every table entry maps one character to at most one character, so the offset map only has
    # to skip the deleted runs (usually few: news text is rarely vocalised).
    changed, deleted, table, chainable = _compiled(options)
    if chainable:
        # One `str.replace` per distinct changed character (about six in an article) instead of a
        # Python callback per changed character (about seventy): the search restarts where the
        # last one found a character, since nothing before that point changes any more.
        out = text
        pos = 0
        while (m := changed.search(out, pos)) is not None:
            ch = m.group()
            out = out.replace(ch, table[ch])
            pos = m.start()
    else:
        out = changed.sub(lambda m: table[m.group()], text)
    n = len(text)
    if len(out) == n:
        return NormalizedText(out, tuple(_identity_offsets(0, n + 1)), n)
    offsets: list[int] = []
    kept_from = 0
    for m in deleted.finditer(text):
        offsets.extend(_identity_offsets(kept_from, m.start()))
        kept_from = m.end()
    offsets.extend(_identity_offsets(kept_from, n + 1))
    return NormalizedText(out, tuple(offsets), n)


def normalize_form(text: str, options: NormalizeOptions = DEFAULT_OPTIONS) -> str:
    """Only the matching form, for lexicon keys and comparisons (no offset map)."""
    return text.translate(translation_table(options))
