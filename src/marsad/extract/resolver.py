"""The `entity_resolver` component: who or what each recognised span is.

It takes the typed spans a recogniser left in `article.entities` (the `ner` model's, or any other
component's) and gives each its canonical name, linking key, country, role and actor code from the
gazetteers, titles, nationality adjectives and metonyms, whatever made the span. The evidence is
the rule families of `entities.Recognizer`, run over the same tokens: a listed name covering the
span names it ("بالكرملين" -> الكرملين, RUS GOV), a title before a person gives role and country
("الرئيس الروسي X"), an organisation's nationality adjective gives its country.

The resolver also adds what a recogniser of names does not give but later stages need:
nationality adjectives as NORP mentions (ANERcorp marks them O; actor coding reads them), short
forms of a full name met earlier in the document (بوتين after فلاديمير بوتين), and, when
`rule_fallback` is on, listed names the recogniser missed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import Any

from marsad.errors import PipelineError
from marsad.extract.entities import P_NAME, RESOLVING_FAMILIES, Candidate, Recognizer
from marsad.extract.lexicon_loader import load_lexicons
from marsad.model import Article, EntityMention
from marsad.pipeline import BaseComponent, register
from marsad.segment.tokens import Token

COMPONENT = "entity_resolver"
# Recognised types that a gazetteer entry of another type may refine: a LOC that is a listed
# country or city is a GPE (the event coder's actors). An ORG stays ORG even when it is a country
# (a national team, ANERcorp's convention) and only takes the country.
_REFINE = {("LOC", "GPE")}
_PLACES = frozenset({"GPE", "LOC"})


def token_range(
    toks: list[Token], starts: list[int], ends: list[int], start: int, end: int
) -> tuple[int, int]:
    """[i, j) of the tokens a character span touches (empty when it touches none)."""
    return bisect_right(ends, start), bisect_left(starts, end)


class Resolver:
    def __init__(self, rules: Recognizer, rule_fallback: bool = False) -> None:
        self.rules = rules
        self.rule_fallback = rule_fallback
        self._sports: tuple[list[Token] | None, list[int]] = (None, [])

    @staticmethod
    def _evidence(by_token: dict[int, list[Candidate]], i: int, j: int, kind: str) -> Candidate | None:
        """The rule candidate that says most about tokens [i, j): the same tokens first, then the
        one sharing most tokens with it; a listed entry before a pattern. `by_token` holds the
        non-NORP candidates covering each token."""
        best: tuple[Any, ...] | None = None
        found = None
        for k in range(i, j):
            for c in by_token.get(k, ()):
                shared = min(j, c.j) - max(i, c.i)
                rank = (c.i == i and c.j == j, shared, c.entry_id is not None, c.type == kind, -c.priority)
                if best is None or rank > best:
                    best, found = rank, c
        return found

    def _resolve_span(
        self, m: EntityMention, i: int, j: int, by_token: dict[int, list[Candidate]], toks: list[Token]
    ) -> Candidate:
        ev = self._evidence(by_token, i, j, m.type)
        reason = m.reason or m.component or "recognised"
        if ev is None:
            return Candidate(i, j, self._prefix(i, j, None), m.type, P_NAME, reason)
        same = ev.i == i and ev.j == j
        kind = self._type(m.type, ev, toks, i) if same else m.type
        return Candidate(
            i,
            j,
            self._prefix(i, j, ev),
            kind,
            P_NAME,
            f"{reason}; {ev.reason}",
            ev.entry_id if same else None,
            ev.name if same else None,
            ev.country,
            ev.code if same or ev.type == kind else None,
            ev.role if same or ev.type == kind else None,
        )

    @staticmethod
    def _listed_places(by_token: dict[int, list[Candidate]], i: int, j: int) -> list[tuple[int, int]] | None:
        """The token ranges of two or more listed places that exactly tile tokens [i, j), or None.

        A recogniser that has not seen a foreign name runs neighbouring names together ("زودت
        بيونج يانج موسكو": one span). When the span is nothing but listed places back to back,
        each is its own entity: the sender and the receiver, not one organisation.
        """
        parts: list[tuple[int, int]] = []
        k = i
        while k < j:
            ends = [
                c.j for c in by_token.get(k, ()) if c.i == k and c.j <= j and c.entry_id and c.type in _PLACES
            ]
            if not ends:
                return None
            parts.append((k, max(ends)))
            k = max(ends)
        return parts if len(parts) > 1 else None

    def _sport_positions(self, toks: list[Token]) -> list[int]:
        """The tokens that are sports words, worked out once per article (kept for the last one)."""
        if self._sports[0] is not toks:
            families = self.rules._word_families
            self._sports = (toks, [k for k, t in enumerate(toks) if "sport" in families(t.norm)])
        return self._sports[1]

    def _type(self, recognised: str, ev: Candidate, toks: list[Token], i: int) -> str:
        """The type of a span whose tokens are exactly a rule candidate's.

        A listed name's type wins over the recogniser's guess (بيونج يانج is a place, whatever a
        model trained on other names makes of an unseen foreign word), except that a listed
        country or city is an ORG where a sports word is near: a national team (ANERcorp's
        convention). An unlisted candidate only refines LOC to GPE.
        """
        if ev.entry_id is None or ev.type == recognised or ev.type == "NORP":
            return ev.type if (recognised, ev.type) in _REFINE else recognised
        if (
            recognised == "ORG"
            and ev.type in ("GPE", "LOC")
            and self.rules._sports_near(self._sport_positions(toks), i)
        ):
            return "ORG"
        return ev.type

    def _prefix(self, i: int, j: int, ev: Candidate | None) -> int:
        """The proclitic left out of the mention: the one the rules found for the same first token."""
        return ev.prefix if ev is not None and ev.i == i else 0

    def resolve(self, article: Article, recognised: list[EntityMention]) -> list[EntityMention]:
        toks = article.tokens or []
        if not toks:
            return []
        rules = self.rules
        cands = rules.candidates(toks, RESOLVING_FAMILIES)
        starts = [t.start for t in toks]
        ends = [t.end for t in toks]
        by_token: dict[int, list[Candidate]] = {}
        for c in cands:
            if c.type != "NORP":
                for k in range(c.i, c.j):
                    by_token.setdefault(k, []).append(c)
        chosen: list[Candidate] = []
        used: set[int] = set()
        for m in sorted(recognised, key=lambda m: (m.start, -m.end)):
            i, j = token_range(toks, starts, ends, m.start, m.end)
            if i >= j or not used.isdisjoint(range(i, j)):
                continue  # no token under it, or inside a span already resolved
            if m.type == "PER" and rules.time_phrase(toks, i):
                continue  # "رمضان المبارك": a month, not a person, whoever proposed it
            used.update(range(i, j))
            parts = self._listed_places(by_token, i, j)
            for a, b in parts or [(i, j)]:
                c = self._resolve_span(m, a, b, by_token, toks)
                chosen.append(
                    replace(c, reason=f"{c.reason}; one of listed places side by side") if parts else c
                )
        # Nationality adjectives outside every recognised span, then (if asked) listed names.
        extra = [c for c in cands if c.type == "NORP"]
        if self.rule_fallback:
            extra += [c for c in rules._resolve(cands) if c.entry_id is not None and c.type != "NORP"]
        for c in extra:
            if used.isdisjoint(range(c.i, c.j)):
                used.update(range(c.i, c.j))
                chosen.append(c)
        chosen.sort(key=lambda c: c.i)
        chosen = rules._short_forms(toks, chosen)
        return rules._to_mentions(article, toks, chosen, COMPONENT)


@register("entity_resolver")
class EntityResolverComponent(BaseComponent):
    name = COMPONENT
    requires = ("norm", "tokens", "entities")
    provides = ("entities",)

    def __init__(self) -> None:
        super().__init__()
        self.resolver: Resolver | None = None

    def initialize(self, config: dict[str, Any]) -> None:
        super().initialize(config)
        rules = Recognizer(load_lexicons(config.get("lexicon_dir")))
        self.resolver = Resolver(rules, bool(config.get("rule_fallback", False)))

    def __call__(self, article: Article) -> Article:
        if self.resolver is None:
            self.initialize({})
        assert self.resolver is not None
        if article.tokens is None or article.norm is None:
            raise PipelineError(
                f"entity_resolver needs article.norm and article.tokens on document {article.id}; "
                "run normalize, segment and tokenize (and a recogniser such as ner) first"
            )
        article.entities = self.resolver.resolve(article, article.entities)
        return article
