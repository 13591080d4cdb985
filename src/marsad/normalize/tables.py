"""Character tables for the matching form, kept as data.

Each table maps one code point to its replacement ("" deletes). Invisible and combining
characters are written as escapes: pasted raw they cannot be reviewed.
"""

from __future__ import annotations

ALEF = {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627"}  # أ إ آ ٱ -> ا
HAMZA_CARRIERS = {"\u0624": "\u0648", "\u0626": "\u064a"}  # ؤ -> و, ئ -> ي
ALEF_MAQSURA = {"\u0649": "\u064a"}  # ى -> ي
TA_MARBUTA = {"\u0629": "\u0647"}  # ة -> ه
# Harakat U+064B..U+0652 (tanwin, fatha, damma, kasra, shadda, sukun), U+0653..U+065F (maddah,
# hamza above/below and other marks), dagger alef U+0670, Quranic marks U+06D6..U+06ED.
DIACRITICS = {chr(c): "" for c in [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]}
TATWEEL = {"\u0640": ""}
PERSIAN_LETTERS = {
    "\u06a9": "\u0643",  # keheh -> kaf
    "\u06aa": "\u0643",  # swash kaf -> kaf
    "\u06cc": "\u064a",  # farsi yeh -> yeh
    "\u06d2": "\u064a",  # yeh barree -> yeh
    "\u06c0": "\u0647",  # heh with yeh above -> heh
    "\u06be": "\u0647",  # heh doachashmee -> heh
    "\u06c1": "\u0647",  # heh goal -> heh
}
DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
# Always applied: characters that carry no text (bidi marks, joiners, BOM, soft hyphen).
INVISIBLE = {
    c: ""
    for c in (
        "\u200b",  # zero width space
        "\u200c",  # zero width non-joiner
        "\u200d",  # zero width joiner
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u061c",  # arabic letter mark
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",  # bidi embeddings and overrides
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",  # bidi isolates
        "\ufeff",  # byte order mark / zero width no-break space
        "\u00ad",  # soft hyphen
    )
}
