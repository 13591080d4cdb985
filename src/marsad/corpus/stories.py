"""Stories: incremental single-pass clustering of articles into running stories, with stable ids.

Each new article (in publication order, then input order; undated articles last) either joins an
existing story or opens a new one:

1. **Copies first.** An article that dedup related to an article already placed (`exact`,
   `near_duplicate`, `rewrite`) joins that article's story: a copy tells the same story by
   definition, and this keeps copies together even when their similarity is low after rewriting.
2. **Candidates by inverted index.** Every story keeps postings from its salient keys (entity
   linking keys, figures, the document's highest-weighted rare content stems) to itself. An article
   looks up its own salient keys, reads only the most recent `story_postings` stories of each key
   (so a very common key such as a country cannot make the lookup quadratic), keeps the stories
   whose publication span is within `story_window_days` of its own date, and ranks them by the
   summed rarity (idf over the batch) of the keys they share.
3. **Scoring.** The top `story_candidates` stories are scored with
   `corpus.similarity.article_similarity` against their representatives (the most central member
   and the two most recent ones), blended with how much of the article's entity weight the
   story's members carry (a key counts fully once a third of the members carry it), less a
   penalty that grows with the days since the story's latest report (`_GAP_SPAN`). The best story at or above `story_threshold` is joined; otherwise a story opens. A
   score already `_CLEAR_MARGIN` above the threshold ends the search early (the remaining
   candidates rank lower by shared keys and could only confirm it).

Centrality of a member = the idf-weighted share of its salient keys that the other members also
carry. The newcomer's is computed on joining; the representatives' are refreshed whenever the
story doubles in size, so large stories cost O(1) per join.

**Stable ids.** A story's id is "sty-" + a hash of the document that opened it. With a store, the
story state (membership, representatives, key profile, index keys) is persisted, so the next batch
joins existing stories and never renames them, and a document already placed is never moved:
re-running the same input changes nothing.

**Outputs.** Title: the headline of the most central member, else its first sentence, trimmed.
Summary: 3-6 non-redundant sentences picked by MMR over content-stem vectors from the most central
members of this run, cited as {doc, start, end} and ordered by date. `first_seen`/`last_seen` come
from publication dates. `same_story` relations link each member of this run to the story's most
central member of this run (one per document, so output stays linear) unless dedup already
related the pair more strongly.

Cost: per article, a few dict lookups per salient key, at most `story_candidates *
story_representatives` similarity calls, and nothing that grows with the corpus.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, Any

from marsad.config import defaults
from marsad.corpus.dedup import COPY_KINDS  # relations that put two articles in one story outright
from marsad.corpus.similarity import MIN_WEIGHED_BATCH
from marsad.errors import ConfigError
from marsad.model import Article, MentionRef, Relation, Story
from marsad.normalize.text import normalize_form

if TYPE_CHECKING:
    from marsad.corpus.similarity import DocSignature
    from marsad.store import Store

log = logging.getLogger(__name__)

COMPONENT = "corpus.stories"


_CENTRAL = 2  # most central members kept as representatives; one more slot is the most recent
_MAX_ENTITY_KEYS = 32  # entity keys per document (a long article names more; the rarest are kept)
_MAX_FIGURE_KEYS = 12  # figure keys per document
_PROFILE_KEEP = 96  # keys of a story's profile persisted for the next run
_MIN_SHARED = 0.1  # share of an article's key weight a candidate story must hold
_COVER_SHARE = 1 / 3  # share of a story's members that must carry an entity key for it to count fully
_CLEAR_MARGIN = 0.15  # a score this far above the threshold ends the search for a better story
# The two latest members are representatives: a story is followed where it is now, so an
# article is compared with the latest reports, not only with a core that grew to cover a
# body's routine announcements of earlier days.
_RECENT = 2
# The joining score needed rises with the days since the story's latest report, by this much
# over a whole `story_window_days` (0.05 a day at the shipped 7): the same body's announcements
# on different days, or a second incident of one kind, joined a story a week old on template
# wording alone (judged stories.jsonl; measured by benchmarks/eval_corpus.py).
_GAP_SPAN = 0.35
_TITLE_CHARS = 140  # a first-sentence title is cut at a word boundary before this
_TITLE_MIN_WORDS, _TITLE_LOOKAHEAD = 8, 3  # a lead sentence has 8+ words, within the first 3
_SUMMARY_DOCS = 5  # the most central members of this run whose sentences the summary may cite
_SUMMARY_LEAD = 8  # leading sentences per document considered (news puts the facts first)
_MIN_SENT_WORDS, _MAX_SENT_WORDS = 6, 70  # shorter are captions/furniture; longer are run-ons
_REDUNDANT = 0.5  # content-stem Jaccard above which a sentence repeats one already chosen
_MMR_LAMBDA = 0.7  # relevance against redundancy in MMR
_WORD = re.compile(r"\w+")
_ISO_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def story_id(first_doc: str) -> str:
    """ "sty-" + 12 hex digits of the opening document's id: the same documents, the same ids."""
    return "sty-" + hashlib.sha256(first_doc.encode("utf-8")).hexdigest()[:12]


