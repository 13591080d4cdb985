"""corpus.dedup: exact copies, near-verbatim copies and rewrites, on project-written corpora."""

from __future__ import annotations

import random

import pytest
from _dedup_texts import (
    FLOOD,
    FLOOD_OTHER,
    FLOOD_REWRITE,
    MATCH,
    SUMMIT,
    exact_copy,
    marked_copy,
    near_copy,
)

from marsad.corpus.dedup import find_relations
from marsad.corpus.similarity import annotate, shingle_overlap, signature
from marsad.model import Article, Provenance

COPY_KINDS = {"exact", "near_duplicate", "rewrite"}


def _annotated(doc: str, text: str) -> Article:
    return annotate(text, doc)


def _relations(texts: dict[str, str], **config):
    arts = [_annotated(k, v) for k, v in texts.items()]
    sigs = {a.id: signature(a) for a in arts}
    return arts, find_relations(arts, sigs, config or None)


@pytest.fixture(scope="module")
def corpus():
    texts = {
        "flood": FLOOD,
        "summit": SUMMIT,
        "flood_copy": exact_copy(FLOOD),
        "match": MATCH,
        "flood_near": near_copy(FLOOD),
        "flood_rewrite": FLOOD_REWRITE,
        "other_flood": FLOOD_OTHER,
        "summit_copy": exact_copy(SUMMIT),
        "match_marked": marked_copy(MATCH),
    }
    return _relations(texts)


def _kinds(relations) -> dict[tuple[str, str], str]:
    return {(r.a, r.b): r.kind for r in relations}


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("flood", "flood_copy", "exact"),
        ("summit", "summit_copy", "exact"),
        ("match", "match_marked", "exact"),
        ("flood", "flood_near", "near_duplicate"),
        ("flood", "flood_rewrite", "rewrite"),
    ],
)
def test_find_relations_kind(corpus, a: str, b: str, kind: str) -> None:
    _, relations = corpus
    assert _kinds(relations).get((a, b)) == kind, _kinds(relations)


def test_find_relations_nothing_else(corpus) -> None:
    # The exact copy of the flood story is represented by its first document: its near copy and
    # rewrite are related to "flood" only, and the unrelated stories to nothing.
    _, relations = corpus
    assert set(_kinds(relations)) == {
        ("flood", "flood_copy"),
        ("summit", "summit_copy"),
        ("match", "match_marked"),
        ("flood", "flood_near"),
        ("flood", "flood_rewrite"),
    }


def test_find_relations_records_evidence(corpus) -> None:
    arts, relations = corpus
    text = {a.id: a.text for a in arts}
    for r in relations:
        assert r.component == "corpus.dedup"
        assert r.reason
        assert 0.0 <= r.score <= 1.0
        assert r.passages, f"{r.kind} {r.a}~{r.b} has no shared passages"
        for pa, pb in r.passages:
            assert (pa.doc, pb.doc) == (r.a, r.b)
            for ref in (pa, pb):
                assert 0 <= ref.start < ref.end <= len(text[ref.doc])
                assert ref.text is None or text[ref.doc][ref.start : ref.end] == ref.text


def test_find_relations_rewrite_passages_align_same_facts(corpus) -> None:
    _, relations = corpus
    rewrite = next(r for r in relations if r.kind == "rewrite")
    # The quoted governor appears in one aligned sentence pair of the two reports.
    assert any("الشامي" in pa.text and "الشامي" in pb.text for pa, pb in rewrite.passages)


def test_find_relations_deterministic(corpus) -> None:
    arts, relations = corpus
    sigs = {a.id: signature(a) for a in arts}
    again = find_relations(arts, sigs)
    assert [(r.a, r.b, r.kind, r.score) for r in again] == [(r.a, r.b, r.kind, r.score) for r in relations]


def _groups(relations) -> set[frozenset[str]]:
    groups: list[set[str]] = []
    for r in relations:
        hit = [g for g in groups if r.a in g or r.b in g]
        merged = {r.a, r.b}.union(*hit)
        groups = [g for g in groups if g not in hit] + [merged]
    return {frozenset(g) for g in groups}


def test_find_relations_order_changes_direction_only(corpus) -> None:
    # Input order picks which copy represents a group (the first), so pairs may be named after a
    # different member, but the same documents end up related, by the same kinds of relation.
    arts, relations = corpus
    reordered = list(reversed(arts))
    again = find_relations(reordered, {a.id: signature(a) for a in reordered})
    assert _groups(again) == _groups(relations)
    assert sorted(r.kind for r in again) == sorted(r.kind for r in relations)


def test_find_relations_empty_documents_are_not_copies() -> None:
    arts = [Article(id=f"e{i}", text="", provenance=Provenance(source="t", format="txt")) for i in range(3)]
    sigs = {a.id: signature(a) for a in arts}
    assert find_relations(arts, sigs) == []


def _words(rng: random.Random, n: int) -> list[str]:
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 7))) for _ in range(n)]


