"""Viterbi decoding over a crfsuite model's weights, with score vectors cached per word type.

python-crfsuite's own tagger converts every feature string of every token on every call; most of
an article's cost went there. A linear-chain CRF's score is a sum, so the part each word type adds
(as the token itself, and as each neighbour) is summed once per type and kept as a row of a
matrix; an article's emission scores are then five row lookups per token. Viterbi steps through
all of an article's sentences at once, one numpy step per position of the longest.

The result is the same labelling crfsuite's own Viterbi gives (tests compare the two); the model
file and its training stay crfsuite's.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pycrfsuite

from marsad.extract.ner_features import NEIGHBOURS, NerFeatures
from marsad.segment.tokens import Token

_PAD = 0  # row of the padding "word" around each sentence: only its edge features


class CachedViterbi:
    def __init__(self, tagger: pycrfsuite.Tagger, features: NerFeatures) -> None:
        info = tagger.info()
        self.labels = list(tagger.labels())
        index = {label: k for k, label in enumerate(self.labels)}
        n = len(self.labels)
        # One row of label weights per attribute the model knows.
        self._attr: dict[str, int] = {}
        for attr, _ in info.state_features:
            self._attr.setdefault(attr, len(self._attr))
        self._matrix = np.zeros((len(self._attr) + 1, n))  # the last row stays zero
        for (attr, label), w in info.state_features.items():
            self._matrix[self._attr[attr], index[label]] += w
        self.weights = {attr: self._matrix[k] for attr, k in self._attr.items()}
        self.trans = np.zeros((n, n))
        for (a, b), w in info.transitions.items():
            self.trans[index[a], index[b]] = w
        self.features = features
        # Words that open a known bigram feature: only after these is the bigram looked up.
        self._bigram_left = frozenset(a[6:].split("|")[0] for a in self.weights if a.startswith("w-1|w="))
        self._ids: dict[str, int] = {}
        # Rows per word type: as the token itself, then as each neighbour in NEIGHBOURS order.
        self._rows = np.zeros((1 + len(NEIGHBOURS), 1024, n))
        self._rows[1 + NEIGHBOURS.index(-1), _PAD] = self._vector(["-1:edge"])
        self._rows[1 + NEIGHBOURS.index(1), _PAD] = self._vector(["1:edge"])
        self._size = 1

    def _vector(self, attrs: Iterable[str]) -> np.ndarray:
        """The summed label weights of `attrs` (attributes the model does not know add nothing)."""
        get, none = self._attr.get, len(self._attr)
        return self._matrix[[get(a, none) for a in attrs]].sum(axis=0)

    def _id(self, norm: str) -> int:
        found = self._ids.get(norm)
        if found is not None:
            return found
        if self._size == self._rows.shape[1]:
            if self._size >= 400_000:  # an open vocabulary: start again rather than grow forever
                self._ids.clear()
                self._size = 1
            else:
                self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)], axis=1)
        row = self._size
        # All five vectors from one gather and one segmented sum; each group ends with the zero
        # row, so none is empty.
        get, zero = self._attr.get, len(self._attr)
        index: list[int] = []
        starts = []
        for attrs in self.features.word_features(norm):
            starts.append(len(index))
            index.extend([get(a, zero) for a in attrs])
            index.append(zero)
        self._rows[:, row] = np.add.reduceat(self._matrix[index], starts, axis=0)
        self._ids[norm] = row
        self._size += 1
        return row

    def emissions(self, runs: list[list[Token]]) -> np.ndarray:
        """Label scores of every token of the sentences `runs`, in order, as one (tokens, labels)
        array: neighbours never cross a sentence edge (two padding rows sit between sentences)."""
        ids_of, new_id = self._ids.get, self._id
        norms = [t.norm for run in runs for t in run]
        ids = np.array([i if (i := ids_of(w)) is not None else new_id(w) for w in norms], dtype=np.int64)
        lengths = np.array([len(r) for r in runs])
        # Position of each token in the padded layout: 2 pad rows before each sentence.
        where = np.arange(len(ids)) + 2 * (np.repeat(np.arange(len(runs)), lengths) + 1)
        padded = np.full(len(ids) + 2 * (len(runs) + 1), _PAD, dtype=np.int64)
        padded[where] = ids
        rows = self._rows
        e = rows[0, ids]
        for k, offset in enumerate(NEIGHBOURS, 1):
            e += rows[k, padded[where + offset]]
        weights, left = self.weights, self._bigram_left
        start = 0
        for run in runs:
            for i in range(1, len(run)):
                prev = run[i - 1].norm
                if prev in left:
                    w = weights.get(f"w-1|w={prev}|{run[i].norm}")
                    if w is not None:
                        e[start + i] += w
            for i, attrs in self.features.span_features(run).items():
                e[start + i] += self._vector(attrs)
            start += len(run)
        return e

    def tag(self, toks: list[Token]) -> list[str]:
        return self.tag_many([toks])[0]

    def tag_many(self, runs: list[list[Token]]) -> list[list[str]]:
        """Labels for several sentences at once: one Viterbi pass steps through all of them
        together (numpy over the sentences), so an article costs one loop over its longest
        sentence rather than one per token."""
        if not runs or not all(runs):
            raise ValueError("tag_many needs non-empty sentences")
        lengths = np.array([len(r) for r in runs])
        n_runs, longest = len(runs), int(lengths.max())
        run_of = np.repeat(np.arange(n_runs), lengths)
        pos_of = np.arange(len(run_of)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        e = np.zeros((n_runs, longest, len(self.labels)))
        e[run_of, pos_of] = self.emissions(runs)
        t = self.trans
        score = e[:, 0].copy()
        back = np.zeros(e.shape, dtype=np.int64)
        total = np.empty((n_runs, *t.shape))  # buffers reused at every step
        best = np.empty_like(score)
        live = lengths[:, None] > np.arange(longest)  # [run, pos]: pos is inside the run
        for pos in range(1, longest):
            np.add(score[:, :, None], t, out=total)
            total.argmax(axis=1, out=back[:, pos])
            total.max(axis=1, out=best)
            best += e[:, pos]
            np.copyto(score, best, where=live[:, pos, None])
        every = np.arange(n_runs)
        labels = np.zeros((n_runs, longest), dtype=np.int64)
        labels[every, lengths - 1] = score.argmax(axis=1)
        for pos in range(longest - 1, 0, -1):
            live = every[lengths > pos]
            labels[live, pos - 1] = back[live, pos, labels[live, pos]]
        names = np.array(self.labels, dtype=object)[labels]
        return [names[k, : len(run)].tolist() for k, run in enumerate(runs)]
