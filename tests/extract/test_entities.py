import itertools
from pathlib import Path

import pytest
from tests.extract.conftest import make_article

from marsad.evaluation.extraction import score_entities

GOLD = Path(__file__).resolve().parent / "data" / "entities_gold.jsonl"
# Held-out style check: 2000s Levant/Gulf/Maghreb news (sport, economy, culture), annotated before
# the recogniser was tuned and never tuned on; it estimates generalisation, the gold file does not.
REGRESSION = Path(__file__).resolve().parent / "data" / "entities_regression.jsonl"
# Ratchets: measured exact-match F1 minus a small margin (gold, 97 sentences after the name-boundary,
# club and org-head additions: ALL .918 PER .915 LOC .942 ORG .894; held-out: ALL .948 PER .966
# LOC .905 ORG .974). Raise them when the recogniser improves; never lower them without saying why.
F1_FLOOR = 0.90
F1_FLOORS = {
    GOLD: {"ALL": 0.90, "PER": 0.91, "LOC": 0.93, "ORG": 0.88},
    REGRESSION: {"ALL": 0.93, "PER": 0.95, "LOC": 0.89, "ORG": 0.95},
}


def _ents(pipe, text):
    return pipe(make_article(text)).entities


@pytest.mark.parametrize(
    ("text", "span", "etype"),
    [
        ("وصلت الرسالة لموسكو أمس.", "موسكو", "GPE"),
        ("اتفقت روسيا وبيونغ يانغ على التعاون.", "بيونغ يانغ", None),
        ("حذر مسؤولون بالولايات المتحدة من التصعيد.", "الولايات المتحدة", "GPE"),
        ("قالت الحكومة إن وكوريا الشمالية أطلقت صاروخا.", "كوريا الشمالية", "GPE"),
    ],
)
def test_entities_clitic_excluded_from_span(entity_pipeline, text, span, etype):
    ents = _ents(entity_pipeline, text)
    hit = [e for e in ents if e.text == span]
    assert hit, [e.text for e in ents]
    assert text[hit[0].start : hit[0].end] == span
    if etype:
        assert hit[0].type == etype


def test_entities_nationality_is_norp(entity_pipeline):
    ents = _ents(entity_pipeline, "التقى الزعيم الكوري الشمالي بوفد صيني.")
    norp = [e for e in ents if e.type == "NORP" and e.text == "الكوري الشمالي"]
    assert norp and norp[0].country == "PRK"


def test_entities_short_form_joins_full_name(entity_pipeline):
    ents = _ents(
        entity_pipeline, "قال الرئيس الروسي فلاديمير بوتين إن بلاده مستعدة. وأضاف بوتين أن الحوار ممكن."
    )
    full = next(e for e in ents if e.text == "فلاديمير بوتين")
    short = next(e for e in ents if e.text == "بوتين")
    assert short.entity == full.entity and short.name == full.name
    assert full.code == "RUS GOV"


@pytest.mark.parametrize(
    ("text", "span", "etype"),
    [
        ("وقال سمير الخطيب إن الاجتماع انتهى.", "سمير الخطيب", "PER"),
        ("أصدرت وزارة الزراعة المصرية قرارا جديدا.", "وزارة الزراعة المصرية", "ORG"),
        ("سقطت قذيفة على قرية كفر نبل ليلا.", "كفر نبل", "LOC"),
        ("قال وزير الخارجية الأمريكي أنتوني بلينكين إن الوضع خطير.", "أنتوني بلينكين", "PER"),
    ],
)
def test_entities_rules_find_unlisted_names(entity_pipeline, text, span, etype):
    ents = _ents(entity_pipeline, text)
    assert any(e.text == span and e.type == etype for e in ents), [(e.text, e.type) for e in ents]


@pytest.mark.parametrize("text", ["قال مسؤول أمريكي إن المحادثات ستستمر.", "أكدت المصادر أن الاجتماع انتهى."])
def test_entities_no_person_in_plain_prose(entity_pipeline, text):
    assert not [e for e in _ents(entity_pipeline, text) if e.type == "PER"]


