"""When did it happen: the event's date from the time expression attached to its trigger.

The time expression of the trigger's own clause comes first, the nearest one to the trigger; a
time expression of another clause (قال أمس إن ... عام 2003) is used only when the trigger's clause
has none. A year introduced by a birth word (من مواليد 1975، المولود عام) dates a person, never an
event. Without a dated expression the publication date stands in. An event dated more than a year
before publication is history told as background (اغتيال السادات عام 1981), not a report.
"""

from __future__ import annotations

import bisect

from marsad.events.lexicon import EventLexicon
from marsad.events.sentence import Sentence
from marsad.model.spans import EventDate, TimeMention

_HISTORY_YEARS = 1  # an event dated this many whole years before publication is background


def _event_times(sent: Sentence, lex: EventLexicon) -> list[tuple[int, TimeMention]]:
    """(token index, time mention) of the sentence's dated time expressions, birth years left out;
    read once per sentence."""
    if sent._times is None:
        sent._times = _read_times(sent, lex)
    return sent._times


def _read_times(sent: Sentence, lex: EventLexicon) -> list[tuple[int, TimeMention]]:
    out = []
    for t in sent.article.times:
        if not (sent.start <= t.start < sent.end and t.value):
            continue
        k = max(0, bisect.bisect_right(sent.starts, t.start) - 1)
        before = range(max(0, k - 2), k + (1 if sent.toks[k].start < t.start else 0))
        if any(lex.cue("birth", sent.toks[j].norm) is not None for j in before):
            continue
        out.append((k, t))
    return out


def event_date(sent: Sentence, i: int, background: bool, lex: EventLexicon) -> EventDate:
    times = _event_times(sent, lex)
    own = [(k, t) for k, t in times if sent.clause[k] == sent.clause[i]]
    trig = sent.toks[i].start
    pool = own or times
    if pool:
        _, best = min(pool, key=lambda kt: abs(kt[1].start - trig))
        return EventDate(value=best.value, text=best.text, source="background" if background else "sentence")
    pub = (sent.article.published or "")[:10] or None
    return EventDate(value=pub, text=None, source="publication")


def is_history(date: EventDate, published: str | None) -> bool:
    """A date from the sentence more than a year before the publication date."""
    if date.source == "publication" or not date.value or not published:
        return False
    year, pub_year = date.value[:4], published[:4]
    return year.isdigit() and pub_year.isdigit() and int(pub_year) - int(year) > _HISTORY_YEARS


def has_own_date(sent: Sentence, i: int, near: int) -> bool:
    """A dated time expression from two tokens before the trigger to `near` tokens after it."""
    toks = sent.toks
    lo = toks[max(0, i - 2)].start
    hi = toks[min(len(toks) - 1, i + near)].end
    return any(lo <= t.start < hi and t.value for t in sent.article.times)
