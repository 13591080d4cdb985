"""Finding triggers in a sentence, and which of them are reports of their own.

A trigger row's first word is found through its clitic-aware forms; its later words must follow
within a window in the same clause. A bare form listed both as a verb and a noun (قصف، رفض) is
read as a noun unless it opens its clause or follows a particle. A trigger is not a report of its
own when it is the content of a denial, demand, threat or accusation (نفى إرسال، طالب بوقف
القصف), the object of praise or condemnation (رحب بالإفراج، أدان اغتيال), the purpose of another
event (خرجوا ... للمطالبة) or a verb describing a noun trigger before it (الهجوم الذي استهدف ...):
`Governance` tracks those scopes as the sentence is read left to right.
"""

from __future__ import annotations

from collections.abc import Iterator

from marsad.events.lexicon import Candidate, EventLexicon, TriggerRow
from marsad.events.modality import METAPHOR_PRONE
from marsad.events.sentence import Sentence, TriggerMatch

_PHRASE_WINDOW = 13  # how far a phrase's later words may follow its first (VSO subjects are long)
# Categories whose trigger inside another trigger's complement is that trigger's content.
_GOVERNING = frozenset({"REQUEST", "THREATEN", "REJECT"})
# Categories whose noun complement (رحب بالإفراج، أشاد بانسحاب) is the thing welcomed, not a report.
# PROTEST too: مذكرة احتجاج على القصف، تظاهروا احتجاجا على الغارات: the shelling is what is protested.
_GOVERNING_NOUNS = frozenset({"SUPPORT", "ACCUSE", "PROTEST"})
# Categories whose noun written with the purpose ل after another event (خرجوا ... للمطالبة بـ،
# نظموا مسيرة للتنديد بـ) states that event's aim, not an act of its own.
_PURPOSE_NOUNS = frozenset({"REQUEST", "ACCUSE", "SUPPORT"})
_GOVERNED_REACH = 12  # how far a demand or threat governs the words after it
_OBJECT_REACH = 8  # how far after a condemning verb its object noun may come


class TriggerFinder:
    def __init__(self, lexicon: EventLexicon) -> None:
        self.lex = lexicon

    def matches(self, sent: Sentence, positions: list[int]) -> Iterator[TriggerMatch]:
        """The triggers of a sentence, left to right; `positions` are the tokens that can open one."""
        consumed = -1
        for i in positions:
            if i <= consumed:
                continue
            if not sent.toks[i].is_word and i in sent.actor_at and sent.actor_at[i].first != i:
                continue
            m = self._match(sent, i)
            if m is None:
                continue
            consumed = m.last
            if m.verbal and m.row.category in METAPHOR_PRONE and self._describes(sent, i, m.row):
                continue
            yield m

    def _match(self, sent: Sentence, i: int) -> TriggerMatch | None:
        cands = sent.infos[i].cands
        found = self._phrase(sent, i, cands)
        if found is None:
            return None
        row, prefix, future, last = found
        if self.lex.multi_cue("homograph", sent.toks, i) is not None:
            return None  # فجر الخميس (dawn), اثني عشر (twelve): the trigger's other reading
        verbal = row.kind != "masdar"
        if verbal and len(row.words) == 1 and self._looks_nominal(sent, i, prefix, row):
            alt = [c for c in cands if c[0].kind == "masdar" and len(c[0].words) == 1]
            if not alt:
                return None
            row, prefix, future = alt[0]
            last, verbal = i, False
        return TriggerMatch(i, last, row, prefix, future, verbal)

    def _phrase(
        self, sent: Sentence, i: int, cands: list[Candidate]
    ) -> tuple[TriggerRow, str, bool, int] | None:
        toks, clause = sent.toks, sent.clause
        for row, prefix, future in cands:  # longest rows first
            last = i
            for words in row.words[1:]:
                hit = None
                for j in range(last + 1, min(len(toks), last + 1 + _PHRASE_WINDOW)):
                    if clause[j] != clause[i]:
                        break
                    if any(f in words for f in toks[j].stems()):
                        hit = j
                        break
                if hit is None:
                    break
                last = hit
            else:
                return row, prefix, future, last
        return None

    def _looks_nominal(self, sent: Sentence, i: int, prefix: str, row: TriggerRow) -> bool:
        """A bare form listed both as a verb and as a noun (قصف، رفض): read it as a noun unless it
        opens its clause or follows a particle or an SVO subject."""
        toks, grammar = sent.toks, self.lex.grammar
        if row.kind == "masdar" or prefix:
            return False
        if not any(r.kind == "masdar" and len(r.words) == 1 for r in self.lex.index.get(toks[i].norm, [])):
            return False
        if i == 0 or sent.is_punct(i - 1) or toks[i - 1].norm in grammar.complementisers:
            return False
        return toks[i - 1].norm not in grammar.verb_particles

    def _describes(self, sent: Sentence, i: int, row: TriggerRow) -> bool:
        """A verb right after a relative pronoun describes the noun before it. When that noun is a
        noun trigger of the same category (الهجمات التي استهدفت ...), the noun carries the report;
        when it names a participant (أبو عمر الذي اختطف عام 2003، الجنود الذين قصفوا), the clause is
        background about that participant. Only after an incident noun (الحادث الذي استهدف مسجدا)
        does the verb report the event itself."""
        if i == 0 or sent.toks[i - 1].norm not in self.lex.grammar.relatives:
            return False
        if any(
            c[0].kind == "masdar" and c[0].category == row.category
            for k in range(max(0, i - 6), i - 1)
            for c in sent.infos[k].cands
        ):
            return True
        return not any(
            self.lex.cue("incident", sent.toks[k].norm) is not None for k in range(max(0, i - 4), i - 1)
        )


