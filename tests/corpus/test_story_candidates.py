"""Stories: how candidates are found and what may join a story, on project-written articles.

The articles are written for these tests; none is taken from real news or the seeds.
"""

from __future__ import annotations

import random
from itertools import islice

import pytest

from marsad.corpus import stories as st
from marsad.corpus.similarity import annotate, signature
from marsad.model import Article, Provenance

# Two different incidents on one day, told with the same generic vocabulary: the ministry, the
# civil defence, the kingdom, "announced", "yesterday", "the region".
FIRE = (
    "حريق في مستودع بالرياض",
    "أعلنت المديرية العامة للدفاع المدني في المملكة أمس أن فرقها أخمدت حريقا اندلع في مستودع "
    "للأخشاب بحي السلي في الرياض. وقالت وزارة الداخلية إن الحريق لم يسفر عن إصابات وإن النيران "
    "أتت على معظم المستودع. وأوضح المتحدث باسم الدفاع المدني في منطقة الرياض أن أسباب الحريق "
    "ما زالت قيد التحقيق وأن ثماني فرق شاركت في إخماده.",
)
CRASH = (
    "وفاة ثلاثة في حادث سير بجازان",
    "أعلنت المديرية العامة للدفاع المدني في المملكة أمس وفاة ثلاثة أشخاص وإصابة اثنين في حادث "
    "تصادم شاحنة بسيارة على طريق صبيا في منطقة جازان. وقالت وزارة الداخلية إن المصابين نقلوا إلى "
    "مستشفى صبيا العام. وأوضح المتحدث باسم الدفاع المدني في منطقة جازان أن فرق الإسعاف باشرت "
    "الحادث وأن الطريق أعيد فتحه بعد ساعتين.",
)
FIRE_FOLLOW_UP = (
    "التحقيق في حريق مستودع السلي",
    "قال المتحدث باسم الدفاع المدني في منطقة الرياض إن التحقيق في حريق مستودع الأخشاب بحي السلي "
    "أظهر أن ماسا كهربائيا تسبب في اندلاع النيران. وأضاف أن ثماني فرق أخمدت الحريق الذي أتى على "
    "معظم المستودع ولم يسفر عن إصابات، وأن المستودع كان يفتقر إلى أنظمة الإطفاء.",
)


def _article(doc: str, title: str, text: str, published: str) -> Article:
    art = annotate(text, doc)
    art.title, art.published = title, published
    return art


def _stories(articles: list[Article], **kwargs) -> dict[str, str]:
    sigs = {a.id: signature(a) for a in articles}
    return {
        doc: s.id for s in st.assign_stories(articles, sigs, [], None, {}, **kwargs) for doc in s.documents
    }


_CITIES = ["الدمام", "تبوك", "حائل", "أبها", "نجران", "القصيم", "الطائف", "الخرج", "ينبع", "عرعر"]
_INCIDENTS = [
    "غرق طفل في مسبح",
    "انهيار جدار مدرسة",
    "تسرب غاز في مطعم",
    "سقوط رافعة في موقع بناء",
    "احتراق مركبة",
]


def _routine_reports(n: int) -> list[Article]:
    """Short civil-defence notices in the same words as FIRE and CRASH, about other incidents:
    in a real run the ministry, the civil defence and "announced yesterday" are everywhere."""
    out = []
    for i in range(n):
        city, what = _CITIES[i % len(_CITIES)], _INCIDENTS[i % len(_INCIDENTS)]
        text = (
            f"أعلنت المديرية العامة للدفاع المدني في المملكة أمس مباشرة بلاغ عن {what} في {city}. "
            f"وقالت وزارة الداخلية إن الفرق باشرت الموقع. وأوضح المتحدث باسم الدفاع المدني في منطقة {city} "
            f"أن البلاغ رقم {100 + i} أغلق."
        )
        out.append(_article(f"routine{i}", f"{what} في {city}", text, f"2025-02-{1 + i % 27:02d}"))
    return out


