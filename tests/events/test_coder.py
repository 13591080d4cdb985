"""Behaviour of the event coder on Arabic sentences written for these tests."""

from __future__ import annotations

import pytest

# (sentence, type, source code, target code) -- one line per case.
POSITIVES = [
    ("قصفت القوات الروسية مدينة خاركيف بالصواريخ ما أسفر عن مقتل خمسة مدنيين.", "ASSAULT", "RUS MIL", "UKR"),
    ("شنت إسرائيل غارات جوية على مواقع في جنوب لبنان.", "ASSAULT", "ISR", "LBN"),
    ("تظاهر آلاف المغاربة في الرباط تضامنا مع سكان غزة.", "PROTEST", "MAR OPP", None),
    ("خرج آلاف الكينيين إلى الشوارع احتجاجا على قانون الضرائب.", "PROTEST", "KEN OPP", None),
    (
        "أدان وزير الخارجية الأمريكي أنتوني بلينكن إرسال كوريا الشمالية جنودا إلى روسيا.",
        "ACCUSE",
        "USA GOV",
        "PRK",
    ),
    ("نفى الكرملين إرسال جنود كوريين شماليين إلى أوكرانيا.", "REJECT", "RUS GOV", None),
    ("فرضت الولايات المتحدة عقوبات على شركات صينية.", "SANCTION", "USA", None),
    ("اعتقلت الشرطة التركية عشرات المتظاهرين في إسطنبول.", "COERCE", "TUR COP", None),
    ("انسحبت القوات الإسرائيلية من مخيم جنين.", "RETREAT", "ISR MIL", None),
    ("التقى وزير الخارجية المصري نظيره الأمريكي في واشنطن.", "CONSULT", "EGY GOV", "USA GOV"),
]

# Sentences with trigger words that report no event of that type.
NEGATIVES = [
    ("الهجوم على الحريات الصحفية مستمر منذ سنوات.", "ASSAULT"),
    ("اشتعلت حرب الأسعار بين شركات الاتصالات.", "ASSAULT"),
    ("تعرض الوزير لقصف إعلامي عنيف بعد تصريحاته.", "ASSAULT"),
    ("الحروب تدمر الاقتصادات وتشرد الملايين.", "ASSAULT"),
    ("شن المنتخب المغربي هجوما قويا على مرمى الخصم.", "ASSAULT"),
    ("يحق للمواطنين التظاهر السلمي وفقا للدستور.", "PROTEST"),
    ("تناول الفيلم قصة احتجاجات الطلاب في الستينيات.", "PROTEST"),
    ("يعد الاحتجاج السلمي حقا مكفولا في القانون.", "PROTEST"),
    ("جاء ذلك بعد هجوم وقع قبل عامين على السفارة.", "ASSAULT"),
    ("نفت موسكو أن تكون أرسلت أسلحة إلى مالي.", "AID"),
    ("طالبت منظمات حقوقية بوقف القصف على المدنيين.", "ASSAULT"),
    ("هددت الحكومة بقصف مواقع المتمردين.", "ASSAULT"),
    ("لم تقصف الطائرات أي أهداف في سوريا الأسبوع الماضي.", "ASSAULT"),
]


@pytest.mark.parametrize(("text", "etype", "source", "target"), POSITIVES)
def test_coder_codes_event_and_actors(code, text, etype, source, target):
    art = code(text)
    events = [ev for ev in art.events if ev.type == etype]
    assert events, [ev.reason for ev in art.events]
    ev = events[0]
    assert ev.source is not None and ev.source.code == source, ev.reason
    if target is not None:
        assert ev.target is not None and ev.target.code == target, ev.reason
    assert ev.component == "events" and ev.reason and etype in ev.reason
    assert 0.0 < ev.confidence <= 1.0


@pytest.mark.parametrize(("text", "etype"), NEGATIVES)
def test_coder_rejects_trigger_word_without_event(code, text, etype):
    art = code(text)
    assert etype not in {ev.type for ev in art.events}, [ev.reason for ev in art.events]


