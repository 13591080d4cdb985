"""The component protocol: a named, pure per-document step, Article in, Article out.

A component declares what it `requires` (fields earlier components must have filled, such as
"norm" or "sentences") and what it `provides`. Heavy resources (lexicons, models) load in
`initialize`, never at import, so `import marsad` stays fast and a CLI `--help` costs nothing.
Everything up to `events/` is such a step, so any engine can run the pipeline as a map.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

from marsad.model import Article


@runtime_checkable
class Component(Protocol):
    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    provides: ClassVar[tuple[str, ...]]

    def initialize(self, config: dict[str, Any]) -> None: ...

    def __call__(self, article: Article) -> Article: ...


class BaseComponent:
    """Convenience base: no resources to load, and a `config` dict kept for the subclass."""

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.config: dict[str, Any] = {}

    def initialize(self, config: dict[str, Any]) -> None:
        self.config = config

    def __call__(self, article: Article) -> Article:  # pragma: no cover - abstract
        raise TypeError(f"component {self.name!r} does not implement __call__")
