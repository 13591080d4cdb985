"""Actor phrases of a sentence: entity mentions and role nouns with what qualifies them.

An actor is either an entity mention (a person, organisation, country or nationality, with the code
the recogniser's resolver gave it) or a role noun from `roles.tsv` with the nationality, country or
name after it (الجيش الإسرائيلي -> ISR MIL, مسؤولون أمريكيون -> USA GOV, وزير الخارجية الأمريكي
أنتوني بلينكن -> the person, coded through the name). Which actor is the source or the target of
an event is decided later, by `arguments.py`, from the clause around the trigger.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import compress

from marsad.events.lexicon import EventLexicon, WordInfo
from marsad.model.spans import EntityMention
from marsad.segment.tokens import Token

ACTOR_TYPES = frozenset({"PER", "ORG", "GPE", "NORP"})
PLACE_TYPES = frozenset({"GPE", "LOC"})
_ROLE_REACH = 4  # how many tokens after a role noun may still qualify it
_DEFINITE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل")  # the article, after clitics


@dataclass(slots=True)
class Actor:
    first: int  # token indexes (inclusive) within the sentence's token list
    last: int
    start: int  # clean-text offsets
    end: int
    code: str | None
    entity: str | None
    how: str  # how the code was found, for the reason
    country: str | None = None
    place: bool = False  # a GPE/LOC mention: may serve as a location
    type: str = "ROLE"  # the mention's type (PER, ORG, GPE, NORP, LOC), or ROLE for a role noun


def join_code(country: str | None, role: str | None) -> str | None:
    parts = [p for p in (country, role) if p]
    return " ".join(parts) if parts else None


def _mentions_by_token(
    toks: list[Token], starts: list[int], ents: list[EntityMention]
) -> dict[int, EntityMention]:
    ent_at: dict[int, EntityMention] = {}
    for m in ents:
        # The token holding the mention's start: a mention after a clitic (وموريتانيا) starts
        # inside its token, which bisect_left would skip.
        j = max(0, bisect.bisect_right(starts, m.start) - 1)
        while j < len(toks) and toks[j].start < m.end:
            ent_at[j] = m
            j += 1
    return ent_at


def find_actors(
    toks: list[Token],
    infos: list[WordInfo],
    starts: list[int],
    ents: list[EntityMention],
    lex: EventLexicon,
    counts: frozenset[int] = frozenset(),
) -> list[Actor]:
    """The actor phrases of a sentence; `counts` holds the token indexes of its counts (ستة، نحو
    مائتي), which end a role noun's phrase: مسلحون ستة عراقيين is two actors."""
    ent_at = _mentions_by_token(toks, starts, ents)
    actors: list[Actor] = []
    n = len(toks)
    roles = [info.role for info in infos]
    i = 0
    # Only a mention or a role noun can start an actor: the walk visits just those positions.
    for at in sorted(ent_at.keys() | compress(range(n), roles)):
        if at < i:
            continue
        i = at
        m = ent_at.get(i)
        if m is not None and m.type == "PER" and ent_at.get(i + 1) is not m and roles[i]:
            # A lone role word tagged as a person (نظيره "his counterpart") is read as the role
            # noun it is, so the nationality after it decides its country.
            m = None
        role = None if m is not None else roles[i]
        if role is not None:
            act = _role_actor(toks, infos, i, role, ent_at, lex, counts)
            actors.append(act)
            i = act.last + 1
            continue
        if m is not None:
            j = i
            while j + 1 < n and ent_at.get(j + 1) is m:
                j += 1
            prev = actors[-1] if actors else None
            if m.type == "NORP" and prev is not None and prev.place and prev.last == i - 1:
                # البقاع اللبناني: a nationality right after a place names the place's country.
                prev.last, prev.end = j, toks[j].end
                prev.country = prev.country or m.country
                prev.code = prev.code or m.country
            elif m.type in ACTOR_TYPES or m.type in PLACE_TYPES:
                head_role = _force_role(toks, infos, i, j, lex) or roles[i]
                actors.append(_mention_actor(toks, i, j, m, head_role, lex.role_codes))
            i = j + 1
    return actors


