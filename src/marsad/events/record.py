"""Assembling one `EventMention`: mode, casualties, reporter, confidence and the reason it was coded.

Takes what the other parts decided (the trigger match, its arguments, modality and date) and
writes the record the report and the corpus stage read; the reason names the trigger row
(file:line), the word order that gave the source and how the target was found.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import compress
from typing import Any

from marsad.events.actors import Actor
from marsad.events.arguments import Arguments
from marsad.events.lexicon import EventLexicon
from marsad.events.modality import Modality
from marsad.events.sentence import Sentence, TriggerMatch
from marsad.model.spans import ActorRef, EventDate, EventMention
from marsad.normalize.text import normalize_form

COMPONENT = "events"
_ATTRIBUTION_REACH = 5  # how far after an attribution cue the reporter's name may start
_MODE_REACH = 4  # how far after the object an adjective stating the mode may stand


@dataclass(frozen=True, slots=True)
class Coded:
    """Everything decided about one trigger, handed to `RecordBuilder.build`."""

    match: TriggerMatch
    args: Arguments
    modality: Modality
    date: EventDate
    casualties: dict[str, Any]
    notes: tuple[str, ...] = ()


def actor_ref(act: Actor | None, text: str) -> ActorRef | None:
    if act is None:
        return None
    return ActorRef(
        text=text[act.start : act.end], entity=act.entity, code=act.code, start=act.start, end=act.end
    )


class RecordBuilder:
    def __init__(self, lexicon: EventLexicon) -> None:
        self.lex = lexicon

    def casualties(self, sent: Sentence) -> dict[str, Any]:
        """Counts in the sentence labelled by the word next to them (killed, injured, arrested, size),
        read once per sentence."""
        if sent._casualties is None:
            sent._casualties = self._casualties(sent)
        return dict(sent._casualties)

    def _casualties(self, sent: Sentence) -> dict[str, Any]:
        toks, out = sent.toks, {}
        for q in sent.article.quantities:
            if not (sent.start <= q.start < sent.end):
                continue
            j = bisect.bisect_left(sent.starts, q.start)
            k = bisect.bisect_left(sent.starts, q.end)
            label = None
            for idx in list(range(k, min(len(toks), k + 2))) + list(range(max(0, j - 3), j)):
                label = self.lex.cue("casualty", toks[idx].norm)
                if label:
                    break
            if label is None and q.unit:
                label = self.lex.single.get("casualty", {}).get(normalize_form(q.unit))
            if label and label not in out:
                out[label] = int(q.value) if float(q.value).is_integer() else q.value
        return out

    def mode(self, sent: Sentence, m: TriggerMatch) -> str | None:
        toks, row = sent.toks, m.row
        # An adjective after the object states the mode outright ("مساعدات عسكرية" is military
        # aid whatever the row says); it may follow a genitive or two ("كميات من المساعدات العسكرية").
        for k in range(m.last + 1, min(len(toks), m.last + 1 + _MODE_REACH)):
            stated = self.lex.cue("mode", toks[k].norm)
            if stated is not None:
                category, _, mode = stated.partition(":")
                if category == row.category:
                    return mode
        if row.mode or row.category != "ASSAULT":
            return row.mode
        # ASSAULT without a mode in the row: the weapon words around the trigger decide it.
        for k in range(m.i, min(len(toks), m.last + 4)):
            weapon = self.lex.grammar.weapon_mode(toks[k].norm)
            if weapon:
                return weapon
        return None

    def reporter(self, sent: Sentence) -> str | None:
        """Who the sentence attributes its report to (وفقا لـ، نقلت عن ...), once per sentence."""
        if sent._reporter is None:
            sent._reporter = (self._find_reporter(sent),)
        return sent._reporter[0]

    def _find_reporter(self, sent: Sentence) -> str | None:
        toks, text = sent.toks, sent.article.text
        for k in compress(range(sent.n), [info.maybe_attribution for info in sent.infos]):
            hit = self.lex.multi_cue("attribution", toks, k)
            if hit is None and self.lex.cue("attribution", toks[k].norm) is None:
                continue
            width = hit[1] if hit else 1
            for j in range(k, min(sent.n, k + width + _ATTRIBUTION_REACH)):
                act = sent.actor_at.get(j)
                if act is not None:
                    return text[act.start : act.end]
            end = min(sent.n - 1, k + width + 3)
            return text[toks[min(k + width, end)].start : toks[end].end]
        return None

    @staticmethod
    def confidence(c: Coded) -> float:
        source, target = c.args.source, c.args.target
        conf = 0.55 if c.match.verbal else 0.4
        if source is not None and source.code and len(source.code) >= 3 and source.country:
            conf += 0.15
        elif source is not None and source.code:
            conf += 0.07
        if target is not None and target.code:
            conf += 0.1
        if c.date.source == "sentence":
            conf += 0.1
        if c.modality.modality != "asserted":
            conf -= 0.15
        if c.modality.background:
            conf -= 0.1
        return round(max(0.05, min(0.95, conf)), 2)

    @staticmethod
    def reason(sent: Sentence, c: Coded, light: bool) -> str:
        m, args, mod = c.match, c.args, c.modality
        row = m.row
        kind = "verb" if m.verbal else ("noun+support verb" if light else "noun")
        return (
            f"trigger '{sent.toks[m.i].text}' ({row.category}{'/' + row.mode if row.mode else ''}) {kind} "
            f"[{row.line}]"
            + (f" {args.order}" if args.order else "")
            + (f"; source from {args.source.how}" if args.source else "; no source")
            + (f"; target {args.target_how}" if args.target else "")
            + (f"; modality {mod.modality}" if mod.modality != "asserted" else "")
            + ("; background context" if mod.background else "")
            + ("; " + ", ".join(c.notes) if c.notes else "")
        )

    def build(self, sent: Sentence, c: Coded, light: bool) -> EventMention:
        text = sent.article.text
        s, e = sent.start, sent.end  # an event mention spans its sentence; the reason names the trigger
        return EventMention(
            start=s,
            end=e,
            text=text[s:e],
            component=COMPONENT,
            reason=self.reason(sent, c, light),
            type=c.match.row.category,
            mode=self.mode(sent, c.match),
            source=actor_ref(c.args.source, text),
            target=actor_ref(c.args.target, text),
            date=c.date,
            location=actor_ref(c.args.location, text),
            negated=c.modality.negated,
            modality="denied" if c.modality.negated else c.modality.modality,
            confidence=self.confidence(c),
            magnitude=c.casualties,
            reporter=self.reporter(sent),
        )
