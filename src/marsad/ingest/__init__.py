"""Ingest: inputs (files, folders, globs, stdin; txt/html/jsonl/rss/atom/warc) -> RawInput -> Article.

`iter_inputs` yields one `RawInput` per input and never raises; `build_article` turns one into an
`Article` (clean text, metadata, `removed[]`) or raises QuarantineError / FilteredError.
"""

from marsad.ingest.build import build_article
from marsad.ingest.inputs import RawInput, iter_inputs

__all__ = ["RawInput", "build_article", "iter_inputs"]
