"""Who did it, to whom, and where: the source, target and location of one trigger, read from its clause.

Arabic orders a verb's subject after it (VSO) in a main clause and before it (SVO) after إن/أن or as
a topic. The target is what follows the preposition the trigger row names (على، ضد) or the direct
object. A noun trigger takes its agent from an adjective or genitive after it (غارة إسرائيلية) or
from the subject of its support verb (شن الجيش هجوما); the subject of a verb of undergoing (تعرضت
القاعدة لهجوم) is the target instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from marsad.events.actors import Actor
from marsad.events.lexicon import EventLexicon
from marsad.events.sentence import Sentence, TriggerMatch
from marsad.normalize.text import normalize_form

# Categories whose subject "X و Y" names both parties: Y is the target when no other is named.
_JOINT = frozenset({"AGREE", "CONSULT", "COOPERATE"})
# Categories where a place with a country stands for the target when no target is named
# (قصفت الطائرات مواقع في لبنان -> target LBN).
_PLACE_AS_TARGET = frozenset({"ASSAULT", "COERCE", "MOBILIZE"})
_SUBJECT_WINDOW = 6  # how far (tokens) a VSO subject may follow the verb
_SVO_WINDOW = 7  # how far back an SVO subject may stand
_TARGET_WINDOW = 15  # VSO subjects with titles are long; the target comes after them


@dataclass(frozen=True, slots=True)
class Arguments:
    source: Actor | None
    order: str  # VSO, SVO, agent after noun, ... (for the reason)
    target: Actor | None
    target_how: str
    location: Actor | None


class ArgumentReader:
    def __init__(self, lexicon: EventLexicon) -> None:
        self.lex = lexicon
        self.grammar = lexicon.grammar

    def read(self, sent: Sentence, m: TriggerMatch) -> Arguments:
        if m.verbal:
            source, order = self._verb_subject(sent, m.i)
        else:
            source, order = self._noun_agent(sent, m.i, m.last)
        target, target_how = self._target(sent, m, source)
        if not m.verbal and target is None:
            target, target_how = self._undergoer(sent, m.i)
        if target is None and m.row.category in _JOINT and source is not None:
            # وقعت الإمارات وإسرائيل اتفاقية: the second conjunct of the subject is the other party.
            nxt = sent.actor_at.get(source.last + 1)
            if nxt is not None and nxt.first == source.last + 1 and sent.toks[nxt.first].norm[:1] == "و":
                target, target_how = nxt, "second party of a joint subject"
        location = self._location(sent, m.i, source, target)
        if target is None and m.row.category in _PLACE_AS_TARGET and location is not None and location.code:
            target, target_how = location, "place of the act"
        if m.row.category == "PROTEST":
            source = self._local_protester(sent, source, location)
        return Arguments(source, order, target, target_how, location)

    # ----------------------------------------------------------------- prepositions
    def prep_on_actor(self, sent: Sentence, act: Actor) -> str | None:
        """The preposition written onto an actor's first word (لموسكو، بالكرملين), read from the
        offsets: the mention starts after the token does only when a clitic was split off."""
        tok = sent.toks[act.first]
        if act.start > tok.start:
            head = normalize_form(tok.text[: act.start - tok.start])
            preps = self.grammar.attached_preps
            return preps.get(head) or preps.get(head + "ال")
        return None

    def governed_by_prep(self, sent: Sentence, act: Actor) -> bool:
        if act.first > 0 and sent.toks[act.first - 1].norm in self.grammar.prepositions:
            return True
        return self.prep_on_actor(sent, act) is not None

    def partitive(self, sent: Sentence, j: int) -> bool:
        """من after a crowd word (مئات من أنصار المعارضة): the subject continues past it."""
        return (
            sent.toks[j].norm == "من" and j > 0 and self.lex.cue("crowd", sent.toks[j - 1].norm) is not None
        )

    # ----------------------------------------------------------------- subjects
    def _verb_subject(self, sent: Sentence, i: int) -> tuple[Actor | None, str]:
        toks, clause, actor_at = sent.toks, sent.clause, sent.actor_at
        # VSO: the first actor after the verb (or after a phrase's first word) in the clause.
        for j in range(i + 1, min(sent.n, i + 1 + _SUBJECT_WINDOW)):
            if clause[j] != clause[i]:
                break
            act = actor_at.get(j)
            if toks[j].norm in self.grammar.prepositions and not self.partitive(sent, j):
                break  # a prepositional phrase: the subject cannot come after it
            if act is not None and act.first == j:
                if self.prep_on_actor(sent, act):
                    break
                return act, "VSO"
        # SVO: the nearest actor before the verb in its clause (after إن/أن, or a topic).
        for j in range(i - 1, max(-1, i - 1 - _SVO_WINDOW), -1):
            if sent.is_punct(j):
                break
            act = actor_at.get(j)
            if act is not None and not self.governed_by_prep(sent, act):
                return act, "SVO"
            if toks[j].norm in self.grammar.complementisers:
                break
        return None, ""

    def _noun_agent(self, sent: Sentence, i: int, last: int) -> tuple[Actor | None, str]:
        """The agent of a noun trigger: an adjective or genitive right after it (غارة إسرائيلية،
        هجوم حماس), or the subject of the support verb before it (شن الجيش هجوما)."""
        toks, actor_at = sent.toks, sent.actor_at
        if toks[last].norm in self.grammar.prepositions:
            return self._light_subject(sent, i)
        for j in range(last + 1, min(sent.n, last + 3)):
            act = actor_at.get(j)
            if act is not None and act.first == j:
                if self.prep_on_actor(sent, act):
                    break  # بطائرات مسيرة: an instrument, not the agent
                if (act.place and not act.code) or (act.place and toks[j].norm[:1] not in "ا"):
                    break  # قصف غزة: a place right after the noun is what was hit
                if (
                    act.place
                    and act.code
                    and " " not in act.code
                    and j == last + 1
                    and not toks[j].norm.startswith("ال")
                ):
                    break
                return act, "agent after noun"
            if toks[j].norm in self.grammar.prepositions:
                break
        return self._light_subject(sent, i)

    def light_at(self, sent: Sentence, i: int) -> int | None:
        """The nearest support verb before a noun trigger in its clause (else one just after it)."""
        toks, clause = sent.toks, sent.clause
        for k in range(i - 1, max(-1, i - 9), -1):
            if clause[k] != clause[i]:
                break
            if (
                self.lex.cue("light", toks[k].norm) is not None
                or self.lex.cue("undergo", toks[k].norm) is not None
            ):
                return k
        for k in range(i + 1, min(sent.n, i + 4)):
            if clause[k] != clause[i]:
                break
            if self.lex.cue("light", toks[k].norm) is not None:
                return k
        return None

    def _light_subject(self, sent: Sentence, i: int) -> tuple[Actor | None, str]:
        k = self.light_at(sent, i)
        toks, actor_at = sent.toks, sent.actor_at
        if k is None or k > i:
            return None, ""
        if self.lex.cue("undergo", toks[k].norm) is not None:
            return None, ""  # تعرض X لهجوم: X is what was hit, not who did it
        for j in range(k + 1, i):  # VSO: the subject right after the support verb
            act = actor_at.get(j)
            if toks[j].norm in self.grammar.prepositions and not self.partitive(sent, j):
                break
            if act is not None and act.first == j and not self.governed_by_prep(sent, act):
                return act, "subject of support verb"
        for j in range(k - 1, max(-1, k - 6), -1):  # SVO: the actor before it
            if sent.is_punct(j) or toks[j].norm in self.grammar.complementisers:
                break
            act = actor_at.get(j)
            if act is not None and not self.governed_by_prep(sent, act):
                return act, "subject of support verb"
        return None, ""

    # ----------------------------------------------------------------- targets
    def _target(self, sent: Sentence, m: TriggerMatch, source: Actor | None) -> tuple[Actor | None, str]:
        toks, clause, actor_at, n = sent.toks, sent.clause, sent.actor_at, sent.n
        ci = clause[m.i]
        preps = m.row.preps
        for j in range(m.last + 1, min(n, m.last + 1 + _TARGET_WINDOW)):
            if clause[j] != ci:
                break
            tok = toks[j]
            # بين X و Y: the first party after بين is a target (the other joins it).
            if tok.norm in self.grammar.prepositions and tok.norm in preps and j + 1 < n:
                act = actor_at.get(j + 1)
                if act is not None and act is not source:
                    return act, f"after '{tok.text}'"
                owner = self._owner_after(sent, j, ci, source)
                if owner is not None:
                    return owner, f"owner of the object after '{tok.text}'"
            act = actor_at.get(j)
            if act is None or act.first != j or act is source:
                continue
            att = self.prep_on_actor(sent, act)
            if att and att in preps:
                return act, f"after attached '{att}'"
            if att == "ل" and "obj" in preps:
                # أدان الانخراط العسكري لكوريا الشمالية: the object's owner is the target.
                return act, "owner of the object (ل)"
            if "obj" in preps and not self.governed_by_prep(sent, act):
                return act, "direct object"
        return None, ""

    def _owner_after(self, sent: Sentence, j: int, ci: int, source: Actor | None) -> Actor | None:
        """على مواقع لحزب الله، ضد مقار للمعارضة: a common noun owned by the actor after ل."""
        for k in (j + 2, j + 3):
            own = sent.actor_at.get(k)
            if (
                k < sent.n
                and sent.clause[k] == ci
                and own is not None
                and own.first == k
                and own is not source
                and not own.place
                and self.prep_on_actor(sent, own) == "ل"
            ):
                return own
        return None

    def _undergoer(self, sent: Sentence, i: int) -> tuple[Actor | None, str]:
        """تعرضت القاعدة لهجوم: the subject of a verb of undergoing is the target."""
        k = self.light_at(sent, i)
        if k is None or k >= i or self.lex.cue("undergo", sent.toks[k].norm) is None:
            return None, ""
        for j in range(k + 1, i):
            act = sent.actor_at.get(j)
            if act is not None and not self.governed_by_prep(sent, act):
                return act, f"subject of '{sent.toks[k].text}'"
        return None, ""

    # ----------------------------------------------------------------- places
    def _location(self, sent: Sentence, i: int, source: Actor | None, target: Actor | None) -> Actor | None:
        toks = sent.toks
        best = None
        for act in sent.actors:
            if not act.place or act is source or act is target:
                continue
            j = act.first
            # في مدينة X، بمحافظة X، في شمال X: a place noun between في and the name is skipped.
            k = j
            while k > 0 and j - k < 2 and self.lex.cue("placenoun", toks[k - 1].norm) is not None:
                k -= 1
            before = toks[k - 1].norm if k > 0 else ""
            if k < j:
                after_in = before == "في" or self.grammar.attached_prep(toks[k].norm) == "ب"
            else:
                after_in = before == "في" or self.prep_on_actor(sent, act) == "ب"
            if after_in and (best is None or abs(j - i) < abs(best.first - i)):
                best = act
        return best

    def _local_protester(self, sent: Sentence, source: Actor | None, location: Actor | None) -> Actor | None:
        """عمال الموانئ في تونس أضربوا: protesters and strikers are locals, so a bare role takes the
        country of the place (not attackers or NGOs, who often come from elsewhere)."""
        if (
            source is not None
            and source.code in self.lex.role_codes
            and location is not None
            and location.country
            and source.country is None
        ):
            return replace(
                source,
                code=f"{location.country} {source.code}",
                how=f"{source.how} + country of the place '{sent.toks[location.first].text}'",
            )
        return source
