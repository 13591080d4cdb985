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
from functools import lru_cache
from importlib import resources
from itertools import combinations

from marsad.corpus.merge import actor_country, copy_groups, parse_period
from marsad.corpus.similarity import content_stems
from marsad.model import Article
from marsad.model.corpus import Claim, Contradiction, Event, Relation, Story
from marsad.model.spans import EventMention, QuantityMention
from marsad.normalize import normalize_form

COMPONENT = "corpus.contradictions"
ABOUT_TOLERANCE = 0.10  # relative slack when either figure is "about"/"nearly"
EXACT_TOLERANCE = 0.005  # rounding in the source (12.000 vs 12,000.5 is not a disagreement)
MIN_QUOTE_WORDS = 4  # shorter quotes ("أخبار كاذبة") are common phrases, not attributable words
MAX_DENIAL_CANDIDATES = 50
MAX_ASSERTING_CLAIMS = 25  # a denial shown against its first 25 independent asserting reports
DENIAL_MIN_OVERLAP = 0.08  # Jaccard of content words between a rejection's context and the event
# Event types that are themselves statements about other events: a REJECT of an ACCUSE is a
# reply, not a denial of a reported fact, so these are never the asserted side of a denial.
_STATEMENT_TYPES = frozenset({"REJECT", "ACCUSE", "CONSULT", "REQUEST", "SUPPORT", "PROTEST", "THREATEN"})
_NON_WORD = re.compile(r"[^\w\s]+")

Link = tuple[str, int, int]


@lru_cache(maxsize=1)
def running_tolls() -> frozenset[str]:
    text = resources.files("marsad.corpus").joinpath("data/running_tolls.txt").read_text(encoding="utf-8")
    return frozenset(
        normalize_form(w.strip()) for w in text.splitlines() if w.strip() and not w.startswith("#")
    )


