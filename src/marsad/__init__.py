"""marsad (مرصد): read Arabic news natively and turn overlapping reports into structured knowledge.

The library face (see `marsad.api`): `marsad.analyze(...)` runs everything and returns the report;
`marsad.ingest_inputs(...)` only ingests, cleans, normalises and stores (the CLI's `marsad ingest`;
the function cannot be called `ingest` because that is the ingest stage's subpackage). Importing
this package costs nothing beyond the standard library: the pipeline, readers and store load on
first use, so `marsad --help` and `import marsad` stay instant.
"""

from __future__ import annotations

__version__ = "0.2.0"

__all__ = ["__version__", "analyze", "ingest_inputs", "similarity"]


def __getattr__(name: str) -> object:
    # Lazy exports: only reached when the attribute is not yet bound on the package.
    if name in ("analyze", "ingest_inputs"):
        from marsad import api

        return getattr(api, name)
    if name == "similarity":
        from marsad.corpus.similarity import similarity

        return similarity
    raise AttributeError(f"module 'marsad' has no attribute {name!r}")
