"""One event, many reports: merge event mentions of different articles into corpus `Event`s.

Analysts' first complaint about event data is that it counts reports, not events. Here, mentions
are blocked by (PLOVER type, mode, unordered pair of actor countries, story) and, inside a block,
joined when their dates and places are compatible:

- both dated by their sentence: the dates overlap ("2024-06" contains "2024-06-15"), or are day
  dates at most `DAY_SLACK` days apart (two outlets disagreeing on the day of one event, which the
  contradiction stage then reports);
- one dated by its sentence, the other only by its article's publication date: the publication
  falls inside the dated one's period or within `WINDOW_DAYS` after it (a report of the event
  published days later); with no publication date, an undated mention is not tied to a dated
  event, since nothing says it is the same occurrence;
- neither dated by its sentence: publication dates within `WINDOW_DAYS`, or both unknown;
- places: two different stated places keep mentions apart;
- wording: the report's sentence must share enough rare words with a report already in the
  event (Jaccard weighted by inverse frequency among all reports' sentences, at least
  `MIN_WORDING`): the same type, actors and day is not enough in a war, where the coalition
  strikes Aden, Hodeidah and al-Anad on one day and a story reports them all. Two reports that
  each name a person the other does not (the king receiving Carter, the king receiving Shoukry)
  are two acts. Two articles of
  one outlet must say nearly the same thing (`SAME_OUTLET_WORDING`), and two mentions in one
  article stay two events.

The headline figure of each measure (`figures`) follows ACLED's rule: the most conservative
figure that at least two independent sources give (else the lowest, marked single-source); for
a toll that grows (killed, injured), among the reports of the latest day that gives one. Every
other figure is listed as the dispute.

`sources` counts outlets independently only when their documents are not copies of each other
(exact, near_duplicate or rewrite relations), and `history` keeps the event's figures, report by
report in publication order, when they changed ("the toll rose to 47").
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from marsad.corpus.similarity import content_stems
from marsad.corpus.unionfind import UnionFind
from marsad.model import Article
from marsad.model.corpus import Event, MentionRef, Relation, Story, event_id, unique_ids
from marsad.model.spans import ActorRef, EventDate, EventMention
from marsad.normalize import normalize_form

COMPONENT = "corpus.merge"
COPY_KINDS = frozenset({"exact", "near_duplicate", "rewrite"})
# Magnitudes (events coder labels) that grow as reports come in: the headline takes the latest.
GROWING = frozenset({"killed", "injured", "arrested"})
WINDOW_DAYS = 14
DAY_SLACK = 3
# How many open clusters of one block a mention is compared with: blocks are story-local, so
# this bounds the work on pathological corpora without changing results on real ones.
MAX_CANDIDATES = 64
RARITY_PRIOR = 50  # see `rarity`
MIN_WORDING = 0.3  # weighted Jaccard of the sentences of two reports of one event
SAME_OUTLET_WORDING = 0.5  # ... for two (non-copy) articles of one outlet
MAX_WORDING_REPORTS = 8  # reports of an event a new report's wording is compared with

Link = tuple[str, int, int]
_NON_WORD = re.compile(r"[^\w\s]+")


def parse_period(value: str | None) -> tuple[date, date] | None:
    """First and last day an ISO value ("2024", "2024-06", "2024-06-15", "a/b") covers."""
    if not value:
        return None
    if "/" in value:
        a, _, b = value.partition("/")
        pa, pb = parse_period(a), parse_period(b)
        if pa is None or pb is None:
            return None
        return pa[0], pb[1]
    parts = value[:10].split("-")
    try:
        if len(parts) == 1:
            y = int(parts[0])
            return date(y, 1, 1), date(y, 12, 31)
        if len(parts) == 2:
            y, m = int(parts[0]), int(parts[1])
            first = date(y, m, 1)
            last = (date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)
            return first, last
        y, m, d = int(parts[0]), int(parts[1]), int(parts[2][:2])
        return date(y, m, d), date(y, m, d)
    except ValueError:
        # Not an ISO date (a week value such as "2024-W41", or a malformed input): undated.
        return None


def actor_country(ref: ActorRef | None) -> str | None:
    """The country part of a CAMEO-style code ("RUS GOV" -> RUS; "IGO NATO" stays whole, since
    the organisation is the actor)."""
    if ref is None or not ref.code:
        return None
    code = ref.code.strip()
    head = code.split()[0]
    if head in ("IGO", "NGO", "MNC") or len(head) != 3:
        return code
    return head


@dataclass(slots=True)
class _Report:
    order: int
    article: Article
    mention: EventMention
    sentence_period: tuple[date, date] | None
    published: date | None
    place: str | None
    words: frozenset[str] = frozenset()  # content words of the report's sentence
    people: frozenset[str] = frozenset()  # linked people named in the report's sentence


@dataclass(slots=True)
class _Cluster:
    reports: list[_Report] = field(default_factory=list)
    period: tuple[date, date] | None = None  # the union of the sentence dates
    published: tuple[date, date] | None = None  # range of publication dates of undated reports
    place: str | None = None


def _compatible(c: _Cluster, r: _Report) -> bool:
    if c.place and r.place and c.place != r.place:
        return False
    if r.sentence_period is not None:
        if c.period is not None:
            a, b = c.period
            x, y = r.sentence_period
            if x <= b and a <= y:
                return True
            # Day dates a few days apart: one event, disputed day (flagged as a contradiction).
            return a == b and x == y and abs((x - a).days) <= DAY_SLACK
        if c.published is None:
            return False
        return c.published[0] >= r.sentence_period[0] and c.published[1] <= r.sentence_period[1] + timedelta(
            days=WINDOW_DAYS
        )
    if c.period is not None:
        if r.published is None:
            return False
        return c.period[0] <= r.published <= c.period[1] + timedelta(days=WINDOW_DAYS)
    if c.published is None or r.published is None:
        # Neither side has any date: the same type, actors and story are all there is to go on.
        return c.published is None and r.published is None
    lo, hi = c.published
    return (r.published - lo).days <= WINDOW_DAYS and (hi - r.published).days <= WINDOW_DAYS


def _same_wording(c: _Cluster, r: _Report, idf: Mapping[str, float], copies: Mapping[str, str]) -> bool:
    """The report's sentence shares rare words with one of the event's first reports, or the
    report is in a copy (or rewrite) of a document already reporting the event."""
    if any(o.article.id == r.article.id for o in c.reports):
        # Two mentions of one type in one article are, on real news, mostly two acts (five
        # officials charged, then four): an article that repeats its event adds no source.
        return False
    group = copies.get(r.article.id)
    if group is not None and any(copies.get(o.article.id) == group for o in c.reports):
        return True
    outlet = outlet_name(r.article)
    for other in c.reports[:MAX_WORDING_REPORTS]:
        if (r.people - other.people) and (other.people - r.people):
            continue  # each names someone the other does not: the king receiving two guests
        union = sum(idf.get(w, 0.0) for w in other.words | r.words)
        # An outlet's own later article on a similar act is more often a new act (another
        # meeting, another match) than a second report: it must say nearly the same thing.
        need = SAME_OUTLET_WORDING if outlet_name(other.article) == outlet else MIN_WORDING
        if union and sum(idf.get(w, 0.0) for w in other.words & r.words) / union >= need:
            return True
    return False


def _sentence_words(article: Article, offset: int) -> frozenset[str]:
    i = article.sentence_index(offset)
    if i is None:
        return frozenset()
    s, e = article.sentences[i]
    return frozenset(content_stems(_NON_WORD.sub(" ", normalize_form(article.text[s:e])).split()))


def _sentence_people(article: Article, offset: int, links: Mapping[Link, str]) -> frozenset[str]:
    i = article.sentence_index(offset)
    if i is None:
        return frozenset()
    s, e = article.sentences[i]
    return frozenset(
        links.get((article.id, m.start, m.end), m.key)
        for m in article.entities
        if m.type == "PER" and s <= m.start < e
    )


def rarity(word_sets: Iterable[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency of each word over `word_sets`, with a prior of
    `RARITY_PRIOR` sets that lack the word: on a handful of reports every shared word would
    otherwise look common and weigh less than the words only one report has."""
    df: Counter[str] = Counter()
    n = 0
    for words in word_sets:
        df.update(words)
        n += 1
    return {w: math.log((n + RARITY_PRIOR) / c) for w, c in df.items()}


