"""Who did it, to whom, and where: the source, target and location of one trigger, read from its clause.

Arabic orders a verb's subject after it (VSO) in a main clause and before it (SVO) after إن/أن or as
a topic. The target is what follows the preposition the trigger row names (على، ضد) or the direct
object. A noun trigger takes its agent from an adjective or genitive after it (غارة إسرائيلية) or
from the subject of its support verb (شن الجيش هجوما); the subject of a verb of undergoing (تعرضت
القاعدة لهجوم) is the target instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from marsad.events.actors import PLACE_TYPES, Actor, join_code
from marsad.events.lexicon import EventLexicon
from marsad.events.sentence import Sentence, TriggerMatch
from marsad.model.spans import EntityMention
from marsad.normalize.text import normalize_form

# Categories whose subject "X و Y" names both parties: Y is the target when no other is named.
_JOINT = frozenset({"AGREE", "CONSULT", "COOPERATE"})
# Categories where a place with a country stands for the target when no target is named
# (قصفت الطائرات مواقع في لبنان -> target LBN). Not COERCE: who is arrested is people, the place
# is where.
_PLACE_AS_TARGET = frozenset({"ASSAULT", "MOBILIZE"})
# Categories whose place after the target preposition stands for the recipient or host when no
# actor is named (مساعدات إلى عدن، زيارة إلى جدة): the guideline codes it as the place's country.
_PLACE_AS_RECIPIENT = frozenset({"AID", "CONSULT"})
# Roles that carry out violence: as the genitive of an attack noun they are its agent.
_ARMED_ROLES = frozenset({"MIL", "REB", "COP", "SPY"})
# Roles whose attacks are often abroad: they take no country from the place of the attack.
_FOREIGN_ROLES = frozenset({"MIL", "SPY"})
# Verb endings of plural agreement: such a verb follows its subject.
_PLURAL_ENDINGS = ("وا", "ون")
_HARMED = frozenset({"killed", "injured"})
_SUBJECT_WINDOW = 6  # how far (tokens) a VSO subject may follow the verb
_SVO_WINDOW = 7  # how far back an SVO subject may stand
_TARGET_WINDOW = 25  # VSO subjects with titles are long; the target comes after them


@dataclass(frozen=True, slots=True)
class Arguments:
    source: Actor | None
    order: str  # VSO, SVO, agent after noun, ... (for the reason)
    target: Actor | None
    target_how: str
    location: Actor | None
    agent_implied: bool = False  # هجوم انتحاري: the kind of attacker is stated, no actor is named


class ArgumentReader:
    def __init__(self, lexicon: EventLexicon) -> None:
        self.lex = lexicon
        self.grammar = lexicon.grammar

    def read(self, sent: Sentence, m: TriggerMatch) -> Arguments:
        victim = None
        if m.verbal and m.row.needs == "casualty":
            source, order, victim = self._killer(sent, m.i)
        elif m.verbal:
            source, order = self._verb_subject(sent, m.i, transitive="obj" in m.row.preps)
        else:
            source, order = self._noun_agent(sent, m)
        target, target_how = self._target(sent, m, source)
        agent = self._passive_agent(sent, m) if m.verbal else None
        if agent is not None:
            # اختطفا على يد مسلحين: a named agent makes the verb passive; who comes before it, or
            # right after it, suffered the act.
            victim_before = self._svo_subject(sent, m.i)
            source, order = agent, "passive agent"
            if victim_before is not None and victim_before is not agent:
                target, target_how = victim_before, "subject of a passive verb"
            elif target is agent:
                target, target_how = None, ""
        if m.verbal and m.row.needs == "casualty" and victim is not None:
            target, target_how = victim, "subject of a passive killing verb"
        if not m.verbal and target is None:
            target, target_how = self._undergoer(sent, m.i)
        if target is None and m.row.category in _JOINT and source is not None:
            # وقعت الإمارات وإسرائيل اتفاقية: the second conjunct of the subject is the other party.
            nxt = sent.actor_at.get(source.last + 1)
            if nxt is not None and nxt.first == source.last + 1 and self._conjoined(sent, nxt):
                target, target_how = nxt, "second party of a joint subject"
        if target is None and m.row.category == "ASSAULT":
            target, target_how = self._victims(sent, source)
        if target is None and m.row.category == "ASSAULT":
            target, target_how = self._civilian_site(sent, m)
        if target is None and m.row.category in _PLACE_AS_RECIPIENT:
            target, target_how = self._recipient_place(sent, m, source)
        location = self._location(sent, m.i, source, target)
        if target is None and location is not None and location.code and self._place_is_hit(sent, m):
            target, target_how = location, "place of the act"
        if target is not None and target.type == "NORP" and target.country and target.first in sent.counted():
            # اختطف ستة عراقيين: counted people of a nationality are its civilians, not its state.
            target = replace(target, code=f"{target.country} CVL", how=f"{target.how} + counted people (CVL)")
        if m.row.category == "PROTEST":
            if source is None:
                source, order = self._crowd_subject(sent, m), "crowd"
            elif (source.type == "NORP" and source.country) or source.code == "CVL":
                # تظاهر آلاف المغاربة، تظاهر مئات الأشخاص: people of a nationality, or people of no
                # stated role, who protest are (that country's) opposition; a role noun keeps its role.
                code = join_code(source.country, "OPP")
                source = replace(source, code=code, how=f"{source.how} + protesters (OPP)")
        if target_how != "recipient place":  # the giver or visitor is not local to where it went
            source = self._context_country(sent, m, source, location, is_source=True)
        target = self._context_country(sent, m, target, location, is_source=False)
        implied = not m.verbal and self._implied_agent(sent, m)
        return Arguments(source, order if source else "", target, target_how, location, implied)

    def _conjoined(self, sent: Sentence, act: Actor) -> bool:
        """The actor opens with the conjunction و (ووزير، وإسرائيل), not with a word of its own that
        starts with و (ولي العهد، وزير): a mention after a split clitic, or a role word not listed
        with its و."""
        tok = sent.toks[act.first]
        if not tok.norm.startswith("و"):
            return False
        return act.start > tok.start or (act.type == "ROLE" and tok.norm not in self.lex.roles)

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
        k = act.first
        # من ولاية ألاباما، في مدينة غزة: a place noun may stand between the preposition and the name.
        if act.place and k > 0 and self.lex.cue("placenoun", sent.toks[k - 1].norm) is not None:
            k -= 1
        if k > 0 and self.grammar.is_prep(sent.toks[k - 1].norm):
            return True
        return self.prep_on_actor(sent, act) is not None

    def partitive(self, sent: Sentence, j: int) -> bool:
        """من after a crowd word (مئات من أنصار المعارضة): the subject continues past it."""
        return (
            sent.toks[j].norm == "من" and j > 0 and self.lex.cue("crowd", sent.toks[j - 1].norm) is not None
        )

    # ----------------------------------------------------------------- subjects
    def _verb_subject(self, sent: Sentence, i: int, transitive: bool = True) -> tuple[Actor | None, str]:
        toks, clause, actor_at = sent.toks, sent.clause, sent.actor_at
        # A verb that agrees in the plural (اغتالوا، يحتجون) follows its subject: VSO verbs are
        # singular, so the actor after it is its object (مسلحين مجهولين اغتالوا العميد).
        if toks[i].norm.endswith(_PLURAL_ENDINGS):
            before = self._svo_subject(sent, i)
            if before is not None:
                return before, "SVO (plural verb)"
        # وكانت مجموعة من الطلاب قد اقتحمت عيادة: after كان ... قد the subject is already named.
        if i > 1 and toks[i - 1].norm in self.grammar.qad and not sent.is_punct(i - 2):
            before = self._svo_subject(sent, i)
            if before is not None:
                return before, "SVO (before qad)"
        # VSO: the first actor after the verb (or after a phrase's first word) in the clause. A
        # count's own words (نحو مائتي، أكثر من ثلاثين) are no prepositional phrase.
        for j in range(i + 1, min(sent.n, i + 1 + _SUBJECT_WINDOW)):
            if clause[j] != clause[i]:
                break
            act = actor_at.get(j)
            if self.grammar.is_prep(toks[j].norm) and not self.partitive(sent, j) and not sent.in_count(j):
                break  # a prepositional phrase: the subject cannot come after it
            if act is not None and act.first == j:
                if (
                    self.prep_on_actor(sent, act) == "ل"
                    and self.lex.cue("title", toks[j - 1].norm) is not None
                ):
                    return act, "VSO (the organisation of the title)"  # استنكر الأمين العام لمجلس التعاون
                if self.prep_on_actor(sent, act) or (transitive and j in sent.counted()):
                    break  # قتل 4 جنود، اختطف 9 عراقيين: a counted noun after the verb is its victim
                if act.type != "LOC":
                    return act, "VSO"
        before = self._svo_subject(sent, i)
        return (before, "SVO") if before is not None else (None, "")

    def _svo_subject(self, sent: Sentence, i: int) -> Actor | None:
        """The nearest actor before the verb in its clause (after إن/أن, or a topic)."""
        for j in range(i - 1, max(-1, i - 1 - _SVO_WINDOW), -1):
            if sent.is_punct(j):
                break
            act = sent.actor_at.get(j)
            if act is not None and act.type != "LOC" and not self.governed_by_prep(sent, act):
                return act  # a region or a landmark (LOC) is never the one who acts
            if sent.toks[j].norm in self.grammar.complementisers:
                break
        return None

    def _implied_agent(self, sent: Sentence, m: TriggerMatch) -> bool:
        return any(
            self.lex.cue("agent_adjective", sent.toks[j].norm) is not None
            for j in range(m.last + 1, min(sent.n, m.last + 3))
        )

    def _place_is_hit(self, sent: Sentence, m: TriggerMatch) -> bool:
        """قصفت الطائرات مواقع في لبنان، غارات على أهداف في غزة: the place of an act with an object
        stands for what was hit. A bare explosion or attack in a city (انفجار سيارة في بغداد) names
        no target: the victims, when named, are the target, else none is."""
        if m.row.category not in _PLACE_AS_TARGET:
            return False
        if m.verbal:
            return True
        nxt = m.last + 1
        return (
            nxt < sent.n
            and sent.toks[nxt].norm in m.row.preps
            and sent.toks[nxt].norm in self.grammar.prepositions
        )

    def _passive_agent(self, sent: Sentence, m: TriggerMatch) -> Actor | None:
        """The actor after على يد، على أيدي، من قبل in the trigger's clause."""
        for k in range(m.last + 1, min(sent.n, m.last + 1 + _TARGET_WINDOW)):
            if sent.clause[k] != sent.clause[m.i]:
                break
            # A cached per-form lookup first: almost no word can open an agent marker.
            if not self.lex.opens_multi_cue("agent_marker", sent.toks[k].norm):
                continue
            hit = self.lex.multi_cue("agent_marker", sent.toks, k)
            if hit is None:
                continue
            for j in range(k + hit[1], min(sent.n, k + hit[1] + 3)):
                act = sent.actor_at.get(j)
                if act is not None:
                    return act
            return None
        return None

    def _killer(self, sent: Sentence, i: int) -> tuple[Actor | None, str, Actor | None]:
        """قتل in wire copy is mostly passive (قُتل جنديان أمريكيان): the actor after it is the
        victim. The killer is an SVO subject before it (قواته قتلت مسلحا)."""
        after, order = self._verb_subject(sent, i)
        if order.startswith("SVO"):
            # Active only with an object after the verb (قواته قتلت مسلحا); without one the verb
            # is passive and the noun before it is the one killed (جنديا أميركيا قتل).
            if self._has_object(sent, i):
                return after, order, None
            return None, "", after
        return None, "", after

    def _has_object(self, sent: Sentence, i: int) -> bool:
        for j in range(i + 1, min(sent.n, i + 3)):
            tok = sent.toks[j]
            if sent.clause[j] != sent.clause[i] or self.grammar.is_prep(tok.norm):
                return False
            act = sent.actor_at.get(j)
            if tok.is_number or (act is not None and not self.governed_by_prep(sent, act)):
                return True
        return False

    def _noun_agent(self, sent: Sentence, m: TriggerMatch) -> tuple[Actor | None, str]:
        """The agent of a noun trigger: an adjective or genitive right after it (غارة إسرائيلية،
        هجوم حماس), or the subject of the support verb before it (شن الجيش هجوما). After the noun
        of a transitive verb the genitive is its object, the victim (اغتيال رئيس الوزراء، خطف
        العمال): only a nationality or an agent adjective there names the agent."""
        toks, actor_at = sent.toks, sent.actor_at
        i, last = m.i, m.last
        transitive = "obj" in m.row.preps
        if self.grammar.is_prep(toks[last].norm):
            return self._light_subject(sent, i)
        for j in range(last + 1, min(sent.n, last + 3)):
            act = actor_at.get(j)
            if act is not None and act.first == j:
                if self.prep_on_actor(sent, act):
                    break  # بطائرات مسيرة: an instrument, not the agent
                if (act.place and not act.code) or (act.place and toks[j].norm[:1] not in "ا"):
                    break  # قصف غزة: a place right after the noun is what was hit
                if act.place and not m.row.preps:
                    break  # انفجار سيارة شرق الموصل: an explosion has no agent, the place is where
                if (
                    act.place
                    and act.code
                    and " " not in act.code
                    and j == last + 1
                    and not toks[j].norm.startswith("ال")
                ):
                    break
                if self._agent_word(sent, act):
                    break  # هجوم انتحاري: the kind of attacker is implied, no actor is named
                if transitive and not self._armed_agent(sent, act):
                    break  # اغتيال الحريري، خطف العمال: the object of the act, read as its target
                return act, "agent after noun"
            if self.grammar.is_prep(toks[j].norm):
                break
        return self._light_subject(sent, i)

    def _agent_word(self, sent: Sentence, act: Actor) -> bool:
        return self.lex.cue("agent_adjective", sent.toks[act.first].norm) is not None

    def _armed_agent(self, sent: Sentence, act: Actor) -> bool:
        """A genitive that can be the agent of a transitive act's noun: a nationality (قصف إسرائيلي),
        an agent adjective (تفجير انتحاري) or an armed force (قصف الجيش، خطف المسلحين)."""
        if act.type == "NORP" or self.lex.cue("agent_adjective", sent.toks[act.first].norm) is not None:
            return True
        return act.code is not None and act.code.split()[-1] in _ARMED_ROLES

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
        if self._suffers(toks[k].norm):
            return None, ""  # تعرض X لهجوم، قتل X في هجوم: X is what was hit, not who did it
        for j in range(k + 1, i):  # VSO: the subject right after the support verb
            act = actor_at.get(j)
            if self.grammar.is_prep(toks[j].norm) and not self.partitive(sent, j):
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
            if self.grammar.is_prep(tok.norm) and tok.norm in preps and j + 1 < n:
                act = actor_at.get(j + 1)
                if act is not None and act is not source:
                    return act, f"after '{tok.text}'"
                owner = self._owner_after(sent, j, ci, source)
                if owner is not None:
                    return owner, f"owner of the object after '{tok.text}'"
            act = actor_at.get(j)
            if act is None or act.first != j or act is source or self._agent_word(sent, act):
                continue  # يقودها انتحاري: the bomber is never the object
            att = self.prep_on_actor(sent, act)
            if att == "ل" and not m.verbal and self._armed_agent(sent, act):
                continue  # قصف جوي لطائرات النظام: ل marks who attacked, not what was hit
            if att and att in preps:
                return act, f"after attached '{att}'"
            if att == "ل" and "obj" in preps:
                # أدان الانخراط العسكري لكوريا الشمالية: the object's owner is the target.
                return act, "owner of the object (ل)"
            if "obj" in preps and not self.governed_by_prep(sent, act):
                return act, "direct object"
        return self._counted_object(sent, m)

    def _counted_object(self, sent: Sentence, m: TriggerMatch) -> tuple[Actor | None, str]:
        """اعتقلت الشرطة 16 آخرين، طعن ستة مشاركين، القبض على ثلاثة مطلوبين: counted people that no
        actor names, the object of a transitive act or after its target preposition, are its
        target; of unstated role they are civilians (CVL), the country comes from the place."""
        preps = m.row.preps
        for k, first in sorted(sent.counted().items()):
            if k <= m.last or k > m.last + _TARGET_WINDOW or sent.clause[k] != sent.clause[m.i]:
                continue
            before = sent.toks[first - 1].norm  # the trigger's own last word in القبض على
            marked = before in preps and self.grammar.is_prep(before)
            between = range(m.last + 1, first - 1 if marked else first)
            if not ("obj" in preps or marked) or any(
                self.grammar.is_prep(sent.toks[j].norm) or sent.is_punct(j) for j in between
            ):
                return None, ""  # بعد ثلاثة أيام، في 20 بلدا: a count inside a phrase is no object
            if k in sent.actor_at:
                return None, ""
            return self._counted_people(sent, k), "counted object"
        return None, ""

    def _owner_after(self, sent: Sentence, j: int, ci: int, source: Actor | None) -> Actor | None:
        """على مواقع لحزب الله، ضد سياسات الحكومة: a common noun owned by the actor after it, with ل
        or as its genitive right after it."""
        for k in (j + 2, j + 3):
            own = sent.actor_at.get(k)
            if (
                k < sent.n
                and sent.clause[k] == ci
                and own is not None
                and own.first == k
                and own is not source
                and not own.place
                and (
                    self.prep_on_actor(sent, own) == "ل"
                    or (k == j + 2 and not self.governed_by_prep(sent, own))
                )
            ):
                return own
        return None

    def _suffers(self, norm: str) -> bool:
        """A support verb whose subject suffers the act: تعرض، or a casualty word (قتل، أصيب، مقتل)."""
        return self.lex.cue("undergo", norm) is not None or self.lex.cue("casualty", norm) in _HARMED

    def _undergoer(self, sent: Sentence, i: int) -> tuple[Actor | None, str]:
        """تعرضت القاعدة لهجوم، قتل جنديان في هجوم: the subject of a verb of undergoing is the target."""
        k = self.light_at(sent, i)
        if k is None or k >= i or not self._suffers(sent.toks[k].norm):
            return None, ""
        for j in range(k + 1, i):
            act = sent.actor_at.get(j)
            if act is not None and not self.governed_by_prep(sent, act):
                return act, f"subject of '{sent.toks[k].text}'"
        # أصيب خمسة آخرون في هجوم: counted people after the verb are its subject; else it may
        # stand before the verb (القوات الاميركية تعرضت لهجوم).
        counted = [j for j in range(k + 1, i) if j in sent.counted() and j not in sent.actor_at]
        if counted:
            return self._counted_people(sent, counted[0]), f"counted subject of '{sent.toks[k].text}'"
        before = self._svo_subject(sent, k)
        if before is not None:
            return before, f"subject before '{sent.toks[k].text}'"
        return None, ""

    # ----------------------------------------------------------------- places
    def _location(self, sent: Sentence, i: int, source: Actor | None, target: Actor | None) -> Actor | None:
        toks = sent.toks
        best, best_key = None, (True, 0)
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
            # The place of the trigger's own clause first, then the nearest.
            key = (sent.clause[j] != sent.clause[i], abs(j - i))
            if after_in and (best is None or key < best_key):
                best, best_key = act, key
        return best

    def _victims(self, sent: Sentence, source: Actor | None) -> tuple[Actor | None, str]:
        """أسفر عن مقتل 15 شخصا، سقوط خمسة قتلى، جنديا أميركيا قتل: the people the sentence's first
        casualty word counts were the attack's target: those after it (a noun: مقتل X), else those
        before it (a passive verb: X قتلوا). Counted people no actor names are civilians (CVL)."""
        toks, counted = sent.toks, sent.counted()
        for k in range(sent.n):
            if self.lex.cue("casualty", toks[k].norm) not in _HARMED:
                continue
            if k in counted:  # خمسة قتلى: the casualty word is itself the counted noun
                return self._counted_people(sent, k), "counted casualties"
            for j in range(k + 1, min(sent.n, k + 5)):
                if sent.clause[j] != sent.clause[k] or sent.is_punct(j) or self._harmed(toks[j].norm):
                    break  # قتلوا وأصيب خمسة آخرون: the next casualty word counts other people
                if self.grammar.is_prep(toks[j].norm) and not sent.in_count(j):
                    break  # أصيبوا في هجوم انتحاري: a phrase after the verb, not its subject
                act = sent.actor_at.get(j)
                if act is not None and act.first == j and not act.place and act is not source:
                    return act, f"victims of '{toks[k].text}'"
                if j in counted and act is None:
                    return self._counted_people(sent, j), f"victims of '{toks[k].text}'"
            return self._victims_before(sent, k, source)
        return None, ""

    def _victims_before(self, sent: Sentence, k: int, source: Actor | None) -> tuple[Actor | None, str]:
        """خمسة اشخاص بينهم اثنان من الشرطة قتلوا: the nearest people before a passive casualty verb."""
        counted = sent.counted()
        for j in range(k - 1, max(-1, k - 1 - _SVO_WINDOW), -1):
            if sent.is_punct(j) or sent.toks[j].norm in self.grammar.complementisers:
                break
            act = sent.actor_at.get(j)
            if (
                act is not None
                and act is not source
                and not act.place
                and not self.governed_by_prep(sent, act)
            ):
                return act, f"victims of '{sent.toks[k].text}'"
            if j in counted and act is None:
                return self._counted_people(sent, j), f"victims of '{sent.toks[k].text}'"
        return None, ""

    def _harmed(self, norm: str) -> bool:
        return self.lex.cue("casualty", norm) in _HARMED

    def _counted_people(self, sent: Sentence, k: int) -> Actor:
        """The people a count names: members of the actor in its genitive (أربعة من عناصر الشرطة،
        عشرة من أفراد الجيش), else civilians (CVL)."""
        owner = sent.actor_at.get(k + 1)
        if owner is not None and owner.first == k + 1 and not self.governed_by_prep(sent, owner):
            return owner
        tok = sent.toks[k]
        return Actor(k, k, tok.start, tok.end, "CVL", None, f"counted people '{tok.text}'")

    def _recipient_place(
        self, sent: Sentence, m: TriggerMatch, source: Actor | None
    ) -> tuple[Actor | None, str]:
        """وصلت مساعدات إلى مدينة عدن، زيارة إلى جدة: the place after the row's preposition (a place
        noun such as مدينة، مطار may stand between) is the recipient or host, coded as its country."""
        for act in sent.actors:
            if not act.place or not act.country or act is source or act.first <= m.last:
                continue
            if act.first > m.last + _TARGET_WINDOW or sent.clause[act.first] != sent.clause[m.i]:
                break
            k = act.first
            while (
                k > 0 and act.first - k < 2 and self.lex.cue("placenoun", sent.toks[k - 1].norm) is not None
            ):
                k -= 1
            before = sent.toks[k - 1].norm if k > 0 else ""
            attached = (
                self.prep_on_actor(sent, act)
                if k == act.first
                else self.grammar.attached_prep(sent.toks[k].norm)
            )
            if (before in m.row.preps and self.grammar.is_prep(before)) or (
                attached and attached in m.row.preps
            ):
                return replace(
                    act, code=act.country, how=f"{act.how} + place of the recipient"
                ), "recipient place"
        return None, ""

    def _civilian_site(self, sent: Sentence, m: TriggerMatch) -> tuple[Actor | None, str]:
        """استهدف مسجدا، هجوم على سوق، انفجار داخل أحد المساجد: the civilians at the site are the
        target (CVL); the country comes from the place, as for any bare role."""
        toks = sent.toks
        for k in range(m.last + 1, min(sent.n, m.last + 6)):
            if sent.clause[k] != sent.clause[m.i]:
                break
            if self.lex.cue("civilian_site", toks[k].norm) is not None:
                return Actor(
                    k, k, toks[k].start, toks[k].end, "CVL", None, f"civilian site '{toks[k].text}'"
                ), "civilians at the site"
        return None, ""

    def _crowd_subject(self, sent: Sentence, m: TriggerMatch) -> Actor | None:
        """تظاهر مئات الأشخاص، تجمع آلاف: a counted crowd is the protest's source; protesters are
        coded OPP (the guideline: unless the sentence gives their own role, which a role noun would)."""
        toks = sent.toks
        for k in list(range(m.last + 1, min(sent.n, m.last + 4))) + list(
            range(m.i - 1, max(-1, m.i - 4), -1)
        ):
            if sent.clause[k] != sent.clause[m.i]:
                continue
            if self.lex.cue("crowd", toks[k].norm) is not None:
                group = sent.actor_at.get(k + 2) if k + 2 < sent.n and toks[k + 1].norm == "من" else None
                if group is not None and group.first == k + 2 and group.country:
                    # مئات من الأقباط، آلاف من الأتراك: the crowd is people of that group's country.
                    return replace(group, code=f"{group.country} OPP", how=f"crowd of {group.how} (OPP)")
                last = (
                    k + 1
                    if k + 1 < sent.n and toks[k + 1].is_word and sent.clause[k + 1] == sent.clause[k]
                    else k
                )
                return Actor(
                    k, last, toks[k].start, toks[last].end, "OPP", None, f"crowd '{toks[k].text}' (OPP)"
                )
        return None

    def _context_country(
        self, sent: Sentence, m: TriggerMatch, act: Actor | None, location: Actor | None, *, is_source: bool
    ) -> Actor | None:
        """A bare role (مسلحون، متظاهرون، عناصر الشرطة) takes the country of the place of the event,
        else of the sentence's nearest place: unnamed actors are local. Not an attacking army or
        intelligence service, which often strikes abroad (طائرات قصفت مواقع في غزة)."""
        if act is None or act.country or act.code not in self.lex.role_codes:
            return act
        if is_source and m.row.category == "ASSAULT" and act.code in _FOREIGN_ROLES:
            return act
        place = location if location is not None and location.country else self._nearest_country(sent, m.i)
        if place is not None:
            country, start, end = place.country, place.start, place.end
        else:
            # No place in the sentence: the story's, the last place named before it (its dateline
            # or an earlier sentence), else the first after it.
            story = self._story_place(sent)
            if story is None:
                return act
            country, start, end = story.country, story.start, story.end
        return replace(
            act,
            code=f"{country} {act.code}",
            country=country,
            how=f"{act.how} + country of the place '{sent.article.text[start:end]}'",
        )

    @staticmethod
    def _story_place(sent: Sentence) -> EntityMention | None:
        places = [e for e in sent.article.entities if e.type in PLACE_TYPES and e.country]
        before = [e for e in places if e.end <= sent.start]
        if before:
            return max(before, key=lambda e: e.start)
        after = [e for e in places if e.start >= sent.end]
        return min(after, key=lambda e: e.start) if after else None

    @staticmethod
    def _nearest_country(sent: Sentence, i: int) -> Actor | None:
        places = [a for a in sent.actors if a.place and a.country]
        return min(places, key=lambda a: abs(a.first - i)) if places else None
