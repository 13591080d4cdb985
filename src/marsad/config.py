"""Layered configuration: shipped defaults < user file < environment < command-line overrides."""

from __future__ import annotations

import copy
import json
import os
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.errors import ConfigError

ENV_PREFIX = "MARSAD__"


@cache
def _shipped() -> dict[str, Any]:
    text = resources.files("marsad").joinpath("default_config.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def defaults() -> dict[str, Any]:
    """The shipped configuration: the one place every default lives, each key commented there."""
    return copy.deepcopy(_shipped())


def _merge(base: dict[str, Any], over: dict[str, Any], where: str) -> None:
    for key, value in over.items():
        if key not in base:
            raise ConfigError(
                f"unknown configuration key {where}{key!r}; valid keys here: {', '.join(sorted(base))}"
            )
        if isinstance(base[key], dict) and isinstance(value, dict):
            _merge(base[key], value, f"{where}{key}.")
        elif isinstance(base[key], dict):
            raise ConfigError(f"configuration key {where}{key} is a section, not a value")
        else:
            base[key] = value


def _parse_value(raw: str) -> Any:
    """Values from the environment or the command line: JSON where it parses, else a string."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _set_dotted(config: dict[str, Any], dotted: str, raw: str) -> None:
    *path, last = dotted.split(".")
    node: dict[str, Any] = {}
    root = node
    for part in path:
        node[part] = {}
        node = node[part]
    node[last] = _parse_value(raw)
    _merge(config, root, "")


def load_config(
    path: str | Path | None = None,
    overrides: dict[str, str] | None = None,
    environ: dict[str, str] | None = None,
) -> dict[str, Any]:
    config = defaults()
    if path is None and Path("marsad.toml").is_file():
        path = "marsad.toml"
    if path is not None:
        try:
            with open(path, "rb") as fh:
                _merge(config, tomllib.load(fh), "")
        except FileNotFoundError:
            raise ConfigError(f"configuration file {path} does not exist") from None
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"configuration file {path} is not valid TOML: {err}") from None
    env = os.environ if environ is None else environ
    for name, raw in sorted(env.items()):
        if name.startswith(ENV_PREFIX):
            _set_dotted(config, name[len(ENV_PREFIX) :].lower().replace("__", "."), raw)
    for dotted, raw in (overrides or {}).items():
        _set_dotted(config, dotted, raw)
    return config
