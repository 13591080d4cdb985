"""When did it happen: the event's date from the time expressions of its sentence.

The nearest dated time expression in the sentence gives the date (marked `background` when the
trigger is context, not the report); without one, the publication date stands in.
"""

from __future__ import annotations

from marsad.events.sentence import Sentence
from marsad.model.spans import EventDate


def event_date(sent: Sentence, i: int, background: bool) -> EventDate:
    article, toks = sent.article, sent.toks
    s, e = toks[0].start, toks[-1].end
    trig = toks[i].start
    best = None
    for t in article.times:
        in_sentence = s <= t.start < e and t.value
        if in_sentence and (best is None or abs(t.start - trig) < abs(best.start - trig)):
            best = t
    if best is not None:
        return EventDate(value=best.value, text=best.text, source="background" if background else "sentence")
    pub = (article.published or "")[:10] or None
    return EventDate(value=pub, text=None, source="publication")


def has_own_date(sent: Sentence, i: int, near: int) -> bool:
    """A dated time expression from two tokens before the trigger to `near` tokens after it."""
    toks = sent.toks
    lo = toks[max(0, i - 2)].start
    hi = toks[min(len(toks) - 1, i + near)].end
    return any(lo <= t.start < hi and t.value for t in sent.article.times)