@lru_cache(maxsize=1)
def unit_plurals() -> dict[str, str]:
    """unit -> its first listed plural (for "عدد الجنود"), from the quantity extractor's lexicon."""
    out: dict[str, str] = {}
    text = resources.files("marsad.extract").joinpath("lexicons/units.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) >= 2 and cols[1].strip():
            out[normalize_form(cols[0].strip())] = cols[1].split(",")[0].strip()
    return out


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
    published: str | None
    q: QuantityMention
    countries: frozenset[str]


def _sentence_index(article: Article) -> Callable[[int], int | None]:
    """`article.sentence_index` as a closure over the sentence starts, searched with C bisect:
    the Python binary search, called for every entity, figure and event, was a visible cost."""
    spans = article.sentences
    starts = [s for s, _ in spans]

    def index(offset: int) -> int | None:
        i = bisect_right(starts, offset) - 1
        return i if i >= 0 and offset < spans[i][1] else None

    return index


def _sentence_countries(article: Article, index: Callable[[int], int | None]) -> dict[int | None, set[str]]:
    by_sentence: dict[int | None, set[str]] = defaultdict(set)
    for m in article.entities:
        if m.country:
            by_sentence[index(m.start)].add(m.country)
    return by_sentence


def _same_figure(a: QuantityMention, b: QuantityMention) -> bool:
    tol = ABOUT_TOLERANCE if "about" in (a.qualifier, b.qualifier) else EXACT_TOLERANCE
    scale = max(abs(a.value), abs(b.value), 1e-9)
    return abs(a.value - b.value) / scale <= tol


def _value(q: QuantityMention) -> dict[str, object]:
    return {"value": q.value, "qualifier": q.qualifier, "unit": q.unit}


def _quantity(
    articles: Sequence[Article], story: Mapping[str, str], names: Mapping[str, str]
) -> list[Contradiction]:
    groups: dict[tuple[str, str], list[_Figure]] = defaultdict(list)
    for order, article in enumerate(articles):
        if not article.quantities or article.id not in story:
            continue  # a document related to nothing has nobody to disagree with
        index = _sentence_index(article)
        countries = _sentence_countries(article, index)
        for q in article.quantities:
            if not q.unit or q.qualifier == "vague":
                continue
            ctx = frozenset(countries.get(index(q.start), ()))
            if ctx:
                groups[(story[article.id], q.unit)].append(
                    _Figure(order, article.id, article.published, q, ctx)
                )

    out: list[Contradiction] = []
    tolls = running_tolls()
    for (_, unit), figures in groups.items():
        if len({f.doc for f in figures}) < 2:
            continue
        for component in _contexts(figures):
            if len({f.doc for f in component}) < 2:
                continue
            values: list[list[_Figure]] = []
            for f in sorted(component, key=lambda f: (f.q.value, f.order, f.q.start)):
                if values and _same_figure(values[-1][0].q, f.q):
                    values[-1].append(f)
                else:
                    values.append([f])
            if len(values) < 2:
                continue
            if normalize_form(unit) in tolls and _is_update(values):
                continue
            shared = frozenset.intersection(*(f.countries for f in component)) or frozenset.union(
                *(f.countries for f in component)
            )
            plural = unit_plurals().get(normalize_form(unit), unit)
            place = "، ".join(sorted(names.get(c, c) for c in shared))
            claims = [
                Claim(f.doc, f.q.start, f.q.end, f.q.text, _value(f.q))
                for f in sorted(component, key=lambda f: (f.order, f.q.start))
            ]
            out.append(
                Contradiction(
                    id=contradiction_id("quantity", claims),
                    about=f"عدد {plural} ({place})" if place else f"عدد {plural}",
                    kind="quantity",
                    claims=claims,
                    reason=(
                        f"{len(values)} different figures for {unit} in one story, around the same "
                        f"countries ({', '.join(sorted(shared))})"
                    ),
                )
            )
    return out


def _contexts(figures: list[_Figure]) -> list[list[_Figure]]:
    """Figures about the same actors: linked when they share two countries (or their only one)."""
    parent = list(range(len(figures)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seen: dict[tuple[str, ...], int] = {}
    for i, f in enumerate(figures):
        keys = (
            [(c,) for c in f.countries]
            if len(f.countries) == 1
            else list(combinations(sorted(f.countries), 2))
        )
        for key in keys[:15]:  # a sentence naming many countries: its first pairs suffice
            j = seen.setdefault(key, i)
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
        if len(f.countries) > 1:
            # A figure naming one country still matches one naming that country among others.
            for c in f.countries:
                j = seen.get((c,))
                if j is not None:
                    ri, rj = find(i), find(j)
                    if ri != rj:
                        parent[max(ri, rj)] = min(ri, rj)
    comps: dict[int, list[_Figure]] = defaultdict(list)
    for i, f in enumerate(figures):
        comps[find(i)].append(f)
    return list(comps.values())


def _is_update(values: list[list[_Figure]]) -> bool:
    """True when each higher figure was published strictly later than every lower one."""
    spans = []
    for group in values:
        dates = [f.published[:10] for f in group if f.published]
        if len(dates) != len(group):
            return False
        spans.append((min(dates), max(dates)))
    return all(spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1))


def _mentions_by_span(articles: Sequence[Article]) -> dict[Link, tuple[Article, EventMention]]:
    return {(a.id, e.start, e.end): (a, e) for a in articles for e in a.events}


def _date(events: Sequence[Event], spans: Mapping[Link, tuple[Article, EventMention]]) -> list[Contradiction]:
    out: list[Contradiction] = []
    for event in events:
        if len({m.doc for m in event.mentions}) < 2:
            continue
        dated: list[tuple[str, Claim]] = []
        for ref in event.mentions:
            found = spans.get((ref.doc, ref.start, ref.end))
            if found is None:
                continue
            _, mention = found
            if mention.date is None or mention.date.source != "sentence" or not mention.date.value:
                continue
            dated.append(
                (
                    mention.date.value,
                    Claim(ref.doc, mention.start, mention.end, mention.text, mention.date.value),
                )
            )
        periods = {v: parse_period(v) for v, _ in dated}
        values = sorted({v for v, _ in dated if periods[v] is not None})
        # Disagreement: two stated dates that cannot both be right (periods that do not overlap).
        clash = any(
            periods[a][1] < periods[b][0] or periods[b][1] < periods[a][0]  # type: ignore[index]
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


def _entities_in(doc_spans: Sequence[tuple[int, int, str]], start: int, end: int) -> frozenset[str]:
    return frozenset(eid for s, e, eid in doc_spans if start <= s and e <= end)


def _attribution(
    articles: Sequence[Article], by_doc: Mapping[str, list[tuple[int, int, str]]]
) -> list[Contradiction]:
    groups: dict[str, list[tuple[int, Article, object]]] = defaultdict(list)
    for order, article in enumerate(articles):
        for quote in article.quotes:
            if quote.speaker is None:
                continue
            key = _quote_key(quote.text)
            if key:
                groups[key].append((order, article, quote))
    out: list[Contradiction] = []
    for members in groups.values():
        if len({a.id for _, a, _ in members}) < 2:
            continue
        speakers = []
        for _, article, quote in members:
            sp = quote.speaker  # type: ignore[attr-defined]
            speakers.append(_entities_in(by_doc.get(article.id, ()), sp.start, sp.end))
        # Disagreement: two speakers that resolve to entities and share none of them.
        # Compared over distinct speaker sets: a quote copied by a thousand outlets is one check.
        distinct = [x for x in dict.fromkeys(speakers) if x]
        if not any(not (a & b) for a, b in combinations(distinct[:50], 2)):
            continue
        claims = [
            Claim(article.id, quote.start, quote.end, quote.text, quote.speaker.text)  # type: ignore[attr-defined]
            for _, article, quote in members
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
    head_cache: dict[str, list[tuple[str, frozenset[str] | None]]] = {}

    def heads(event: Event) -> list[tuple[str, frozenset[str] | None]]:
        """(copy group, sentence words) of the event's first reports, computed once per event
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
                got.append((group, words))
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
        for mention in article.events:
            if not (_is_denial(mention) or mention.type == "REJECT"):
                continue
            rejecter = actor_country(mention.source)
            keys = {actor_country(mention.target), rejecter} if _is_denial(mention) else {rejecter}
            candidates: dict[str, Event] = {}
            for c in keys:
                if c:
                    for e in asserted.get((s, c), ()):
                        candidates.setdefault(e.id, e)
            if not candidates:
                continue
            context = _context_words(article, mention.start)
            denial = _is_denial(mention)
            best: tuple[float, str, Event] | None = None
            for event in candidates.values():
                if denial and event.type != mention.type:
                    continue
                # The first few reports from other, independent documents are enough to score.
                others = [words for group, words in heads(event) if group != own][:3]
                if not others:
                    continue  # only this document (or its copies) asserts it: no second source
                score = 0.0
                if context:
                    for words in others:
                        if words:
                            inter = len(words & context)
                            score = max(score, inter / (len(words) + len(context) - inter))
                if score < DENIAL_MIN_OVERLAP:
                    continue
                if best is None or (score, event.id) > (best[0], best[1]):
                    best = (score, event.id, event)
            if best is None or (article.id, best[1]) in seen:
                continue
            seen.add((article.id, best[1]))
            event = best[2]
            claims = [
                *_asserting_claims(event, copies, own),
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


def _asserting_claims(event: Event, copies: Mapping[str, str], own: str) -> list[Claim]:
    """One claim per independent source group asserting the event (copies add nothing), at most
    MAX_ASSERTING_CLAIMS, earliest reports first."""
    claims: list[Claim] = []
    groups: set[str] = {own}
    for ref in event.mentions:
        group = copies.get(ref.doc, ref.doc)
        if group in groups:
            continue
        groups.add(group)
        claims.append(Claim(ref.doc, ref.start, ref.end, ref.text or "", "asserted"))
        if len(claims) >= MAX_ASSERTING_CLAIMS:
            break
    return claims


def actor_text(event: Event) -> str:
    parts = [r.text for r in (event.source, event.target) if r is not None]
    return " ← ".join(parts) if parts else event.id


def country_names(articles: Sequence[Article]) -> dict[str, str]:
    """alpha-3 -> the most used country name (GPE mentions) in the corpus, for `about` strings."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for m in article.entities:
            if m.type == "GPE" and m.country and m.key.startswith("gaz:countries:"):
                counts[m.country][m.name or m.text] += 1
    return {c: names.most_common(1)[0][0] for c, names in counts.items()}


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
    by_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for (doc, start, end), eid in links.items():
        by_doc[doc].append((start, end, eid))
    found = [
        *_quantity(articles, story, country_names(articles)),
        *_date(events, spans),
        *_attribution(articles, by_doc),
        *_denial(articles, events, story, copies, spans),
    ]
    _CONTEXT_CACHE.clear()
    _OFFSET_CACHE.clear()
    return found
