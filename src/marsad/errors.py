"""The exception tree. Every error marsad raises on purpose is a `MarsadError`.

    MarsadError                 base; `code` is a short stable id, str(err) is one line for a person
    ├── ConfigError             a bad or unknown configuration key or value
    ├── SchemaError             a stored/serialised record does not match the schema this version reads
    ├── InputError              one input cannot become an article (the run records it and goes on)
    │   ├── QuarantineError     the input is broken: empty, binary, undecodable, too large, malformed
    │   └── FilteredError       the input is fine but out of scope: not Arabic, too short to analyse
    ├── StoreError              the database cannot be opened, migrated or written
    └── PipelineError           a component is unknown, misconfigured or failed on a document

In a batch run an `InputError` never stops the run: the input goes to `quarantine[]` or
`filtered[]` with `str(err)` as the reason (unless `--strict`). Messages say what happened, why,
and how to fix it where a fix exists.
"""

from __future__ import annotations


class MarsadError(Exception):
    code = "E000"

    def __str__(self) -> str:
        return " ".join(str(a) for a in self.args).splitlines()[0] if self.args else self.code


class ConfigError(MarsadError):
    code = "E100"


class SchemaError(MarsadError):
    code = "E200"


class InputError(MarsadError):
    code = "E300"


class QuarantineError(InputError):
    code = "E310"


class FilteredError(InputError):
    code = "E320"

    def __init__(self, reason: str, language: str | None = None) -> None:
        super().__init__(reason)
        self.language = language


class StoreError(MarsadError):
    code = "E400"


class PipelineError(MarsadError):
    code = "E500"
