"""PLOVER-style flat event records, for `marsad export events` and for scripts.

One record per report of an event (an `EventMention` in a stored article), in the column style of
event datasets such as POLECAT: when, what, who did it to whom, where, how sure, and the evidence
(document, offsets, text, reason). The `id` is the one report.json gives the event when it is
reported once; a merged event carries the id of its earliest report, so records join to the report.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from marsad.errors import ConfigError
from marsad.model import Article
from marsad.model.corpus import event_id

FIELDS = (
    "id", "event_date", "event_date_text", "event_date_source", "type", "mode",
    "source_text", "source_code", "target_text", "target_code", "location",
    "negated", "modality", "confidence", "magnitude", "reporter", "reason",
    "doc", "start", "end", "text", "published", "outlet", "url",
)  # fmt: skip
FORMATS = ("jsonl", "csv")


def event_records(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    for article in articles:
        for ev in sorted(article.events, key=lambda e: (e.start, e.end, e.type)):
            yield {
                "id": event_id(article.id, ev.start, ev.end, ev.type),
                "event_date": ev.date.value if ev.date else None,
                "event_date_text": ev.date.text if ev.date else None,
                "event_date_source": ev.date.source if ev.date else None,
                "type": ev.type,
                "mode": ev.mode,
                "source_text": ev.source.text if ev.source else None,
                "source_code": ev.source.code if ev.source else None,
                "target_text": ev.target.text if ev.target else None,
                "target_code": ev.target.code if ev.target else None,
                "location": ev.location.text if ev.location else None,
                "negated": ev.negated,
                "modality": ev.modality,
                "confidence": ev.confidence,
                "magnitude": ev.magnitude or None,
                "reporter": ev.reporter,
                "reason": ev.reason,
                "doc": article.id,
                "start": ev.start,
                "end": ev.end,
                "text": ev.text,
                "published": article.published,
                "outlet": article.outlet,
                "url": article.provenance.url,
            }


def write_events(records: Iterable[dict[str, Any]], out: TextIO, fmt: str = "jsonl") -> int:
    """Write `records` as JSON Lines or CSV (magnitude as JSON in its cell). Returns the count."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for record in records:
        if record["magnitude"] is not None:
            record = {**record, "magnitude": json.dumps(record["magnitude"], ensure_ascii=False)}
        writer.writerow(record)
        count += 1
    return count
