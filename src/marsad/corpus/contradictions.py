"""Where sources disagree: the same figure, date, quote or event reported differently.

Four kinds, each kept precise by comparing only claims about the same thing in the same story
(the stage's stories or, without them, documents connected by a relation):

- quantity: the same counted noun (unit) with the same actors around it (the countries named in
  the figure's sentence, at least two shared, or the only one each names) given as different
  figures: different point values, or bounds that state different numbers ("أكثر من 10 آلاف"
  against "ما يصل إلى 12 ألف"). Vague figures ("آلاف") claim no number and are left out; "about"
  figures tolerate 10%. Rising tolls published later (running_tolls.txt) are updates, not
  disagreements: the event's history keeps them.
- date: one merged event whose reports give non-overlapping dates.
- attribution: the same quoted words (normalised, four words or more) given to speakers that
  share no entity.
- denial: a report that denies or rejects an event that other, independent reports assert: a
  negated or denied mention of the same event, or a REJECT by one of the event's actors whose
  context (its sentence and the one before) talks about that event.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import combinations

from rapidfuzz import fuzz

from marsad.corpus.figures import Measure, interval, measure_of, relation, word_list
from marsad.corpus.merge import actor_country, copy_groups, outlet_name, parse_period, rarity
from marsad.corpus.similarity import content_stems
from marsad.corpus.unionfind import UnionFind
from marsad.extract.translit import entity_key
from marsad.model import Article
from marsad.model.corpus import Claim, Contradiction, Event, Relation, Story
from marsad.model.spans import EventMention, QuantityMention, Quote, Speaker
from marsad.normalize import normalize_form
from marsad.segment.tokens import strip_proclitics

COMPONENT = "corpus.contradictions"
FIGURE_WINDOW_DAYS = 1  # figures published further apart describe different moments
MIN_CONTEXT = 0.4  # weighted Jaccard of the words around two figures that report one thing
OWNER_CHARS = 16  # how far after a figure a nationality still qualifies its counted noun
CONTEXT_WORDS = 10  # words each side of a figure that describe what it counts
MAX_FIGURES_PER_GROUP = 400  # figures of one measure in one story compared pairwise
NAME_WORD_SIMILAR = 75  # rapidfuzz ratio above which two name words are one name spelled twice
MIN_QUOTE_WORDS = 4  # shorter quotes ("أخبار كاذبة") are common phrases, not attributable words
MAX_DENIAL_CANDIDATES = 50
MAX_ASSERTING_CLAIMS = 25  # a denial shown against its first 25 independent asserting reports
DENIAL_MIN_OVERLAP = 0.08  # Jaccard of content words between a denial's context and the event
# ... for a REJECT, which often rejects something else than the event (a proposal, a statement):
# on real news, REJECTs below this overlap were replies to other things, not denials.
REJECT_MIN_OVERLAP = 0.2
# Event types that are themselves statements about other events: a REJECT of an ACCUSE is a
# reply, not a denial of a reported fact, so these are never the asserted side of a denial.
_STATEMENT_TYPES = frozenset({"REJECT", "ACCUSE", "CONSULT", "REQUEST", "SUPPORT", "PROTEST", "THREATEN"})
_NON_WORD = re.compile(r"[^\w\s]+")

Link = tuple[str, int, int]


@lru_cache(maxsize=1)
def update_cues() -> frozenset[str]:
    return word_list("data/toll_updates.txt")


def contradiction_id(kind: str, claims: Iterable[Claim]) -> str:
    payload = kind + "|" + "|".join(sorted(f"{c.doc}:{c.start}:{c.end}" for c in claims))
    return "con-" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:12]


def _story_of(stories: Sequence[Story] | None, relations: Sequence[Relation]) -> dict[str, str]:
    from marsad.corpus.merge import _story_of as story_of

    return story_of(stories, relations)


@dataclass(slots=True)
class _Figure:
    order: int
    doc: str
    source: str  # copy group: copies of one report are one source
    outlet: str  # an outlet that changes its own figure updates it; disputes are between outlets
    published: date | None
    q: QuantityMention
    measure: Measure
    period: tuple[date, date] | None  # the date stated in the figure's sentence
    context: frozenset[str]  # content words around the figure
    anchors: frozenset[str]  # linked entities named in its sentence (people, bodies, places)
    countries: frozenset[str]
    owner: str | None  # the country of the counted noun ("جندي كوري شمالي", "جندي من كوريا")
    events: frozenset[str]  # merged events reported in its sentence
    update: bool  # announced as an update ("ارتفعت الحصيلة إلى")
    place: str  # the figure's own place, for the label


def _sentence_index(article: Article) -> Callable[[int], int | None]:
    """`article.sentence_index` as a closure over the sentence starts, searched with C bisect:
    the Python binary search, called for every entity, figure and event, was a visible cost."""
    spans = article.sentences
    starts = [s for s, _ in spans]

    def index(offset: int) -> int | None:
        i = bisect_right(starts, offset) - 1
        return i if i >= 0 and offset < spans[i][1] else None

    return index


def _value(q: QuantityMention, measure: Measure) -> dict[str, object]:
    iv = interval(q)
    return {
        "value": q.value,
        "qualifier": q.qualifier,
        "unit": q.unit,
        "measure": measure.name,
        "interval": iv.as_list() if iv else None,
    }


def _words(text: str) -> list[str]:
    return _NON_WORD.sub(" ", normalize_form(text)).split()


def _figures(
    article: Article,
    order: int,
    source: str,
    links: Mapping[Link, str],
    event_sentences: Mapping[int | None, frozenset[str]],
) -> list[_Figure]:
    """Every figure of `article` that states a number and counts a known measure."""
    index = _sentence_index(article)
    anchors: dict[int | None, set[str]] = defaultdict(set)
    countries: dict[int | None, set[str]] = defaultdict(set)
    places: dict[int | None, list[tuple[int, str]]] = defaultdict(list)
    nationalities: list[tuple[int, str]] = []
    for m in article.entities:
        if m.country and m.type in ("GPE", "NORP"):
            nationalities.append((m.start, m.country))
        i = index(m.start)
        if m.country and (m.type == "GPE" or m.type == "NORP"):
            countries[i].add(m.country)
        if m.type in ("PER", "ORG", "LOC") or (m.type == "GPE" and not m.key.startswith("gaz:countries:")):
            eid = links.get((article.id, m.start, m.end))
            anchors[i].add(eid or f"{m.type}:{m.key}")
        if m.type in ("GPE", "LOC"):
            places[i].append((m.start, m.name or m.text))
    times: dict[int | None, list[tuple[int, tuple[date, date]]]] = defaultdict(list)
    for t in article.times:
        period = parse_period(t.value)
        if period is not None:
            times[index(t.start)].append((t.start, period))
    published = _published_day(article)
    outlet = outlet_name(article)
    cues = update_cues()
    out: list[_Figure] = []
    seen: Counter[tuple[int | None, str]] = Counter()
    for q in article.quantities:
        i = index(q.start)
        if i is None or q.qualifier == "vague" or interval(q) is None:
            continue
        sentence = article.sentences[i]
        measure = measure_of(article, q, sentence)
        if measure is None:
            continue
        before = _words(article.text[sentence[0] : q.start])
        after = _words(article.text[q.end : sentence[1]])
        context = frozenset(content_stems(before[-CONTEXT_WORDS:] + after[:CONTEXT_WORDS]))
        near = min(times[i], key=lambda t: abs(t[0] - q.start))[1] if times[i] else None
        # The figure's own place: the nearest named after it ("... نشروا في روسيا"), else before.
        place = min(places[i], key=lambda p: (p[0] < q.end, abs(p[0] - q.start)))[1] if places[i] else ""
        owner = next((c for at, c in nationalities if q.end <= at <= q.end + OWNER_CHARS), None)
        out.append(
            _Figure(
                order, article.id, source, outlet, published, q, measure, near, context,
                frozenset(anchors[i]), frozenset(countries[i]), owner, event_sentences.get(i, frozenset()),
                any(strip_proclitics(w) in cues or w in cues for w in before + after), place,
            )
        )  # fmt: skip
        seen[(i, measure.name)] += 1
    # A sentence giving two figures of one measure breaks a total down ("مقتل 22 من الحوثيين
    # ... وقتل سبعة") or lists several incidents: which one another report's figure answers is
    # not knowable from the words, so such figures are not compared.
    return [f for f in out if seen[(index(f.q.start), f.measure.name)] == 1]


def _published_day(article: Article) -> date | None:
    period = parse_period(article.published)
    return period[0] if period else None


def _same_incident(a: _Figure, b: _Figure, idf: Mapping[str, float]) -> bool:
    """Two figures describe one incident at one time: compatible dates, and the entities of
    their sentences and the words around them (weighted by rarity, so that the story's stock
    words, التحالف and الحوثيين, do not make every figure of a war one claim) say so."""
    if a.published and b.published and abs((a.published - b.published).days) > FIGURE_WINDOW_DAYS:
        return False
    if a.period and b.period and (a.period[1] < b.period[0] or b.period[1] < a.period[0]):
        return False
    shared_anchor = bool(a.anchors & b.anchors) or len(a.countries & b.countries) >= 2
    if not (shared_anchor or a.events & b.events):
        return False
    if a.owner and a.owner == b.owner and len(a.countries & b.countries) >= 2:
        # Counted nouns of one nationality in one setting ("جنود كوريون شماليون في روسيا"):
        # worded differently, the same claim.
        return True
    inter = sum(idf.get(w, 0.0) for w in a.context & b.context)
    union = sum(idf.get(w, 0.0) for w in a.context | b.context)
    return union > 0 and inter / union >= MIN_CONTEXT


def _is_update(a: _Figure, b: _Figure) -> bool:
    """Figures of a growing count (a toll) published on different days, or one announced as an
    update ("ارتفعت الحصيلة إلى"), are the event's history: the count moved, nobody disagreed."""
    if not a.measure.cumulative:
        return False
    if a.update or b.update:
        return True
    return bool(a.published and b.published and a.published != b.published)


