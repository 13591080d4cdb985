"""One bounded per-word-type cache for the per-document stages.

Stages look up the same word forms in every article; computing a form once and keeping it makes a
lookup per token a dict read. The cache is cleared when it would pass `limit`, so a long run over
an open vocabulary keeps bounded memory (clearing, not evicting: a few rebuilt forms cost less
than tracking recency on every token).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

V = TypeVar("V")


def lookup_words(cache: dict[str, V], words: list[str], compute: Callable[[str], V], limit: int) -> list[V]:
    """`compute(word)` for each of `words`, in order; only forms the cache lacks are computed."""
    new = set(words).difference(cache)
    if new:
        if len(cache) + len(new) > limit:
            cache.clear()
            new = set(words)
        for word in new:
            cache[word] = compute(word)
    return list(map(cache.__getitem__, words))
