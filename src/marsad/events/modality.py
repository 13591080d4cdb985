"""Was it reported as having happened? Negation, modality and the context that makes a trigger no event.

Cues come from `modality.tsv`. Negation and modality are read from the words before the trigger in
its clause (لم تقصف، قد تشن، سوف ...) and from a conditional earlier in the sentence (إذا هاجمت ...).
A noun trigger is no event when it is a metaphor (الهجوم على الحريات), generic talk (خطر الإرهاب)
or, marked as background (بعد هجوم ...), it lacks a date of its own (checked by the coder).
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.events.lexicon import EventLexicon
from marsad.events.sentence import Sentence, TriggerMatch
from marsad.segment.tokens import Token

# Categories whose triggers are often used as metaphors (sport, markets, media talk).
METAPHOR_PRONE = frozenset({"ASSAULT", "PROTEST"})
_CUE_REACH = 6  # how far before the trigger a negation or modal cue may stand
_NEGATION_REACH = 2


@dataclass(frozen=True, slots=True)
class Modality:
    negated: bool
    modality: str  # asserted | possible | future | hypothetical
    background: bool  # a noun given as context (بعد هجوم ...)


class ModalityReader:
    def __init__(self, lexicon: EventLexicon) -> None:
        self.lex = lexicon

    def read(self, sent: Sentence, m: TriggerMatch) -> Modality | None:
        """The trigger's modality, or None when the context shows it is no event at all."""
        if self._metaphor_or_generic(sent, m):
            return None
        negated, modality = self._negation_and_mood(sent, m)
        return Modality(negated, modality, self._background(sent, m))

    def _negation_and_mood(self, sent: Sentence, m: TriggerMatch) -> tuple[bool, str]:
        toks, clause, lex = sent.toks, sent.clause, self.lex
        i, ci = m.i, sent.clause[m.i]
        negated = False
        modality = "future" if m.future else "asserted"
        for k in range(i - 1, max(-1, i - 1 - _CUE_REACH), -1):
            if sent.is_punct(k):
                continue
            if clause[k] != ci:
                break
            if i - k <= _NEGATION_REACH and lex.cue("negation", toks[k].norm) is not None:
                negated = True
                if toks[k].norm == "لن":
                    modality = "future"
            hit = lex.multi_cue("modal", toks, k)
            value = hit[0] if hit else lex.cue("modal", toks[k].norm)
            # قد before a perfect means "has"/"indeed", not "may" (also with و/ف and as لقد).
            perfect_qad = toks[k].norm in lex.grammar.qad and (
                m.row.kind == "past" or not _imperfect_after(toks, k, m)
            )
            if value and (modality == "asserted" or value == "hypothetical") and not perfect_qad:
                modality = value
        # A conditional earlier in the sentence (إذا هاجمت ...، فإن ...), in this or the previous clause.
        if any(k < i and clause[k] in (ci, ci - 1) for k in sent.conditionals()):
            modality = "hypothetical"
        return negated, modality

    def _metaphor_or_generic(self, sent: Sentence, m: TriggerMatch) -> bool:
        toks, lex, n = sent.toks, self.lex, sent.n
        # Only a noun becomes a metaphor through its object: "احتجوا على الأسعار" is a real protest,
        # "الحرب على الأسعار" is not. شن هجوما إعلاميا: a phrase that ends in a noun counts too.
        if not m.verbal or len(m.row.words) > 1:
            nxt = toks[m.last + 1] if m.last + 1 < n else None
            nxt2 = toks[m.last + 2] if m.last + 2 < n else None
            if nxt is not None and lex.cue("abstract", nxt.norm) is not None:
                return True
            if (
                nxt is not None
                and nxt.norm in lex.grammar.prepositions
                and nxt2 is not None
                and lex.cue("abstract", nxt2.norm) is not None
            ):
                return True
        if not m.verbal and any(
            lex.cue("generic", toks[k].norm) is not None for k in range(max(0, m.i - 2), m.i)
        ):
            return True
        # Sport, markets and media talk (شن المنتخب هجوما على مرمى الخصم): an abstract word next to
        # a violence or protest trigger makes it a metaphor.
        if m.row.category in METAPHOR_PRONE:
            ci = sent.clause[m.i]
            for k in range(max(0, m.i - 1), min(n, m.last + 5)):
                if sent.clause[k] == ci and k != m.i and lex.cue("abstract", toks[k].norm) == "any":
                    return True
        return False

    def _background(self, sent: Sentence, m: TriggerMatch) -> bool:
        if m.verbal:
            return False
        return any(
            self.lex.cue("background", sent.toks[k].norm) is not None for k in range(max(0, m.i - 2), m.i)
        )


def _imperfect_after(toks: list[Token], k: int, m: TriggerMatch) -> bool:
    """Is the verb after قد imperfect (قد يقصف "may shell")? Before a perfect (قد تعرض لقصف "had
    come under shelling") قد asserts. ي and ن open only imperfects; ت opens both, so it counts only
    when that verb is the trigger and the trigger row says imperfect."""
    nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
    return nxt[:1] in ("ي", "ن") or (k + 1 == m.i and m.row.kind == "imperf")
