"""Copies and rewrites between documents: `exact`, `near_duplicate` and `rewrite` relations.

Three passes, each near-linear in the number of documents:

1. **exact**: documents whose matching-form word sequence hashes alike (whitespace, punctuation,
   diacritics and letter-form variants folded). Each copy is related to the first document of its
   group, so k copies give k-1 relations, not k².
2. **near_duplicate**: MinHash LSH over the shingle signatures, one representative per exact group.
   LSH at the target (0.8) misses many true 0.8 pairs, so the bands are set to detect at about 0.5
   (24 bands x 5 rows: P(candidate) is 0.5 at J=0.53, 0.99 at J=0.8); candidates are screened by
   the MinHash estimate and then verified on the exact shingle sets: Jaccard >= 0.8, or one text
   contained in the other (>= 0.9 of the shorter one's shingles) for a truncated or extended copy.
3. **rewrite**: rewrites share few shingles, so candidates come from an inverted index over each
   document's rarest keys (content stems, entity keys, figures); keys in more than `max_df`
   documents are skipped (they link everything and cost quadratic time). Candidates sharing
   enough keys are scored with `article_similarity`; a rewrite is a high score whose shared
   vocabulary is high too but whose shingles are not a copy's.

Copies and rewrites carry their shared passages: aligned sentence pairs with high content overlap.

**Lineage** (`lineage`): who copied whom. Of two related documents the earlier publication is the
source; each copy names the earlier document it is most strongly related to (exact before
near_duplicate before rewrite, then the higher score, then the earlier publication) and the
origin of that chain, the first publication. Ties in publication time go to the outlet name, then
the document id, so the same input always gives the same lineage; undated documents come last
(nothing says they were first).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from itertools import chain, repeat
from typing import Any

import numpy as np

from marsad.config import defaults
from marsad.corpus.similarity import (
    NUM_PERM,
    WORD_RE,
    DocSignature,
    article_similarity,
    content_stems,
    cosine,
    shingle_overlap,
)
from marsad.corpus.unionfind import UnionFind
from marsad.model import Article, MentionRef, Relation
from marsad.model.corpus import Copy
from marsad.normalize.text import normalize_form
from marsad.segment.sentences import split_sentences

COMPONENT = "corpus.dedup"


def _settings(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """[corpus.dedup] over its shipped defaults (default_config.toml documents each key)."""
    out = defaults()["corpus"]["dedup"]
    if config:
        out.update({k: v for k, v in config.items() if k in out})
    if NUM_PERM % int(out["bands"]):
        raise ValueError(f"corpus.dedup bands={out['bands']} must divide the MinHash length {NUM_PERM}")
    return out


def find_relations(
    articles: Sequence[Article],
    signatures: Mapping[str, DocSignature],
    config: Mapping[str, Any] | None = None,
) -> list[Relation]:
    """exact, near_duplicate and rewrite relations among `articles` (input order is the tie-break:
    a copy is related to the earlier document, `a` always precedes `b`)."""
    cfg = _settings(config)
    order = {a.id: i for i, a in enumerate(articles)}
    by_id = {a.id: a for a in articles}
    sigs = [signatures[a.id] for a in articles]
    passages = _PassageFinder(by_id, float(cfg["passage_dice"]))
    relations: list[Relation] = []

    # 1. exact copies: one representative (the first) per group of identical texts.
    groups: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sigs):
        if s.n_words:
            groups[s.exact].append(i)
    reps: list[int] = []
    for members in groups.values():
        reps.append(members[0])
        head = sigs[members[0]].doc
        for m in members[1:]:
            doc = sigs[m].doc
            relations.append(
                Relation(
                    a=head,
                    b=doc,
                    kind="exact",
                    score=1.0,
                    passages=[(_whole(by_id[head]), _whole(by_id[doc]))],
                    reason="identical text after folding whitespace, punctuation and letter forms",
                    component=COMPONENT,
                )
            )
    reps.sort()
    related: set[tuple[int, int]] = set()

    # 2. near-verbatim copies among the representatives.
    for i, j in _lsh_candidates([sigs[r] for r in reps], cfg):
        a, b = sigs[reps[i]], sigs[reps[j]]
        jac, cont = shingle_overlap(a, b)
        small = min(a.shingles.size, b.shingles.size)
        if jac >= cfg["near_jaccard"]:
            reason = f"shingle Jaccard {jac:.3f} >= {cfg['near_jaccard']}"
            score = jac
        elif cont >= cfg["near_containment"] and small >= cfg["min_shingles"]:
            reason = f"shingle containment {cont:.3f} (Jaccard {jac:.3f}): one text contains the other"
            score = cont
        else:
            continue
        related.add((reps[i], reps[j]))
        relations.append(
            Relation(
                a=a.doc,
                b=b.doc,
                kind="near_duplicate",
                score=round(float(score), 4),
                passages=passages.align(a.doc, b.doc),
                reason=reason,
                component=COMPONENT,
            )
        )

    # 3. rewrites: same report, different words. A near-copy cluster is searched through its
    # first document only: its copies would otherwise spend every document's rare-key budget on
    # each other (the words a copy shares with its original are the rarest in the corpus).
    sets: UnionFind[int] = UnionFind(reps)
    for x, y in sorted(related):
        sets.union(x, y)
    heads = [r for r in reps if sets.find(r) == r]
    for i, j in _rewrite_candidates([sigs[r] for r in heads], cfg):
        ri, rj = heads[i], heads[j]
        if (ri, rj) in related:
            continue
        a, b = sigs[ri], sigs[rj]
        words = cosine(a, b)
        if words < cfg["rewrite_words"]:
            continue
        score = article_similarity(a, b)
        jac, _ = shingle_overlap(a, b)
        if score < cfg["rewrite_score"] or jac >= cfg["near_jaccard"]:
            continue
        relations.append(
            Relation(
                a=a.doc,
                b=b.doc,
                kind="rewrite",
                score=round(float(score), 4),
                passages=passages.align(a.doc, b.doc),
                reason=(
                    f"same report reworded: similarity {score:.3f}, content-word cosine {words:.3f}, "
                    f"shingle Jaccard {jac:.3f}"
                ),
                component=COMPONENT,
            )
        )

    relations.sort(key=lambda r: (order[r.a], order[r.b], r.kind))
    return relations


# --- lineage -------------------------------------------------------------------------------------

COPY_KINDS = ("exact", "near_duplicate", "rewrite")  # strongest first


def _publication_key(article: Article) -> tuple[bool, str, str, str]:
    """Earliest first: the stated publication time (undated last), then outlet, then id."""
    published = (article.published or "").strip()
    return (not published, published, article.outlet or "", article.id)


def lineage(articles: Sequence[Article], relations: Sequence[Relation]) -> list[Copy]:
    """One `Copy` per document that copies an earlier one, in publication order of the copies.

    Exact relations link each copy to its group's first document in input order; identical texts
    are copies of one another, so each member is read as a copy of the group's earliest.
    """
    by_id = {a.id: a for a in articles}
    when = {doc: _publication_key(a) for doc, a in by_id.items()}
    partners: dict[str, list[tuple[str, Relation]]] = defaultdict(list)
    groups: dict[str, list[str]] = defaultdict(list)
    for r in relations:
        if r.kind not in COPY_KINDS or r.a not in by_id or r.b not in by_id:
            continue
        if r.kind == "exact":
            groups[r.a].append(r.b)
            continue
        partners[r.a].append((r.b, r))
        partners[r.b].append((r.a, r))
    for head, copies in groups.items():
        # Identical texts copy one another: each member's exact source is the group's earliest.
        first, *rest = sorted([head, *copies], key=when.__getitem__)
        for doc in rest:
            whole = (_whole(by_id[first]), _whole(by_id[doc]))
            r = Relation(first, doc, "exact", 1.0, [whole], "identical text", COMPONENT)
            partners[doc].append((first, r))
    source: dict[str, tuple[str, Relation]] = {}
    for doc, plist in partners.items():
        earlier = [(other, r) for other, r in plist if when[other] < when[doc]]
        if earlier:
            source[doc] = min(earlier, key=lambda p: (COPY_KINDS.index(p[1].kind), -p[1].score, when[p[0]]))
    out = []
    for doc in sorted(source, key=when.__getitem__):
        src, r = source[doc]
        origin = src
        while origin in source:  # sources are strictly earlier, so the chain ends
            origin = source[origin][0]
        passages = [(pa, pb) if r.a == src else (pb, pa) for pa, pb in r.passages]
        a, b = by_id[src], by_id[doc]
        reason = (
            f"{r.kind} of {src} ({a.outlet or 'unknown outlet'}, {a.published or 'undated'}), "
            f"published before it ({b.outlet or 'unknown outlet'}, {b.published or 'undated'})"
        )
        if when[src][1] == when[doc][1]:
            reason += "; same publication time: the outlet name, then the id, decides"
        out.append(Copy(doc, src, origin, r.kind, r.score, passages, reason))
    return out


# --- candidate generation ------------------------------------------------------------------------


def _pairs_from_groups(sorted_idx: np.ndarray, keys_sorted: np.ndarray, cap: int) -> np.ndarray:
    """All (i, j), i < j, of documents sharing a key, given documents sorted by key.

    Pairs (most groups) are handled in one vectorised step; a larger group loops, and one larger
    than `cap` pairs each member only with the group's first `cap` members, so a pathological
    bucket (boilerplate-only pages) costs linear, not quadratic, time.
    """
    empty = np.zeros((0, 2), dtype=np.int64)
    if keys_sorted.size < 2:
        return empty
    boundaries = np.flatnonzero(keys_sorted[1:] != keys_sorted[:-1]) + 1
    starts = np.concatenate(([0], boundaries))
    sizes = np.diff(np.concatenate((starts, [keys_sorted.size])))
    two = starts[sizes == 2]
    first, second = sorted_idx[two], sorted_idx[two + 1]
    out = [np.stack((np.minimum(first, second), np.maximum(first, second)), axis=1).astype(np.int64)]
    for s, k in zip(starts[sizes > 2], sizes[sizes > 2], strict=True):
        members = np.sort(sorted_idx[s : s + k])
        ii, jj = np.triu_indices(int(k), 1)
        keep = ii < cap
        out.append(np.stack((members[ii[keep]], members[jj[keep]]), axis=1).astype(np.int64))
    return np.concatenate(out)


def lsh_band_keys(minhashes: np.ndarray, bands: int) -> np.ndarray:
    """(documents, bands) uint64: each document's bucket in each LSH band, a hash of its rows of
    the MinHash signature. Documents that share a bucket in any band are near-copy candidates
    (the group-by an engine such as Ray runs at scale: engines/ray_data.duplicate_candidates)."""
    rows = NUM_PERM // bands
    matrix = minhashes.astype(np.uint64)
    keys = np.zeros((matrix.shape[0], bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            key = np.zeros(matrix.shape[0], dtype=np.uint64)
            for r in range(band * rows, (band + 1) * rows):
                key = key * np.uint64(0x100000001B3) + matrix[:, r]
            keys[:, band] = key
    return keys


def lsh_pairs(keys: np.ndarray, cap: int) -> np.ndarray:
    """Unique (i, j), i < j, of documents sharing a bucket in some band of `keys` (lsh_band_keys);
    an oversized bucket pairs each member with its first `cap` members only."""
    found = []
    for band in range(keys.shape[1]):
        idx = np.argsort(keys[:, band], kind="stable")
        found.append(_pairs_from_groups(idx, keys[idx, band], cap))
    return np.unique(np.concatenate(found), axis=0)


def _lsh_candidates(sigs: Sequence[DocSignature], cfg: Mapping[str, Any]) -> list[tuple[int, int]]:
    # Empty documents share the all-ones signature; they are nobody's copy, so they stay out.
    valid = np.array([i for i, s in enumerate(sigs) if s.shingles.size], dtype=np.int64)
    if valid.size < 2:
        return []
    matrix = np.stack([sigs[i].minhash for i in valid]).astype(np.uint64)
    pairs = lsh_pairs(lsh_band_keys(matrix, int(cfg["bands"])), int(cfg["bucket_cap"]))
    if pairs.size == 0:
        return []
    # Screen on the MinHash estimate (vectorised) before the exact check.
    est = np.count_nonzero(matrix[pairs[:, 0]] == matrix[pairs[:, 1]], axis=1) / NUM_PERM
    pairs = valid[pairs[est >= cfg["screen"]]]
    return [(int(i), int(j)) for i, j in pairs]


def _rewrite_keys(sig: DocSignature) -> list[str]:
    keys = [f"e:{k}" for k in sig.entities if not k.startswith("gaz:")]
    keys += [f"f:{k}" for k in sig.figures]
    keys += sig.terms.stems
    return keys


def _rewrite_candidates(sigs: Sequence[DocSignature], cfg: Mapping[str, Any]) -> list[tuple[int, int]]:
    n = len(sigs)
    if n < 2:
        return []
    max_df = int(cfg["max_df"])
    per_doc = int(cfg["keys_per_doc"])
    doc_keys = [_rewrite_keys(s) for s in sigs]
    df: dict[str, int] = defaultdict(int)
    for keys in doc_keys:
        for k in keys:
            df[k] += 1
    key_ids: dict[str, int] = {}
    post_doc: list[int] = []
    post_key: list[int] = []
    for d, keys in enumerate(doc_keys):
        # The rarest keys that another document also has: a document's distinctive facts.
        usable = sorted((df[k], k) for k in keys if 2 <= df[k] <= max_df)[:per_doc]
        for _, k in usable:
            post_doc.append(d)
            post_key.append(key_ids.setdefault(k, len(key_ids)))
    if not post_doc:
        return []
    docs = np.asarray(post_doc, dtype=np.int64)
    keys_arr = np.asarray(post_key, dtype=np.int64)
    idx = np.argsort(keys_arr, kind="stable")
    pairs = _pairs_from_groups(docs[idx], keys_arr[idx], max_df)
    if pairs.size == 0:
        return []
    code = pairs[:, 0] * n + pairs[:, 1]
    uniq, counts = np.unique(code, return_counts=True)
    keep = counts >= int(cfg["min_shared"])
    uniq, counts = uniq[keep], counts[keep]
    if uniq.size == 0:
        return []
    a, b = uniq // n, uniq % n
    # Each document keeps its `partners` best candidates (by shared rare keys): bounded work per
    # document whatever the corpus looks like.
    limit = int(cfg["partners"])
    chosen = np.zeros(uniq.size, dtype=bool)
    for side in (a, b):
        order = np.lexsort((-counts, side))
        s_sorted = side[order]
        first = np.searchsorted(s_sorted, s_sorted, side="left")
        rank = np.arange(s_sorted.size) - first
        chosen[order[rank < limit]] = True
    return [(int(i), int(j)) for i, j in zip(a[chosen], b[chosen], strict=True)]


# --- shared passages -----------------------------------------------------------------------------


def _whole(article: Article) -> MentionRef:
    return MentionRef(doc=article.id, start=0, end=len(article.text))


class _PassageFinder:
    """Aligned sentence pairs of two related documents, per-document features built on demand."""

    def __init__(self, by_id: Mapping[str, Article], min_dice: float) -> None:
        self.by_id = by_id
        self.min_dice = min_dice
        self.cache: dict[str, list[tuple[int, int, frozenset[str]]]] = {}

    def sentences(self, doc: str) -> list[tuple[int, int, frozenset[str]]]:
        got = self.cache.get(doc)
        if got is not None:
            return got
        article = self.by_id[doc]
        spans = article.sentences or split_sentences(article.text) or [(0, len(article.text))]
        out = []
        for start, end in spans:
            words = WORD_RE.findall(normalize_form(article.text[start:end]))
            stems = frozenset(content_stems(words))
            if stems:
                out.append((start, end, stems))
        self.cache[doc] = out
        return out

    def align(self, doc_a: str, doc_b: str) -> list[tuple[MentionRef, MentionRef]]:
        sa, sb = self.sentences(doc_a), self.sentences(doc_b)
        # Sentences with the same content words pair at once (most of a copy's); only the rest
        # go through the overlap search.
        same: dict[frozenset[str], list[int]] = defaultdict(list)
        for j, (_, _, stems) in enumerate(sb):
            same[stems].append(j)
        scored: list[tuple[float, int, int]] = []
        rest_a = []
        for i, (_, _, stems) in enumerate(sa):
            twins = same.get(stems)
            if twins:
                scored.append((-1.0, i, twins.pop(0)))
            else:
                rest_a.append(i)
        taken = {j for _, _, j in scored}
        index: dict[str, list[int]] = defaultdict(list)
        for j, (_, _, stems) in enumerate(sb):
            if j not in taken:
                for s in stems:
                    index[s].append(j)
        get = index.get
        for i in rest_a:
            stems = sa[i][2]
            # Shared-stem counts per candidate sentence, counted in C over the postings.
            shared = Counter(chain.from_iterable(map(get, stems, repeat((), len(stems)))))
            for j, c in shared.items():
                dice = 2 * c / (len(stems) + len(sb[j][2]))
                if dice >= self.min_dice:
                    scored.append((-dice, i, j))
        scored.sort()
        used_a: set[int] = set()
        used_b: set[int] = set()
        pairs = []
        for _, i, j in scored:  # greedy one-to-one, best-matching sentences first
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
        text_a, text_b = self.by_id[doc_a].text, self.by_id[doc_b].text
        out = []
        for i, j in sorted(pairs):
            (s1, e1, _), (s2, e2, _) = sa[i], sb[j]
            out.append((MentionRef(doc_a, s1, e1, text_a[s1:e1]), MentionRef(doc_b, s2, e2, text_b[s2:e2])))
        return out
