"""Where components are found by name.

Built-in components register here exactly as a user's plugin would: with `@register("name")`
in code, or through the `marsad.components` entry-point group of an installed package, so a user
can swap the date extractor or add a stage without forking.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

from marsad.errors import PipelineError

Factory = Callable[[], Any]

_FACTORIES: dict[str, Factory] = {}
# Modules whose import registers the built-in components; imported lazily on first lookup.
_BUILTIN_MODULES = (
    "marsad.normalize.component",
    "marsad.segment.component",
    "marsad.extract.entities",
    "marsad.extract.ner",
    "marsad.extract.resolver",
    "marsad.extract.times",
    "marsad.extract.quantities",
    "marsad.extract.quotes",
    "marsad.events.coder",
)
_loaded = False


def register(name: str) -> Callable[[Factory], Factory]:
    """Class decorator: `@register("times")` makes the component available as "times"."""

    def decorator(factory: Factory) -> Factory:
        _FACTORIES[name] = factory
        return factory

    return decorator


def _load_builtins() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in _BUILTIN_MODULES:
        try:
            import_module(module)
        except ModuleNotFoundError as err:
            # A stage that is not built yet is simply absent; any other import error is a bug.
            if err.name != module:
                raise
    for ep in entry_points(group="marsad.components"):
        register(ep.name)(ep.load())


def available() -> list[str]:
    _load_builtins()
    return sorted(_FACTORIES)


def factory(name: str) -> Factory:
    """What `create(name)` calls; an engine ships it to worker processes, where a component that
    was registered in code rather than through an entry point would otherwise be unknown."""
    _load_builtins()
    try:
        return _FACTORIES[name]
    except KeyError:
        raise PipelineError(f"unknown component {name!r}; available: {', '.join(available())}") from None


def create(name: str) -> Any:
    return factory(name)()
