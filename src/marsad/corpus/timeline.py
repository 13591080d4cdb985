"""A story's timeline: its events ordered by when they happened, not when they were reported.

Event dates are ISO 8601 at the granularity the text stated: "2022", "2022-02", "2024-06-15",
ISO weeks "2024-W23", or intervals "2024-10-01/2024-10-15". Each is read as the span of days it
covers, and events are ordered by:

1. the **start** of that span (so "February 2022" precedes "2022-02-24" only if it starts
   earlier, which it does: the 1st);
2. at an equal start, the **coarser** span first: "June 2024" before "2024-06-01". A month-level
   event may have happened on any day of the month, and the analyst reading down a timeline
   wants the period that frames the following days before them, the way a chronicle writes
   "In June…" and then "On 1 June…". Ordering finer-first would instead claim the coarse event
   happened after the 1st, which the source never said;
3. the **first report**: the earliest member of the story (the story's documents are in join
   order, which is publication order) that mentions the event, then the offset in it;
4. the event id, so that the order is total and the same on every run.

Undated events (no value, or one that cannot be read) come last, in first-report order.

Only what happened in the story is on the main line. Background and history are kept apart, in
`story.background`, in the same order: an event the events coder marked as background context
(its date's source is "background"), and an event whose date ends more than `HISTORY_DAYS`
before the story's first report (the 1990 invasion recalled in a 2015 story, or a date the
sentence gave for something else, such as a bomber's birth year).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from datetime import date, timedelta

from marsad.model import Event, Story

log = logging.getLogger(__name__)

COMPONENT = "corpus.timeline"
# An event dated this long before the story's first report is history, not the story's news.
HISTORY_DAYS = 30

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-\d)?$")


def date_span(value: str | None) -> tuple[int, int] | None:
    """(first day, last day) as proleptic ordinals of the days an ISO value covers, or None.

    >>> date_span("2024-02") == (date(2024, 2, 1).toordinal(), date(2024, 2, 29).toordinal())
    True
    """
    if not value:
        return None
    value = value.strip()
    if "/" in value:
        a, _, b = value.partition("/")
        start, end = date_span(a), date_span(b)
        if start is None or end is None or end[1] < start[0]:
            return None
        return start[0], end[1]
    try:
        m = _WEEK.match(value)
        if m:
            first = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return first.toordinal(), first.toordinal() + 6
        m = _DATE.match(value)
        if not m:
            return None
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        if day is not None:
            d = date(year, int(month), int(day)).toordinal()
            return d, d
        if month is not None:
            first = date(year, int(month), 1)
            nxt = date(year + (first.month == 12), first.month % 12 + 1, 1)
            return first.toordinal(), (nxt - timedelta(days=1)).toordinal()
        return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    except ValueError:
        # A well-shaped but impossible date ("2024-02-30", week 54): undated, not a crash.
        return None


def timeline(story: Story, events: Sequence[Event]) -> list[str]:
    """Ids of the events reported in `story`'s documents, ordered by event date (module docstring).

    Returns the main line; background and historical events go, in the same order, to
    `story.background`.
    """
    rank = {doc: i for i, doc in enumerate(story.documents)}
    start = date_span(story.first_seen)
    horizon = start[0] - HISTORY_DAYS if start is not None else None
    keyed = []
    for ev in events:
        reports = [(rank[m.doc], m.start) for m in ev.mentions if m.doc in rank]
        if not reports:
            continue
        first = min(reports)
        value = ev.date.value if ev.date is not None else None
        span = date_span(value)
        background = ev.date is not None and ev.date.source == "background"
        if span is None:
            if value:
                log.debug("event %s: date %r is not ISO 8601; placed with the undated events", ev.id, value)
            keyed.append(((1, math.inf, 0), first, ev.id, background))
        else:
            historical = horizon is not None and span[1] < horizon
            keyed.append(((0, span[0], -(span[1] - span[0])), first, ev.id, background or historical))
    keyed.sort()
    story.background = [ev_id for _, _, ev_id, off in keyed if off]
    return [ev_id for _, _, ev_id, off in keyed if not off]