def day_number(value: str | None) -> int | None:
    """Proleptic ordinal of the first day an ISO date or datetime ("2024", "2024-06", "2024-06-15T…")
    names, or None when absent or unreadable."""
    if not value:
        return None
    m = _ISO_DAY.match(value.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)).toordinal()
    except ValueError:
        return None


def _iso_day(day: int | None) -> str | None:
    return None if day is None else date.fromordinal(day).isoformat()


def config_section(config: Mapping[str, Any]) -> dict[str, Any]:
    """The [corpus] settings over their shipped defaults (default_config.toml documents each key), from the whole configuration (which has a
    "corpus" table) or from the [corpus] section itself (what analyze_corpus passes)."""
    shipped = {k: v for k, v in defaults()["corpus"].items() if not isinstance(v, dict)}
    section = dict(shipped)
    given = config.get("corpus", config)
    if not isinstance(given, Mapping):
        raise ConfigError(f"[corpus] must be a table of settings, not {type(given).__name__}")
    for key, default in shipped.items():
        if key not in given:
            continue
        value = given[key]
        try:
            section[key] = type(default)(value)
        except (TypeError, ValueError) as err:
            raise ConfigError(
                f"corpus.{key} must be a {type(default).__name__} (default {default!r}), not {value!r}"
            ) from err
        if section[key] < 0:
            raise ConfigError(f"corpus.{key} must not be negative (default {default!r}), not {value!r}")
    return section


@dataclass(slots=True, eq=False)
class _Doc:
    id: str
    order: int  # position in processing order (publication, then input)
    sig: DocSignature
    article: Article | None
    published: str | None
    day: int | None
    keys: tuple[str, ...]  # salient keys, most salient first
    weights: tuple[float, ...]  # idf of each key (computed once: centrality reads them often)
    mass: float  # sum of weights
    entities: tuple[str, ...]  # entity keys ("e:..."), for entity coverage


@dataclass(slots=True, eq=False)
class _Story:
    id: str
    seq: int
    first_doc: str
    title: str = ""
    first_seen: str | None = None
    last_seen: str | None = None
    first_day: int | None = None
    last_day: int | None = None
    size: int = 0
    profile: Counter[str] = field(default_factory=Counter)  # key -> members carrying it
    central: list[tuple[str, float]] = field(default_factory=list)  # (doc, centrality), best first
    recent: str | None = None
    recents: list[str] = field(default_factory=list)  # the latest dated members, newest last
    stored: bool = False
    dirty: bool = False
    new_members: list[tuple[str, float, str]] = field(default_factory=list)  # (doc, score, reason)

    def representatives(self, n: int) -> list[str]:
        recent = self.recents or ([self.recent] if self.recent else [])
        reps = [d for d, _ in self.central[: max(1, n - len(recent))]]
        for r in reversed(recent):
            if r not in reps:
                reps.append(r)
        return reps[: max(n, len(recent) + 1)]

    def in_window(self, day: int | None, window: int) -> bool:
        if day is None or self.first_day is None or self.last_day is None:
            return True
        return self.first_day - window <= day <= self.last_day + window


