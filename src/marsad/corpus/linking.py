"""Cross-document entity linking: every mention of one person, organisation or place, in any
article, becomes one `Entity` with all its aliases.

Three passes, each near-linear in the number of mentions:

1. Key groups. Mentions with the same type and matching key are one group (`gaz:` keys come from
   the gazetteer and are authoritative; other keys are the transliteration-aware consonant
   skeleton of `extract.translit.entity_key`). Mentions a document already tied together with a
   shared document-level `entity` id (a full name and its short form) join the same group.
2. Fuzzy merge. Non-gazetteer PER/ORG/GPE/LOC groups whose keys differ by a spelling variant the
   skeleton does not fold (a dropped or added letter) are merged with rapidfuzz, compared only
   inside a block (type + first two key letters), so the cost stays proportional to the block
   sizes rather than to all pairs. People are compared word by word: the family names must agree
   and so must the given names, so "أحمد حسن" and "محمود حسن" stay two people.
3. Family names. A person named only by a family name ("بوتين") joins the full name when exactly
   one person of the corpus with a compatible country has that family name; with two or more
   candidates the mention stays on its own, because guessing would merge different people.

The canonical name is the most frequent full form (most words), and `aliases` lists every
surface form seen.

Two guards keep entities from crossing a country or a type:

- Countries. A nationality adjective (NORP) and an organisation are keyed by their country as
  well as their name, so السويسري (CHE) and السوري (SYR) never share a key, and no fuzzy merge
  joins two groups of different countries (a group without a country joins none that has one).
  An office or body of a state (وزارة الداخلية، مجلس الوزراء: heads of kind gov, mil, agency or
  court in the extractor's org_heads.tsv) that the text names without its country takes it from
  the same office named with its country earlier in the document, else from the outlet's
  country (data/outlet_countries.tsv): مجلس الوزراء in a Saudi paper is the Saudi cabinet.
- Names of organisations are compared word by word, like people's: "وزارة الدفاع" and "وزارة
  النفط" differ in a word, so they stay two ministries however close their skeletons are.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from marsad.corpus.figures import data_rows
from marsad.corpus.unionfind import UnionFind
from marsad.extract.translit import entity_key
from marsad.model import Article, EntityMention
from marsad.model.corpus import Entity, MentionRef
from marsad.normalize import normalize_form
from marsad.segment.tokens import stems, strip_proclitics

COMPONENT = "corpus.linking"
# Types whose names are spelled many ways across outlets; NORP adjectives and MISC are left alone
# because their keys already fold the variation that matters (الروسي / الروسية differ in meaning).
FUZZY_TYPES = frozenset({"PER", "ORG", "GPE", "LOC"})
# rapidfuzz ratio (0..100) a whole key must reach to merge two groups; names are short, so one
# differing letter in an 8-letter skeleton is ~87.
KEY_THRESHOLD = 85.0
# ... and each word of a person's name (given names are short: 80 allows one letter in five).
WORD_THRESHOLD = 80.0

_SLAB = 512  # rows of a block scored per rapidfuzz call
LONG_WORD = 7  # letters from which a word may differ by two spelling steps (هوكشتاين / هوكستاين)
# Types whose group key carries the country: the same words name different things in different
# countries (وزارة الداخلية), and a nationality adjective is its country.
COUNTRY_KEYED = frozenset({"ORG", "NORP"})
# Kinds of organisation head (org_heads.tsv) that name an office or body of a state.
STATE_KINDS = frozenset({"gov", "mil", "agency", "court"})

Link = tuple[str, int, int]


def entity_id(type_: str, key: str) -> str:
    """Stable report-level id for a type and a matching key (the same formula the per-document
    report uses, so an entity that nothing merged keeps the id it had before linking)."""
    return "ent-" + hashlib.sha1((type_ + key).encode("utf-8")).hexdigest()[:12]


def group_key(mention: EntityMention) -> str:
    """The linking key, or, when the extractor gave none, the skeleton of the name."""
    if mention.key:
        return mention.key
    return entity_key(mention.name or mention.text) or normalize_form(mention.name or mention.text)


def _word_keys(name: str) -> list[str]:
    return [k for k in (entity_key(w) for w in normalize_form(name).split()) if k]


@dataclass(slots=True)
class _Group:
    type: str
    key: str
    members: list[tuple[int, str, EntityMention]] = field(default_factory=list)  # (order, doc, mention)
    fixed_country: str | None = None  # the country in the key (COUNTRY_KEYED types)
    form: str = ""  # the name's words without proclitics (non-gazetteer groups; see _forms_close)
    _full: str | None = None

    @property
    def gazetteer(self) -> bool:
        return self.key.startswith("gaz:")

    def country(self) -> str | None:
        if self.type in COUNTRY_KEYED:
            return self.fixed_country
        return _most_common([m.country for _, _, m in self.members])

    def full_name(self) -> str:
        """The fullest form (most words), the most frequent among those; computed once."""
        if self._full is None:
            counts = Counter(m.name or m.text for _, _, m in self.members)
            self._full = max(counts, key=lambda n: (len(n.split()), counts[n]))
        return self._full


def _most_common(values: Sequence[str | None]) -> str | None:
    """Most frequent non-null value; ties go to the one seen first (deterministic)."""
    if len(values) == 1:
        return values[0] or None  # the common case, without building a Counter
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    best = max(counts.values())
    return next(v for v in values if v and counts[v] == best)


def _countries_compatible(a: str | None, b: str | None, type_: str = "") -> bool:
    """Countries that may belong to one entity; for a country-keyed type they must be equal
    (an office without a country is not any country's office)."""
    if type_ in COUNTRY_KEYED:
        return a == b
    return a is None or b is None or a == b


def _same_words(a: list[str], b: list[str]) -> bool:
    """Word-by-word comparison of two multi-word names (keys of each word)."""
    if len(a) != len(b) or not a:
        return False
    # Skeletons of three letters or fewer (يسف, ينس) differ in meaning with any letter: exact only.
    return all(
        x == y or (min(len(x), len(y)) > 3 and fuzz.ratio(x, y) >= WORD_THRESHOLD)
        for x, y in zip(a, b, strict=True)
    )


def _form(name: str) -> str:
    return " ".join(strip_proclitics(w) for w in normalize_form(name).split())


def _forms_close(a: str, b: str) -> bool:
    """Word by word, the same word or one spelling step apart (two for long words): هوكشتاين /
    هوكستاين and بيير / بيار are close, سابقا / سبق and ارض / رياض are not."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return True  # different lengths are the word-by-word checks' business (_same_words)
    return all(
        x == y or Levenshtein.distance(x, y) <= (2 if min(len(x), len(y)) >= LONG_WORD else 1)
        for x, y in zip(wa, wb, strict=True)
    )


def _fuzzy_pass(groups: list[_Group], uf: UnionFind[int], why: dict[int, str]) -> None:
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        if g.type in FUZZY_TYPES and not g.gazetteer and len(g.key) >= 3:
            blocks[(g.type, g.key[:2])].append(i)
    for (type_, _), members in blocks.items():
        if len(members) < 2:
            continue
        words = {i: _word_keys(groups[i].full_name()) for i in members} if type_ in ("PER", "ORG") else {}
        countries = {i: groups[i].country() for i in members}
        keys = [groups[i].key for i in members]
        # Scores for the block computed by rapidfuzz in C, a slab of rows at a time so memory
        # stays bounded: blocks are small on newswire, but a corpus full of one family of names
        # must not fall back to a Python double loop.
        for lo in range(0, len(keys), _SLAB):
            scores = process.cdist(keys[lo : lo + _SLAB], keys, scorer=fuzz.ratio, score_cutoff=KEY_THRESHOLD)
            for x, y in zip(*np.nonzero(scores), strict=True):
                x = int(x) + lo
                y = int(y)
                if y <= x:
                    continue
                i, j = members[x], members[y]
                ki, kj = keys[x], keys[y]
                if abs(len(ki) - len(kj)) > 2 or not _countries_compatible(countries[i], countries[j], type_):
                    continue
                if not _forms_close(groups[i].form, groups[j].form):
                    continue  # سابقا / سبق: one skeleton, two words
                if type_ == "ORG" and not _same_words(words[i], words[j]):
                    continue  # وزارة الدفاع / وزارة النفط: one word differs, two bodies
                people = type_ == "PER" and len(words[i]) > 1 and len(words[j]) > 1
                if people and not _same_words(words[i], words[j]):
                    continue
                uf.union(i, j)
                why.setdefault(j, f"spelling variant: key {kj} ~ {ki} ({fuzz.ratio(ki, kj):.0f})")


def _family_pass(groups: list[_Group], uf: UnionFind[int], why: dict[int, str]) -> None:
    """Attach one-word person groups to the only full name in the corpus that ends with them."""
    by_family: dict[str, set[int]] = defaultdict(set)
    singles: list[int] = []
    for i, g in enumerate(groups):
        if g.type != "PER":
            continue
        words = _word_keys(g.full_name())
        if len(words) >= 2:
            by_family[words[-1]].add(uf.find(i))
        elif len(words) == 1:
            singles.append(i)
    for i in singles:
        family = _word_keys(groups[i].full_name())[0]
        country = groups[i].country()
        roots = {r for r in by_family.get(family, ()) if _countries_compatible(country, groups[r].country())}
        # Two full names with this family name that linking did not merge are two people: the
        # bare family name could be either, so it is left unlinked.
        if len(roots) == 1:
            root = next(iter(roots))
            uf.union(i, root)
            why.setdefault(i, f"family name {groups[i].full_name()} of the only {groups[root].full_name()}")


@lru_cache(maxsize=1)
def _state_heads() -> frozenset[str]:
    """Head words (matching form) of offices and bodies of a state, from org_heads.tsv."""
    return frozenset(
        normalize_form(cols[0].strip())
        for cols in data_rows("marsad.extract", "lexicons/org_heads.tsv")
        if len(cols) >= 2 and cols[1].split("+")[0].strip() in STATE_KINDS
    )


@lru_cache(maxsize=1)
def outlet_countries() -> dict[str, str]:
    """Outlet name -> ISO alpha-3 country, from data/outlet_countries.tsv."""
    return {
        cols[0].strip(): cols[1].strip() for cols in data_rows("marsad.corpus", "data/outlet_countries.tsv")
    }


def _office_key(name: str) -> tuple[str, ...] | None:
    """The head and first complement word keys of a state office's name, or None for other names."""
    words = normalize_form(name).split()
    if not words:
        return None
    heads = _state_heads()
    if " ".join(words[:2]) in heads or any(s in heads for s in stems(words[0])):
        return tuple(entity_key(w) for w in words[:2])
    return None


def _mention_countries(article: Article, mentions: Sequence[EntityMention]) -> list[str | None]:
    """Each mention's country; for a state office named without one, the country of the same
    office named with it earlier in the document, else the outlet's country."""
    out: list[str | None] = []
    named: dict[tuple[str, ...], str] = {}
    outlet = outlet_countries().get(article.outlet or "")
    for m in mentions:
        office = _office_key(m.name or m.text) if m.type == "ORG" else None
        if m.country:
            if office is not None:
                named.setdefault(office, m.country)
            out.append(m.country)
        elif office is not None:
            out.append(named.get(office) or outlet)
        else:
            out.append(None)
    return out


def link_entities(articles: Sequence[Article]) -> tuple[list[Entity], dict[Link, str]]:
    """Corpus entities (in order of first mention) and the map (doc, start, end) -> entity id."""
    index: dict[tuple[str, str, str], int] = {}
    groups: list[_Group] = []
    doc_entity: dict[tuple[str, str], int] = {}
    pending_unions: set[tuple[int, int]] = set()
    for order, article in enumerate(articles):
        doc = article.id
        mentions = article.entities
        if any(mentions[k].start > mentions[k + 1].start for k in range(len(mentions) - 1)):
            mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        countries = _mention_countries(article, mentions)
        for mention, country in zip(mentions, countries, strict=True):
            key = mention.key or group_key(mention)
            if mention.type in COUNTRY_KEYED and country:
                key = f"{key}|{country}"  # without a country, the key (and id) stay the extractor's
            # The skeleton key folds vowels and hamza, which also folds different words (سابقا
            # and سبق, الأرض and الرياض): groups keep the words apart, and the fuzzy pass joins
            # the true spelling variants back.
            form = "" if key.startswith("gaz:") else _form(mention.name or mention.text)
            gk = (mention.type, key, form)
            gi = index.get(gk)
            if gi is None:
                gi = index[gk] = len(groups)
                groups.append(_Group(mention.type, key, fixed_country=country, form=form))
            groups[gi].members.append((order, doc, mention))
            if mention.entity:
                # The document said these mentions are one entity (a name and its short form).
                # (Not across countries: the extractor's document ids come from the same
                # skeleton keys, which put السويسري and السوري in one.)
                first = doc_entity.setdefault((doc, mention.entity), gi)
                if (
                    first != gi
                    and groups[first].type == mention.type
                    and _countries_compatible(groups[first].fixed_country, country, mention.type)
                ):
                    pending_unions.add((first, gi))

    uf: UnionFind[int] = UnionFind(range(len(groups)))
    why: dict[int, str] = {}
    for a, b in sorted(pending_unions):
        uf.union(a, b)
        if b not in why:
            why[b] = f"same entity as {groups[a].full_name()} in one document"
    _fuzzy_pass(groups, uf, why)
    _family_pass(groups, uf, why)

    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(groups)):
        clusters[uf.find(i)].append(i)

    # Two entities whose most authoritative group has the same skeleton key (two words the
    # skeleton folds together) get their words in the id as well, so ids stay unique.
    anchors = {root: _anchor([groups[i] for i in members]) for root, members in clusters.items()}
    shared = {k for k, n in Counter((g.type, g.key) for g in anchors.values()).items() if n > 1}
    entities: list[tuple[tuple[int, int], Entity]] = []
    links: dict[Link, str] = {}
    for root, members in clusters.items():
        anchor = anchors[root]
        suffix = f"~{anchor.form}" if (anchor.type, anchor.key) in shared else ""
        entity, first_seen = _build_entity(
            [groups[i] for i in members], [why[i] for i in members if i in why], suffix
        )
        for m in entity.mentions:
            links[(m.doc, m.start, m.end)] = entity.id
        entities.append((first_seen, entity))
    entities.sort(key=lambda pair: (pair[0], pair[1].id))
    return [e for _, e in entities], links