def _quantity(
    articles: Sequence[Article],
    story: Mapping[str, str],
    copies: Mapping[str, str],
    links: Mapping[Link, str],
    event_sentences: Mapping[str, Mapping[int | None, frozenset[str]]],
) -> list[Contradiction]:
    groups: dict[tuple[str, str], list[_Figure]] = defaultdict(list)
    for order, article in enumerate(articles):
        if not article.quantities or article.id not in story:
            continue  # a document related to nothing has nobody to disagree with
        source = copies.get(article.id, article.id)
        for f in _figures(article, order, source, links, event_sentences.get(article.id, {})):
            groups[(story[article.id], f.measure.name)].append(f)

    idf = rarity(f.context for figures in groups.values() for f in figures)
    out: list[Contradiction] = []
    for figures in groups.values():
        if len({f.source for f in figures}) < 2:
            continue
        figures.sort(key=lambda f: (f.order, f.q.start))
        figures = figures[:MAX_FIGURES_PER_GROUP]
        edges: list[tuple[int, int, str | None]] = []
        for i, j in combinations(range(len(figures)), 2):
            a, b = figures[i], figures[j]
            if a.source == b.source or a.outlet == b.outlet or not _same_incident(a, b, idf):
                continue
            label = relation(a.q, b.q)
            edges.append((i, j, None if label is not None and _is_update(a, b) else label))
        out.extend(_quantity_records(figures, edges))
    return out