def test_lsh_recall_at_target_threshold() -> None:
    # LSH set at the target would miss about half of the pairs near 0.8; detecting at ~0.5 and
    # verifying exactly must find every verified pair >= 0.8. Pairs are random word texts with a
    # few words edited, so their Jaccard spreads around the threshold.
    rng = random.Random(11)
    arts = []
    for k in range(60):
        base = _words(rng, 200)
        copy = list(base)
        for pos in rng.sample(range(200), rng.randint(1, 8)):
            copy[pos] = _words(rng, 1)[0]
        arts.append(Article(id=f"b{k}", text=" ".join(base), provenance=Provenance(source="t", format="txt")))
        arts.append(Article(id=f"c{k}", text=" ".join(copy), provenance=Provenance(source="t", format="txt")))
    sigs = {a.id: signature(a) for a in arts}
    truth = {(f"b{k}", f"c{k}") for k in range(60) if shingle_overlap(sigs[f"b{k}"], sigs[f"c{k}"])[0] >= 0.8}
    assert 15 < len(truth) < 55, "the edits should spread the pairs on both sides of 0.8"
    found = {(r.a, r.b) for r in find_relations(arts, sigs) if r.kind == "near_duplicate"}
    assert truth <= found
    for a, b in found - truth:  # anything else must be a containment, verified exactly
        assert shingle_overlap(sigs[a], sigs[b])[1] >= 0.9
    assert all(a[1:] == b[1:] for a, b in found), "only the derived pairs are copies"


def test_find_relations_bad_bands_is_an_error() -> None:
    arts = [_annotated("x", SUMMIT)]
    with pytest.raises(ValueError, match="bands"):
        find_relations(arts, {"x": signature(arts[0])}, {"bands": 7})


def test_find_relations_seeds(seed_texts: dict[str, str]) -> None:
    # Acceptance: the two rewrites of the NBC story are related as a rewrite, no other pair is
    # marked as a copy or a rewrite.
    _, relations = _relations(seed_texts)
    marked = {(r.a, r.b): r.kind for r in relations if r.kind in COPY_KINDS}
    assert marked == {("000", "001"): "rewrite"}


def test_find_relations_copy_group_is_linear() -> None:
    # k copies of one text give k-1 relations to the first, not k(k-1)/2.
    arts = [_annotated("c000", SUMMIT)] + [
        Article(
            id=f"c{i:03d}", text=exact_copy(SUMMIT) + " " * i, provenance=Provenance(source="t", format="txt")
        )
        for i in range(1, 120)
    ]
    relations = find_relations(arts, {a.id: signature(a) for a in arts})
    assert len(relations) == 119
    assert {r.a for r in relations} == {"c000"} and {r.kind for r in relations} == {"exact"}


# -- lineage: who copied whom ---------------------------------------------------------------------


def _dated(doc: str, text: str, published: str | None, outlet: str) -> Article:
    art = _annotated(doc, text)
    art.published, art.outlet = published, outlet
    return art


def _lineage(*arts: Article):
    from marsad.corpus.dedup import lineage

    sigs = {a.id: signature(a) for a in arts}
    return {c.doc: c for c in lineage(list(arts), find_relations(list(arts), sigs))}


def test_dedup_lineage_earliest_publication_is_origin_whatever_the_input_order() -> None:
    # The exact group's head (first in input order) is the latest: it is still the copy.
    copies = _lineage(
        _dated("late", FLOOD, "2024-06-03", "c"),
        _dated("first", exact_copy(FLOOD), "2024-06-01", "a"),
        _dated("middle", exact_copy(FLOOD), "2024-06-02", "b"),
    )
    assert set(copies) == {"late", "middle"}
    assert copies["late"].origin == copies["middle"].origin == "first"
    assert copies["middle"].source == "first" and copies["late"].kind == "exact"


def test_dedup_lineage_chain_names_its_first_publication() -> None:
    copies = _lineage(
        _dated("orig", FLOOD, "2024-06-01T08:00", "a"),
        _dated("near", near_copy(FLOOD), "2024-06-01T09:00", "b"),
        _dated("rewrite", FLOOD_REWRITE, "2024-06-02", "c"),
        _dated("unrelated", SUMMIT, "2024-05-30", "d"),
    )
    assert "orig" not in copies and "unrelated" not in copies
    assert copies["near"].source == "orig" and copies["near"].kind == "near_duplicate"
    assert copies["rewrite"].origin == "orig"
    # Passages are oriented source first.
    assert all(ps.doc == copies["near"].source and pc.doc == "near" for ps, pc in copies["near"].passages)


def test_dedup_lineage_same_time_ties_go_to_outlet_then_id() -> None:
    copies = _lineage(
        _dated("x2", FLOOD, "2024-06-01", "zeta"),
        _dated("x1", exact_copy(FLOOD), "2024-06-01", "alpha"),
    )
    assert copies["x2"].source == "x1"
    assert "same publication time" in (copies["x2"].reason or "")


def test_dedup_lineage_undated_copy_never_origin() -> None:
    copies = _lineage(
        _dated("undated", FLOOD, None, "a"), _dated("dated", exact_copy(FLOOD), "2024-06-05", "b")
    )
    assert copies["undated"].source == "dated"
