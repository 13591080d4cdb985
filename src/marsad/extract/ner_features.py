"""Features of a token sequence for the trained entity recogniser.

A token's features come from its word alone (form, clitic-stripped stems, affixes, shape, the
lexicons it is listed in) and from its neighbours' words, plus two that need the sentence:
whether a listed multi-word name (gazetteer) or a nationality phrase covers it. The word-alone part
is computed once per word type and kept, already prefixed for each neighbour position, so tagging a
sentence costs a dict probe and a few tuple concatenations per token (news repeats its words).
"""

from __future__ import annotations

from typing import Any

from marsad.extract.entities import Recognizer, lexical_stems
from marsad.extract.lexicon_loader import Lexicons
from marsad.segment.tokens import Token, strip_proclitics

# Neighbour offsets whose word features a token sees, and how many of those features they get:
# the near neighbours everything, the far ones only their form and lexicon flags.
_NEAR = (-1, 1)
_FAR = (-2, 2)
_CACHE_MAX = 300_000  # word types kept; cleared when full so a long run keeps bounded memory


def _shape(word: str) -> str:
    if word[:1].isdigit():
        return "digit"
    if not word[:1].isalpha():
        return "punct"
    if word.isascii():
        return "latin"
    return "arabic"


class NerFeatures:
    """Builds crfsuite feature lists for the tokens of one sentence."""

    def __init__(self, lex: Lexicons, rules: Recognizer) -> None:
        self.lex = lex
        self.rules = rules  # reused for its gazetteer and nationality matchers
        self._cache: dict[str, tuple[tuple[str, ...], ...]] = {}

    def _flags(self, norm: str) -> list[str]:
        """The lexicons that list this word or one of its clitic-stripped stems."""
        lex = self.lex
        out = []
        for stem in lexical_stems(norm):
            tag = "" if stem == norm else "~"  # listed only after removing a proclitic
            if stem in lex.given_names:
                out.append("given" + tag)
            if stem in lex.ambiguous_names:
                out.append("ambig" + tag)
            bucket = lex.gazetteer.get(stem)
            if bucket:
                out.extend(
                    f"gaz1:{e.type}{tag}" if not rest else f"gazN:{e.type}{tag}" for rest, e in bucket[-1:]
                )
                if any(not rest for rest, _ in bucket):
                    out.extend(f"gaz:{e.type}{tag}" for rest, e in bucket if not rest)
            if stem in lex.gazetteer_words:
                out.append("gazword" + tag)
            if stem in lex.titles.index or stem in lex.title_words:
                out.append("title" + tag)
            if stem in lex.org_heads:
                out.append("orghead" + tag)
            if stem in lex.place_heads:
                out.append("placehead" + tag)
            if stem in lex.nationalities.index:
                out.append("nat" + tag)
            if stem in lex.cue_verbs:
                out.append("cueverb" + tag)
            if stem in lex.cue_nouns:
                out.append("cuenoun" + tag)
            if stem in lex.clubs.index:
                out.append("club" + tag)
            if stem in lex.sports_words:
                out.append("sport" + tag)
            if stem in lex.time_words:
                out.append("time" + tag)
            if stem in lex.org_adjectives:
                out.append("orgadj" + tag)
        if norm in lex.stopwords:
            out.append("stop")
        if norm in lex.particles:
            out.append("particle")
        if norm in lex.number_words:
            out.append("number")
        return sorted(set(out))

    def _word(self, norm: str) -> tuple[tuple[str, ...], ...]:
        """(own features, then one tuple per neighbour offset in _NEAR + _FAR), cached per word."""
        found = self._cache.get(norm)
        if found is not None:
            return found
        stem = strip_proclitics(norm)
        flags = self._flags(norm)
        base = [f"w={norm}", f"s={stem}", f"shape={_shape(norm)}", *flags]
        own = [
            "bias",
            *base,
            f"len={min(len(stem), 8)}",
            f"p2={norm[:2]}",
            f"p3={norm[:3]}",
            f"x1={norm[-1:]}",
            f"x2={norm[-2:]}",
            f"x3={norm[-3:]}",
            f"sp2={stem[:2]}",
            f"sx2={stem[-2:]}",
            f"al={norm.startswith('ال') or stem != norm and 'ال' + stem in lexical_stems(norm)}",
        ]
        far = [f"s={stem}", *flags]
        found = (
            tuple(own),
            *(tuple(f"{k}:{f}" for f in base) for k in _NEAR),
            *(tuple(f"{k}:{f}" for f in far) for k in _FAR),
        )
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
        self._cache[norm] = found
        return found

    def _spans(self, toks: list[Token]) -> list[list[str]]:
        """Per token: B-/I- of a listed multi-word name or a nationality phrase covering it."""
        n = len(toks)
        out: list[list[str]] = [[] for _ in range(n)]
        i = 0
        while i < n:
            found = self.rules._gaz_match(toks, i)
            if found is not None and found[0] - i > 1:
                j, _, entry = found
                out[i].append(f"gazB:{entry.type}")
                for k in range(i + 1, j):
                    out[k].append(f"gazI:{entry.type}")
                i = j
                continue
            nat = self.rules._nationality(toks, i)
            if nat is not None:
                for k in range(i, nat[0]):
                    out[k].append("natspan")
                i = nat[0]
                continue
            i += 1
        return out

    def sentence(self, toks: list[Token]) -> list[list[str]]:
        words = [self._word(t.norm) for t in toks]
        spans = self._spans(toks)
        n = len(toks)
        feats: list[list[str]] = []
        for i, w in enumerate(words):
            f: list[Any] = list(w[0])
            f.extend(spans[i])
            for slot, k in enumerate((*_NEAR, *_FAR), 1):
                j = i + k
                if 0 <= j < n:
                    f.extend(words[j][slot])
                    if k in _NEAR:
                        f.extend(f"{k}:{s}" for s in spans[j])
                elif k in _NEAR:
                    f.append(f"{k}:edge")
            if i:
                f.append(f"w-1|w={toks[i - 1].norm}|{toks[i].norm}")
            feats.append(f)
        return feats