def _force_role(toks: list[Token], infos: list[WordInfo], i: int, last: int, lex: EventLexicon) -> str | None:
    """قوات الأمن، رجال الشرطة: a collective force noun takes the role of the role noun after it."""
    if i + 1 > last or lex.cue("force_head", toks[i].norm) is None:
        return None
    return infos[i + 1].role


def _mention_actor(
    toks: list[Token], i: int, j: int, m: EntityMention, head_role: str | None, role_codes: frozenset[str]
) -> Actor:
    # A resolver's role that is no role code (a title such as العميد) says nothing about the actor.
    code = m.code or join_code(m.country, m.role if m.role in role_codes else None)
    how = f"{m.type} mention" + (" code" if m.code else "")
    if not code and head_role and m.type == "ORG":
        code, how = head_role, how + f" + head noun role {head_role}"  # قوات الشرطة: COP
    if code and " " not in code and code not in role_codes and head_role and m.type == "ORG":
        # الشرطة التركية tagged as one ORG coded TUR: its head noun gives the role.
        code = f"{code} {head_role}"
        how += f" + head noun role {head_role}"
    return Actor(i, j, m.start, toks[j].end, code, m.entity, how, m.country, m.type in PLACE_TYPES, m.type)


def _role_actor(
    toks: list[Token],
    infos: list[WordInfo],
    i: int,
    role: str,
    ent_at: dict[int, EntityMention],
    lex: EventLexicon,
    counts: frozenset[int] = frozenset(),
) -> Actor:
    """A role noun and what qualifies it: a nationality or country (and a name) after it."""
    grammar = lex.grammar
    n = len(toks)
    last = i
    country = None
    entity = None
    code_from_ent = None
    how = f"role noun '{toks[i].text}' ({role})"
    j = i + 1
    reach = i + _ROLE_REACH
    while j < n and j <= reach:
        t = toks[j]
        if (
            not t.is_word
            or t.norm in grammar.prepositions
            or t.norm in grammar.complementisers
            or j in counts
        ):
            break
        m = ent_at.get(j)
        if m is not None and m.type == "PER" and ent_at.get(j + 1) is not m and infos[j].role:
            break  # نظيره after a full title starts the next actor
        if m is not None:
            k = j
            while k + 1 < n and ent_at.get(k + 1) is m:
                k += 1
            if m.type == "PER":
                # وزير الخارجية الأمريكي أنتوني بلينكن: the name is the actor, the title its role.
                entity = m.entity
                code_from_ent = m.code
                country = country or m.country
                last = k
                break
            if m.country and m.type in ("NORP", "GPE", "ORG") and country is None:
                country = m.country
                entity = entity or (m.entity if m.type == "ORG" else None)
                how += f" + nationality/country '{m.text}'"
                last = k
                j = k + 1
                continue
            break
        if infos[j].cands and not infos[j].role:
            break
        if len(t.text) == 1 and j + 1 < n and toks[j + 1].text == ".":
            j += 2  # وزير العمل د. مفرج: an abbreviated title (د. م.) before the name
            reach += 2
            continue
        if t.norm.startswith("ال") and country is None:
            if infos[j].role:
                if j != i + 1 or toks[i].norm.startswith(_DEFINITE):
                    break  # وزير الخارجية السفير، الشرطة المتظاهرين: the next actor
                last = j  # وزير الخارجية، رجال الأمن: a role noun in the genitive of one in construct
            j += 1  # الدفاع، الكبار: part of the title
            continue
        nxt = ent_at.get(j + 1)
        if country is None and nxt is not None and nxt.type in ("NORP", "GPE") and nxt.country:
            j += 1  # طائرات حربية تركية: an adjective between the role noun and its nationality
            continue
        break  # نظيره، قوات: a new noun phrase
    code: str | None
    force = _force_role(toks, infos, i, last, lex)
    if force is not None and force != role:
        role = force
        how += f" + force of '{toks[i + 1].text}' ({role})"
    if code_from_ent and len(code_from_ent.split()) > 1:
        code = code_from_ent
        how += " + name code"
    else:
        code = join_code(country, role)
    return Actor(i, last, lex.role_start(toks[i]), toks[last].end, code, entity, how, country)
