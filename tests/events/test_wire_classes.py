"""One unit test per class of error found on real wire copy (see benchmarks/eval_events.py).

The sentences are written for these tests: each checks that a rule does what it says, not how well
the coder reads real text (that figure comes from the GSR files).
"""

from __future__ import annotations

import pytest


def _events(code, text, etype, published="2008-05-20"):
    return [ev for ev in code(text, published=published).events if ev.type == etype]


# Reported as having happened, in the shapes wire copy uses (noun first, killing verbs, gatherings).
REPORTED = [
    ("قال مصدر أمني إن سيارة مفخخة انفجرت قرب مركز للشرطة في الموصل مما أدى إلى مقتل عشرة أشخاص.", "ASSAULT"),
    ("قتل ثمانية أشخاص وأصيب عشرة آخرون بانفجار سيارتين مفخختين في بغداد أمس.", "ASSAULT"),
    ("أعلنت الشرطة مقتل سبعة أشخاص في هجوم انتحاري استهدف سوقا في كركوك.", "ASSAULT"),
    ("احتشد آلاف المتظاهرين أمام البرلمان في مدريد للمطالبة باستقالة الحكومة.", "PROTEST"),
    ("تجمع متظاهرون أمام السفارة الأمريكية في القاهرة.", "PROTEST"),
]

# Trigger words that report no event of that type: each line is one class.
NOT_REPORTED = [
    # chanting is evidence of a protest, never a protest of its own
    ("وهتف المتظاهرون بشعارات ضد الحكومة.", "PROTEST"),
    # a gathering without a crowd or protesters is a meeting
    ("تجمع الوزراء في القاعة الكبرى لمناقشة الميزانية.", "PROTEST"),
    # a relative clause on a participant is background about that participant
    ("أفرج أمس عن الدبلوماسي الإيراني الذي خطف قبل شهرين في بغداد.", "ASSAULT"),
    # history told as background: dated years before publication
    ("قال المحلل إن اغتيال الرئيس السادات عام 1981 لم يوقف عملية السلام.", "ASSAULT"),
    # a death toll without an attacker or a weapon (a road accident)
    ("قتل خمسة أشخاص في حادث سير على الطريق السريع أمس.", "ASSAULT"),
    # a definite attack noun without an agent refers back or is generic
    ("وأشار المصدر إلى أن حوادث القتل والخطف تطال جنسيات كثيرة في العراق.", "ASSAULT"),
    # an attack in the present tense without a date of its own is habitual talk
    ("قال المعارض إن الشرطة تطلق الرصاص على المدنيين.", "ASSAULT"),
    # فجر قضية: set off an issue, not a bomb
    ("فجر رئيس الاتحاد قضية كبرى بإعلانه عن تغيير موعد البطولة.", "ASSAULT"),
]


@pytest.mark.parametrize(("text", "etype"), REPORTED)
def test_wire_class_reported_event_is_coded(code, text, etype):
    assert _events(code, text, etype), [ev.reason for ev in code(text).events]


@pytest.mark.parametrize(("text", "etype"), NOT_REPORTED)
def test_wire_class_trigger_without_report_is_not_coded(code, text, etype):
    events = _events(code, text, etype)
    assert not [ev for ev in events if ev.modality == "asserted"], [ev.reason for ev in events]


def test_wire_genitive_of_assassination_is_the_victim_not_the_agent(code):
    ev = _events(code, "نفذ مسلحون مجهولون عملية اغتيال رئيس البلدية في الموصل أمس.", "ASSAULT")
    assert ev
    assert ev[0].source is None or "GOV" not in (ev[0].source.code or ""), ev[0].reason


def test_wire_passive_agent_is_the_source_and_the_subject_the_target(code):
    text = "وقال الضابط إن ضابط شرطة اختطف من منزله على يد مسلحين في البصرة أمس."
    ev = _events(code, text, "ASSAULT")
    assert ev and ev[0].source is not None, [e.reason for e in code(text).events]
    assert ev[0].source.code.endswith("REB"), ev[0].reason


def test_wire_plural_verb_takes_the_subject_before_it(code):
    ev = _events(code, "وأوضحت المصادر أن مسلحين مجهولين اغتالوا ضابطا في الشرطة العراقية.", "ASSAULT")
    assert ev and ev[0].source is not None and ev[0].source.code.endswith("REB"), ev and ev[0].reason


def test_wire_bare_role_takes_the_country_of_the_place(code):
    ev = _events(code, "اغتال مسلحون ضابطا في مدينة البصرة العراقية أمس.", "ASSAULT")
    assert ev and ev[0].source is not None and ev[0].source.code == "IRQ REB", ev and ev[0].reason


def test_wire_killing_merged_into_the_attack_gives_it_the_victims(code):
    evs = _events(code, "قتل أربعة أشخاص بهجوم انتحاري في بغداد أمس.", "ASSAULT")
    assert len(evs) == 1, [e.reason for e in evs]
    assert evs[0].target is not None and evs[0].target.code.endswith("CVL"), evs[0].reason


def test_wire_event_date_is_never_a_birth_year(code):
    ev = _events(
        code, "اغتال مسلحون أمس الصحافي المولود عام 1970 في بغداد.", "ASSAULT", published="2008-05-20"
    )
    assert ev and ev[0].date is not None and not (ev[0].date.value or "").startswith("1970"), (
        ev and ev[0].date
    )


def test_wire_attack_on_a_civilian_site_targets_the_civilians_there(code):
    ev = _events(code, "فجر انتحاري نفسه داخل مسجد في مدينة كركوك العراقية أمس.", "ASSAULT")
    assert ev and ev[0].target is not None and ev[0].target.code == "IRQ CVL", ev and ev[0].reason


def test_wire_protesters_of_a_nationality_are_that_countrys_opposition(code):
    ev = _events(code, "تظاهر آلاف المغاربة في الرباط أمس.", "PROTEST")
    assert ev and ev[0].source is not None and ev[0].source.code == "MAR OPP", ev and ev[0].reason


def test_wire_title_before_an_organisation_makes_it_the_source(code):
    text = "استنكر الأمين العام لمجلس التعاون لدول الخليج العربية الهجوم على السفارة."
    ev = _events(code, text, "ACCUSE")
    assert ev and ev[0].source is not None and "مجلس" in ev[0].source.text, ev and ev[0].reason