def test_coder_denial_is_reject_not_transfer(code):
    art = code("نفت موسكو أن تكون أرسلت أسلحة إلى الجماعات المسلحة في مالي.")
    assert [ev.type for ev in art.events] == ["REJECT"]
    assert art.events[0].source.code == "RUS"


@pytest.mark.parametrize(
    ("text", "etype", "modality"),
    [
        ("من المقرر أن يلتقي الرئيس الصيني نظيره الأمريكي الأسبوع المقبل.", "CONSULT", "future"),
        ("سيزور وزير الخارجية السعودي دمشق الشهر المقبل.", "CONSULT", "future"),
        ("قد تفرض الولايات المتحدة عقوبات جديدة على إيران.", "SANCTION", "possible"),
        ("إذا هاجمت إسرائيل المنشآت النووية فإن إيران سترد.", "ASSAULT", "hypothetical"),
        ("وقعت مصر والسودان اتفاقية للتعاون في مجال الطاقة.", "AGREE", "asserted"),
        # قد + perfect is "has/indeed", with or without و/ف/ل: asserted, not possible.
        ("وقد فرضت الولايات المتحدة عقوبات جديدة على إيران.", "SANCTION", "asserted"),
        ("لقد وقعت مصر والسودان اتفاقية للتعاون في مجال الطاقة.", "AGREE", "asserted"),
    ],
)
def test_coder_modality(code, text, etype, modality):
    art = code(text)
    ev = next(ev for ev in art.events if ev.type == etype)
    assert ev.modality == modality, ev.reason


def test_coder_date_from_sentence_else_publication(code):
    art = code("وقعت روسيا وكوريا الشمالية معاهدة للدفاع المشترك في يونيو 2024.", published="2024-11-14")
    ev = next(ev for ev in art.events if ev.type == "AGREE")
    assert ev.date.value == "2024-06" and ev.date.source == "sentence"
    art = code("فرضت بريطانيا عقوبات على شركات روسية.", published="2024-11-14")
    assert art.events[0].date.value == "2024-11-14" and art.events[0].date.source == "publication"


def test_coder_magnitude_and_reporter(code):
    art = code("قصفت القوات الروسية مدينة خاركيف ما أسفر عن مقتل 12 شخصا، بحسب وكالة رويترز.")
    ev = next(ev for ev in art.events if ev.type == "ASSAULT")
    assert ev.magnitude.get("killed") == 12
    assert ev.reporter and "رويترز" in ev.reporter


def test_coder_offsets_point_into_text(code):
    art = code("أدانت قطر اقتحام المسجد. وقصفت إسرائيل مواقع في لبنان أمس.")
    assert art.events
    for ev in art.events:
        assert art.text[ev.start : ev.end] == ev.text
        for ref in (ev.source, ev.target, ev.location):
            if ref is not None and ref.start is not None:
                assert art.text[ref.start : ref.end] == ref.text


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        # The adjective after the object states the kind of aid, whatever the trigger row says.
        ("أرسلت ألمانيا كميات كبيرة من المساعدات العسكرية إلى أوكرانيا.", "military"),
        ("أرسلت الإمارات مساعدات إنسانية إلى السودان.", "humanitarian"),
        ("أرسلت قطر مساعدات مالية إلى لبنان.", "economic"),
        ("أرسلت تركيا مساعدات إلى سوريا بعد الزلزال.", "humanitarian"),  # the row's own mode
    ],
)
def test_coder_aid_mode_from_the_object_adjective(code, text, mode):
    art = code(text)
    ev = next(ev for ev in art.events if ev.type == "AID")
    assert ev.mode == mode, ev.reason


