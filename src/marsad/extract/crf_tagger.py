"""Viterbi decoding over a crfsuite model's weights, with score vectors cached per word type.

python-crfsuite's own tagger converts every feature string of every token on every call; most of
an article's cost went there. A linear-chain CRF's score is a sum, so the part each word type adds
(as the token itself, and as each neighbour) is summed once per type and kept as a row of a
matrix (an article's unseen words get theirs together); an article's emission scores are then
five row lookups per token. Tokens an exact bound proves O in every best path are not decoded;
Viterbi steps through the stretches between them, all at once, one numpy step per position of
the longest stretch.

The result is the same labelling crfsuite's own Viterbi gives (tests compare the two); the model
file and its training stay crfsuite's.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import filterfalse, repeat
from operator import itemgetter

import numpy as np
import pycrfsuite

from marsad.extract.ner_features import FLAGS, LAYOUT, NEIGHBOURS, PREFIXES, NerFeatures, parse
from marsad.segment.tokens import Token

_RESET = 1e7  # added per sentence so that a running maximum never carries across sentences
_SLACK = 1e-3  # the bound must fail by this much: rounding on the reset offsets never decides
_TYPES_MAX = 400_000  # word types kept in `_rows`; past this the cache starts again
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
        # The same rows by position, feature name and value, so a new word's rows need no strings.
        self._tables: list[dict[str, dict[str | None, int]]] = [{} for _ in PREFIXES]
        for attr, k in self._attr.items():
            position, (name, value) = parse(attr)
            self._tables[position].setdefault(name, {})[value] = k
        self._flag_rows: list[dict[str | None, int]] = [
            {name: t[None] for name, t in tables.items() if None in t} for tables in self._tables
        ]
        self.trans = np.zeros((n, n))
        for (a, b), w in info.transitions.items():
            self.trans[index[a], index[b]] = w
        self.features = features
        # Words that open a known bigram feature: only after these is the bigram looked up.
        self._bigram_left = frozenset(a[6:].split("|")[0] for a in self.weights if a.startswith("w-1|w="))
        self._ids: dict[str, int] = {}
        self._span_vectors: dict[tuple[str, ...], np.ndarray] = {}
        # Rows per word type: as the token itself, then as each neighbour in NEIGHBOURS order.
        self._rows = np.zeros((1 + len(NEIGHBOURS), 1024, n))
        self._rows[1 + NEIGHBOURS.index(-1), _PAD] = self._vector(["-1:edge"])
        self._rows[1 + NEIGHBOURS.index(1), _PAD] = self._vector(["1:edge"])
        self._opens = np.zeros(self._rows.shape[1], dtype=bool)  # per row: opens a known bigram
        self._size = 1
        # What the transitions of a stretch of names can add over O->O; see `_certain_o`.
        o = self._o = index["O"]
        others = [k for k in range(n) if k != o]
        stay = self.trans[o, o]
        self._stretch = (
            self.trans[np.ix_(others, others)].max() - stay,  # a step inside a name
            self.trans[o, others].max() - stay,  # into one
            self.trans[others, o].max() - stay,  # out of one
        )

    def _vector(self, attrs: Iterable[str]) -> np.ndarray:
        """The summed label weights of `attrs` (attributes the model does not know add nothing)."""
        get, none = self._attr.get, len(self._attr)
        return self._matrix[[get(a, none) for a in attrs]].sum(axis=0)

    def _span_vector(self, attrs: tuple[str, ...]) -> np.ndarray:
        """`_vector` of a token's span features, kept: a few dozen combinations recur."""
        found = self._span_vectors.get(attrs)
        if found is None:
            if len(self._span_vectors) >= 10_000:  # bounded, whatever the text
                self._span_vectors.clear()
            found = self._span_vectors[attrs] = self._vector(attrs)
        return found

    def _ids_of(self, norms: list[str]) -> np.ndarray:
        """Row of each word in `_rows`; words not met before get theirs first, all together."""
        ids = self._ids
        new = list(filterfalse(ids.__contains__, dict.fromkeys(norms)))  # C-level: no frame per token
        if new:
            if self._size + len(new) > _TYPES_MAX:  # an open vocabulary: start again
                ids.clear()
                self._size = 1
                new = list(dict.fromkeys(norms))
            self._add_words(new)
        return np.fromiter(map(ids.__getitem__, norms), dtype=np.int64, count=len(norms))

    def _add_words(self, new: list[str]) -> None:
        """Rows for words not met before, all together: for each position and feature name in
        `LAYOUT` order, one lookup of every new word's value and one vector add. The sum runs in
        the order of the word's features, as crfsuite's would (a feature the model does not know,
        or a word without it, adds the zero row)."""
        first, self._size = self._size, self._size + len(new)
        if self._size > self._rows.shape[1]:
            grown = np.zeros(
                (self._rows.shape[0], max(2 * self._rows.shape[1], self._size), self._rows.shape[2])
            )
            grown[:, :first] = self._rows[:, :first]
            self._rows = grown
            self._opens = np.concatenate([self._opens[:first], np.zeros(grown.shape[1] - first, dtype=bool)])
        values = list(map(self.features.word_values, new))
        columns = {name: list(map(itemgetter(name), values)) for name in values[0]}  # name -> per word
        flags = columns[FLAGS]
        # Each word's j-th lexicon flag, for each j (None where a word has fewer).
        slots = [[f[j] if len(f) > j else None for f in flags] for j in range(max(map(len, flags)))]
        # Row of every (position, feature name, word), in LAYOUT order: one gather for them all.
        zero, n = len(self._attr), len(new)
        index: list[int] = []
        for tables, flag_rows, names in zip(self._tables, self._flag_rows, LAYOUT, strict=True):
            for name in names:
                if name == FLAGS:
                    for slot in slots:
                        index.extend(map(flag_rows.get, slot, repeat(zero)))
                else:
                    index.extend(map(tables.get(name, {}).get, columns[name], repeat(zero)))
        gathered = self._matrix[index].reshape(-1, n, self._matrix.shape[1])
        start = 0
        for rows, names in zip(self._rows, LAYOUT, strict=True):
            count = len(names) - 1 + len(slots) if FLAGS in names else len(names)
            # accumulate adds in order, one feature after another, as the sum over a word's
            # features reads; its last step is the word's row.
            rows[first : self._size] = np.add.accumulate(gathered[start : start + count], axis=0)[-1]
            start += count
        left = self._bigram_left
        self._opens[first : self._size] = [norm in left for norm in new]
        ids = self._ids
        for k, norm in enumerate(new, first):
            ids[norm] = k

    def emissions(self, runs: list[list[Token]]) -> np.ndarray:
        """Label scores of every token of the sentences `runs`, in order, as one (tokens, labels)
        array: neighbours never cross a sentence edge (two padding rows sit between sentences)."""
        flat = [t for run in runs for t in run]
        norms = [t.norm for t in flat]
        ids = self._ids_of(norms)
        lengths = np.array([len(r) for r in runs])
        # Position of each token in the padded layout: 2 pad rows before each sentence.
        where = np.arange(len(ids)) + 2 * (np.repeat(np.arange(len(runs)), lengths) + 1)
        padded = np.full(len(ids) + 2 * (len(runs) + 1), _PAD, dtype=np.int64)
        padded[where] = ids
        rows = self._rows
        e = rows[0, ids]
        for k, offset in enumerate(NEIGHBOURS, 1):
            e += rows[k, padded[where + offset]]
        # A bigram's weight is looked up only after a word that opens a known one, in its sentence.
        inside = np.ones(len(ids), dtype=bool)
        inside[np.cumsum(lengths) - lengths] = False  # a sentence's first token follows nothing
        weights = self.weights
        for p in np.flatnonzero(self._opens[ids[:-1]] & inside[1:]).tolist():
            w = weights.get(f"w-1|w={norms[p]}|{norms[p + 1]}")
            if w is not None:
                e[p + 1] += w
        fams_of = self.features.rules.token_families(flat)  # one probe pass for the article
        start = 0
        for run in runs:
            span = self.features.span_features(run, fams_of[start : start + len(run)])
            for i, attrs in span.items():
                e[start + i] += self._span_vector(attrs)
            start += len(run)
        return e

    def tag(self, toks: list[Token]) -> list[str]:
        return self.tag_many([toks])[0]

    def tag_many(self, runs: list[list[Token]]) -> list[list[str]]:
        """Labels for several sentences at once.

        Most tokens are plainly outside every name: where O outscores each other label by more
        than any pair of transitions could make up (`_margin`), every best path has O there, so
        that token is labelled O without decoding, and it cuts its sentence into independent
        stretches (entered from O, left into O). One Viterbi pass then steps through all the
        stretches together (numpy over them), so an article costs one loop over its longest
        stretch, a few tokens, rather than its longest sentence.
        """
        if not runs or not all(runs):
            raise ValueError("tag_many needs non-empty sentences")
        e = self.emissions(runs)
        lengths = np.array([len(r) for r in runs])
        ends = np.cumsum(lengths)
        first = np.zeros(len(e), dtype=bool)
        first[ends - lengths] = True
        last = np.zeros(len(e), dtype=bool)
        last[ends - 1] = True
        free = ~self._certain_o(e, first, last)
        labels = np.full(len(e), self._o, dtype=np.int64)
        # A stretch starts at a free token after a fixed one (or a sentence start) and stops at one
        # before a fixed one (or a sentence end).
        fixed = ~free
        starts = np.flatnonzero(free & (first | np.concatenate(([True], fixed[:-1]))))
        if len(starts):
            stops = np.flatnonzero(free & (last | np.concatenate((fixed[1:], [True])))) + 1
            stretches = self._decode(e, starts, stops, ~first[starts], ~last[stops - 1])
            for a, b, label in zip(starts.tolist(), stops.tolist(), stretches, strict=True):
                labels[a:b] = label
        names = np.array(self.labels, dtype=object)[labels].tolist()
        return [names[b - n : b] for b, n in zip(ends.tolist(), lengths.tolist(), strict=True)]

    def _certain_o(self, e: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Tokens that every best path labels O (an exact bound, not a threshold).

        In a best path, relabelling one of its maximal non-O stretches O cannot raise the score,
        so the stretch's gain over O is at least zero. That gain is at most the sum, over its
        tokens, of the best non-O label's emission lead over O, plus the best any transition
        into, inside and out of the stretch adds over O->O. A token that lies in no stretch whose
        bound reaches zero is O in every best path. The best stretch through each token is the
        best one ending there plus the best one starting there (two running maxima).
        """
        o = self._o
        inner, enter, leave = self._stretch
        gain = np.delete(e, o, axis=1).max(axis=1) - e[:, o] + inner  # per token, with one inner step
        run = np.cumsum(first) * _RESET  # a running maximum restarts at each sentence
        total = np.cumsum(gain)
        before = total - gain  # sum of the gains before each token
        # Best stretch ending at k: total[k] + max over its first token i of (edge(i) - before[i]).
        head = np.maximum.accumulate(np.where(first, 0.0, enter) - before + run) - run + total
        after = total[-1] - total  # sum of the gains after each token
        rev = run[-1] - run  # restarts at each sentence, read backwards
        tail = (
            np.maximum.accumulate((np.where(last, 0.0, leave) - after + rev)[::-1])[::-1] - rev + after + gain
        )
        return head + tail - gain - inner < -_SLACK

    def _decode(
        self, e: np.ndarray, starts: np.ndarray, stops: np.ndarray, after_o: np.ndarray, before_o: np.ndarray
    ) -> list[np.ndarray]:
        """Viterbi over the stretches e[starts[k]:stops[k]], all together; a stretch `after_o`
        follows a token labelled O, one `before_o` precedes one.

        The stretches are taken longest first, so the ones still running at a position are a
        prefix: each step works on that prefix alone, and a stretch's score stays as its last
        step left it."""
        order = np.argsort(-(stops - starts), kind="stable")
        starts, lengths = starts[order], (stops - starts)[order]
        n_runs, longest = len(starts), int(lengths[0])
        running = (n_runs - np.searchsorted(lengths[::-1], np.arange(longest), side="right")).tolist()
        offsets = np.cumsum(lengths) - lengths
        pos_of = np.arange(int(lengths.sum())) - np.repeat(offsets, lengths)
        em = np.zeros((n_runs, longest, len(self.labels)))
        em[np.repeat(np.arange(n_runs), lengths), pos_of] = e[np.repeat(starts, lengths) + pos_of]
        t = self.trans
        score = em[:, 0] + np.where(after_o[order][:, None], t[self._o], 0.0)
        back = np.zeros(em.shape, dtype=np.int64)
        total = np.empty((n_runs, *t.shape))  # reused at every step
        for pos in range(1, longest):
            m = running[pos]
            np.add(score[:m, :, None], t, out=total[:m])
            total[:m].argmax(axis=1, out=back[:m, pos])
            total[:m].max(axis=1, out=score[:m])
            score[:m] += em[:m, pos]
        score += np.where(before_o[order][:, None], t[:, self._o], 0.0)
        labels = np.zeros((n_runs, longest), dtype=np.int64)
        labels[np.arange(n_runs), lengths - 1] = score.argmax(axis=1)
        every = np.arange(n_runs)
        for pos in range(longest - 1, 0, -1):
            m = running[pos]
            labels[:m, pos - 1] = back[every[:m], pos, labels[:m, pos]]
        out: list[np.ndarray] = [labels[0]] * n_runs
        for slot, (k, n) in enumerate(zip(order.tolist(), lengths.tolist(), strict=True)):
            out[k] = labels[slot, :n]
        return out
