"""Sentence splitting: Arabic stops, quotes, numbers, abbreviations, and structural properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.segment import split_sentences
from marsad.segment.sentences import MAX_QUOTE_CHARS


def _texts(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# (text, expected sentences). Every sentence here is written for these tests.
CASES = [
    ("وصل الوفد إلى المدينة. وبدأت المحادثات فورا.", ["وصل الوفد إلى المدينة.", "وبدأت المحادثات فورا."]),
    ("هل تنجح المفاوضات؟ لا أحد يعرف.", ["هل تنجح المفاوضات؟", "لا أحد يعرف."]),
    ("يا لها من مفاجأة! ثم صمت الجميع.", ["يا لها من مفاجأة!", "ثم صمت الجميع."]),
    ("وانتظر الجميع... ثم جاء الخبر.", ["وانتظر الجميع...", "ثم جاء الخبر."]),
    ("وانتظر الجميع… ثم جاء الخبر.", ["وانتظر الجميع…", "ثم جاء الخبر."]),
    ("اجتماع مرتقب.. والعالم يترقب", ["اجتماع مرتقب..", "والعالم يترقب"]),
    ("لماذا؟!  لأن الوقت تأخر.", ["لماذا؟!", "لأن الوقت تأخر."]),
    # The Arabic comma, semicolon and colon never end a sentence.
    (
        "قال الوزير: الوضع صعب، والخيارات محدودة؛ لكننا سنعمل.",
        ["قال الوزير: الوضع صعب، والخيارات محدودة؛ لكننا سنعمل."],
    ),
    # Headlines and paragraphs without a stop are their own sentences.
    ("عنوان الخبر بلا نقطة\nنص الفقرة الأولى.", ["عنوان الخبر بلا نقطة", "نص الفقرة الأولى."]),
    ("السطر الأول\r\n\r\nالسطر الثاني", ["السطر الأول", "السطر الثاني"]),
    # Numbers.
    (
        "ارتفع المؤشر 1.5 في المئة. وتراجع النفط 3.14 دولار.",
        ["ارتفع المؤشر 1.5 في المئة.", "وتراجع النفط 3.14 دولار."],
    ),
    ("بلغ عدد الزوار 50. وهذا رقم قياسي.", ["بلغ عدد الزوار 50.", "وهذا رقم قياسي."]),
    ("بلغت النسبة ١٫٥ بالمئة فقط.", ["بلغت النسبة ١٫٥ بالمئة فقط."]),
    # Abbreviations: a single letter and a dotted run of single letters.
    ("استقبل د. سامي الوفد. ثم غادر.", ["استقبل د. سامي الوفد.", "ثم غادر."]),
    ("حاضر أ. منى عن التاريخ.", ["حاضر أ. منى عن التاريخ."]),
    ("صمم م. خالد الجسر الجديد.", ["صمم م. خالد الجسر الجديد."]),
    ("بني المعبد عام 300 ق.م. على ضفة النهر.", ["بني المعبد عام 300 ق.م. على ضفة النهر."]),
    ("انظر ص. 12 من التقرير.", ["انظر ص. 12 من التقرير."]),
    ("وقالت مصادر U.S. إن الاتفاق قريب.", ["وقالت مصادر U.S. إن الاتفاق قريب."]),
    ("التقى Dr. Smith بالوفد. وانتهى اللقاء.", ["التقى Dr. Smith بالوفد.", "وانتهى اللقاء."]),
    # URLs and domains.
    (
        "نشر البيان على https://example.org/news/1.html أمس.",
        ["نشر البيان على https://example.org/news/1.html أمس."],
    ),
    ("وللمزيد زوروا www.example.com الآن.", ["وللمزيد زوروا www.example.com الآن."]),
    # Quotes in every style keep their stops; the closing mark ends the sentence with them.
    ('قال: "انتهى الأمر." ثم غادر', ['قال: "انتهى الأمر."', "ثم غادر"]),
    ('قال: "نحن مستعدون. لن نتراجع". وغادر القاعة.', ['قال: "نحن مستعدون. لن نتراجع".', "وغادر القاعة."]),
    ("وأضاف: «الخطة جاهزة. التنفيذ غدا». ثم انصرف.", ["وأضاف: «الخطة جاهزة. التنفيذ غدا».", "ثم انصرف."]),
    ("وأضاف: “الخطة جاهزة. التنفيذ غدا”. ثم انصرف.", ["وأضاف: “الخطة جاهزة. التنفيذ غدا”.", "ثم انصرف."]),
    ("وأضاف: »الخطة جاهزة. التنفيذ غدا«. ثم انصرف.", ["وأضاف: »الخطة جاهزة. التنفيذ غدا«.", "ثم انصرف."]),
    ("وأضاف: ”الخطة جاهزة. التنفيذ غدا“. ثم انصرف.", ["وأضاف: ”الخطة جاهزة. التنفيذ غدا“.", "ثم انصرف."]),
    ("قال: «هل هذا ممكن؟» فلم يجبه أحد.", ["قال: «هل هذا ممكن؟»", "فلم يجبه أحد."]),
    ("وقال (بحسب المصدر.) إن الأمر انتهى.", ["وقال (بحسب المصدر.)", "إن الأمر انتهى."]),
    # Straight quotes alternate: two quotations in one paragraph.
    ('قال "نعم. ربما" ثم قال "لا. أبدا" وانصرف.', ['قال "نعم. ربما" ثم قال "لا. أبدا" وانصرف.']),
    # A quote does not cross a line break.
    ('قال "بداية بلا نهاية.\nسطر جديد. وآخر.', ['قال "بداية بلا نهاية.', "سطر جديد.", "وآخر."]),
    # Scraped text without a space after the stop.
    ("انتهى الاجتماع.وبدأ المؤتمر الصحفي.", ["انتهى الاجتماع.", "وبدأ المؤتمر الصحفي."]),
    # Stray punctuation never forms a sentence of its own.
    (". وقال المتحدث إن الوفد وصل.", [". وقال المتحدث إن الوفد وصل."]),
    ("الفقرة الأولى.\n***\nالفقرة الثانية.", ["الفقرة الأولى.", "***\nالفقرة الثانية."]),
    ("الفقرة الأخيرة.\n...", ["الفقرة الأخيرة.\n..."]),
    ("", []),
    ("  \n \n", []),
    ("... ؟ !", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences_examples(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


@pytest.mark.parametrize("mark", ["\u060c", "\u061b", ":"])
def test_split_sentences_never_splits_at_comma_semicolon_colon(mark: str) -> None:
    text = f"الجملة الأولى{mark} الجملة الثانية{mark} الجملة الثالثة"
    assert _texts(text) == [text]


@pytest.mark.parametrize(("opener", "closer"), [('"', '"'), ("«", "»"), ("“", "”"), ("»", "«"), ("”", "“")])
def test_split_sentences_runaway_quote_falls_back(opener: str, closer: str) -> None:
    # An unbalanced mark must not swallow the paragraph: splitting resumes as if it were absent.
    body = "جملة قصيرة هنا. " * (MAX_QUOTE_CHARS // 10)
    text = f"قال {opener}{body}{closer} انتهى."
    assert len(split_sentences(text)) > 10


def test_split_sentences_long_quote_under_limit_is_kept_whole() -> None:
    body = "كلام. " * ((MAX_QUOTE_CHARS - 20) // 6)
    text = f"قال «{body.strip()}» ثم غادر."
    assert _texts(text) == [f"قال «{body.strip()}»", "ثم غادر."]


def test_split_sentences_offsets_are_clean_text_offsets() -> None:
    text = "  أولا.  ثانيا؟\n\nثالثا  "
    assert split_sentences(text) == [(2, 7), (9, 15), (17, 22)]


# Hypothesis: text from an alphabet rich in the characters that drive the splitter.
_ALPHABET = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويةىءأإآ")
    + list("abcXY0123456789٠١٢٣٤٥٦٧٨٩")
    + [" ", " ", " ", "\n", "\t", "\u00a0"]
    + list('.!?؟…،؛:"«»“”()-*')
    + ["\u064e", "\u0651", "\u0640", "\u200f"]  # fatha, shadda, tatweel, right-to-left mark
)
_TEXT = st.lists(_ALPHABET, max_size=300).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_split_sentences_properties(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)  # in bounds, sorted, non-overlapping
        sentence = text[start:end]
        assert sentence == sentence.strip()
        assert any(ch.isalnum() for ch in sentence)
        previous_end = end
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    if any(ch.isalnum() for ch in text):
        assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_split_sentences_resplitting_a_sentence_gives_itself(text: str) -> None:
    for start, end in split_sentences(text):
        sentence = text[start:end]
        assert split_sentences(sentence) == [(0, len(sentence))]