def _anchor(members: list[_Group]) -> _Group:
    """The most authoritative group: a gazetteer key, else the most mentioned key (ties by the
    key and words), so the same corpus gives the same ids on every run."""
    return min(members, key=lambda g: (not g.gazetteer, -len(g.members), g.key, g.form))


def _build_entity(
    members: list[_Group], reasons: list[str], id_suffix: str = ""
) -> tuple[Entity, tuple[int, int]]:
    anchor = _anchor(members)
    if len(members) == 1:
        rows = members[0].members  # already in document order, then offset order
    else:
        rows = sorted(
            ((order, doc, m) for g in members for order, doc, m in g.members),
            key=lambda r: (r[0], r[2].start, r[2].end),
        )
    names = [m.name or m.text for _, _, m in rows]
    # Canonical name: the most frequent of the fullest forms (a gazetteer's canonical name is
    # each of its mentions' `name`, so it wins whenever the gazetteer knew the entity).
    distinct = list(dict.fromkeys(names))
    most_words = max(len(n.split()) for n in distinct)
    full = {n for n in distinct if len(n.split()) == most_words}
    name = _most_common([n for n in names if n in full]) or names[0]
    mentions = [MentionRef(doc, m.start, m.end, m.text) for _, doc, m in rows]
    entity = Entity(
        id=entity_id(anchor.type, anchor.key + id_suffix),
        type=anchor.type,
        name=name,
        country=_most_common(
            [g.fixed_country for g in members for _ in g.members]
            if anchor.type in COUNTRY_KEYED
            else [m.country for _, _, m in rows]
        ),
        code=_most_common([m.code for _, _, m in rows]),
        aliases=sorted({m.text for _, _, m in rows}),
        mentions=mentions,
        reason="; ".join(reasons) if reasons else None,
    )
    return entity, (rows[0][0], rows[0][2].start)
