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
) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """(every changed character, every deleted run, char -> replacement) for `options`.

    `str.translate` with a dict costs a lookup per character (~0.3 ms on a 3 KB article); a
    regex that visits only the characters that change is four times faster on news text.
    """
    table = {chr(c): rep for c, rep in translation_table(options).items()}
    changed = re.compile("[" + "".join(re.escape(ch) for ch in sorted(table)) + "]")
    deleted = re.compile("[" + "".join(re.escape(ch) for ch in sorted(table) if not table[ch]) + "]+")
    return changed, deleted, table


def normalize(text: str, options: NormalizeOptions = DEFAULT_OPTIONS) -> NormalizedText:
    # Every table entry maps one character to at most one character, so the offset map only has
    # to skip the deleted runs (usually few: news text is rarely vocalised).
    changed, deleted, table = _compiled(options)
    out = changed.sub(lambda m: table[m.group()], text)
    n = len(text)
    if len(out) == n:
        return NormalizedText(out, tuple(range(n + 1)), n)
    offsets: list[int] = []
    kept_from = 0
    for m in deleted.finditer(text):
        offsets.extend(range(kept_from, m.start()))
        kept_from = m.end()
    offsets.extend(range(kept_from, n + 1))
    return NormalizedText(out, tuple(offsets), n)


def normalize_form(text: str, options: NormalizeOptions = DEFAULT_OPTIONS) -> str:
    """Only the matching form, for lexicon keys and comparisons (no offset map)."""
    return text.translate(translation_table(options))
