"""validate_report checks what the JSON Schema cannot: counts that add up and unique ids."""

from __future__ import annotations

import pytest

from marsad.errors import SchemaError
from marsad.report.build import build_report, validate_report


def test_a_repeated_event_id_is_refused() -> None:
    report = build_report([], [])
    event = {"id": "evt-1", "type": "ASSAULT", "mentions": []}
    report["events"] = [event, dict(event)]
    with pytest.raises(SchemaError, match="repeats the id evt-1"):
        validate_report(report)