def _add(c: _Cluster, r: _Report) -> None:
    c.reports.append(r)
    if r.sentence_period is not None:
        c.period = (
            r.sentence_period
            if c.period is None
            else (min(c.period[0], r.sentence_period[0]), max(c.period[1], r.sentence_period[1]))
        )
    elif r.published is not None:
        c.published = (
            (r.published, r.published)
            if c.published is None
            else (min(c.published[0], r.published), max(c.published[1], r.published))
        )
    c.place = c.place or r.place


def _published(article: Article) -> date | None:
    period = parse_period(article.published)
    return period[0] if period else None


def _story_of(stories: Sequence[Story] | None, relations: Sequence[Relation]) -> dict[str, str]:
    """Document -> story id; without stories, the connected components of the relations."""
    if stories:
        return {doc: s.id for s in stories for doc in s.documents}
    sets: UnionFind[str] = UnionFind()
    for rel in relations:
        sets.union(rel.a, rel.b)
    return sets.groups()


def copy_groups(relations: Sequence[Relation]) -> dict[str, str]:
    """Document -> representative of its copy group (exact / near-duplicate / rewrite)."""
    sets: UnionFind[str] = UnionFind()
    for rel in relations:
        if rel.kind in COPY_KINDS:
            sets.union(rel.a, rel.b)
    return sets.groups()


