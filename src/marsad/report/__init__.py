"""report.json: the machine-readable output of `marsad analyze`, and its JSON Schema.

`build_report` turns the articles and input outcomes of one run into the `marsad.report/1` dict
described in docs (REPORT.md); `validate_report` checks a report against the published schema and
`check_report_offsets` checks that every span still covers its text.
"""

from marsad.report.build import (
    REPORT_SCHEMA,
    build_report,
    check_report_offsets,
    entity_id,
    load_schema,
    validate_report,
    write_report,
)

__all__ = [
    "REPORT_SCHEMA",
    "build_report",
    "check_report_offsets",
    "entity_id",
    "load_schema",
    "validate_report",
    "write_report",
]
