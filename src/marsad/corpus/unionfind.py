"""The one union-find of the cross-document stage (copy groups, linked entities, incidents).

Keys are any hashable, ordered values (document ids, indexes). When two sets join, the smaller
root wins, so the groups and their representatives do not depend on the order of the unions: a
rerun over the same relations in another order gives the same ids.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class UnionFind(Generic[K]):
    def __init__(self, items: Iterable[K] = ()) -> None:
        self.parent: dict[K, K] = {x: x for x in items}

    def find(self, x: K) -> K:
        """The representative of `x`'s set (a key never seen is a set of its own)."""
        parent = self.parent
        root = parent.setdefault(x, x)
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression keeps later finds near O(1)
            parent[x], x = root, parent[x]
        return root

    def union(self, a: K, b: K) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = (ra, rb) if _less(ra, rb) else (rb, ra)
            self.parent[high] = low

    def groups(self) -> dict[K, K]:
        """Every key seen -> its representative."""
        return {x: self.find(x) for x in self.parent}


def _less(a: Any, b: Any) -> bool:
    return bool(a < b)