def outlet_name(article: Article) -> str:
    """Who published a document: the outlet, else the web host, else the source itself."""
    if article.outlet:
        return article.outlet
    url = article.provenance.url or ""
    if "://" in url:
        return url.split("://", 1)[1].split("/", 1)[0]
    return Path(article.provenance.source).name or article.provenance.source


def _ref(ref: ActorRef | None, doc: str, links: Mapping[Link, str]) -> ActorRef | None:
    """An actor with its entity id replaced by the corpus entity covering its words."""
    if ref is None:
        return None
    entity = None
    if ref.start is not None and ref.end is not None:
        entity = links.get((doc, ref.start, ref.end))
    return ActorRef(ref.text, entity, ref.code, ref.start, ref.end)


def merge_events(
    articles: Sequence[Article],
    links: Mapping[Link, str],
    relations: Sequence[Relation],
    stories: Sequence[Story] | None = None,
) -> list[Event]:
    """Corpus events, each with every report of it, ordered by their earliest report."""
    # Without stories (a caller that only wants events merged), every document is one pool: the
    # type, actors, dates and place alone decide.
    story = _story_of(stories, relations) if stories is not None else {}
    pool = None if stories is not None else ""
    blocks: dict[tuple[Any, ...], list[_Report]] = defaultdict(list)
    for order, article in enumerate(articles):
        published = _published(article)
        for ev in article.events:
            countries = tuple(sorted(filter(None, {actor_country(ev.source), actor_country(ev.target)})))
            key = (
                ev.type,
                ev.mode,
                countries,
                ev.negated,
                ev.modality == "denied",
                story.get(article.id, article.id if pool is None else pool),
            )
            date_ = ev.date
            period = parse_period(date_.value) if date_ is not None and date_.source == "sentence" else None
            place = None
            if ev.location is not None:
                place = (
                    links.get((article.id, ev.location.start or -1, ev.location.end or -1))
                    or ev.location.code
                    or ev.location.text
                )
            words = _sentence_words(article, ev.start)
            people = _sentence_people(article, ev.start, links)
            blocks[key].append(_Report(order, article, ev, period, published, place, words, people))

    idf = rarity(r.words for reports in blocks.values() for r in reports)
    copies = copy_groups(relations)
    events: list[tuple[tuple[Any, ...], Event]] = []
    all_clusters: list[tuple[tuple[Any, ...], _Cluster]] = []
    for key, reports in blocks.items():
        # Dated reports first (they anchor clusters), then by publication, article order, offset.
        reports.sort(
            key=lambda r: (
                r.sentence_period is None,
                r.sentence_period or (date.min, date.min),
                r.published or date.max,
                r.order,
                r.mention.start,
            )
        )
        clusters: list[_Cluster] = []
        for r in reports:
            for c in clusters[-MAX_CANDIDATES:]:
                if _compatible(c, r) and _same_wording(c, r, idf, copies):
                    _add(c, r)
                    break
            else:
                c = _Cluster()
                _add(c, r)
                clusters.append(c)
        all_clusters.extend((key, c) for c in clusters)
    for c in _attach_partial(all_clusters, idf, copies):
        events.append(_event(c, links, copies))
    events.sort(key=lambda pair: pair[0])
    merged = [e for _, e in events]
    for e, new_id in zip(merged, unique_ids(e.id for e in merged), strict=True):
        e.id = new_id
    return merged


def _attach_partial(
    clusters: list[tuple[tuple[Any, ...], _Cluster]], idf: Mapping[str, float], copies: Mapping[str, str]
) -> list[_Cluster]:
    """Join a sentence-dated cluster whose reports found fewer actors (one country: the extractor
    missed the other) to the only cluster of the same type, mode and story that has those
    actors among its own and an overlapping date. With two candidates it stays apart."""
    by_kind: dict[tuple[Any, ...], list[tuple[tuple[str, ...], _Cluster]]] = defaultdict(list)
    for key, c in clusters:
        if len(key[2]) == 2 and c.period is not None:
            by_kind[(key[0], key[1], key[3], key[4], key[5])].append((key[2], c))
    out: list[_Cluster] = []
    for key, c in clusters:
        if len(key[2]) < 2 and c.period is not None:
            a, b = c.period
            fits = [
                full
                for countries, full in by_kind.get((key[0], key[1], key[3], key[4], key[5]), ())
                if set(key[2]) <= set(countries)
                and full.period is not None
                and full.period[0] <= b
                and a <= full.period[1]
                and _same_wording(full, c.reports[0], idf, copies)
            ]
            if len(fits) == 1:
                for r in c.reports:
                    _add(fits[0], r)
                continue
        out.append(c)
    return out