@pytest.mark.parametrize(
    ("text", "etype", "side", "expected"),
    [
        # Counted people no actor names, the object of a transitive act, are its target (civilians
        # of the place's country), not the place of the act.
        ("طعن رجل ستة مشاركين في مسيرة في القدس أمس.", "ASSAULT", "target", "PSE CVL"),
        ("واعتقلت قوات الأمن 16 آخرين في بنزرت.", "COERCE", "target", "TUN CVL"),
        # ... or after the act's target preposition; تمكن X من (managed to) supports the noun.
        ("تمكنت قوات الأمن من القبض على ثلاثة مطلوبين في جدة أمس.", "COERCE", "target", "SAU CVL"),
        ("قبضت الشرطة على ثلاثة مطلوبين في جدة.", "COERCE", "source", "SAU COP"),
        # A listed role noun in an inflected form (جنديا، accusative) keeps its role.
        (
            "وتأتي تصريحاته عقب مقتل 15 جنديا تركيا الجمعة في هجوم شنه متمردون.",
            "ASSAULT",
            "target",
            "TUR MIL",
        ),
        # The feminine of a listed attacker noun (انتحارية) is a role noun too.
        ("فجرت انتحارية نفسها وسط مأدبة افطار في بلدة بمحافظة ديالى.", "ASSAULT", "source", "IRQ REB"),
        # Counted members of an actor (أربعة من عناصر الشرطة) are that actor, past a partitive من.
        ("اعتقلت القوات الإسرائيلية عشرة من عناصر حماس في الخليل.", "COERCE", "target", "PSE REB"),
        ("أكد مصدر مقتل اربعة من عناصر الشرطة في هجوم انتحاري بسيارة مفخخة.", "ASSAULT", "target", "COP"),
        # Counted protesters are opposition, whatever the count's own words (أكثر من).
        ("اعتقلت الشرطة أكثر من ثلاثين متظاهرا في القاهرة.", "COERCE", "target", "EGY OPP"),
        # The people a casualty word counts are the attack's target when no other is named.
        (
            "انفجرت سيارة مفخخة صباح أمس في بغداد وأسفرت عن إصابة 17 شخصا بجروح.",
            "ASSAULT",
            "target",
            "IRQ CVL",
        ),
        ("تعرض الإقليم لقصف صاروخي أسفر عن سقوط خمسة قتلى على الأقل.", "ASSAULT", "target", "CVL"),
        # The subject of a verb of undergoing may stand before it, or be counted people after it.
        (
            "وافاد بيان بأن القوات الاميركية تعرضت لهجوم في الرمادي مساء الخميس.",
            "ASSAULT",
            "target",
            "USA MIL",
        ),
        ("قال مصدر إن خمسة أشخاص أصيبوا في هجوم انتحاري في الموصل أمس.", "ASSAULT", "target", "IRQ CVL"),
        # The counted noun after an intransitive protest verb is its subject, read past the count's
        # own preposition (نحو); people of no stated role who protest are opposition.
        ("تظاهر نحو مائتي شخص أمام مقر النقابة في القاهرة أمس.", "PROTEST", "source", "EGY OPP"),
        ("تظاهر مئات الأشخاص في أثينا أمس.", "PROTEST", "source", "GRC OPP"),
    ],
)
def test_coder_counted_people_as_actors(code, text, etype, side, expected):
    ev = next(ev for ev in code(text).events if ev.type == etype)
    ref = getattr(ev, side)
    assert ref is not None and ref.code == expected, ev.reason


def test_coder_count_ends_a_role_phrase(code):
    # مسلحون ستة عراقيين: the count starts the object; the nationality after it is not the gunmen's.
    ev = next(ev for ev in code("اختطف مسلحون ستة عراقيين في بغداد.").events if ev.type == "ASSAULT")
    assert ev.source is not None and ev.source.text == "مسلحون", ev.reason
    # Counted people of a nationality are its civilians, not its state.
    assert ev.target is not None and ev.target.code == "IRQ CVL", ev.reason