class _Clusterer:
    def __init__(
        self,
        articles: Sequence[Article],
        signatures: Mapping[str, DocSignature],
        store: Store | None,
        cfg: dict[str, Any],
        compare: Callable[[DocSignature, DocSignature], float],
        sign: Callable[[Article], DocSignature],
    ) -> None:
        self.cfg = cfg
        self.store = store
        self.compare = compare
        self.sign = sign
        self.threshold = float(cfg["story_threshold"])
        self.window = int(cfg["story_window_days"])
        self.n_reps = max(1, int(cfg["story_representatives"]))
        self.n_cands = max(1, int(cfg["story_candidates"]))
        self.ent_weight = float(cfg["story_entity_weight"])
        self.n_keys = max(1, int(cfg["story_index_keys"]))
        self.n_postings = max(1, int(cfg["story_postings"]))
        self.articles = {a.id: a for a in articles}
        self.signatures = signatures
        self.idf = self._idf(articles, signatures)
        self.docs: dict[str, _Doc] = {}
        self.stories: list[_Story] = []
        self.by_id: dict[str, _Story] = {}
        self.doc_story: dict[str, _Story] = {}
        # key -> {story index: None}, least recently touched first: each story appears once per
        # key, and the most recent `story_postings` of them are read from the end.
        self.postings: dict[str, dict[int, None]] = defaultdict(dict)
        self.by_id_index: dict[str, int] = {}
        self.pair_sims: dict[tuple[str, str], float] = {}
        # Stories that may still be in the time window of the next dated article (see candidates).
        self.live: dict[int, None] = {}
        self.pruned_at: int | None = None

    # -- features ------------------------------------------------------------------------------

    def _salient(self, sig: DocSignature) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """The keys that index a document: its entities and figures (few, and what a story is
        about), then its content stems with the highest tf x idf. Entities and figures are not
        ranked against words: in a small batch idf cannot tell a rare name from a one-off word,
        and a lookup that misses the shared names misses the story."""
        idf, idf_w, top = self.idf, self.idf_w, self.max_idf
        # Sorting (score, key) tuples is C work; nsmallest or a key function was 2x slower here.
        ents = sorted((-idf.get(k, top), k) for k in ("e:" + k for k in sig.entities if k))
        figs = sorted((-idf.get(k, top), k) for k in ("f:" + k for k in sig.figures))
        words = sorted([(-w * idf_w.get(t, top), t) for t, w in sig.terms.items()])
        keys = (
            *(k for _, k in ents[:_MAX_ENTITY_KEYS]),
            *(k for _, k in figs[:_MAX_FIGURE_KEYS]),
            # Interned: the same key from thousands of documents is then one string in memory.
            *(sys.intern("w:" + t) for _, t in words[: self.n_keys]),
        )
        weights = (
            *(-w for w, _ in ents[:_MAX_ENTITY_KEYS]),
            *(-w for w, _ in figs[:_MAX_FIGURE_KEYS]),
            *(idf_w.get(t, top) for _, t in words[: self.n_keys]),
        )
        return keys, weights

    def _idf(self, articles: Sequence[Article], signatures: Mapping[str, DocSignature]) -> dict[str, float]:
        # Content stems are counted unprefixed (a prefix per stem per document doubled the cost);
        # entity and figure keys, a few per document, carry their "e:"/"f:" prefix.
        df: Counter[str] = Counter()
        df_w: Counter[str] = Counter()
        for a in articles:
            sig = signatures.get(a.id)
            if sig is not None:
                df.update("e:" + k for k in sig.entities if k)
                df.update("f:" + k for k in sig.figures)
                df_w.update(sig.terms.stems)
        n = len(articles)
        self.max_idf = math.log(n + 1) + 1.0
        logn = math.log(n + 1) + 1.0
        self.idf_w = {k: logn - math.log(c + 1) for k, c in df_w.items()}
        return {k: logn - math.log(c + 1) for k, c in df.items()}

    def idf_of(self, key: str) -> float:
        # A key unseen in this batch (from a stored story) is as rare as a key can be here.
        if key.startswith("w:"):
            return self.idf_w.get(key[2:], self.max_idf)
        return self.idf.get(key, self.max_idf)

    def doc(self, doc_id: str, order: int = -1) -> _Doc | None:
        """The features of a document of this run or, loaded on demand, of a stored member."""
        found = self.docs.get(doc_id)
        if found is not None:
            return found
        article = self.articles.get(doc_id)
        if article is None:
            if self.store is None or not self.store.existing_documents([doc_id]):
                log.warning("story representative %s is not stored; it is left out of comparisons", doc_id)
                return None
            article = self.store.get_articles([doc_id])[0]
        sig = self.signatures.get(doc_id)
        if sig is None:
            sig = self.sign(article)
        keys, weights = self._salient(sig)
        entities = tuple(k for k in keys if k.startswith("e:"))
        found = _Doc(
            doc_id,
            order,
            sig,
            article,
            article.published,
            day_number(article.published),
            keys,
            weights,
            sum(weights),
            entities,
        )
        self.docs[doc_id] = found
        return found

    # -- stories -------------------------------------------------------------------------------

    def _add_story(self, story: _Story) -> None:
        self.stories.append(story)
        self.by_id[story.id] = story
        self.live[len(self.stories) - 1] = None

    def _index(self, story: _Story, keys: Sequence[str]) -> None:
        idx = self.by_id_index[story.id]
        postings = self.postings
        for k in keys:
            plist = postings[k]
            plist.pop(idx, None)  # re-inserted at the end: most recently touched
            plist[idx] = None

    def load(self, ids: Sequence[str], since_day: str | None, all_stories: bool) -> None:
        """Bring stored stories into memory: those named, and those the time window can reach."""
        if self.store is None:
            return
        rows = self.store.load_stories(ids) if ids else []
        if all_stories or since_day is not None:
            rows += self.store.load_stories(since_day=None if all_stories else since_day)
        seen: set[str] = set()
        for row in sorted(rows, key=lambda r: r["seq"]):
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            state = row["state"]
            story = _Story(
                id=row["id"],
                seq=row["seq"],
                first_doc=row["first_doc"],
                title=row["title"],
                first_seen=row["first_seen"],
                last_seen=row["last_seen"],
                first_day=state.get("first_day"),
                last_day=day_number(row["last_day"]),
                size=row["size"],
                profile=Counter(state.get("profile", {})),
                central=[(d, float(c)) for d, c in state.get("central", [])],
                recent=state.get("recent"),
                stored=True,
            )
            self._add_story(story)
            self.by_id_index[story.id] = len(self.stories) - 1
            self._index(story, state.get("index", []))

    def open_story(self, d: _Doc) -> _Story:
        story = _Story(id=story_id(d.id), seq=len(self.stories) + 1_000_000_000, first_doc=d.id)
        # seq for new stories is only a tie-breaker in memory; the store assigns the real one.
        self._add_story(story)
        self.by_id_index[story.id] = len(self.stories) - 1
        self.join(story, d, 1.0, "opened the story")
        return story

    def centrality(self, d: _Doc, story: _Story) -> float:
        """The idf-weighted share of a member's salient keys that other members also carry."""
        if story.size <= 1:
            return 1.0
        if not d.mass:
            return 0.0
        get, others = story.profile.get, story.size - 1
        shared = sum(w * min(others, get(k, 1) - 1) for k, w in zip(d.keys, d.weights, strict=True))
        return shared / (others * d.mass)

    def join(self, story: _Story, d: _Doc, score: float, reason: str) -> None:
        self.live[self.by_id_index[story.id]] = None  # touched: back in reach (see candidates)
        story.size += 1
        story.profile.update(d.keys)
        story.new_members.append((d.id, round(score, 6), reason))
        story.dirty = True
        self.doc_story[d.id] = story
        if d.day is not None:
            if story.first_day is None or d.day < story.first_day:
                story.first_day, story.first_seen = d.day, d.published
            if story.last_day is None or d.day >= story.last_day:
                story.last_day, story.last_seen = d.day, d.published
            story.recent = d.id
            story.recents = [*story.recents[1 - _RECENT :], d.id]
        elif story.recent is None or self.doc(story.recent) is None or self.docs[story.recent].day is None:
            story.recent = d.id
        # Centrality of the newcomer against the grown profile. The central members' own scores are
        # refreshed only when the story doubles in size (amortised O(1) per join): between
        # doublings the profile's proportions move little, and refreshing on every join made
        # large stories the dominant cost.
        ranked = [(d.id, self.centrality(d, story))]
        refresh = story.size & (story.size - 1) == 0
        for member, c in story.central:
            md = self.doc(member) if refresh else None
            ranked.append((member, self.centrality(md, story) if md is not None else c))
        ranked.sort(key=lambda mc: (-mc[1], self.docs[mc[0]].order if mc[0] in self.docs else -1, mc[0]))
        story.central = ranked[:_CENTRAL]
        self._index(story, d.keys)

    def candidates(self, d: _Doc) -> list[_Story]:
        """The `story_candidates` stories in `d`'s time window that share the most key weight with
        it, among the `story_postings` most recently touched stories of each of its keys."""
        day = d.day
        if day is None or (self.pruned_at is not None and day < self.pruned_at):
            return self._rank(d, None)  # any story may be in the window
        if self.pruned_at is None or day > self.pruned_at:
            # Articles come in date order, so a story that ended more than a window before this
            # one's day is out of reach of every later article until a join touches it again
            # (join() puts it back). Pruning walks the live stories once per new day, not per
            # article.
            cutoff = day - self.window
            for idx in [i for i in self.live if (ld := self.stories[i].last_day) is not None and ld < cutoff]:
                del self.live[idx]
            self.pruned_at = day
        return self._rank(d, self.live)

    def _rank(self, d: _Doc, pool: Mapping[int, None] | None) -> list[_Story]:
        """Walk the postings of `d`'s keys (at most `story_postings` stories each), summing the
        weight of the keys each story shares; only stories in `pool` (None: any) and in the time
        window count. The cost is keys x postings per article, whatever the number of stories."""
        window, day, n, stories = self.window, d.day, self.n_postings, self.stories
        weight: dict[int, float] = {}
        count: dict[int, int] = {}
        reachable: dict[int, bool] = {}
        for k, w in zip(d.keys, d.weights, strict=True):
            plist = self.postings.get(k)
            if not plist:
                continue
            # The key's most recent `story_postings` stories (all of them when it has no more).
            for idx in plist if len(plist) <= n else islice(reversed(plist), n):
                ok = reachable.get(idx)
                if ok is None:
                    ok = reachable[idx] = (pool is None or idx in pool) and stories[idx].in_window(
                        day, window
                    )
                if ok:
                    # Weights summed in key order for each story: the same floats whatever the
                    # order the postings are walked in.
                    weight[idx] = weight.get(idx, 0.0) + w
                    count[idx] = count.get(idx, 0) + 1
        # A story must share at least two keys and a tenth of the article's key weight: two
        # common words are shared by almost any two news articles and would only cost comparisons.
        floor = _MIN_SHARED * d.mass
        ranked = sorted(
            (idx for idx, wt in weight.items() if wt >= floor and count[idx] >= 2),
            key=lambda idx: (-weight[idx], stories[idx].seq),
        )
        return [stories[idx] for idx in ranked[: self.n_cands]]

    def entity_cover(self, d: _Doc, story: _Story) -> float:
        """The idf-weighted share of the article's entity keys the story's members carry; a key
        counts fully once `_COVER_SHARE` of the members carry it, in proportion below. Counting a
        key the story had merely seen once let a large story cover almost any article (its
        profile holds every actor it ever met) and absorb other incidents one loose join at a
        time; a small story (three members or fewer) is unaffected."""
        total = seen = 0.0
        enough = max(1.0, story.size * _COVER_SHARE)
        for k in d.entities:
            w = self.idf_of(k)
            total += w
            seen += w * min(1.0, story.profile.get(k, 0) / enough)
        return seen / total if total else 0.0

    def sim(self, a: _Doc, b: _Doc) -> float:
        pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        got = self.pair_sims.get(pair)
        if got is None:
            got = self.pair_sims[pair] = float(self.compare(a.sig, b.sig))
        return got

    def place(self, d: _Doc, partners: Sequence[tuple[str, str, float]]) -> None:
        # 1. A copy or rewrite of a placed article joins its story.
        for other, kind, score in partners:
            story = self.doc_story.get(other)
            if story is not None:
                self.join(story, d, score, f"{kind} of {other} (dedup score {score:.2f})")
                return
        # 2-3. Candidates from the index, scored against their representatives.
        best: tuple[float, int, _Story, str] | None = None
        for story in self.candidates(d):
            if best is not None and best[0] >= self.threshold + _CLEAR_MARGIN:
                break  # clearly this story: further candidates (ranked lower by keys) cost time
            sim, rep_id = 0.0, ""
            cover = self.entity_cover(d, story)
            clear = (self.threshold + _CLEAR_MARGIN - self.ent_weight * cover) / (1 - self.ent_weight or 1.0)
            for rep in story.representatives(self.n_reps):
                rd = self.doc(rep)
                if rd is None:
                    continue
                s = self.sim(d, rd)
                if s > sim:
                    sim, rep_id = s, rep
                if sim >= clear:
                    break  # already clearly in: the other representatives could only confirm it
            score = (1 - self.ent_weight) * sim + self.ent_weight * cover
            gap = 0 if d.day is None or story.last_day is None else max(0, d.day - story.last_day)
            score -= _GAP_SPAN * gap / max(1, self.window)
            if best is None or (score, -story.seq) > (best[0], -best[1]):
                why = (
                    f"similarity {sim:.2f} to {rep_id}, entity coverage {cover:.2f}, "
                    f"{gap} day(s) after its latest report, score {score:.2f}"
                )
                best = (score, story.seq, story, why)
        if best is not None and best[0] >= self.threshold:
            self.join(best[2], d, best[0], f"joined: {best[3]} >= threshold {self.threshold:g}")
            return
        why = "" if best is None else f"; best candidate {best[2].id}: {best[3]}"
        story = self.open_story(d)
        story.new_members[-1] = (d.id, 1.0, f"opened the story: no story reached {self.threshold:g}{why}")


