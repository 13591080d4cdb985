"""Build a pipeline from configuration and run it over articles.

The runner is local and in-process now; because every stage is a pure Article -> Article
map, a distributed backend only has to ship `Pipeline.names` and the config to its workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from marsad.errors import MarsadError, PipelineError
from marsad.model import Article
from marsad.pipeline import registry

# What ingest already fills on every article, for checking `requires`.
INGEST_PROVIDES = ("text", "metadata", "removed")


class Pipeline:
    def __init__(self, names: Iterable[str], config: dict[str, Any] | None = None) -> None:
        config = config or {}
        self.names = list(names)
        self.components = []
        provided = set(INGEST_PROVIDES)
        self.provides = provided  # what an article carries after this pipeline
        for name in self.names:
            component = registry.create(name)
            missing = [need for need in component.requires if need not in provided]
            if missing:
                raise PipelineError(
                    f"component {name!r} needs {', '.join(missing)}, which no earlier component "
                    f"provides; put it after the component that does (pipeline: {self.names})"
                )
            component.initialize(dict(config.get(name, {})))
            provided.update(component.provides)
            self.components.append(component)

    def __call__(self, article: Article) -> Article:
        for component in self.components:
            try:
                article = component(article)
            except MarsadError:
                raise
            except Exception as err:  # a bug in a component: name it and the document
                raise PipelineError(
                    f"component {component.name!r} failed on document {article.id} "
                    f"({article.source}): {type(err).__name__}: {err}"
                ) from err
        return article

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            yield self(article)


def default_pipeline(config: dict[str, Any]) -> Pipeline:
    """The configured stages, in configured order; an unknown stage name is an error (the
    configuration's validation says so first, with the installed names)."""
    return Pipeline(list(config.get("pipeline", {}).get("stages", [])), config)
