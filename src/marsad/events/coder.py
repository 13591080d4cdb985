"""The `events` component: PLOVER event mentions coded directly from Arabic sentences.

For each sentence that holds a trigger word the coder runs small parts in turn, each passing a
typed record to the next:

  triggers.py   TriggerFinder: trigger rows matched through clitic-aware tokens -> TriggerMatch;
                Governance: triggers that are the content of a denial, demand or condemnation
  modality.py   ModalityReader: negation, modality, metaphor/generic/background -> Modality
  arguments.py  ArgumentReader: source, target and location from the clause -> Arguments
  actors.py     the actor phrases (entity mentions, role nouns) the arguments are chosen from
  dating.py     the event date from the time expressions of its sentence
  record.py     RecordBuilder: mode, casualties, reporter, confidence, reason -> EventMention

The word knowledge is data in `lexicons/` (see lexicon.py). Precision comes first, because most
sentences that contain قصف or احتجاج do not report one: a verb needs a named actor (or a death
toll, or a crowd for a protest); a noun needs a support verb (شن، نظم، تعرض، أسفر) or an agent plus
a target, place or count, and is coded as background context only with a date of its own.
"""

from __future__ import annotations

import bisect
from itertools import compress
from operator import attrgetter
from typing import Any

from marsad.errors import PipelineError
from marsad.events.actors import Actor
from marsad.events.arguments import ArgumentReader, Arguments
from marsad.events.dating import event_date, has_own_date, is_history
from marsad.events.lexicon import LEXICONS, EventLexicon, TriggerRow, load_triggers
from marsad.events.modality import Modality, ModalityReader
from marsad.events.record import COMPONENT, Coded, RecordBuilder
from marsad.events.sentence import Sentence, TriggerMatch
from marsad.events.triggers import Governance, TriggerFinder
from marsad.model import Article
from marsad.model.spans import EventMention
from marsad.pipeline import BaseComponent, register

__all__ = ["COMPONENT", "LEXICONS", "EventCoder", "TriggerRow", "load_triggers"]

# Roles whose "attack" is words, not force (شنت الصحف هجوما، هجوم من نواب المعارضة).
_VERBAL_ROLES = frozenset({"MED", "LEG"})
_BACKGROUND_DATE_REACH = 8  # how far after a background noun its own date may stand
_norm_of = attrgetter("norm")
_cands_of = attrgetter("cands")