def _first_sentence(article: Article) -> str:
    """The lead sentence: the first of the opening ones long enough to be one (a dateline or a
    caption that cleaning left at the top is a short "sentence"), else the very first."""
    spans = article.sentences or [(0, len(article.text))]
    start, end = spans[0]
    for s, e in spans[:_TITLE_LOOKAHEAD]:
        if len(_WORD.findall(article.text[s:e])) >= _TITLE_MIN_WORDS:
            start, end = s, e
            break
    text = " ".join(article.text[start:end].split())
    if len(text) <= _TITLE_CHARS:
        return text
    cut = text.rfind(" ", 0, _TITLE_CHARS)
    return text[: cut if cut > 0 else _TITLE_CHARS] + "…"


def _title(article: Article | None, fallback: str) -> str:
    if article is None:
        return fallback
    if article.title and article.title.strip():
        return " ".join(article.title.split())
    return _first_sentence(article) or fallback


def _sentence_stems(text: str) -> tuple[int, frozenset[str]]:
    from marsad.corpus.similarity import content_stems

    words = _WORD.findall(normalize_form(text))
    return len(words), frozenset(content_stems(words))


def summarize(
    story: _Story, members: Sequence[_Doc], idf: Callable[[str], float], cfg: dict[str, Any]
) -> list[MentionRef]:
    """3-6 sentences by MMR over content-stem sets: relevant to `story`'s key profile, not
    repeating one another; cited into `members` (most central first) and ordered by date."""
    lo, hi = int(cfg["summary_min_sentences"]), int(cfg["summary_max_sentences"])
    size = max(1, story.size)
    pool: list[tuple[float, frozenset[str], _Doc, int, int]] = []
    for d in members[:_SUMMARY_DOCS]:
        art = d.article
        if art is None:
            continue
        for start, end in art.sentences[:_SUMMARY_LEAD]:
            n_words, stems = _sentence_stems(art.text[start:end])
            if not _MIN_SENT_WORDS <= n_words <= _MAX_SENT_WORDS or not stems:
                continue
            # fsum: exact, so the score cannot depend on the set's (hash-seeded) iteration order,
            # which could otherwise flip ties between equally good sentences across processes.
            rel = math.fsum(story.profile.get("w:" + s, 0) / size * idf("w:" + s) for s in stems)
            pool.append((rel / math.sqrt(len(stems)), stems, d, start, end))
    if not pool:
        return []
    top = max(p[0] for p in pool) or 1.0
    chosen: list[tuple[float, frozenset[str], _Doc, int, int]] = []
    remaining = list(pool)
    while remaining and len(chosen) < hi:
        best, best_score = None, -math.inf
        for cand in remaining:
            red = max((len(cand[1] & c[1]) / len(cand[1] | c[1]) for c in chosen), default=0.0)
            if red > _REDUNDANT:
                continue
            score = _MMR_LAMBDA * cand[0] / top - (1 - _MMR_LAMBDA) * red
            if score > best_score:
                best, best_score = cand, score
        if best is None or (len(chosen) >= lo and best_score <= 0):
            break
        chosen.append(best)
        remaining.remove(best)
    chosen.sort(key=lambda c: (c[2].day if c[2].day is not None else math.inf, c[2].order, c[3]))
    return [MentionRef(doc=c[2].id, start=c[3], end=c[4]) for c in chosen]


