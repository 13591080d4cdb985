"""The `segment` component: sentences over the clean text, clitic-aware tokens over the norm."""

from __future__ import annotations

from marsad.errors import PipelineError
from marsad.model import Article
from marsad.pipeline import BaseComponent, register
from marsad.segment.sentences import split_sentences
from marsad.segment.tokens import tokenize


@register("segment")
class SegmentComponent(BaseComponent):
    name = "segment"
    requires = ("norm",)
    provides = ("sentences", "tokens")

    def __call__(self, article: Article) -> Article:
        if article.norm is None:
            # The runner checks `requires` when it builds a pipeline; this guards direct calls.
            raise PipelineError(
                f"segment needs article.norm on document {article.id}; run the normalize component first"
            )
        article.sentences = split_sentences(article.text)
        article.tokens = tokenize(article.norm, article.text)
        return article