@register("events")
class EventCoder(BaseComponent):
    name = "events"
    requires = ("norm", "sentences", "tokens", "entities", "times", "quantities")
    provides = ("events",)

    def initialize(self, config: dict[str, Any]) -> None:
        super().initialize(config)
        self.emit_negated = bool(config.get("emit_negated", False))
        self.lexicon = EventLexicon.load(config.get("triggers"))
        self.triggers = TriggerFinder(self.lexicon)
        self.modality = ModalityReader(self.lexicon)
        self.arguments = ArgumentReader(self.lexicon)
        self.records = RecordBuilder(self.lexicon)

    def __call__(self, article: Article) -> Article:
        if article.tokens is None or article.norm is None:
            raise PipelineError(
                f"events needs tokens on document {article.id}; run normalize and segment first"
            )
        tokens = article.tokens
        tok_starts = [t.start for t in tokens]
        infos = self.lexicon.word_infos(list(map(_norm_of, tokens)))
        # Token indexes that can open a trigger, ascending. Most sentences hold none: they are
        # skipped by bisection, before their tokens, clauses and actors are even sliced.
        trig_pos = list(compress(range(len(infos)), map(_cands_of, infos)))
        ents = sorted(article.entities, key=lambda m: m.start)
        ent_starts = [m.start for m in ents]
        events: list[EventMention] = []
        for s, e in article.sentences:
            a, b = bisect.bisect_left(tok_starts, s), bisect.bisect_left(tok_starts, e)
            p, q = bisect.bisect_left(trig_pos, a), bisect.bisect_left(trig_pos, b)
            if a >= b or p == q:
                continue
            lo, hi = bisect.bisect_left(ent_starts, s), bisect.bisect_left(ent_starts, e)
            sent = Sentence(
                article, tokens[a:b], infos[a:b], tok_starts[a:b], ents[lo:hi], s, e, self.lexicon
            )
            events += self._sentence(sent, [k - a for k in trig_pos[p:q]])
        article.events = events
        return article

    def _sentence(self, sent: Sentence, positions: list[int]) -> list[EventMention]:
        out: list[tuple[TriggerRow, EventMention]] = []
        governance = Governance(sent)
        for m in self.triggers.matches(sent, positions):
            if not governance.admits(m, coded_before=bool(out)):
                continue
            ev = self._code(sent, m)
            governance.after(m)
            if ev is not None:
                out.append((m.row, ev))
        return self._merge_casualty_reports(out)

    @staticmethod
    def _merge_casualty_reports(coded: list[tuple[TriggerRow, EventMention]]) -> list[EventMention]:
        """A killing or wounding (قتل 18 شخصا في انفجار ...) reports the attack the sentence names:
        it stands as an event of its own only when no other attack of the sentence was coded."""
        attacks = [ev for row, ev in coded if row.category == "ASSAULT" and row.needs != "casualty"]
        if not attacks:
            return [ev for _, ev in coded]
        # The place a casualty report was read to have hit (قتل جندي ... بمحافظة ديالى) is where, not who.
        victims = next(
            (
                ev.target
                for row, ev in coded
                if row.needs == "casualty" and ev.target and ev.target != ev.location
            ),
            None,
        )
        for ev in attacks:
            # مقتل سبعة أشخاص بتفجير انتحاري في الحويش: the killed are the attack's target, not
            # the place it happened in.
            if victims is not None and (
                ev.target is None or ev.target == ev.location or "place of the act" in (ev.reason or "")
            ):
                ev.target = victims
                ev.reason = (ev.reason or "") + "; target the victims of the casualty report"
        return [ev for row, ev in coded if row.needs != "casualty"]

    def _code(self, sent: Sentence, m: TriggerMatch) -> EventMention | None:
        mod = self.modality.read(sent, m)
        if mod is None or (mod.negated and not self.emit_negated):
            return None
        args = self.arguments.read(sent, m)
        light = m.verbal or self.arguments.light_at(sent, m.i) is not None
        casualties = self.records.casualties(sent)
        if not self._concrete(sent, m, mod, args, light, casualties):
            return None
        if args.source is not None and args.target is not None and args.source.start == args.target.start:
            args = Arguments(None, args.order, args.target, args.target_how, args.location)
        source = args.source
        if (
            m.row.category == "ASSAULT"
            and source is not None
            and source.code
            and source.code.split()[-1] in _VERBAL_ROLES
        ):
            return None  # journalists or MPs "attack" with words: criticism, not force
        date = event_date(sent, m.i, mod.background, self.lexicon)
        if is_history(date, sent.article.published):
            return None  # اغتيال السادات عام 1981: history told as background, not a report
        notes = ("negated",) if mod.negated else ()
        return self.records.build(sent, Coded(m, args, mod, date, casualties, notes), light)

    def _concrete(
        self,
        sent: Sentence,
        m: TriggerMatch,
        mod: Modality,
        args: Arguments,
        light: bool,
        casualties: dict[str, Any],
    ) -> bool:
        """Who did it, or to whom or where, must be named (or a toll or crowd stand in for it)."""
        source, target, location = args.source, args.target, args.location
        agent = source is not None or args.agent_implied
        protest = m.row.category == "PROTEST" or m.row.needs == "crowd"
        crowd_near = protest and self._crowd_near(sent, m)
        if m.row.needs == "crowd" and not (
            self._protesters(source) or (crowd_near and (source is None or source.code is None))
        ):
            return False  # تجمع الوزراء، تجمعت الشرطة: a meeting or a deployment, not a protest
        # A crowd, chanting or a place grounds a protest (تظاهر عشرات الآلاف في ميدان التحرير); a
        # toll grounds an attack whose agent is unknown (انفجرت سيارة مفخخة ... ما أدى إلى مقتل عشرين).
        crowd = m.row.category == "PROTEST" and (crowd_near or location is not None)
        toll = m.row.category == "ASSAULT" and bool(casualties.get("killed") or casualties.get("injured"))
        if m.row.needs == "casualty" and source is None and not self._weapon_in(sent):
            return False  # قتل خمسة في حادث سير: a death toll without an attacker or a weapon
        if m.verbal:
            # انفجرت سيارة مفخخة في بغداد: an explosion (a row without an object) is grounded by its place.
            exploded = m.row.category == "ASSAULT" and not m.row.preps and location is not None
            if source is None and target is None and not crowd and not toll and not exploded:
                return False
            # Present tense with no subject is a generic statement; an attack in the present tense
            # (الشرطة تطلق الرصاص على المدنيين) is habitual talk unless dated (تقصف ... اليوم).
            if m.row.kind == "imperf" and mod.modality == "asserted":
                if source is None:
                    return False
                if m.row.category == "ASSAULT" and not has_own_date(sent, m.i, _BACKGROUND_DATE_REACH):
                    return False
            return True
        # A noun needs a support verb, or an agent plus a target, place or count: "الهجوم
        # الإسرائيلي" alone is usually a reference back, not a report.
        grounded = target is not None or location is not None or bool(casualties) or crowd
        if not agent and "ال" in m.prefix + sent.toks[m.i].norm[:2] and not toll:
            return False  # الخطف، الهجوم: a definite noun without its agent refers back or is generic
        if not ((agent and light) or (grounded and (agent or light))):
            return False
        # Context (بعد هجوم ...) is coded only with a named actor and a date of its own, or when the
        # sentence reports its toll (أصيب أربعة مدنيين إثر انفجار سيارة مفخخة): then it is the report.
        if not mod.background or toll:
            return True
        return agent and has_own_date(sent, m.i, _BACKGROUND_DATE_REACH)

    def _crowd_near(self, sent: Sentence, m: TriggerMatch) -> bool:
        """A count of people, protesters or chanting next to the trigger (تظاهر عشرات الآلاف،
        تجمع متظاهرون، تجمعوا ... هاتفين): chanting is evidence for a gathering, never an event."""
        cue, toks, infos = self.lexicon.cue, sent.toks, sent.infos
        return any(
            k != m.i
            and (
                cue("crowd", toks[k].norm) is not None
                or cue("chant", toks[k].norm) is not None
                or infos[k].role == "OPP"
            )
            for k in range(max(0, m.i - 6), min(sent.n, m.last + 4))
        )

    def _weapon_in(self, sent: Sentence) -> bool:
        """A weapon or explosive named anywhere in the sentence (بنيران، مفخخة، صاروخ)."""
        if sent._weapon is None:
            mode = self.lexicon.grammar.weapon_mode
            sent._weapon = any(mode(t.norm) for t in sent.toks)
        return sent._weapon

    @staticmethod
    def _protesters(source: Actor | None) -> bool:
        return source is not None and source.code is not None and source.code.split()[-1] == "OPP"