def test_coder_bare_role_takes_the_story_place_when_its_sentence_names_none(code):
    # Unnamed actors are local: with no place in their sentence, the last place named before it.
    art = code("وصل الوفد إلى بغداد أمس. وقال مسؤولون إن مسلحين هاجموا دورية للشرطة.")
    ev = next(ev for ev in art.events if ev.type == "ASSAULT")
    assert ev.source is not None and ev.source.code == "IRQ REB", ev.reason
    assert "country of the place 'بغداد'" in ev.reason


def test_coder_abbreviated_title_neither_ends_the_clause_nor_the_actor(code):
    # د. before a name is part of the actor's title; its dot is no clause end, so the object after
    # the name is still found.
    art = code("التقى وزير الخارجية المصري د. أحمد علي أمس السفير الأمريكي في القاهرة.")
    ev = next(ev for ev in art.events if ev.type == "CONSULT")
    assert ev.source is not None and ev.source.code == "EGY GOV" and "أحمد علي" in ev.source.text, ev.reason
    assert ev.target is not None and ev.target.code == "USA GOV", ev.reason


def test_coder_arrest_place_is_not_its_target(code):
    # Who is arrested is people: the place of an arrest is where it happened, not its target.
    ev = next(ev for ev in code("اعتقلت الشرطة المصرية المتهم في القاهرة أمس.").events if ev.type == "COERCE")
    assert ev.target is None or ev.target.code != "EGY", ev.reason
    assert ev.location is not None and ev.location.text == "القاهرة"


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # Aid sent or arriving: the place after the row's preposition stands for the recipient (coded
        # as its country); the giver does not take the recipient's country.
        ("أرسلت الإمارات مساعدات إلى مدينة عدن أمس.", "ARE", "YEM"),
        ("سيرت الإمارات قافلة مساعدات إلى غزة أمس.", "ARE", "PSE"),
        ("وصلت الطائرة الإغاثية إلى مطار عدن الدولي أمس.", "MIL", "YEM"),
        # الشعب names the people (CVL), with its nationality.
        ("قدمت قطر مساعدات للشعب اليمني.", "QAT", "YEM CVL"),
    ],
)
def test_coder_aid_recipient(code, text, source, target):
    ev = next(ev for ev in code(text).events if ev.type == "AID")
    assert ev.source is not None and ev.source.code == source, ev.reason
    assert ev.target is not None and ev.target.code == target, ev.reason


def test_coder_meeting_party_after_a_long_titled_subject(code):
    # ولي ولي العهد opens with و but is a title of the subject, not a second party; the party after
    # مع follows a subject of many titles, a place and a time.
    art = code(
        "اجتمع الأمير محمد بن سلمان ولي ولي العهد النائب الثاني لرئيس مجلس الوزراء وزير الدفاع "
        "في جدة مساء اليوم مع رئيس حزب القوات اللبنانية سمير جعجع."
    )
    ev = next(ev for ev in art.events if ev.type == "CONSULT")
    assert ev.target is not None and ev.target.code.startswith("LBN"), ev.reason


@pytest.mark.parametrize(
    ("text", "etype", "source", "target"),
    [
        # A collective force noun takes the role of the role noun in its genitive (police: COP).
        ("اعتقلت قوات الشرطة العراقية عشرة مسلحين في بغداد.", "COERCE", "IRQ COP", "IRQ REB"),
        ("اعتقل رجال الأمن ثلاثة مطلوبين في الرياض.", "COERCE", "SAU COP", "SAU CVL"),
        # A second definite role noun after a title starts the next actor (the object).
        ("استقبل وزير الخارجية السفير الأمريكي في الرياض.", "CONSULT", "SAU GOV", "USA GOV"),
    ],
)
def test_coder_role_phrase_bounds(code, text, etype, source, target):
    ev = next(ev for ev in code(text).events if ev.type == etype)
    assert ev.source is not None and ev.source.code == source, ev.reason
    assert ev.target is not None and ev.target.code == target, ev.reason
