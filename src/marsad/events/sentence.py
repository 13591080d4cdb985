"""The record the coder's parts share for one sentence: its tokens, clauses and actors.

Built once per sentence that holds a trigger candidate; actors, conditional cues and the reporter
are computed on first need and kept here, so every trigger of the sentence reuses them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from marsad.events.actors import Actor, find_actors
from marsad.events.lexicon import EventLexicon, TriggerRow, WordInfo
from marsad.model import Article
from marsad.model.spans import EntityMention
from marsad.segment.tokens import Token

# Token texts that end a clause: an actor or cue never reaches across them. (Characters, not words,
# so they stay here; the clause-opening words are in grammar.tsv.)
CLAUSE_PUNCT = frozenset('،,؛;:.!?؟"«»()[]-–—')


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """A trigger found in a sentence: token i opens it, token `last` ends its phrase."""

    i: int
    last: int
    row: TriggerRow
    prefix: str  # the clitics written on the first word (و، ف، ب، لل ...)
    future: bool  # the word carries the future prefix س
    verbal: bool  # read as a verb (else a noun: masdar)


@dataclass(slots=True)
class Sentence:
    article: Article
    toks: list[Token]
    infos: list[WordInfo]
    starts: list[int]  # token start offsets, for bisection
    ents: list[EntityMention]
    start: int
    end: int
    lexicon: EventLexicon
    clause: list[int] = field(default_factory=list)
    _actors: list[Actor] | None = None
    _actor_at: dict[int, Actor] = field(default_factory=dict)
    _conditionals: list[int] | None = None
    _reporter: tuple[str | None] | None = None
    _casualties: dict[str, Any] | None = None
    _times: list[Any] | None = None  # (token index, time mention) pairs, see dating.py
    _weapon: bool | None = None
    _counted: dict[int, int] | None = None
    _count_words: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        # Clause numbers: a new clause after punctuation or a relative/subordinating word.
        words = self.lexicon.grammar.clause_words
        c = 0
        for k, t in enumerate(self.toks):
            if (t.text in CLAUSE_PUNCT and not self._abbreviation_dot(k)) or t.norm in words:
                c += 1
            self.clause.append(c)

    def _abbreviation_dot(self, k: int) -> bool:
        """The dot of a one-letter abbreviation (د. مفرج، م. علي): part of a title, no clause end."""
        return (
            self.toks[k].text == "."
            and k > 0
            and self.toks[k - 1].is_word
            and len(self.toks[k - 1].text) == 1
        )

    @property
    def n(self) -> int:
        return len(self.toks)

    def _build_actors(self) -> None:
        self.counted()
        self._actors = find_actors(
            self.toks, self.infos, self.starts, self.ents, self.lexicon, self._count_words
        )
        for act in self._actors:
            for k in range(act.first, act.last + 1):
                self._actor_at[k] = act

    @property
    def actors(self) -> list[Actor]:
        """The sentence's actors, built on first need: they cost as much as the rest of the sentence."""
        if self._actors is None:
            self._build_actors()
        return self._actors  # type: ignore[return-value]

    @property
    def actor_at(self) -> dict[int, Actor]:
        """For each token index an actor covers, that actor."""
        if self._actors is None:
            self._build_actors()
        return self._actor_at

    def conditionals(self) -> list[int]:
        """Token indexes of hypothetical cues (إذا، لو ...), found once per sentence."""
        if self._conditionals is None:
            lex, toks = self.lexicon, self.toks
            self._conditionals = [
                k
                for k, info in enumerate(self.infos)
                if info.maybe_hypothetical
                and (
                    lex.cue("modal", toks[k].norm) == "hypothetical"
                    or (lex.multi_cue("modal", toks, k) or ("",))[0] == "hypothetical"
                )
            ]
        return self._conditionals

    def counted(self) -> dict[int, int]:
        """For each noun right after a count (ستة مشاركين، 171 آخرين، أكثر من ثلاثين متظاهرا), the
        token index where its count starts: the counted people, found once per sentence."""
        if self._counted is None:
            toks, n = self.toks, self.n
            # A bare numeral counts the noun after it too (16 آخرين) where no quantity was read.
            out = {k + 1: k for k in range(n - 1) if toks[k].is_number and toks[k + 1].is_word}
            times = [(t.start, t.end) for t in self.article.times if self.start <= t.start < self.end]
            for q in self.article.quantities:
                if self.start <= q.start < self.end:
                    k = bisect.bisect_left(self.starts, q.end)
                    if k < n and toks[k].is_word and not self.is_punct(k):
                        out[k] = bisect.bisect_right(self.starts, q.start) - 1
            # أربعة من عناصر الشرطة: after a partitive من the counted people are the noun after it.
            for k in [k for k in out if toks[k].norm == "من" and k + 1 < n and toks[k + 1].is_word]:
                out[k + 1] = out.pop(k)
            # ثلاثة أيام: a count of time is no one.
            self._counted = {
                k: c for k, c in out.items() if not any(a <= toks[k].start < b for a, b in times)
            }
            self._count_words = frozenset(j for k, c in self._counted.items() for j in range(c, k))
        return self._counted

    def in_count(self, j: int) -> bool:
        """Token j is one of a count's own words (نحو مائتي، أكثر من ثلاثين), not a phrase of its own."""
        if self._counted is None:
            self.counted()
        return j in self._count_words

    def is_punct(self, k: int) -> bool:
        return self.toks[k].text in CLAUSE_PUNCT and not self._abbreviation_dot(k)
