import itertools

from marsad.corpus.unionfind import UnionFind


def test_unionfind_groups_do_not_depend_on_union_order():
    pairs = [("d3", "d1"), ("d4", "d5"), ("d1", "d2"), ("d5", "d9")]
    results = set()
    for order in itertools.permutations(pairs):
        sets: UnionFind[str] = UnionFind()
        for a, b in order:
            sets.union(a, b)
        results.add(tuple(sorted(sets.groups().items())))
    assert len(results) == 1
    groups = dict(next(iter(results)))
    assert {groups[d] for d in ("d1", "d2", "d3")} == {"d1"} and groups["d9"] == "d4"


def test_unionfind_unseen_key_is_its_own_set():
    sets: UnionFind[int] = UnionFind(range(3))
    sets.union(2, 1)
    assert sets.find(2) == 1 and sets.find(7) == 7 and sets.find(0) == 0
