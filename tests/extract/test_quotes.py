"""Quotes: direct and indirect speech, speakers, carry-over, scare quotes, seeds and the gold file."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.evaluation.extraction import score_quotes, speakers_agree
from marsad.model import Article, EntityMention, Provenance, Quote, check_offsets, document_id
from marsad.pipeline import Pipeline, create

GOLD = Path(__file__).resolve().parent / "data" / "quotes_gold.jsonl"
# Floors only ratchet upward: raise them when the component improves.
# Measured 1.00 precision, recall and speaker accuracy on the 43-line sample.
FLOORS = {"precision": 0.97, "recall": 0.97, "speaker_accuracy": 0.97}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(["normalize", "segment", "tokenize", "quotes"])


def _quotes(pipeline: Pipeline, text: str) -> list[Quote]:
    article = pipeline(Article(id=document_id(text), text=text, provenance=Provenance("t", "txt")))
    check_offsets(article)
    for q in article.quotes:
        assert text[q.start : q.end] == q.text and q.component == "quotes" and q.reason
        if q.speaker is not None:
            assert text[q.speaker.start : q.speaker.end] == q.speaker.text
    return article.quotes


# (text, quoted words, speaker, direct). One line per case.
CASES = [
    ('وقال الوزير: "الاتفاق سيوقع غدا".', "الاتفاق سيوقع غدا", "الوزير", True),
    ("وقال الوزير: «الاتفاق سيوقع غدا».", "الاتفاق سيوقع غدا", "الوزير", True),
    ("وقال الوزير: “الاتفاق سيوقع غدا”.", "الاتفاق سيوقع غدا", "الوزير", True),
    ("وقال الوزير: »الاتفاق سيوقع غدا«.", "الاتفاق سيوقع غدا", "الوزير", True),
    ("وقال الوزير: ”الاتفاق سيوقع غدا“.", "الاتفاق سيوقع غدا", "الوزير", True),
    ("«الاتفاق سيوقع غدا»، قال الوزير للصحفيين.", "الاتفاق سيوقع غدا", "الوزير", True),
    ('"الاتفاق سيوقع غدا"، بحسب مصدر حكومي.', "الاتفاق سيوقع غدا", "مصدر حكومي", True),
    ("«الاتفاق سيوقع غدا»، وفقا لمصدر حكومي.", "الاتفاق سيوقع غدا", "مصدر حكومي", True),
    (
        "وقال مسؤول عسكري رفيع: «انتهت المرحلة الأولى. المرحلة الثانية تبدأ الآن».",
        "انتهت المرحلة الأولى. المرحلة الثانية تبدأ الآن",
        "مسؤول عسكري رفيع",
        True,
    ),
    (
        "وقال المتحدث باسم الشرطة العميد فادي نصر في بيان: «اعتقلنا المشتبه به».",
        "اعتقلنا المشتبه به",
        "المتحدث باسم الشرطة العميد فادي نصر",
        True,
    ),
    ("وقال سفير فرنسا في القاهرة: «العلاقات ممتازة».", "العلاقات ممتازة", "سفير فرنسا في القاهرة", True),
    ("ونقلت صحيفة المساء عن وزير الري قوله: «المياه تكفي للصيف».", "المياه تكفي للصيف", "وزير الري", True),
    ("وقال رئيس البرلمان إن الجلسة ستعقد الأحد.", "الجلسة ستعقد الأحد", "رئيس البرلمان", False),
    ("وأكدت الشركة أن الإنتاج عاد إلى طبيعته.", "الإنتاج عاد إلى طبيعته", "الشركة", False),
    ("وأعلن الجيش أنه سيطر على التلة.", "سيطر على التلة", "الجيش", False),
    ("وقال محافظ المدينة أمس إن المدارس ستغلق.", "المدارس ستغلق", "محافظ المدينة", False),
    (
        "وقال قائد اللواء، العميد سمير داود، إن القوات تقدمت.",
        "القوات تقدمت",
        "قائد اللواء، العميد سمير داود",
        False,
    ),
    # VSO: the object (القرار) after the subject is not part of the speaker.
    ("وانتقدت المعارضة القرار ووصفته بأنه “خطوة متهورة”.", "خطوة متهورة", "المعارضة", True),
    ("ووصف وزير الإعلام الليبي القصف بأنه «جريمة حرب».", "جريمة حرب", "وزير الإعلام الليبي", True),
]


@pytest.mark.parametrize(("text", "quoted", "speaker", "direct"), CASES)
def test_quotes_examples(pipeline: Pipeline, text: str, quoted: str, speaker: str, direct: bool) -> None:
    quotes = _quotes(pipeline, text)
    assert [(q.text, q.speaker.text if q.speaker else None, q.direct) for q in quotes] == [
        (quoted, speaker, direct)
    ]
    assert quotes[0].cue


def test_quotes_cue_preposition_is_not_a_speaker(pipeline: Pipeline) -> None:
    # "وشدد على أن «...»" has no subject: على belongs to the verb, the speaker carries over.
    quotes = _quotes(pipeline, "وقال المتحدث إن المفاوضات متعثرة. وشدد على أن «الحل سياسي».")
    assert [(q.text, q.speaker.text if q.speaker else None) for q in quotes][-1] == ("الحل سياسي", "المتحدث")


@pytest.mark.parametrize(
    "text",
    [
        'ويشجع الاتفاق "سامي" على الاستمرار.',
        "وحضر ممثلون عن منظمة «أطباء بلا حدود» الاجتماع.",
        "وشاهد الجمهور فيلم “الطريق الطويل” أمس.",
        "وقال الوزير إن البلاد تواجه “أزمة” حقيقية اليوم.",
    ],
)
def test_quotes_skips_terms_and_names_in_quote_marks(pipeline: Pipeline, text: str) -> None:
    assert all(q.direct is False for q in _quotes(pipeline, text))


def test_quotes_carries_the_speaker_to_a_bare_cue(pipeline: Pipeline) -> None:
    text = "وقالت الوزيرة هالة صبري: «سنفتح المعبر». وأضافت: «المساعدات جاهزة»."
    quotes = _quotes(pipeline, text)
    assert [q.speaker.text for q in quotes if q.speaker] == ["الوزيرة هالة صبري"] * 2
    assert "carried from previous quote" in (quotes[1].reason or "")


def test_quotes_keeps_the_outer_quote_when_nested(pipeline: Pipeline) -> None:
    text = 'وقال النائب: «قال لي الوزير "لا تقلق" ثم غادر».'
    quotes = _quotes(pipeline, text)
    assert [q.text for q in quotes] == ['قال لي الوزير "لا تقلق" ثم غادر']


def test_quotes_relay_names_the_reporter_in_the_reason(pipeline: Pipeline) -> None:
    quotes = _quotes(pipeline, "ونقلت وكالة الأنباء عن مصدر أمني قوله: «الوضع هادئ الآن».")
    assert quotes[0].speaker is not None and quotes[0].speaker.text == "مصدر أمني"
    assert "وكالة الأنباء" in (quotes[0].reason or "")


def test_quotes_links_the_speaker_to_a_person_mention(pipeline: Pipeline) -> None:
    text = "وقال وزير الخارجية كريم فهمي: «نرفض التدخل»."
    article = Article(id="d", text=text, provenance=Provenance("t", "txt"))
    start = text.index("وزير")
    name = text.index("كريم")
    article.entities = [
        EntityMention(start, start + len("وزير الخارجية"), "وزير الخارجية", type="ORG", entity="E1"),
        EntityMention(name, name + len("كريم فهمي"), "كريم فهمي", type="PER", entity="E2"),
    ]
    quotes = pipeline(article).quotes
    assert quotes[0].speaker is not None and quotes[0].speaker.entity == "E2"


def test_quotes_component_contract() -> None:
    component = create("quotes")
    assert component.requires == ("norm", "sentences", "tokens")
    assert component.provides == ("quotes",)


def _seed_quotes(pipeline: Pipeline, seed_texts: dict[str, str], key: str) -> list[Quote]:
    return _quotes(pipeline, seed_texts[key])


def test_quotes_seed_000_intelligence_official(pipeline: Pipeline, seed_texts: dict[str, str]) -> None:
    quotes = _seed_quotes(pipeline, seed_texts, "000")
    assert any(q.direct and q.speaker and q.speaker.text == "أحد مسؤولي المخابرات الأمريكية" for q in quotes)


def test_quotes_seed_002_savett_and_carried_speaker(pipeline: Pipeline, seed_texts: dict[str, str]) -> None:
    quotes = _seed_quotes(pipeline, seed_texts, "002")
    assert any(q.direct and q.speaker and "سافيت" in q.speaker.text for q in quotes)
    carried = [q for q in quotes if q.direct and q.text.startswith("هذا النوع")]
    assert carried and carried[0].speaker is not None
    assert "الجنرال تشارلز فلين" in carried[0].speaker.text


def test_quotes_seed_004_sullivan(pipeline: Pipeline, seed_texts: dict[str, str]) -> None:
    quotes = _seed_quotes(pipeline, seed_texts, "004")
    assert any(q.direct and q.speaker and "جيك سوليفان" in q.speaker.text for q in quotes)


def test_quotes_gold_scores_do_not_regress() -> None:
    scores = score_quotes(GOLD)
    spans, speakers = scores.counts["overlap"]["QUOTE"], scores.counts["speaker"]["QUOTE"]
    assert spans.tp + spans.fn >= 30
    found = {"precision": spans.precision, "recall": spans.recall, "speaker_accuracy": speakers.recall}
    for name, floor in FLOORS.items():
        assert found[name] >= floor, (name, scores.format())


@pytest.mark.parametrize(
    ("predicted", "gold", "agree"),
    [
        ("الوزير", "الوزير", True),
        ("الوزير", None, False),
        (None, None, True),
        ("قائد القوات، الجنرال سامي", "سامي", False),
    ],
)
def test_evaluate_quotes_speakers_agree(predicted: str | None, gold: str | None, agree: bool) -> None:
    assert speakers_agree(predicted, gold) is agree


def _speakers(pipeline: Pipeline, text: str) -> list[str | None]:
    return [q.speaker.text if q.speaker else None for q in _quotes(pipeline, text)]


def test_quotes_bare_feminine_cue_skips_a_male_speaker(pipeline: Pipeline) -> None:
    # "وأضافت" continues the woman who spoke before the man, not the man.
    text = (
        "وقالت الوزيرة سارة الأحمد: «الخطة جاهزة». وقال المتحدث محمد العلي: «سنبدأ غدا». "
        "وأضافت أن التنفيذ يبدأ الشهر المقبل."
    )
    quotes = _quotes(pipeline, text)
    assert _speakers(pipeline, text) == ["الوزيرة سارة الأحمد", "المتحدث محمد العلي", "الوزيرة سارة الأحمد"]
    assert "gender does not agree" in (quotes[2].reason or "")


def test_quotes_bare_masculine_cue_does_not_take_a_woman(pipeline: Pipeline) -> None:
    text = "وقالت المتحدثة باسم الوزارة: «الموعد لم يتغير». وأضاف أن المدارس ستفتح غدا."
    quotes = _quotes(pipeline, text)
    assert quotes[1].speaker is None and "agrees in gender" in (quotes[1].reason or "")


def test_quotes_gender_is_not_read_from_masculine_titles(pipeline: Pipeline) -> None:
    # Women hold masculine titles in Arabic news: the carried speaker stays.
    text = "وقالت مديرة الحملة: «العدد اكتمل». وقال المدير العام للمنظمة مارجريت تشان: «النتائج جيدة». وأضافت أن اللقاح آمن."
    assert _speakers(pipeline, text)[-1] == "المدير العام للمنظمة مارجريت تشان"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # Another cue right after the verb is not its subject: the speaker carries over.
        ("وقال الخبير سامي ناصر: «الوضع صعب». وأضاف موضحا: «لابد من التدخل».", "الخبير سامي ناصر"),
        # A long chain of titles reaches its name before the complementiser.
        (
            "وأوضح المدير العام للهيئة العامة للسياحة والتراث الوطني بمنطقة عسير المهندس محمد العمرة أن الحفل جاهز.",
            "المدير العام للهيئة العامة للسياحة والتراث الوطني بمنطقة عسير المهندس محمد العمرة",
        ),
        # A demonstrative after the verb is its object ("أوضح ذلك").
        (
            "وأوضح ذلك المتحدث باسم الهلال الأحمر خالد العنزي أن الفرق باشرت الحادث.",
            "المتحدث باسم الهلال الأحمر خالد العنزي",
        ),
        # A short quoted name after the verb is its subject.
        ('وكشف "ويكيليكس" مطلع الشهر أن الوكالة تجسست على الوزراء.', "ويكيليكس"),
        # A weekday after a given name is a family name; after a title it is the day.
        ("أكد مدير الجمعية الأستاذ إبراهيم الخميس أن المشروع ناجح.", "مدير الجمعية الأستاذ إبراهيم الخميس"),
        ("وقال الوزير الخميس إن المشروع ناجح.", "الوزير"),
        # على opens the verb's complement, except after a supervising title.
        (
            "وشدد مدير إدارة المياه محمد العباد على سرعة الإصلاح، مؤكدا أن الخط سيعمل غدا.",
            "مدير إدارة المياه محمد العباد",
        ),
        (
            "وقال المشرف العام على المركز عبدالله الربيعة إن القافلة وصلت.",
            "المشرف العام على المركز عبدالله الربيعة",
        ),
        # A channel written with لل ends the speaker ("للإذاعة").
        (
            "وقالت رئيسة المشروع إيريني مانتوفيل للإذاعة العامة إن الفريق جمع القصص.",
            "رئيسة المشروع إيريني مانتوفيل",
        ),
    ],
)
def test_quotes_speaker_phrase_on_real_news_shapes(pipeline: Pipeline, text: str, speaker: str) -> None:
    assert _speakers(pipeline, text)[-1] == speaker