def _quantity_records(
    figures: list[_Figure], edges: list[tuple[int, int, str | None]]
) -> list[Contradiction]:
    """One contradiction per set of figures about one incident that holds a disagreement."""
    sets: UnionFind[int] = UnionFind(range(len(figures)))
    find = sets.find
    for i, j, _ in edges:
        sets.union(i, j)
    labels: dict[int, list[str]] = defaultdict(list)
    for i, _, label in edges:
        if label is not None:
            labels[find(i)].append(label)
    out: list[Contradiction] = []
    for root, found in labels.items():
        members = [f for k, f in enumerate(figures) if find(k) == root]
        label = "conflict" if "conflict" in found else "discrepancy"
        first = members[0]
        claims = [Claim(f.doc, f.q.start, f.q.end, f.q.text, _value(f.q, f.measure)) for f in members]
        values = sorted({f.q.text for f in members})
        about = f"عدد {first.measure.label}" + (f" ({first.place})" if first.place else "")
        out.append(
            Contradiction(
                id=contradiction_id("quantity", claims),
                about=about,
                kind="quantity",
                label=label,
                claims=claims,
                reason=(
                    f"{label}: {len(found)} pair(s) of independent reports of one incident (same story, "
                    f"measure {first.measure.name}, shared entities and wording, dates within "
                    f"{FIGURE_WINDOW_DAYS} days) give "
                    + (
                        "figures whose intervals do not overlap"
                        if label == "conflict"
                        else "different but compatible figures"
                    )
                    + ": "
                    + " / ".join(values[:6])
                ),
            )
        )
    return out


