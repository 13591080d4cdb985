"""Layered configuration: shipped defaults < user file < environment < command-line overrides.

The resolved configuration is validated before any work (`validate`): every value has the type of
its shipped default, lies in the range or set the shipped file allows, and every pipeline stage is
an installed component. The allowed values live with the keys they constrain, as a comment line in
default_config.toml that this module reads:

    # Allowed: 1..            (a number at least 1; "0..1" both ends, "..5" at most 5)
    # Allowed: lines, compact  (one of these values)
"""

from __future__ import annotations

import copy
import json
import os
import re
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.errors import ConfigError

ENV_PREFIX = "MARSAD__"


@cache
def _shipped() -> dict[str, Any]:
    return tomllib.loads(_shipped_text())


@cache
def _shipped_text() -> str:
    return resources.files("marsad").joinpath("default_config.toml").read_text(encoding="utf-8")


_SECTION_RE = re.compile(r"^\[([\w.]+)\]\s*$")
_KEY_RE = re.compile(r"^(\w+)\s*=")
_ALLOWED_RE = re.compile(r"^#\s*Allowed:\s*(.+?)\s*$")


@cache
def _allowed() -> dict[str, str]:
    """Dotted key -> its "Allowed:" annotation in default_config.toml (the comment above the key)."""
    found: dict[str, str] = {}
    section, pending = "", None
    for line in _shipped_text().splitlines():
        line = line.strip()
        if match := _SECTION_RE.match(line):
            section, pending = match.group(1) + ".", None
        elif match := _ALLOWED_RE.match(line):
            pending = match.group(1)
        elif (match := _KEY_RE.match(line)) and pending is not None:
            found[section + match.group(1)] = pending
            pending = None
    return found


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
    return validate(config)


def _type_name(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "an integer"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, list):
        return "a list of strings"
    return "a string"


def _has_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, float):
        return isinstance(value, int | float) and value == value  # NaN is not a setting
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(default))


def _check_allowed(key: str, value: Any, rule: str) -> str | None:
    """Why `value` breaks the "Allowed:" rule of `key`, or None."""
    if ".." in rule:
        low, _, high = rule.partition("..")
        if (low and value < float(low)) or (high and value > float(high)):
            return f"{key} = {value!r} is out of range; allowed: {rule}"
        return None
    choices = [c.strip() for c in rule.split(",")]
    values = value if isinstance(value, list) else [value]
    bad = [v for v in values if str(v) not in choices]
    return f"{key} = {bad[0]!r} is not allowed; allowed: {', '.join(choices)}" if bad else None


def _stage_problem(stages: list[str]) -> str | None:
    from marsad.pipeline import registry  # imported here: only a resolved configuration needs it

    known = registry.available()
    unknown = [name for name in stages if name not in known]
    if unknown:
        return f"pipeline.stages names unknown stage {unknown[0]!r}; installed stages: {', '.join(known)}"
    return None


def validate(config: dict[str, Any]) -> dict[str, Any]:
    """Raise ConfigError (one line: what is wrong, what is allowed) unless every key present in
    `config` has its default's type and an allowed value; return `config` unchanged."""

    def walk(node: dict[str, Any], default: dict[str, Any], where: str) -> None:
        for key, value in node.items():
            dotted = where + key
            if key not in default:
                continue  # unknown keys are refused where they are read (files, --set, environment)
            if isinstance(default[key], dict):
                if not isinstance(value, dict):
                    raise ConfigError(f"configuration key {dotted} is a section, not a value")
                walk(value, default[key], dotted + ".")
                continue
            rule = _allowed().get(dotted)
            if not _has_type(value, default[key]):
                allowed = f" (allowed: {rule})" if rule else ""
                raise ConfigError(f"{dotted} must be {_type_name(default[key])}{allowed}, got {value!r}")
            problem = _check_allowed(dotted, value, rule) if rule else None
            if problem is not None:
                raise ConfigError(problem)

    walk(config, _shipped(), "")
    stages = config.get("pipeline", {}).get("stages")
    problem = _stage_problem(stages) if isinstance(stages, list) else None
    if problem is not None:
        raise ConfigError(problem)
    return config
