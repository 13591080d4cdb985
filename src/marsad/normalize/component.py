"""The `normalize` component: sets `article.norm`, the matching form extractors search."""

from __future__ import annotations

from typing import Any

from marsad.model import Article
from marsad.normalize.text import DEFAULT_OPTIONS, NormalizeOptions, normalize
from marsad.pipeline import BaseComponent, register


@register("normalize")
class NormalizeComponent(BaseComponent):
    name = "normalize"
    provides = ("norm",)

    def __init__(self) -> None:
        super().__init__()
        self.options = DEFAULT_OPTIONS

    def initialize(self, config: dict[str, Any]) -> None:
        super().initialize(config)
        self.options = NormalizeOptions.from_config(config)

    def __call__(self, article: Article) -> Article:
        article.norm = normalize(article.text, self.options)
        return article