def _default_compare() -> tuple[Callable[[Any, Any], float], Callable[[Article], Any]]:
    from marsad.corpus.similarity import article_similarity, signature

    return article_similarity, signature


def _weighed(compare: Callable[[Any, Any], float], sigs: Mapping[str, Any]) -> Callable[[Any, Any], float]:
    """`compare` on signatures tf-idf weighted over this batch (`similarity.reweigh`), each
    weighed once when first compared. Salient keys still come from the unweighted signatures,
    which carry the plain term frequencies the clusterer's own idf multiplies."""
    from marsad.corpus.similarity import TermWeights, reweigh

    weights = TermWeights.from_signatures(sigs.values())
    weighed: dict[str, Any] = {}

    def weigh(sig: Any) -> Any:
        got = weighed.get(sig.doc)
        if got is None:
            got = weighed[sig.doc] = reweigh(sig, weights)
        return got

    return lambda a, b: compare(weigh(a), weigh(b))


def assign_stories(
    articles: Sequence[Article],
    signatures: Mapping[str, DocSignature],
    relations: Sequence[Relation],
    store: Store | None,
    config: Mapping[str, Any],
    *,
    compare: Callable[[Any, Any], float] | None = None,
    sign: Callable[[Article], Any] | None = None,
    same_story: list[Relation] | None = None,
    weigh: bool | None = None,
) -> list[Story]:
    """Place `articles` into stories (joining stored ones when `store` is given) and return every
    story that has a member among them.

    `config` is the whole configuration or its [corpus] section. Each story's `relations` holds
    its `same_story` relations; `same_story`, when a list is given, receives them all too.
    `documents` lists every member in join order, including members placed by earlier runs (they
    may be absent from this run's report); `summary` cites only this run's articles, so every
    citation resolves in the report. `compare`/`sign` default to corpus.similarity's.
    Signatures are compared tf-idf weighted over the batch (`similarity.reweigh`), so words and
    actors common to the whole batch count for little: by default (`weigh` None) from
    `MIN_WEIGHED_BATCH` documents up, always with `weigh` True, never with False.
    """
    cfg = config_section(config)
    if compare is None or sign is None:
        default_compare, default_sign = _default_compare()
        compare = compare or default_compare
        sign = sign or default_sign
    sigs: dict[str, Any] = dict(signatures)
    for a in articles:
        if a.id not in sigs:
            sigs[a.id] = sign(a)
    if weigh or (weigh is None and len(sigs) >= MIN_WEIGHED_BATCH):
        compare = _weighed(compare, sigs)
    cl = _Clusterer(articles, sigs, store, cfg, compare, sign)

    # Publication order, then input order; undated articles last (they match any time window).
    order = sorted(
        range(len(articles)),
        key=lambda i: (day_number(articles[i].published) is None, day_number(articles[i].published) or 0, i),
    )
    docs = [cl.doc(articles[i].id, rank) for rank, i in enumerate(order)]
    for rank, d in enumerate(docs):
        if d is not None:
            d.order = rank

    partners: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for r in relations:
        if r.kind in COPY_KINDS:
            partners[r.a].append((r.b, r.kind, r.score))
            partners[r.b].append((r.a, r.kind, r.score))
    for plist in partners.values():
        plist.sort(key=lambda p: (-p[2], COPY_KINDS.index(p[1]), p[0]))

    placed: dict[str, str] = {}
    if store is not None:
        ids = [a.id for a in articles]
        placed = store.story_members(ids + [p for d in ids for p, _, _ in partners.get(d, ())])
        days = [d.day for d in docs if d is not None and d.id not in placed]
        dated = [day for day in days if day is not None]
        undated = len(dated) < len(days)  # an undated article may join a story of any date
        since = _iso_day(min(dated) - cl.window) if dated and not undated else None
        cl.load(sorted(set(placed.values())), since, all_stories=undated)
    else:
        cl.load([], None, all_stories=False)
    for doc_id, sid in placed.items():
        if sid in cl.by_id:
            cl.doc_story[doc_id] = cl.by_id[sid]

    seen: set[str] = set()
    for d in docs:
        if d is None or d.id in seen:
            continue
        seen.add(d.id)
        if d.id in cl.doc_story:
            continue  # placed by an earlier run: never moved
        cl.place(d, partners.get(d.id, ()))

    # Stories touched by this run: those holding one of its articles.
    touched: dict[str, list[_Doc]] = defaultdict(list)
    for d in docs:
        if d is not None and d.id in cl.doc_story:
            touched[cl.doc_story[d.id].id].append(d)
    stored_members = store.story_documents([s for s in touched if cl.by_id[s].stored]) if store else {}

    related = {(r.a, r.b) for r in relations} | {(r.b, r.a) for r in relations}
    out: list[Story] = []
    rows: list[dict[str, Any]] = []
    members: list[tuple[str, str, float, str]] = []
    for sid in sorted(touched, key=lambda s: (cl.by_id[s].seq, s)):
        story = cl.by_id[sid]
        # Summary and hub are chosen among this run's members by their centrality within the run
        # (a profile of their own keys), not the persisted profile: so they depend only on the
        # run's documents, and re-running the same input reproduces them exactly.
        run_docs = list(dict.fromkeys(touched[sid]))
        local = _Story(id=sid, seq=0, first_doc="", size=len(run_docs))
        for d in run_docs:
            local.profile.update(d.keys)
        mine = sorted(run_docs, key=lambda d: (-cl.centrality(d, local), d.order, d.id))
        head = cl.doc(story.central[0][0]) if story.central else None
        story.title = _title(head.article if head else None, story.title or _title(mine[0].article, sid))
        documents = list(stored_members.get(sid, [])) + [m for m, _, _ in story.new_members]
        documents = list(dict.fromkeys(documents))
        out.append(
            Story(
                id=sid,
                title=story.title,
                documents=documents,
                summary=summarize(local, mine, cl.idf_of, cfg),
                first_seen=story.first_seen,
                last_seen=story.last_seen,
            )
        )
        # The hub: the story's most central member when this run has it (most members were
        # compared with it on joining, so their scores are cached), else the run's most central.
        central = story.central[0][0] if story.central else None
        hub = next((d for d in mine if d.id == central), mine[0])
        for d in mine:
            if d is hub or (d.id, hub.id) in related:
                continue
            out[-1].relations.append(
                Relation(
                    a=hub.id,
                    b=d.id,
                    kind="same_story",
                    score=round(cl.sim(hub, d), 6),
                    reason=f"both in story {sid}; {hub.id} is its most central document in this run",
                    component=COMPONENT,
                )
            )
        if same_story is not None:
            same_story.extend(out[-1].relations)
        if story.dirty:
            rows.append(_state_row(story, cl))
            members += [(doc, sid, score, reason) for doc, score, reason in story.new_members]
    if store is not None and rows:
        store.save_stories(rows, members)
    return out


def _state_row(story: _Story, cl: _Clusterer) -> dict[str, Any]:
    profile = sorted(story.profile.items(), key=lambda kv: (-kv[1] * cl.idf_of(kv[0]), kv[0]))[:_PROFILE_KEEP]
    index = sorted(story.profile, key=lambda k: (-story.profile[k] * cl.idf_of(k), k))[: cl.n_keys * 2]
    return {
        "id": story.id,
        "first_doc": story.first_doc,
        "title": story.title,
        "first_seen": story.first_seen,
        "last_seen": story.last_seen,
        "last_day": _iso_day(story.last_day),
        "size": story.size,
        "state": {
            "profile": dict(profile),
            "central": [[d, round(c, 6)] for d, c in story.central],
            "recent": story.recent,
            "index": index,
            "first_day": story.first_day,
        },
    }