def test_stories_different_incident_sharing_generic_keys_stays_apart() -> None:
    reports = [
        _article("fire", *FIRE, "2025-03-01"),
        _article("crash", *CRASH, "2025-03-01"),
        _article("fire_follow_up", *FIRE_FOLLOW_UP, "2025-03-02"),
    ]
    where = _stories(_routine_reports(40) + reports, weigh=True)
    assert where["fire"] != where["crash"]
    assert where["fire"] == where["fire_follow_up"]


# -- the postings walk ranks exactly as a scan of every story did ----------------------------------

_TOPICS = [
    ["زلزال", "فيضان", "حريق", "انفجار", "إعصار"],
    ["انتخابات", "برلمان", "حكومة", "وزير", "رئيس"],
    ["مباراة", "فريق", "هدف", "بطولة", "ملعب"],
    ["نفط", "أسعار", "سوق", "بورصة", "شركة"],
    ["جامعة", "طلاب", "مدرسة", "امتحان", "تعليم"],
]
_GENERIC = ["أعلن", "قال", "أمس", "اليوم", "المملكة", "منطقة", "مدينة", "مسؤول"]


def _synthetic(n: int, seed: int) -> list[Article]:
    """`n` short articles on a few topics, with rare per-incident words, over 40 days."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        topic = rng.randrange(len(_TOPICS))
        incident = rng.randrange(6)
        words = rng.choices(_TOPICS[topic], k=12) + rng.choices(_GENERIC, k=10)
        words += [f"حادثة{topic}س{incident}"] * 3 + [f"مكان{rng.randrange(30)}"]
        rng.shuffle(words)
        day = 1 + rng.randrange(40)
        art = Article(id=f"d{i:03d}", text=" ".join(words), provenance=Provenance(source="t", format="txt"))
        art.published = f"2025-01-{day:02d}" if day <= 31 else f"2025-02-{day - 31:02d}"
        out.append(art)
    out[5].published = None  # an undated article may join any story: the all-stories path
    return out


def _scan(cl: st._Clusterer, d: st._Doc, pool) -> list[st._Story]:
    """The ranking as it was: every story of the pool, filtered by the window, then each key's
    most recent postings intersected with them."""
    stories = cl.stories if pool is None else [cl.stories[i] for i in pool]
    near = [cl.by_id_index[s.id] for s in stories if s.in_window(d.day, cl.window)]
    weight = dict.fromkeys(near, 0.0)
    count = dict.fromkeys(near, 0)
    for k, w in zip(d.keys, d.weights, strict=True):
        plist = cl.postings.get(k)
        if not plist:
            continue
        ids = plist if len(plist) <= cl.n_postings else set(islice(reversed(plist), cl.n_postings))
        for idx in filter(ids.__contains__, near):
            weight[idx] += w
            count[idx] += 1
    floor = st._MIN_SHARED * d.mass
    ranked = sorted(
        (i for i in near if weight[i] >= floor and count[i] >= 2),
        key=lambda i: (-weight[i], cl.stories[i].seq),
    )
    return [cl.stories[i] for i in ranked[: cl.n_cands]]


@pytest.mark.parametrize("postings", [64, 3])  # 3: keys with more stories than postings read
def test_stories_postings_walk_ranks_as_scan_of_every_story(monkeypatch, postings) -> None:
    walk = st._Clusterer._rank
    calls = []

    def checked(self, d, pool):
        got = walk(self, d, pool)
        assert [s.id for s in got] == [s.id for s in _scan(self, d, pool)]
        calls.append(len(got))
        return got

    monkeypatch.setattr(st._Clusterer, "_rank", checked)
    articles = _synthetic(150, seed=7)
    sigs = {a.id: signature(a) for a in articles}
    stories = st.assign_stories(
        articles, sigs, [], None, {"story_postings": postings, "story_window_days": 5}
    )
    assert len(calls) == len(articles) and any(calls)  # every article was ranked, most found candidates
    assert 1 < len(stories) < len(articles)
