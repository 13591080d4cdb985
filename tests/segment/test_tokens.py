"""Clitic-aware tokens: stems, offsets, and numbers kept whole."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.normalize import normalize
from marsad.segment import stems, tokenize
from marsad.segment.tokens import StemPieces


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("وبالكرملين", "الكرملين"),
        ("وبالكرملين", "كرملين"),
        ("لموسكو", "موسكو"),
        ("للامم", "الامم"),
        ("للامم", "امم"),
        ("وبيونغ", "بيونغ"),
        ("فالرئيس", "رئيس"),
        ("وسيعلن", "يعلن"),
    ],
)
def test_stems_offers_the_word_without_proclitics(word: str, stem: str) -> None:
    assert stem in stems(word)


@pytest.mark.parametrize("word", ["وبالكرملين", "لموسكو", "للامم", "لبنان"])
def test_stems_lists_the_word_itself_first(word: str) -> None:
    assert stems(word)[0] == word


def test_stems_keeps_a_two_letter_stem_minimum() -> None:
    assert all(len(s) >= 2 for s in stems("وبه"))


def test_tokens_stems_work_on_the_matching_form() -> None:
    text = "وصل الوفد للأمم المتحدة"
    tokens = tokenize(normalize(text), text)
    assert "الامم" in tokens[2].stems()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("ارتفع بنسبة 1.5 نقطة", "1.5"),
        ("حضر 10,000 شخص", "10,000"),
        ("بلغت النسبة 50% أمس", "50%"),
        ("بلغت النسبة ٥٠٪ أمس", "٥٠٪"),
        ("حضر ١٠٬٠٠٠ شخص", "١٠٬٠٠٠"),
        ("بلغت ٣٫٥ مليار", "٣٫٥"),
        ("قتل ۱۲ شخصا", "۱۲"),  # Persian digits
    ],
)
def test_tokenize_keeps_a_number_as_one_token(text: str, number: str) -> None:
    tokens = tokenize(normalize(text), text)
    numbers = [t for t in tokens if t.is_number]
    assert [t.text for t in numbers] == [number]


def test_tokenize_offsets_skip_diacritics_and_tatweel() -> None:
    text = "قال الرئيـــسُ\u200f كلمة"  # tatweel, damma and a right-to-left mark inside the text
    tokens = tokenize(normalize(text), text)
    assert [t.norm for t in tokens] == ["قال", "الرييس", "كلمة"]
    # Deleted marks after the last letter stay inside the token (NormalizedText.to_clean).
    assert tokens[1].text == "الرئيـــسُ\u200f"


# Tanwin, shadda, dagger alef, tatweel, ZWNJ and RLM among the letters, to shift offsets.
_MARKS = ["\u064b", "\u0651", "\u0670", "\u0640", "\u200c", "\u200f"]
_ALPHABET = st.sampled_from(
    [
        *"ابتجدرسعفقكلمنهويةىأإآؤئ0123456789٠١٢٣٤٥٦٧٨٩۰۵ab",
        *[" ", "\n", ".", ",", "%", "٪", "٫", "٬", "،", "؟", '"', "«", "»"],
        *_MARKS,
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=200).map("".join))
def test_tokenize_token_text_is_the_clean_text_slice(text: str) -> None:
    previous_end = 0
    for token in tokenize(normalize(text), text):
        assert token.text == text[token.start : token.end]
        assert previous_end <= token.start < token.end <= len(text)
        previous_end = token.end


@pytest.mark.parametrize(
    ("listed", "word", "may"),
    [
        ("الأمن", "للأمن", True),  # stems() offers الأمن: the piece is the word without its article
        ("الأمن", "والأمنية", True),
        ("هجوم", "وبهجومهم", True),
        ("هجوم", "هجرة", False),
        ("الخميس", "خميس", True),
        ("الى", "الى", True),  # a short word keeps its article: no synthesised form is that short
        ("الى", "ى", False),
    ],
)
def test_stem_pieces_may_match(listed: str, word: str, may: bool) -> None:
    assert StemPieces([listed]).may_match(word) is may


def test_stem_pieces_of_no_words_match_nothing() -> None:
    assert StemPieces([]).may_match("أي كلمة") is False