class Governance:
    """The scopes of denials, demands, threats and condemnations met so far in one sentence."""

    def __init__(self, sent: Sentence) -> None:
        self.sent = sent
        self.denial_from: int | None = None  # later triggers are the denial's content
        self.governed_until = -1  # a demand/threat/refusal governs what follows it in its clause
        self.nominal_until = -1  # praise/condemnation governs a noun right after it (رحب بالإفراج)

    def admits(self, m: TriggerMatch, coded_before: bool) -> bool:
        """Is this trigger a report of its own (not inside another's scope)?"""
        if self.denial_from is not None or m.i <= self.governed_until:
            return False
        if not m.verbal and m.i <= self.nominal_until:
            return False
        if not m.verbal and m.row.category in _PURPOSE_NOUNS and coded_before and m.prefix[:1] == "ل":
            self.nominal_until = max(self.nominal_until, m.last + 2)  # للتنديد باغتيال: governs its object
            return False
        return True

    def after(self, m: TriggerMatch) -> None:
        """Open the scope this trigger governs, once it has been coded."""
        sent, clause, i = self.sent, self.sent.clause, m.i
        row = m.row
        if row.category == "REJECT" and row.mode == "deny":
            self.denial_from = i
        elif row.category in _GOVERNING or (row.category == "ACCUSE" and row.mode == "allege"):
            end = i + 1
            while end < sent.n and (clause[end] == clause[i] or end - i <= 3) and end - i <= _GOVERNED_REACH:
                end += 1
            self.governed_until = end - 1
        if row.category in _GOVERNING_NOUNS:
            self.nominal_until = max(self.nominal_until, m.last + 2)
            if m.verbal and row.category != "PROTEST":
                # أدانت منظمة التعاون الإسلامي اقتحام ...: the object noun comes after the VSO
                # subject; the first noun trigger of the clause is what was condemned or praised.
                for k in range(m.last + 1, min(sent.n, m.last + 1 + _OBJECT_REACH)):
                    if clause[k] != clause[i]:
                        break
                    if any(c[0].kind == "masdar" for c in sent.infos[k].cands):
                        self.nominal_until = max(self.nominal_until, k)
                        break
