"""Stories: incremental clustering across batches, stable ids, titles, summaries, seeds.

The articles below were written for these tests (three stories: floods in Nabeul, an
Algerian-Italian gas agreement, a forest fire in Akkar); none is taken from the seeds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from marsad.corpus.similarity import signature
from marsad.corpus.stories import assign_stories, config_section, day_number, story_id
from marsad.errors import ConfigError, StoreError
from marsad.model import Article, Provenance, Relation, document_id
from marsad.pipeline import Pipeline, available
from marsad.store import Outcome, SQLiteStore

STAGES = ["normalize", "segment", "tokenize", "entities", "times", "quantities", "quotes"]

# (key, published, story, title, text)
ARTICLES = [
    (
        "flood1",
        "2025-03-01",
        "flood",
        "فيضانات عنيفة تضرب نابل",
        "ضربت فيضانات عنيفة مدينة نابل التونسية ليلة الجمعة بعد أمطار غزيرة استمرت عشر ساعات. "
        "وقالت وزارة الداخلية التونسية إن السيول جرفت عشرات السيارات وأغرقت أحياء كاملة في المدينة. "
        "وأعلن الدفاع المدني إجلاء 340 عائلة من المناطق المنخفضة إلى مدارس حكومية في نابل. "
        "وأكد والي نابل أن فرق الإنقاذ ما زالت تبحث عن مفقودين اثنين جرفتهما السيول. "
        "وعلقت السلطات الدراسة في كامل الولاية حتى إشعار آخر بسبب الفيضانات.",
    ),
    (
        "gas1",
        "2025-03-01",
        "gas",
        "اتفاقية جزائرية إيطالية لزيادة صادرات الغاز",
        "وقعت الجزائر وإيطاليا في روما اتفاقية جديدة لزيادة صادرات الغاز الطبيعي عبر خط الأنابيب "
        "العابر للبحر المتوسط. وقال وزير الطاقة الجزائري إن الاتفاقية ترفع كميات الغاز المصدرة بنسبة "
        "15 في المئة اعتبارا من العام المقبل. وأضافت رئيسة الوزراء الإيطالية أن الشراكة مع الجزائر "
        "تضمن أمن الطاقة لبلادها في السنوات المقبلة. وتعد الجزائر أكبر مورد للغاز الطبيعي إلى إيطاليا "
        "عبر خط الأنابيب منذ سنوات.",
    ),
    (
        "flood2",
        "2025-03-02",
        "flood",
        None,
        "ارتفعت حصيلة ضحايا فيضانات نابل في تونس إلى ثلاثة قتلى بعد العثور على جثة مفقود جرفته السيول. "
        "وقال الدفاع المدني التونسي إن عدد العائلات التي تم إجلاؤها من الأحياء المنخفضة في نابل بلغ 410 "
        "عائلات. وأضاف أن الأمطار الغزيرة أغرقت الطرق الرئيسية بين نابل والحمامات وجرفت السيارات. "
        "وأعلنت وزارة الداخلية التونسية تعليق الدراسة في مدارس الولاية يومين إضافيين.",
    ),
    (
        "gas2",
        "2025-03-02",
        "gas",
        "سوناطراك ترحب باتفاقية الغاز مع إيطاليا",
        "رحبت شركة سوناطراك الجزائرية بالاتفاقية الموقعة مع إيطاليا لزيادة صادرات الغاز الطبيعي. "
        "وأوضح الرئيس التنفيذي للشركة أن خط الأنابيب العابر للبحر المتوسط سينقل كميات إضافية من الغاز "
        "اعتبارا من يناير المقبل. وأكد وزير الطاقة الجزائري أن صادرات الغاز إلى إيطاليا سترتفع بنسبة "
        "15 في المئة بموجب الاتفاقية الجديدة.",
    ),
]

BATCH2 = [
    (
        "gas3",
        "2025-03-04",
        "gas",
        None,
        "قال مسؤولون إيطاليون إن الغاز الجزائري الإضافي المنصوص عليه في اتفاقية روما سيغطي جزءا كبيرا "
        "من حاجة إيطاليا في الشتاء المقبل. وأشار وزير الطاقة الجزائري إلى أن شركة سوناطراك بدأت أعمال "
        "توسعة خط الأنابيب العابر للبحر المتوسط لزيادة الصادرات. وذكرت وسائل إعلام إيطالية أن صادرات "
        "الغاز الطبيعي الجزائري إلى إيطاليا سترتفع بنسبة 15 في المئة.",
    ),
    (
        "flood3",
        "2025-03-05",
        "flood",
        None,
        "بدأت السلطات التونسية تقدير الأضرار التي خلفتها فيضانات نابل الأسبوع الماضي بعد الأمطار الغزيرة. "
        "وقال والي نابل إن السيول ألحقت أضرارا بأكثر من 600 منزل وجرفت عشرات السيارات في الأحياء "
        "المنخفضة. وأعلنت الحكومة التونسية صرف مساعدات عاجلة للعائلات التي تم إجلاؤها من المدينة. "
        "وأكد الدفاع المدني التونسي انتهاء عمليات البحث عن المفقودين في نابل.",
    ),
    (
        "fire1",
        "2025-03-05",
        "fire",
        "حريق ضخم في غابات عكار",
        "اندلع حريق ضخم في غابات عكار شمال لبنان صباح الأربعاء وامتدت النيران إلى أطراف ثلاث قرى. "
        "وقال الدفاع المدني اللبناني إن الرياح القوية صعبت مهمة فرق الإطفاء في الغابات. "
        "وطلبت الحكومة اللبنانية مساعدة طائرات إطفاء من قبرص والأردن لإخماد الحريق. "
        "وأعلن وزير البيئة اللبناني أن النيران التهمت مساحات واسعة من أشجار الصنوبر في عكار.",
    ),
    (
        "fire2",
        "2025-03-06",
        "fire",
        None,
        "تمكنت فرق الإطفاء من السيطرة على حريق غابات عكار في شمال لبنان بعد يومين من اندلاعه بمساعدة "
        "طائرات إطفاء من قبرص والأردن. وقال وزير البيئة اللبناني إن النيران التهمت نحو 200 هكتار من أشجار "
        "الصنوبر في غابات عكار. وأكد الدفاع المدني اللبناني عدم تسجيل إصابات بين سكان القرى القريبة من "
        "الحريق.",
    ),
]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    missing = [s for s in STAGES if s not in available()]
    if missing:
        pytest.skip(f"components not installed yet: {', '.join(missing)}")
    return Pipeline(STAGES)


def _build(pipeline: Pipeline, rows) -> tuple[list[Article], dict[str, str]]:
    """Annotated articles and {key: document id} for test rows."""
    out, ids = [], {}
    for key, published, _, title, text in rows:
        art = Article(
            id=document_id(text),
            text=text,
            provenance=Provenance(source=f"test:{key}", format="txt"),
            title=title,
            published=published,
        )
        out.append(pipeline(art))
        ids[key] = art.id
    return out, ids


@pytest.fixture(scope="module")
def corpus(pipeline):
    batch1, ids1 = _build(pipeline, ARTICLES)
    batch2, ids2 = _build(pipeline, BATCH2)
    return batch1, batch2, {**ids1, **ids2}


def _store(tmp_path: Path, articles: list[Article]) -> SQLiteStore:
    """A store holding the articles (the story tables reference stored documents)."""
    store = SQLiteStore(tmp_path / "m.db")
    _write(store, articles)
    return store


def _write(store: SQLiteStore, articles: list[Article]) -> None:
    outcomes = [Outcome(f"k-{a.id}", a.source, "stored", a.id, None) for a in articles]
    store.write_batch(outcomes, articles, "test")


def _run(articles, store=None, config=None, relations=()):
    sigs = {a.id: signature(a) for a in articles}
    return assign_stories(articles, sigs, list(relations), store, config or {})


def _redated(article: Article, published: str) -> Article:
    """The same annotated article published on another date."""
    return Article(
        id=article.id,
        text=article.text,
        provenance=article.provenance,
        published=published,
        sentences=article.sentences,
        entities=article.entities,
        times=article.times,
        quantities=article.quantities,
        quotes=article.quotes,
    )


def _story_of(stories) -> dict[str, str]:
    return {doc: s.id for s in stories for doc in s.documents}


def _groups(stories, ids, rows) -> dict[str, set[str]]:
    """{expected story label: set of story ids its articles landed in}."""
    where = _story_of(stories)
    groups: dict[str, set[str]] = {}
    for key, _, label, _, _ in rows:
        groups.setdefault(label, set()).add(where[ids[key]])
    return groups


# -- ids and configuration -----------------------------------------------------------------------


def test_story_id_is_pinned_hash_of_first_document() -> None:
    # Pinned: a silent change to the id scheme would orphan every stored story.
    assert story_id("abc") == "sty-ba7816bf8f01"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-13", (2024, 11, 13)),
        ("2024-11-13T08:30:00+03:00", (2024, 11, 13)),
        ("2024-06", (2024, 6, 1)),
        ("2022", (2022, 1, 1)),
        ("2024-02-30", None),
        ("أمس", None),
        (None, None),
    ],
)
def test_stories_day_number_reads_iso_prefixes(value, expected) -> None:
    from datetime import date

    assert day_number(value) == (date(*expected).toordinal() if expected else None)


def test_stories_config_reads_whole_config_or_section() -> None:
    assert config_section({"corpus": {"story_threshold": 0.5}})["story_threshold"] == 0.5
    assert config_section({"story_threshold": 0.6})["story_threshold"] == 0.6
    assert config_section({})["story_window_days"] == 7


@pytest.mark.parametrize("bad", [{"story_threshold": "high"}, {"story_window_days": -1}, {"corpus": 3}])
def test_stories_config_rejects_bad_values(bad) -> None:
    with pytest.raises(ConfigError, match="corpus"):
        config_section(bad)


# -- clustering ----------------------------------------------------------------------------------


def test_stories_group_articles_by_topic(corpus) -> None:
    batch1, batch2, ids = corpus
    stories = _run(batch1 + batch2)
    groups = _groups(stories, ids, ARTICLES + BATCH2)
    assert all(len(found) == 1 for found in groups.values()), groups
    assert len({next(iter(found)) for found in groups.values()}) == 3, groups


def test_stories_second_batch_joins_stored_stories(corpus, tmp_path) -> None:
    batch1, batch2, ids = corpus
    store = _store(tmp_path, batch1)
    first = _run(batch1, store)
    before = store.story_members([a.id for a in batch1])
    assert set(before) == {a.id for a in batch1}

    _write(store, batch2)
    second = _run(batch2, store)
    after = store.story_members([a.id for a in batch1 + batch2])
    # Batch-1 documents keep their stories, under the same ids.
    assert {d: after[d] for d in before} == before
    story_ids_1 = {s.id for s in first}
    assert after[ids["flood3"]] == after[ids["flood1"]]
    assert after[ids["gas3"]] == after[ids["gas1"]]
    # A new topic opens a new story, with its two articles together.
    assert after[ids["fire1"]] == after[ids["fire2"]]
    assert after[ids["fire1"]] not in story_ids_1
    assert after[ids["fire1"]] == story_id(ids["fire1"])
    # The returned stories list every member, earlier batches' included, in join order.
    flood = next(s for s in second if s.id == after[ids["flood1"]])
    assert flood.documents == [ids["flood1"], ids["flood2"], ids["flood3"]]
    # ... but the summary cites only this run's articles, so every citation resolves in its report.
    assert flood.summary and {m.doc for m in flood.summary} == {ids["flood3"]}
    store.close()


def _snapshot(store: SQLiteStore) -> tuple[list, list]:
    conn = store.conn
    stories = conn.execute(
        "SELECT id, seq, first_doc, title, first_seen, last_seen, size, state FROM stories ORDER BY seq"
    ).fetchall()
    members = conn.execute("SELECT doc, story, seq, score, reason FROM story_members ORDER BY seq").fetchall()
    return stories, members


def test_stories_rerun_of_same_input_changes_nothing(corpus, tmp_path) -> None:
    batch1, _, _ = corpus
    store = _store(tmp_path, batch1)
    first = _run(batch1, store)
    snap = _snapshot(store)
    again = _run(batch1, store)
    assert _snapshot(store) == snap

    def view(stories):
        return [
            (s.id, s.documents, s.title, s.summary, s.first_seen, s.last_seen, s.relations) for s in stories
        ]

    assert view(again) == view(first)
    store.close()


def test_stories_are_deterministic(corpus) -> None:
    batch1, batch2, _ = corpus

    def view(stories):
        return [(s.id, s.title, s.documents, s.summary, s.first_seen, s.last_seen) for s in stories]

    assert view(_run(batch1 + batch2)) == view(_run(batch1 + batch2))


def test_stories_first_and_last_seen_from_publication(corpus) -> None:
    batch1, batch2, ids = corpus
    stories = {s.id: s for s in _run(batch1 + batch2)}
    flood = stories[_story_of(stories.values())[ids["flood1"]]]
    assert (flood.first_seen, flood.last_seen) == ("2025-03-01", "2025-03-05")


def test_stories_time_window_keeps_distant_articles_apart(corpus) -> None:
    batch1, _, ids = corpus
    late = next(a for a in batch1 if a.id == ids["flood2"])
    moved = _redated(late, "2025-06-01")
    first = next(a for a in batch1 if a.id == ids["flood1"])
    where = _story_of(_run([first, moved], config={"corpus": {"story_window_days": 7}}))
    assert where[first.id] != where[moved.id]
    where = _story_of(_run([first, moved], config={"corpus": {"story_window_days": 120}}))
    assert where[first.id] == where[moved.id]


def test_stories_copy_relation_joins_partner_story(corpus) -> None:
    batch1, _, ids = corpus
    flood, gas = (next(a for a in batch1 if a.id == ids[k]) for k in ("flood1", "gas1"))
    # Dedup says gas1 rewrites flood1 (a made-up relation, to show it decides over similarity).
    rel = Relation(a=flood.id, b=gas.id, kind="rewrite", score=0.7)
    where = _story_of(_run([flood, gas], relations=[rel]))
    assert where[flood.id] == where[gas.id]
    assert _story_of(_run([flood, gas]))[gas.id] != where[flood.id]


def test_stories_same_story_relations_link_members_to_central_document(corpus) -> None:
    batch1, batch2, ids = corpus
    articles = batch1 + batch2
    sigs = {a.id: signature(a) for a in articles}
    existing = Relation(a=ids["fire2"], b=ids["fire1"], kind="near_duplicate", score=0.9)
    sink: list[Relation] = []
    stories = assign_stories(articles, sigs, [existing], None, {}, same_story=sink)
    assert sink == [r for s in stories for r in s.relations]
    for story in stories:
        hubs = {r.a for r in story.relations}
        assert len(hubs) <= 1
        linked = {r.b for r in story.relations} | hubs
        assert all(
            r.kind == "same_story" and r.component == "corpus.stories" and r.reason for r in story.relations
        )
        assert all(0.0 <= r.score <= 1.0 for r in story.relations)
        if ids["fire1"] in story.documents:
            assert not story.relations  # the pair is already a near duplicate: no weaker relation
        else:
            assert linked == set(story.documents)


# -- titles and summaries ------------------------------------------------------------------------


def test_stories_title_is_a_headline_or_first_sentence(corpus) -> None:
    batch1, batch2, _ = corpus
    titles = {a.title for a in batch1 + batch2 if a.title}
    for story in _run(batch1 + batch2):
        assert story.title in titles or any(
            a.text.startswith(story.title.rstrip("…")) for a in batch1 + batch2 if a.id in story.documents
        )


def test_stories_title_falls_back_to_trimmed_first_sentence(corpus) -> None:
    _, batch2, ids = corpus
    art = next(a for a in batch2 if a.id == ids["flood3"])
    (story,) = _run([art])
    first = art.text[art.sentences[0][0] : art.sentences[0][1]]
    assert story.title and first.startswith(story.title.rstrip("…")) and len(story.title) <= 141


def test_stories_title_skips_a_leading_dateline(pipeline) -> None:
    text = (
        "تونس - وكالة الأنباء - مراسلنا\n"
        "أعلنت الحكومة التونسية اليوم خطة جديدة لإصلاح شبكات تصريف مياه الأمطار في المدن الساحلية. "
        "وقال وزير التجهيز إن الخطة تشمل عشر مدن."
    )
    art = pipeline(Article(id="d", text=text, provenance=Provenance(source="t", format="txt")))
    (story,) = _run([art])
    assert story.title.startswith("أعلنت الحكومة التونسية")


def test_stories_summary_is_cited_non_redundant_and_dated(corpus) -> None:
    batch1, batch2, _ = corpus
    by_id = {a.id: a for a in batch1 + batch2}
    for story in _run(batch1 + batch2):
        assert 3 <= len(story.summary) <= 6, story.summary
        spans = [(m.doc, m.start, m.end) for m in story.summary]
        assert len(set(spans)) == len(spans)
        texts = [by_id[m.doc].text[m.start : m.end] for m in story.summary]
        assert all((m.start, m.end) in by_id[m.doc].sentences for m in story.summary)
        assert len(set(texts)) == len(texts)
        dates = [by_id[m.doc].published for m in story.summary]
        assert dates == sorted(dates)


# -- store ---------------------------------------------------------------------------------------


def test_store_story_tables_exist_after_migration(tmp_path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"stories", "story_members"} <= tables
        assert store.load_stories() == [] and store.story_members(["x"]) == {}


def test_store_story_member_must_be_a_stored_document(tmp_path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        row = {
            "id": "sty-x",
            "first_doc": "nope",
            "title": "t",
            "first_seen": None,
            "last_seen": None,
            "last_day": None,
            "size": 1,
            "state": {},
        }
        with pytest.raises(StoreError, match="FOREIGN KEY"):
            store.save_stories([row], [("nope", "sty-x", 1.0, "opened")])
        assert store.load_stories() == []  # nothing of the failed transaction was kept


# -- seeds ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_articles(seed_texts, pipeline) -> dict[str, Article]:
    out = {}
    for key, text in seed_texts.items():
        art = Article(
            id=key, text=text, provenance=Provenance(source=key, format="txt"), published="2024-11-15"
        )
        out[key] = pipeline(art)
    return out


def test_stories_seed_troop_deployment_articles_in_one_story(seed_articles) -> None:
    where = _story_of(_run(list(seed_articles.values())))
    assert where["002"] == where["003"] == where["004"]
    assert where["000"] == where["001"]  # the two rewrites of one report


def test_stories_score_needed_rises_with_days_since_latest_report(corpus) -> None:
    """With text similarity held fixed, a report the same day joins and one six days after the
    story's latest report (still inside the 7-day window) opens its own story: a body's routine
    announcement of another day needs more than template-level similarity to join."""
    batch1, _, ids = corpus
    first = next(a for a in batch1 if a.id == ids["flood1"])
    later = next(a for a in batch1 if a.id == ids["flood2"])
    first_day = day_number(first.published)
    assert first_day is not None

    def placed(days_after: int) -> dict[str, str]:
        when = date.fromordinal(first_day + days_after).isoformat()
        arts = [first, _redated(later, when)]
        sigs = {a.id: signature(a) for a in arts}
        cfg = {"corpus": {"story_window_days": 7}}
        return _story_of(assign_stories(arts, sigs, [], None, cfg, compare=lambda a, b: 0.5, sign=signature))

    same_day = placed(0)
    assert same_day[first.id] == same_day[later.id]
    week_on = placed(6)
    assert week_on[first.id] != week_on[later.id]
