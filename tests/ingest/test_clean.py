"""Cleaning rules, bylines and the seeds: "must contain / must not contain" per input."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ingest.conftest import seed_file

from marsad.ingest import build_article, iter_inputs

LEAD = "أعلنت البلدية صباح اليوم افتتاح الجسر الجديد أمام حركة السيارات بعد عامين من أعمال البناء."
MORE = "وقال رئيس البلدية إن المشروع سيخفف الازدحام في وسط المدينة خلال ساعات الذروة."


def _build(tmp_path: Path, config: dict, text: str):
    path = tmp_path / "a.txt"
    path.write_text(text, "utf-8")
    (raw,) = iter_inputs([str(path)], config)
    return build_article(raw, config)


# (input lines, must contain, must not contain, a reason that must be recorded)
CASES = [
    (["الموقع الرسمي | صحيفة المدينة", LEAD], LEAD, "الموقع الرسمي", "site_banner"),
    (["صحيفة المدينة | الصفحة الرئيسية", LEAD], LEAD, "الصفحة الرئيسية", "site_banner"),
    ([LEAD, "  • مشاركة :", MORE], MORE, "مشاركة", "share_widget"),
    ([LEAD, "شارك على فيسبوك / تويتر / واتساب", MORE], MORE, "فيسبوك", "share_widget"),
    ([LEAD, "انسخ الرابط", MORE], MORE, "الرابط", "share_widget"),
    ([LEAD, "post-title", MORE], MORE, "post-title", "template_leftover"),
    ([LEAD + " {{ author_name }}", MORE], LEAD, "{{", "template_leftover"),
    ([LEAD, "اقرأ أيضا: افتتاح جسر آخر في الشمال", MORE], MORE, "اقرأ أيضا", "read_also"),
    ([LEAD, MORE, "صحيفة المدينة | Facebook"], MORE, "Facebook", "social_footer"),
    ([LEAD, MORE, "تابعونا على تويتر وتلغرام"], MORE, "تابعونا", "social_footer"),
    ([LEAD, MORE, "جميع الحقوق محفوظة © 2024 صحيفة المدينة"], MORE, "الحقوق", "copyright"),
    ([LEAD, MORE, MORE], MORE, None, "repeated line"),
    (
        ["أعلنت البلدية افتتاح الجسر. ، وقال المسؤول إن العمل انتهى في موعده المحدد."],
        "الجسر، وقال",
        ". ،",
        "broken punctuation",
    ),
    (
        ["أعلنت البلدية افتتاح الجسر ، وقال المسؤول إن العمل انتهى في موعده المحدد ."],
        "المحدد.",
        " .",
        "broken punctuation",
    ),
    (
        ["أعلنت البلدية افتتاح الجسر،. وقال المسؤول إن العمل انتهى في موعده المحدد."],
        "الجسر. وقال",
        "،.",
        "broken punctuation",
    ),
    (
        ["أعلنت البلدية افتتاح الجسر.. وقال المسؤول إن العمل انتهى... في موعده المحدد."],
        "انتهى...",
        "الجسر..",
        "broken punctuation",
    ),
    (
        ["وقعت البلدية والشركة . اتفاقية لصيانة الجسر الجديد خلال السنوات الخمس المقبلة."],
        "والشركة اتفاقية",
        " . ",
        "broken punctuation",
    ),
    # Tail furniture seen on real Saudi news: tag lines glued to the last paragraph or on their
    # own line, the outlet's link line, the author's contact, syndication credits.
    ([LEAD, MORE + " سمات الجسر البلدية الازدحام"], MORE, "سمات", "tag_line"),
    ([LEAD, MORE, "الكلمات الدلالية: الجسر، البلدية"], MORE, "الدلالية", "tag_line"),
    ([LEAD, MORE + " رابط الخبر بصحيفة الوئام: افتتاح الجسر الجديد"], MORE, "رابط الخبر", "related_link"),
    ([LEAD, MORE, "sami.nour@example.com"], MORE, "@", "author_contact"),
    (
        [
            LEAD,
            MORE,
            "للتواصل مع الكاتب ارسل رسالة SMS",
            "تبدأ بالرمز (54) ثم مسافة ثم نص الرسالة إلى",
            "88591 - Stc",
        ],
        MORE,
        "88591",
        "author_contact",
    ),
    ([LEAD, MORE, "...المزيد"], MORE, "المزيد", "template_leftover"),
    ([LEAD, MORE, "* خدمة «نيويورك تايمز»"], MORE, "نيويورك تايمز", "syndication"),
    (["Next Previous صحيفة المدينة - سامي نور", LEAD, MORE], LEAD, "Next Previous", "slider"),
]


@pytest.mark.parametrize(
    "last",
    [
        "سمات الشخصية القيادية كثيرة ومتنوعة.",  # a sentence that opens with the word, not tags
        "ويمكن التواصل عبر البريد الإلكتروني: info@example.com",  # an address the article gives
    ],
)
def test_clean_tail_rules_leave_article_text(tmp_path: Path, config: dict, last: str) -> None:
    article = _build(tmp_path, config, "\n".join([LEAD, MORE, last]))
    assert article.text.endswith(last)


@pytest.mark.parametrize(("lines", "must", "must_not", "reason"), CASES)
def test_clean_rule(
    tmp_path: Path, config: dict, lines: list[str], must: str, must_not: str | None, reason: str
) -> None:
    article = _build(tmp_path, config, "\n".join(lines))
    assert must in article.text
    if must_not is not None:
        assert must_not not in article.text
    assert any(r.reason.startswith(reason) for r in article.removed), [r.reason for r in article.removed]
    for keep in (LEAD, MORE):  # article lines themselves survive every rule
        if keep in lines:
            assert keep in article.text


def test_clean_invisibles_and_spaces(tmp_path: Path, config: dict) -> None:
    # \u200f (RLM), \u200b (ZWSP) and \u00a0 (NBSP) written as escapes on purpose.
    article = _build(tmp_path, config, f"\u200f{LEAD}\u200b\n\n\n\n{MORE}\u00a0\u00a0 ")
    assert article.text == f"{LEAD}\n\n{MORE}"


@pytest.mark.parametrize(
    ("first_lines", "outlet", "author", "place"),
    [
        (["صحيفة المدينة - سامي نور"], "صحيفة المدينة", "سامي نور", None),
        (["بيروت - وكالة الشرق للأنباء - ريم خليل"], "وكالة الشرق للأنباء", "ريم خليل", "بيروت"),
        (["عمان (رويترز) -"], "رويترز", None, "عمان"),
        (["كتب: سامي نور"], None, "سامي نور", None),
        ([f"وكالات ـ {LEAD}"], "وكالات", None, None),
        ([f"القاهرة - {LEAD}"], None, None, "القاهرة"),
        # Saudi styles: a known outlet name, "متابعات" as the wire, and datelines closed by a colon.
        (["عين اليوم – متابعات"], "عين اليوم", None, None),
        (["سامي نور – عين اليوم"], "عين اليوم", "سامي نور", None),
        ([f"سبق- وكالات: {LEAD}"], "سبق", None, None),
        ([f"سامي نور- سبق- جدة: {LEAD}"], "سبق", "سامي نور", "جدة"),
        ([f"واس- الرياض: {LEAD}"], "واس", None, "الرياض"),
        ([f"رويترز –القاهرة: {LEAD}"], "رويترز", None, "القاهرة"),
        ([f"رويترز –لويزيانا: {LEAD}"], "رويترز", None, "لويزيانا"),  # an unlisted place by an outlet
    ],
)
def test_byline_parts(tmp_path: Path, config: dict, first_lines: list[str], outlet, author, place) -> None:
    article = _build(tmp_path, config, "\n".join([*first_lines, LEAD, MORE]))
    assert (article.outlet, article.author, article.meta.get("dateline_place")) == (outlet, author, place)
    assert not article.text.startswith(first_lines[0][:8])
    assert any(r.reason.startswith(("byline", "dateline")) for r in article.removed)


@pytest.mark.parametrize(
    "line",
    [
        "وقال الوزير - في تصريح مقتضب - إن العمل مستمر في الموقع.",
        "الرئيس - الحكومة",
        "وزير الخارجية: لا تراجع عن القرار مهما كانت الضغوط الخارجية.",  # a speaker, not a dateline
    ],
)
def test_byline_leaves_ordinary_lines(tmp_path: Path, config: dict, line: str) -> None:
    article = _build(tmp_path, config, "\n".join([LEAD, line, MORE]))
    assert line in article.text and article.author is None


def test_clean_caption_between_title_and_byline(tmp_path: Path, config: dict) -> None:
    text = "\n".join(
        ["افتتاح الجسر الجديد في المدينة", "سامي نور وريم خليل", "صحيفة المدينة - هادي سالم", LEAD, MORE]
    )
    article = _build(tmp_path, config, text)
    assert article.title == "افتتاح الجسر الجديد في المدينة"
    assert "سامي نور" not in article.text
    assert any(r.reason.startswith("image caption") for r in article.removed)


def test_seed_001_clean_and_byline(seeds_dir: Path, config: dict) -> None:
    (raw,) = iter_inputs([str(seed_file(seeds_dir, "001"))], config)
    article = build_article(raw, config)
    for junk in ("الموقع الرسمي", "مشاركة :", "post-title"):
        assert junk not in article.text
        assert any(junk in r.text for r in article.removed)
    assert (article.outlet, article.author) == ("القاهرة الإخبارية", "مازن إسلام")


def test_seed_002_wire_dateline(seeds_dir: Path, config: dict) -> None:
    (raw,) = iter_inputs([str(seed_file(seeds_dir, "002"))], config)
    article = build_article(raw, config)
    assert article.outlet == "وكالات" and not article.text.startswith("وكالات")


def test_seed_003_footer_and_repeated_headline(seeds_dir: Path, config: dict) -> None:
    (raw,) = iter_inputs([str(seed_file(seeds_dir, "003"))], config)
    article = build_article(raw, config)
    assert "| Facebook" not in article.text
    assert article.title is not None
    assert article.text.count(article.title) == 1


def test_example_html_pages_are_clean(config: dict) -> None:
    folder = Path(__file__).resolve().parents[2] / "examples" / "html"
    pages = sorted(folder.glob("*.html")) if folder.is_dir() else []
    if not pages:
        pytest.skip("no example HTML pages in examples/html")
    for page in pages:
        (raw,) = iter_inputs([str(page)], config)
        article = build_article(raw, config)
        for junk in (
            "الموقع الرسمي",
            "مشاركة :",
            "post-title",
            "جميع الحقوق محفوظة",
            "| Facebook",
            "اقرأ أيضا",
            "النشرة البريدية",
            "شارك على فيسبوك",
        ):
            assert junk not in article.text, (page.name, junk)
        assert article.title and article.outlet and article.published
        assert any("figcaption" in r.reason for r in article.removed)