def _mentions_by_span(articles: Sequence[Article]) -> dict[Link, tuple[Article, EventMention]]:
    return {(a.id, e.start, e.end): (a, e) for a in articles for e in a.events}


def _stated_date(article: Article, mention: EventMention) -> bool:
    """The mention is dated by a calendar date written in its sentence, not by a relative one
    ("اليوم", "أمس", a weekday): relative dates resolved against publication days that differ
    by a day are the commonest false date disagreement between a wire story and its reprints."""
    date_ = mention.date
    if date_ is None or date_.source != "sentence" or not date_.value or not date_.text:
        return False
    return any(t.text == date_.text and not t.relative for t in article.times)


def _date(events: Sequence[Event], spans: Mapping[Link, tuple[Article, EventMention]]) -> list[Contradiction]:
    out: list[Contradiction] = []
    for event in events:
        if len({m.doc for m in event.mentions}) < 2:
            continue
        dated: list[tuple[str, Claim]] = []
        outlets: dict[str, set[str]] = defaultdict(set)  # date value -> outlets that give it
        for ref in event.mentions:
            found = spans.get((ref.doc, ref.start, ref.end))
            if found is None:
                continue
            article, mention = found
            when = mention.date.value if mention.date is not None else None
            if when is None or not _stated_date(article, mention):
                continue
            outlets[when].add(outlet_name(article))
            dated.append((when, Claim(ref.doc, mention.start, mention.end, mention.text, when)))
        periods = {v: parse_period(v) for v, _ in dated}
        values = sorted({v for v, _ in dated if periods[v] is not None})
        # Disagreement: two stated dates that cannot both be right (periods that do not overlap),
        # given by different outlets (one outlet's two dates are its own slip, not a dispute).
        clash = any(
            (periods[a][1] < periods[b][0] or periods[b][1] < periods[a][0])  # type: ignore[index]
            and outlets[a] != outlets[b]
            and len(outlets[a] | outlets[b]) > 1
            for a, b in combinations(values, 2)
        )
        if clash:
            claims = [c for _, c in dated]
            out.append(
                Contradiction(
                    id=contradiction_id("date", claims),
                    about=f"تاريخ الحدث {event.type} ({event.id})",
                    kind="date",
                    claims=claims,
                    reason=f"one merged event ({event.type}), reported with dates that do not overlap: "
                    + ", ".join(values),
                )
            )
    return out


@lru_cache(maxsize=100_000)
def _quote_key(text: str) -> str | None:
    words = _NON_WORD.sub(" ", normalize_form(text)).split()
    return " ".join(words) if len(words) >= MIN_QUOTE_WORDS else None