def _event(
    c: _Cluster, links: Mapping[Link, str], copies: Mapping[str, str]
) -> tuple[tuple[Any, ...], Event]:
    reports = sorted(c.reports, key=lambda r: (r.published or date.max, r.order, r.mention.start))
    first = reports[0]
    m, doc = first.mention, first.article.id
    # The most specific sentence date among the reports (day over month over year), earliest first.
    dated = [r for r in reports if r.sentence_period is not None and r.mention.date is not None]
    if dated:
        best = min(dated, key=lambda r: (r.sentence_period[1] - r.sentence_period[0], r.sentence_period[0]))  # type: ignore[index]
        assert best.mention.date is not None
        when: EventDate | None = EventDate(best.mention.date.value, best.mention.date.text, "sentence")
    else:
        when = m.date
    docs = list(dict.fromkeys(r.article.id for r in reports))
    groups: dict[str, str] = {}
    for r in reports:
        groups.setdefault(copies.get(r.article.id, r.article.id), outlet_name(r.article))
    sources = sorted(set(groups.values()))
    reason = m.reason or ""
    if len(reports) > 1:
        reason += (
            f"; merged {len(reports)} reports from {len(docs)} documents ({len(groups)} independent): "
            f"same type {m.type}, actors and story, compatible dates and place"
        )
    event = Event(
        id=event_id(doc, m.start, m.end, m.type),
        type=m.type,
        mode=m.mode,
        source=_ref(m.source, doc, links),
        target=_ref(m.target, doc, links),
        date=when,
        location=_ref(m.location, doc, links),
        negated=m.negated,
        modality=m.modality,
        confidence=max(r.mention.confidence for r in reports),
        reason=reason,
        mentions=[MentionRef(r.article.id, r.mention.start, r.mention.end, r.mention.text) for r in reports],
        sources=sources,
        history=_history(reports),
        figures=_headline(reports, copies),
    )
    return (first.order, m.start, event.id), event


def _history(reports: list[_Report]) -> list[dict[str, object]]:
    """Figures report by report, in publication order, when they are not all the same."""
    entries: list[dict[str, object]] = []
    for r in reports:
        if r.mention.magnitude:
            entries.append(
                {
                    "doc": r.article.id,
                    "published": r.article.published,
                    "start": r.mention.start,
                    "end": r.mention.end,
                    **r.mention.magnitude,
                }
            )
    distinct = {
        tuple(sorted((k, str(v)) for k, v in e.items() if k not in ("doc", "published", "start", "end")))
        for e in entries
    }
    return entries if len(distinct) > 1 else []


def _headline(reports: list[_Report], copies: Mapping[str, str]) -> dict[str, dict[str, object]]:
    """The headline figure of each measure, by ACLED's rule (module docstring)."""
    by_measure: dict[str, list[tuple[float, date | None, str, str]]] = defaultdict(list)
    for r in reports:
        for measure, value in r.mention.magnitude.items():
            if isinstance(value, int | float):
                group = copies.get(r.article.id, r.article.id)
                by_measure[measure].append((float(value), r.published, group, outlet_name(r.article)))
    out: dict[str, dict[str, object]] = {}
    for measure, entries in by_measure.items():
        if measure in GROWING:
            latest = max((p for _, p, _, _ in entries if p is not None), default=None)
            entries = [e for e in entries if e[1] is None or e[1] == latest]
        groups: dict[float, dict[str, str]] = defaultdict(dict)
        for value, _, group, outlet in entries:
            groups[value].setdefault(group, outlet)
        well = [v for v, g in groups.items() if len(g) >= 2]
        value = min(well) if well else min(groups)
        disputed = [
            {"value": v, "sources": sorted(set(g.values()))} for v, g in sorted(groups.items()) if v != value
        ]
        out[measure] = {
            "value": int(value) if value.is_integer() else value,
            "sources": sorted(set(groups[value].values())),
            "well_sourced": bool(well),
            "disputed": disputed,
            "reason": (
                "lowest figure given by two or more independent sources"
                if well
                else "lowest figure; no figure has two independent sources"
            )
            + (", among the latest day's reports (the count grows)" if measure in GROWING else "")
            + (f"; {len(disputed)} other figure(s) reported" if disputed else ""),
        }
    return out
