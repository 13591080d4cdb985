"""Transliteration-aware matching keys for cross-document entity merging.

Arabic newswire spells foreign names many ways: بيونغ يانغ / بيونج يانج / بيونغيانغ, بوتين /
بوتن, زيلينسكي / زيلنسكي. Normalisation (normalize/) must not merge these, because it keeps the
evidence; this key is the deliberately lossy form that linking compares. It is a consonant skeleton:

- the matching form (alef/hamza/ya folding), with ة -> ه;
- the article "ال" removed from each word, so الكرملين and كرملين agree;
- spaces removed, since compounds are written joined or apart (بيونغيانغ);
- the long vowels ا و ي dropped except as the name's first letter (بوتين = بوتن), since writers
  add or omit matres lectionis for foreign vowels;
- ج غ ق ك, which all render foreign g/k/q, folded to one class (ك), and گ (Persian g) with them;
- doubled letters collapsed, then ن dropped before that class, because "ng" is written نغ or نج or
  plain غ/ج (مينيونج = مينيوج).

Order is kept, so محمد علي and علي محمد stay different people.
"""

from __future__ import annotations

from functools import lru_cache

from marsad.normalize import normalize_form

_GK = str.maketrans({"ج": "ك", "غ": "ك", "ق": "ك", "گ": "ك", "ة": "ه", "ى": "ي"})
_VOWELS = frozenset("اوي")


@lru_cache(maxsize=100_000)
def entity_key(name: str) -> str:
    """The lossy consonant-skeleton key of a name (see the module docstring)."""
    words = []
    for word in normalize_form(name).split():
        # Drop the article only when something name-like is left (keep "ال" names such as الن).
        if word.startswith("ال") and len(word) > 4:
            word = word[2:]
        if word:
            words.append(word)
    joined = "".join(words).translate(_GK).lower()
    if not joined:
        return ""
    out: list[str] = [joined[0]]
    for ch in joined[1:]:
        if ch in _VOWELS or not ch.isalnum():
            continue
        if ch == out[-1]:
            continue  # doubled letters (shadda written out, or a doubled consonant in Latin)
        if ch == "ك" and out[-1] == "ن" and len(out) > 1:
            out[-1] = "ك"  # "ng": نغ / نج / غ
            continue
        out.append(ch)
    return "".join(out)