def test_entities_offsets_and_no_overlaps(entity_pipeline, seeds):
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        ents = entity_pipeline(make_article(text, path.stem)).entities
        for e in ents:
            assert text[e.start : e.end] == e.text and e.component == "entities" and e.reason
        spans = sorted((e.start, e.end) for e in ents)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


SEED_EXPECTED = [
    "فلاديمير بوتين",
    "كيم جونج أون",
    "راشيل مينيوج لي",
    "كوريا الشمالية",
    "روسيا",
    "موسكو",
    "الكرملين",
    "الصين",
    "مركز الدراسات الاستراتيجية والدولية",
    "مركز ستيمسون",
    "إن بي سي نيوز",
]


@pytest.mark.parametrize("span", SEED_EXPECTED)
def test_entities_seed_mentions_found(entity_pipeline, seeds, span):
    found = set()
    for path in seeds:
        found |= {e.text for e in entity_pipeline(make_article(path.read_text(encoding="utf-8"))).entities}
    assert span in found


def test_entities_gold_f1_ratchet(entity_pipeline):
    scores = score_entities(GOLD, entity_pipeline)
    assert scores.counts["exact"]["ALL"].f1 >= F1_FLOOR, scores.format()


@pytest.mark.parametrize("gold", [GOLD, REGRESSION], ids=["gold", "regression"])
@pytest.mark.parametrize("etype", ["ALL", "PER", "LOC", "ORG"])
def test_entities_f1_per_type_ratchet(entity_pipeline, gold, etype):
    scores = score_entities(gold, entity_pipeline)
    assert scores.counts["exact"][etype].f1 >= F1_FLOORS[gold][etype], scores.format()


@pytest.mark.parametrize(
    ("text", "span", "etype"),
    [
        # A title whose kind is role_head takes its complement before the name.
        ("وقال رئيس بلدية صيدا مروان الحلبي إن الطريق ستفتح.", "مروان الحلبي", "PER"),
        # Multi-word nationality adjectives take the article on every word.
        ("وصل الوفد الكوري الجنوبي إلى عمان.", "الكوري الجنوبي", "NORP"),
        # A team noun before a city makes a club.
        ("خسر فريق مانشستر أمام ضيفه.", "مانشستر", "ORG"),
        # A reporting verb + given name + family name, no title.
        ("وقال زياد العمري إن المحصول تضاعف هذا العام.", "زياد العمري", "PER"),
        # An ambiguous given name after a cue is a person.
        ("وقالت أمل الزين إن المعرض يفتح غدا.", "أمل الزين", "PER"),
        # A generic head before a listed place is left out of the span.
        ("وقعت اشتباكات في محافظة الأنبار أمس.", "الأنبار", "LOC"),
    ],
)
def test_entities_rules_cover_newswire_patterns(entity_pipeline, text, span, etype):
    ents = _ents(entity_pipeline, text)
    assert any(e.text == span and e.type == etype for e in ents), [(e.text, e.type) for e in ents]


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        # Article-bearing adjectives are not the bare country/name (المالي is not Mali).
        ("ارتفع العجز المالي في الموازنة.", "المالي"),
        ("كان الطريق الوحيد مغلقا.", "الوحيد"),
        # Common words that are also given names, with no person evidence.
        ("ساد الأمل بين السكان بعد إعلان السلام في المنطقة.", "السلام"),
        ("يتمتع أمل كبير بالنجاح لدى الجميع.", "أمل كبير"),
        # Alef folding must not turn a verb or particle into a name (ترأس / تراس, أمام / إمام).
        ("ترأس الوزير اجتماعا أمام الصحفيين.", "ترأس"),
        ("وقف المتظاهرون أمام مبنى البلدية.", "مبنى البلدية"),
        # A name stops before a function word written like a name (على / علي).
        ("حصل الكاتب سامر حداد على جائزة.", "سامر حداد على"),
    ],
)
def test_entities_no_false_entity(entity_pipeline, text, wrong):
    ents = _ents(entity_pipeline, text)
    assert not [e for e in ents if e.text == wrong and e.type in {"PER", "ORG", "LOC", "GPE"}], [
        (e.text, e.type) for e in ents
    ]