def _name_keys(text: str) -> tuple[str, ...]:
    return tuple(k for k in (entity_key(w) for w in _NON_WORD.sub(" ", text).split()) if len(k) > 2)


def _similar_names(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return any(x == y or fuzz.ratio(x, y) >= NAME_WORD_SIMILAR for x in a for y in b)


def _people_in(
    doc_spans: Sequence[tuple[int, int, str, str]], start: int, end: int
) -> tuple[frozenset[str], tuple[str, ...]]:
    """(entity ids, name-word keys) of the known people named inside [start, end)."""
    inside = [(eid, name) for s, e, eid, name in doc_spans if start <= s and e <= end]
    return frozenset(eid for eid, _ in inside), tuple(k for _, name in inside for k in _name_keys(name))


def _attribution(
    articles: Sequence[Article], by_doc: Mapping[str, list[tuple[int, int, str, str]]]
) -> list[Contradiction]:
    groups: dict[str, list[tuple[int, Article, Quote, Speaker]]] = defaultdict(list)
    for order, article in enumerate(articles):
        for quote in article.quotes:
            # A speaker named outside the quote's sentence was carried over from an earlier one
            # ("وأضاف ..."), which is where attribution errors come from: not compared.
            if quote.speaker is None or article.sentence_index(quote.speaker.start) != article.sentence_index(
                quote.start
            ):
                continue
            key = _quote_key(quote.text)
            if key:
                groups[key].append((order, article, quote, quote.speaker))
    out: list[Contradiction] = []
    for members in groups.values():
        if len({a.id for _, a, _, _ in members}) < 2:
            continue
        speakers = []
        for _, article, _, sp in members:
            speakers.append(_people_in(by_doc.get(article.id, ()), sp.start, sp.end))
        # Disagreement: two speakers that resolve to named people and share none of them.
        # Speakers without a named person ("الدبلوماسي الإسرائيلي", an agency the words were
        # quoted through) are the same speaker described differently, not a second one.
        # Compared over distinct speaker sets: a quote copied by a thousand outlets is one check.
        if not all(ids for ids, _ in speakers):
            continue
        # Linking misses spelling variants of one person (داود أوغلو / داود أغولو): two names
        # that share a name word, or nearly so, are taken for one speaker.
        if not any(
            not (sa & sb) and not _similar_names(na, nb)
            for (sa, na), (sb, nb) in combinations(list(dict.fromkeys(speakers))[:50], 2)
        ):
            continue
        claims = [
            Claim(article.id, quote.start, quote.end, quote.text, sp.text)
            for _, article, quote, sp in members
        ]
        out.append(
            Contradiction(
                id=contradiction_id("attribution", claims),
                about="نسبة الاقتباس: «" + members[0][2].text[:60] + "»",  # type: ignore[attr-defined]
                kind="attribution",
                claims=claims,
                reason="the same quoted words, attributed to speakers that share no entity",
            )
        )
    return out


_CONTEXT_CACHE: dict[tuple[str, int, int], frozenset[str]] = {}  # (doc, sentence, before)
_OFFSET_CACHE: dict[tuple[str, int, int], frozenset[str]] = {}  # (doc, offset, before)


def _context_words(article: Article, offset: int, before: int = 1) -> frozenset[str]:
    """Content-word stems of the sentence at `offset` and `before` sentences before it (cached
    per call of find_contradictions: an event's sentence is compared with many denials)."""
    # First by offset (the same event mention is scored against many denials: no search at
    # all), then by sentence (mentions sharing a sentence share its words).
    at = (article.id, offset, before)
    cached = _OFFSET_CACHE.get(at)
    if cached is not None:
        return cached
    idx = article.sentence_index(offset)
    key = (article.id, -1 if idx is None else idx, before)
    words = _CONTEXT_CACHE.get(key)
    if words is None:
        words = _CONTEXT_CACHE[key] = _context_words_uncached(article, idx, before)
    _OFFSET_CACHE[at] = words
    return words


def _context_words_uncached(article: Article, idx: int | None, before: int) -> frozenset[str]:
    if idx is None:
        return frozenset()
    start = article.sentences[max(0, idx - before)][0]
    end = article.sentences[idx][1]
    return frozenset(content_stems(_NON_WORD.sub(" ", normalize_form(article.text[start:end])).split()))


def _is_denial(mention: EventMention) -> bool:
    return mention.negated or mention.modality == "denied"


def _denial(
    articles: Sequence[Article],
    events: Sequence[Event],
    story: Mapping[str, str],
    copies: Mapping[str, str],
    spans: Mapping[Link, tuple[Article, EventMention]],
) -> list[Contradiction]:
    outlets = {a.id: outlet_name(a) for a in articles}
    # Asserted events, by story and actor country, reported by each document.
    asserted: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in events:
        if event.negated or event.modality in ("denied", "hypothetical") or event.type in _STATEMENT_TYPES:
            continue
        countries = {c for c in (actor_country(event.source), actor_country(event.target)) if c}
        stories = {story.get(m.doc, m.doc) for m in event.mentions}
        for s in stories:
            for c in countries:
                asserted[(s, c)].append(event)

    # Most-reported events first, and at most MAX_DENIAL_CANDIDATES per (story, country): a
    # denial is about a prominent claim, and the cap keeps this stage linear on big stories.
    for evs in asserted.values():
        evs.sort(key=lambda e: (-len(e.mentions), e.id))
        del evs[MAX_DENIAL_CANDIDATES:]
    head_cache: dict[str, list[tuple[str, str, frozenset[str] | None]]] = {}

    def heads(event: Event) -> list[tuple[str, str, frozenset[str] | None]]:
        """(copy group, outlet, sentence words) of the event's first reports, computed once per event
        (an event is a candidate for many denials): enough of them that the first three outside
        any one group are among them, i.e. until three fall outside the most frequent group."""
        got = head_cache.get(event.id)
        if got is None:
            got = []
            count: Counter[str] = Counter()
            for ref in event.mentions:
                group = copies.get(ref.doc, ref.doc)
                found = spans.get((ref.doc, ref.start, ref.end))
                words = None if found is None else _context_words(found[0], ref.start, before=0)
                got.append((group, outlets.get(ref.doc, ""), words))
                count[group] += 1
                if len(got) - max(count.values()) >= 3:
                    break
            head_cache[event.id] = got
        return got

    out: list[Contradiction] = []
    seen: set[tuple[str, str]] = set()
    for article in articles:
        s = story.get(article.id, article.id)
        own = copies.get(article.id, article.id)
        own_outlet = outlets[article.id]
        for mention in article.events:
            # A REJECT denies only when it is a denial ("نفت"): refusing a proposal, or refusing
            # to confirm or deny, says nothing against a reported fact.
            if not (_is_denial(mention) or (mention.type == "REJECT" and mention.mode == "deny")):
                continue
            rejecter = actor_country(mention.source)
            keys = {actor_country(mention.target), rejecter} if _is_denial(mention) else {rejecter}
            candidates: dict[str, Event] = {}
            for country in keys:
                if country:
                    for e in asserted.get((s, country), ()):
                        candidates.setdefault(e.id, e)
            if not candidates:
                continue
            context = _context_words(article, mention.start)
            denial = _is_denial(mention)
            best: tuple[float, str, Event] | None = None
            # What a REJECT denies is named in its sentence: a denied abduction (نفت ... خطف) is
            # not a denial of a strike, however close the words around them.
            denied_types = {
                e.type
                for e in article.events
                if e is not mention
                and e.type not in _STATEMENT_TYPES
                and article.sentence_index(e.start) == article.sentence_index(mention.start)
            }
            for event in candidates.values():
                if denial and event.type != mention.type:
                    continue
                if not denial and denied_types and event.type not in denied_types:
                    continue
                # The first few reports from other, independent documents are enough to score.
                # ... from other outlets: an outlet that reports a claim and its denial is not two
                # sources disagreeing.
                others = [w for group, outlet, w in heads(event) if group != own and outlet != own_outlet][:3]
                if not others:
                    continue  # only this document (or its copies) asserts it: no second source
                score = 0.0
                if context:
                    for words in others:
                        if words:
                            inter = len(words & context)
                            score = max(score, inter / (len(words) + len(context) - inter))
                if score < (DENIAL_MIN_OVERLAP if denial else REJECT_MIN_OVERLAP):
                    continue
                if best is None or (score, event.id) > (best[0], best[1]):
                    best = (score, event.id, event)
            if best is None or (article.id, best[1]) in seen:
                continue
            asserting = _asserting_claims(best[2], copies, own, outlets, own_outlet)
            seen.add((article.id, best[1]))
            event = best[2]
            claims = [
                *asserting,
                Claim(article.id, mention.start, mention.end, mention.text, "denied"),
            ]
            out.append(
                Contradiction(
                    id=contradiction_id("denial", claims),
                    about=f"{event.type} {event.mode or ''}: {actor_text(event)}".strip(),
                    kind="denial",
                    claims=claims,
                    reason=(
                        f"{mention.type} ({'negated' if mention.negated else mention.modality}) by an actor of "
                        f"the event, context overlap {best[0]:.2f} with independent reports asserting it"
                    ),
                )
            )
    return out


def _asserting_claims(
    event: Event, copies: Mapping[str, str], own: str, outlets: Mapping[str, str], own_outlet: str
) -> list[Claim]:
    """One claim per independent source group asserting the event (copies add nothing, nor the
    denier's own outlet), at most MAX_ASSERTING_CLAIMS, earliest reports first."""
    claims: list[Claim] = []
    groups: set[str] = {own}
    for ref in event.mentions:
        group = copies.get(ref.doc, ref.doc)
        if group in groups or outlets.get(ref.doc) == own_outlet:
            continue
        groups.add(group)
        claims.append(Claim(ref.doc, ref.start, ref.end, ref.text or "", "asserted"))
        if len(claims) >= MAX_ASSERTING_CLAIMS:
            break
    return claims


def actor_text(event: Event) -> str:
    parts = [r.text for r in (event.source, event.target) if r is not None]
    return " ← ".join(parts) if parts else event.id


def find_contradictions(
    articles: Sequence[Article],
    events: Sequence[Event],
    relations: Sequence[Relation],
    links: Mapping[Link, str],
    stories: Sequence[Story] | None = None,
) -> list[Contradiction]:
    """Every disagreement between sources, each with its claims side by side."""
    _CONTEXT_CACHE.clear()
    _OFFSET_CACHE.clear()
    story = _story_of(stories, relations)
    copies = copy_groups(relations)
    spans = _mentions_by_span(articles)
    by_doc: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for article in articles:
        for m in article.entities:
            eid = links.get((article.id, m.start, m.end))
            # Only people the gazetteer knows: a speaker found by rules is too often half a
            # name or a description, and then "two speakers" are one person read twice.
            if eid is not None and m.type == "PER" and m.key.startswith("gaz:"):
                by_doc[article.id].append((m.start, m.end, eid, m.text))
    event_sentences: dict[str, dict[int | None, set[str]]] = defaultdict(lambda: defaultdict(set))
    for event in events:
        for ref in event.mentions:
            found_ = spans.get((ref.doc, ref.start, ref.end))
            if found_ is not None:
                event_sentences[ref.doc][found_[0].sentence_index(ref.start)].add(event.id)
    found = [
        *_quantity(articles, story, copies, links, event_sentences),  # type: ignore[arg-type]
        *_date(events, spans),
        *_attribution(articles, by_doc),
        *_denial(articles, events, story, copies, spans),
    ]
    _CONTEXT_CACHE.clear()
    _OFFSET_CACHE.clear()
    # The same claims found twice (a denial and its assertion both in two reports) are one record.
    return list({c.id: c for c in found}.values())
