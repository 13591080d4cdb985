"""The matching form: every table, the offset map, and Hypothesis properties.

Invisible and combining characters are written as \\u escapes (pasted raw they cannot be reviewed).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.normalize import NormalizeOptions, normalize, normalize_form

TA_MARBUTA_ON = NormalizeOptions(ta_marbuta=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Alef forms: hamza above, hamza below, madda, wasla.
        ("أحمد", "احمد"),
        ("إيران", "ايران"),
        ("آسيا", "اسيا"),
        ("\u0671لله", "الله"),  # alef wasla
        # Hamza carriers.
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),
        # Alef maqsura.
        ("مصطفى", "مصطفي"),
        # Ta marbuta is kept by default.
        ("مدينة", "مدينة"),
        # Diacritics: fatha/damma/kasra, shadda, sukun, tanwin, dagger alef, hamza above.
        ("كَتَبَ", "كتب"),
        ("محمّد", "محمد"),
        ("قُتِلَ", "قتل"),
        ("مَسْجِد", "مسجد"),
        ("كتابًا", "كتابا"),
        ("كتابٌ", "كتاب"),
        ("كتابٍ", "كتاب"),
        ("هٰذا", "هذا"),  # dagger alef U+0670
        ("\u0627\u0654", "\u0627"),  # combining hamza above U+0654 is a mark, deleted
        # Tatweel (kashida) U+0640.
        ("الرئيــــس", "الرييس"),
        # Persian and Urdu letters.
        ("\u06a9\u0627\u0628\u0644", "كابل"),  # keheh
        ("\u0641\u0627\u0631\u0633\u06cc", "فارسي"),  # farsi yeh
        ("\u06d2", "ي"),  # yeh barree
        ("\u06c1", "ه"),  # heh goal
        # Digits: Arabic-Indic and Persian (Extended Arabic-Indic).
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("عام ٢٠٢٤", "عام 2024"),
        # Invisible characters: ZWSP, ZWNJ, ZWJ, LRM, RLM, ALM, bidi embeddings and isolates, BOM,
        # soft hyphen.
        ("\u200bبيت\u200c", "بيت"),
        ("\u200dبيت\u200e\u200f", "بيت"),
        ("\u061cبيت", "بيت"),
        ("\u202bبيت\u202c\u202a\u202d\u202e", "بيت"),
        ("\u2066\u2067بيت\u2068\u2069", "بيت"),
        ("\ufeffبيت\u00ad", "بيت"),
        # Latin text and punctuation are untouched.
        ("U.S. 50%، ؟", "U.S. 50%، ؟"),
    ],
)
def test_normalize_form_tables(text: str, expected: str) -> None:
    assert normalize_form(text) == expected
    assert normalize(text).text == expected


@pytest.mark.parametrize(("text", "expected"), [("مدينة", "مدينه"), ("ة", "ه"), ("مدينه", "مدينه")])
def test_normalize_form_ta_marbuta_only_when_configured(text: str, expected: str) -> None:
    assert normalize_form(text, TA_MARBUTA_ON) == expected
    assert normalize(text, TA_MARBUTA_ON).text == expected


@pytest.mark.parametrize(
    ("flag", "text"),
    [
        ("alef", "أ"),
        ("hamza_carriers", "ؤ"),
        ("alef_maqsura", "ى"),
        ("diacritics", "\u064e"),
        ("tatweel", "\u0640"),
        ("persian_letters", "\u06a9"),
        ("digits", "٣"),
    ],
)
def test_normalize_options_switch_each_table_off(flag: str, text: str) -> None:
    options = NormalizeOptions(**{flag: False})
    assert normalize_form(text, options) == text
    assert normalize_form(text) != text


def test_normalize_options_from_config_ignores_unknown_keys() -> None:
    assert NormalizeOptions.from_config({"ta_marbuta": True, "unknown": 1}) == TA_MARBUTA_ON


def test_normalize_offsets_map_back_over_deleted_marks() -> None:
    text = "قالَ الرئيـسُ"
    norm = normalize(text)
    assert norm.text == "قال الرييس"
    s = norm.text.index("الرييس")
    start, end = norm.to_clean(s, s + len("الرييس"))
    assert text[start:end] == "الرئيـسُ"  # the final damma stays inside the span
    assert norm.to_norm(start) == s


# Hypothesis alphabet: Arabic letters (with all alef/hamza/yeh variants), diacritics, tatweel,
# three digit systems, invisible marks, Persian letters, spaces and punctuation.
_ALPHABET = st.sampled_from(
    list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةىءأإآؤئ\u0671")
    + [chr(c) for c in range(0x064B, 0x0660)]  # harakat, tanwin, shadda, sukun, other marks
    + ["\u0670", "\u06d6", "\u06ed"]  # dagger alef, Quranic marks
    + ["\u0640"]  # tatweel
    + list("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\u202b", "\u2067", "\ufeff", "\u00ad"]
    + ["\u06a9", "\u06cc", "\u06d2", "\u06c1"]  # keheh, farsi yeh, yeh barree, heh goal
    + [" ", "\n", "\t"]
    + list('.,،؛:؟!"«»()-%٪')
    + list("abcZ")
)
_TEXT = st.lists(_ALPHABET, max_size=120).map("".join)
_OPTIONS = st.sampled_from(
    [NormalizeOptions(), TA_MARBUTA_ON, NormalizeOptions(diacritics=False, digits=False)]
)


@settings(max_examples=500, deadline=None)
@given(_TEXT, _OPTIONS)
def test_normalize_is_idempotent(text: str, options: NormalizeOptions) -> None:
    once = normalize_form(text, options)
    assert normalize_form(once, options) == once
    norm = normalize(text, options)
    assert norm.text == once
    assert normalize(norm.text, options).text == norm.text


@settings(max_examples=500, deadline=None)
@given(_TEXT, _OPTIONS)
def test_normalize_offsets_increase_and_stay_in_bounds(text: str, options: NormalizeOptions) -> None:
    norm = normalize(text, options)
    assert len(norm.offsets) == len(norm.text) + 1
    assert norm.offsets[-1] == len(text) == norm.source_length
    assert all(a < b for a, b in zip(norm.offsets, norm.offsets[1:], strict=False))
    assert all(0 <= o <= len(text) for o in norm.offsets)


@settings(max_examples=500, deadline=None)
@given(_TEXT, _OPTIONS, st.data())
def test_normalize_offsets_map_back_to_the_producing_text(
    text: str, options: NormalizeOptions, data: st.DataObject
) -> None:
    norm = normalize(text, options)
    for i, ch in enumerate(norm.text):
        assert normalize_form(text[norm.offsets[i]], options) == ch
        assert norm.to_norm(norm.offsets[i]) == i
    s = data.draw(st.integers(0, len(norm.text)))
    e = data.draw(st.integers(s, len(norm.text)))
    start, end = norm.to_clean(s, e)
    assert normalize_form(text[start:end], options) == norm.text[s:e]
