"""The `segment` and `tokenize` components.

They are two stages because they serve two paths: sentences are stored with every document (the
ingest path), while tokens are a matching aid that only the extractors read and that is never
stored, so `marsad ingest` skips them.
"""

from __future__ import annotations

from marsad.errors import PipelineError
from marsad.model import Article
from marsad.pipeline import BaseComponent, register
from marsad.segment.sentences import split_sentences
from marsad.segment.tokens import tokenize


@register("segment")
class SegmentComponent(BaseComponent):
    """Sentences over the clean text."""

    name = "segment"
    provides = ("sentences",)

    def __call__(self, article: Article) -> Article:
        article.sentences = split_sentences(article.text)
        return article


@register("tokenize")
class TokenizeComponent(BaseComponent):
    """Clitic-aware tokens over the matching form, with clean-text offsets."""

    name = "tokenize"
    requires = ("norm",)
    provides = ("tokens",)

    def __call__(self, article: Article) -> Article:
        if article.norm is None:
            # The runner checks `requires` when it builds a pipeline; this guards direct calls.
            raise PipelineError(
                f"tokenize needs article.norm on document {article.id}; run the normalize component first"
            )
        article.tokens = tokenize(article.norm, article.text)
        return article
