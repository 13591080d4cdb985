"""Cross-document entity linking: variants merge into one entity, different people stay apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from _corpus_c_helpers import article

from marsad.corpus.linking import link_entities
from marsad.extract.translit import entity_key


def _person(text: str, name: str, country: str | None = None, key: str | None = None) -> tuple:
    return (name, "PER", key or entity_key(name), country)


def _linked(*docs: tuple[str, list[tuple]]) -> tuple[list, dict]:
    return link_entities([article(text, entities=ents) for text, ents in docs])


def _entity_of(entities: list, alias: str) -> str:
    return next(e.id for e in entities if alias in e.aliases)


# (text a, name in a, text b, name in b): spellings of one name across outlets.
SAME = [
    (
        "وصل عاموس هوكشتاين إلى بيروت صباحا.",
        "عاموس هوكشتاين",
        "التقى عاموس هوكستاين مسؤولين لبنانيين.",
        "عاموس هوكستاين",
    ),
    ("قال سيرغي لافروف إن الحوار ممكن.", "سيرغي لافروف", "أكد سيرجي لافروف موقف بلاده.", "سيرجي لافروف"),
    (
        "أعلنت كارين جان بيير موعد الزيارة.",
        "كارين جان بيير",
        "قالت كارين جان بيار إن الموعد ثابت.",
        "كارين جان بيار",
    ),
]


@pytest.mark.parametrize(("text_a", "name_a", "text_b", "name_b"), SAME)
def test_linking_merges_spelling_variants(text_a: str, name_a: str, text_b: str, name_b: str) -> None:
    entities, links = _linked((text_a, [_person(text_a, name_a)]), (text_b, [_person(text_b, name_b)]))
    assert len(entities) == 1
    assert set(entities[0].aliases) == {name_a, name_b}
    assert len(set(links.values())) == 1


# Different people who share a family name, or a given name, must not merge.
DIFFERENT = [
    ("قال أحمد الشرع إن الحكومة جديدة.", "أحمد الشرع", "كتب فاروق الشرع مذكراته.", "فاروق الشرع"),
    ("وصل نبيه بري إلى القصر.", "نبيه بري", "غادر نبيه بركات القصر.", "نبيه بركات"),
    ("تحدث خالد يوسف للصحفيين.", "خالد يوسف", "تحدث خالد يونس للصحفيين.", "خالد يونس"),
]


@pytest.mark.parametrize(("text_a", "name_a", "text_b", "name_b"), DIFFERENT)
def test_linking_keeps_different_people_apart(text_a: str, name_a: str, text_b: str, name_b: str) -> None:
    entities, _ = _linked((text_a, [_person(text_a, name_a)]), (text_b, [_person(text_b, name_b)]))
    assert len(entities) == 2


def test_linking_family_name_joins_the_only_full_name() -> None:
    a = "وصل جوزيب بوريل إلى عمان في زيارة قصيرة."
    b = "وقال بوريل إن الاتحاد يدعم الحل السياسي."
    entities, _ = _linked((a, [_person(a, "جوزيب بوريل")]), (b, [_person(b, "بوريل")]))
    assert len(entities) == 1
    assert entities[0].name == "جوزيب بوريل"  # canonical: the full form
    assert entities[0].reason and "family name" in entities[0].reason


def test_linking_ambiguous_family_name_stays_alone() -> None:
    a = "قال أحمد الشرع إن الحكومة جديدة."
    b = "كتب فاروق الشرع مذكراته."
    c = "وأضاف الشرع أن الطريق طويل."
    entities, _ = _linked(
        (a, [_person(a, "أحمد الشرع")]), (b, [_person(b, "فاروق الشرع")]), (c, [_person(c, "الشرع")])
    )
    assert len(entities) == 3


def test_linking_gazetteer_keys_are_authoritative() -> None:
    a = "زار الوفد بيونغ يانغ ثم سيول، وقالت كوريا الشمالية إن المحادثات مثمرة."
    b = "وصل الوفد إلى بيونج يانج، وقالت كوريا الجنوبية إنها تتابع."
    entities, _ = _linked(
        (a, [("بيونغ يانغ", "GPE", "gaz:places:بيونغ يانغ", "PRK"),
             ("كوريا الشمالية", "GPE", "gaz:countries:PRK", "PRK")]),
        (b, [("بيونج يانج", "GPE", "gaz:places:بيونغ يانغ", "PRK"),
             ("كوريا الجنوبية", "GPE", "gaz:countries:KOR", "KOR")]),
    )  # fmt: skip
    assert _entity_of(entities, "بيونغ يانغ") == _entity_of(entities, "بيونج يانج")
    assert _entity_of(entities, "كوريا الشمالية") != _entity_of(entities, "كوريا الجنوبية")


def test_linking_incompatible_countries_stay_apart() -> None:
    a = "قال مايكل براون إن القرار نهائي."
    b = "قال مايكل براون إن القرار مؤجل."
    entities, _ = _linked(
        (a, [("مايكل براون", "PER", entity_key("مايكل براون") + "x", "USA")]),
        (b, [("مايكل براون", "PER", entity_key("مايكل براون") + "y", "GBR")]),
    )
    assert len(entities) == 2


def test_linking_ids_are_stable_across_input_order() -> None:
    a = "وصل عاموس هوكشتاين إلى بيروت صباحا."
    b = "التقى عاموس هوكستاين مسؤولين لبنانيين."
    one, _ = _linked((a, [_person(a, "عاموس هوكشتاين")]), (b, [_person(b, "عاموس هوكستاين")]))
    two, _ = _linked((b, [_person(b, "عاموس هوكستاين")]), (a, [_person(a, "عاموس هوكشتاين")]))
    assert one[0].id == two[0].id


@pytest.fixture(scope="module")
def seed_entities(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list:
    from marsad.api import analyze
    from marsad.store import open_store

    out = tmp_path_factory.mktemp("seeds")
    analyze(seeds_dir, out=out)
    store = open_store(out / "marsad.db", {})
    try:
        articles = list(store.iter_articles())
    finally:
        store.close()
    return link_entities(articles)[0]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("بيونغ يانغ", "بيونج يانج", True), ("فلاديمير بوتين", "فلاديمير بوتن", True), ("بوتين", "فلاديمير بوتين", True),
     ("كوريا الشمالية", "كوريا الجنوبية", False)],
)  # fmt: skip
def test_linking_seed_variants(seed_entities: list, a: str, b: str, same: bool) -> None:
    assert (_entity_of(seed_entities, a) == _entity_of(seed_entities, b)) is same


def test_linking_nationality_adjective_keeps_its_own_country() -> None:
    # The skeletons of السويسري and السوري are close; the country keeps them apart.
    a = "قال مصدر السويسري إن البنك جمد الحسابات."
    b = "قال المرصد السوري إن القصف استمر."
    entities, _ = _linked(
        (a, [("السويسري", "NORP", entity_key("السويسري"), "CHE")]),
        (b, [("السوري", "NORP", entity_key("السويسري"), "SYR")]),
    )
    assert sorted(e.country for e in entities) == ["CHE", "SYR"]


def test_linking_different_ministries_stay_apart() -> None:
    a = "أعلنت وزارة الدفاع العراقية مقتل عشرة مسلحين."
    b = "أعلنت وزارة النفط العراقية زيادة الصادرات."
    c = "قالت وزارة الدفاع العراقية إن العملية مستمرة."
    entities, _ = _linked(
        (a, [("وزارة الدفاع العراقية", "ORG", entity_key("وزارة الدفاع العراقية"), "IRQ")]),
        (b, [("وزارة النفط العراقية", "ORG", entity_key("وزارة الدفاع العراقية")[:-1] + "x", "IRQ")]),
        (c, [("وزارة الدفاع العراقية", "ORG", entity_key("وزارة الدفاع العراقية"), "IRQ")]),
    )
    assert len(entities) == 2
    assert _entity_of(entities, "وزارة النفط العراقية") != _entity_of(entities, "وزارة الدفاع العراقية")


def test_linking_office_takes_its_country_from_the_document_or_the_outlet() -> None:
    from marsad.corpus.linking import link_entities

    key = entity_key("مجلس الوزراء")
    saudi = article("وافق مجلس الوزراء على النظام الجديد.", outlet="okaz",
                    entities=[("مجلس الوزراء", "ORG", key, None)])  # fmt: skip
    kuwaiti_text = "اجتمع مجلس الوزراء الكويتي أمس. وقرر مجلس الوزراء تمديد العطلة."
    kuwaiti = article(kuwaiti_text, outlet="okaz",
                      entities=[("مجلس الوزراء الكويتي", "ORG", entity_key("مجلس الوزراء الكويتي"), "KWT"),
                                ("مجلس الوزراء", "ORG", key, None, None, 1)])  # fmt: skip
    entities, links = link_entities([saudi, kuwaiti])
    country = {e.id: e.country for e in entities}
    bare_saudi = saudi.entities[0]
    bare_kuwaiti = kuwaiti.entities[1]
    # The bare "مجلس الوزراء" of the Kuwaiti article is the Kuwaiti cabinet, the Saudi paper's own
    # bare one is the Saudi cabinet: never one entity.
    assert country[links[(saudi.id, bare_saudi.start, bare_saudi.end)]] == "SAU"
    assert country[links[(kuwaiti.id, bare_kuwaiti.start, bare_kuwaiti.end)]] == "KWT"


def test_linking_document_grouping_does_not_cross_countries() -> None:
    # One document names both; the extractor's document-level ids (from skeleton keys) put
    # them together, linking keeps them apart.
    text = "قال البنك السويسري إن الحساب يعود لرجل أعمال سوري، وإن السوري غادر."
    a = article(text, entities=[("السويسري", "NORP", "سر", "CHE"), ("السوري", "NORP", "سر", "SYR")])
    for m in a.entities:
        m.entity = f"{a.id}:e1"
    entities, _ = link_entities([a])
    assert sorted(e.country for e in entities) == ["CHE", "SYR"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("مركز الأرض", "مركز الرياض", False), ("فيصل السبيعي", "فيصل السبيعى", True)],
)
def test_linking_one_skeleton_two_words_stay_apart(a: str, b: str, same: bool) -> None:
    # The skeleton folds vowels and hamza: الأرض and الرياض share it, a spelling variant does too.
    ta, tb = f"قال {a} إن العمل مستمر.", f"وأعلن {b} النتائج."
    type_ = "ORG" if a.startswith("مركز") else "PER"
    entities, _ = _linked((ta, [(a, type_, entity_key(a), None)]), (tb, [(b, type_, entity_key(a), None)]))
    assert (len(entities) == 1) is same
    assert len({e.id for e in entities}) == len(entities)
