"""Declarative settings fields: one place for defaults, limits and help text, read by validation and forms."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from workbench.core.errors import ConfigError


def setting(
    default: Any,
    *,
    label: str,
    help: str,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_min: bool = False,
    choices: tuple[str, ...] | None = None,
    optional: bool = False,
    kind: type | None = None,
) -> Any:
    """A dataclass field whose metadata describes how to check and show it."""
    meta = {
        "label": label,
        "help": help,
        "minimum": minimum,
        "maximum": maximum,
        "exclusive_min": exclusive_min,
        "choices": choices,
        "optional": optional,
        # Optional fields default to None, so their type cannot be read off the default.
        "kind": kind if kind is not None else type(default),
    }
    if isinstance(default, list):
        return dataclasses.field(default_factory=lambda: list(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def field_problem(f: dataclasses.Field, value: Any) -> str | None:
    """Why `value` does not fit field `f`, in words; None when it fits."""
    meta = f.metadata
    if value is None:
        return None if meta.get("optional") else "a value is required."
    kind = meta["kind"]
    if meta.get("choices"):
        if value not in meta["choices"]:
            return f"got {value!r}; choose one of {', '.join(meta['choices'])}."
        return None
    if kind is bool:
        return None if isinstance(value, bool) else f"got {value!r}; use true or false."
    if isinstance(value, bool):
        return f"got {value!r}; give a {'whole ' if kind is int else ''}number."
    if kind is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"got {value!r}; give a list of column names."
        return None
    if kind is str:
        return None if isinstance(value, str) else f"got {value!r}; give text."
    if not isinstance(value, (int, float)):
        return f"got {value!r}; give a number."
    if isinstance(value, float) and not math.isfinite(value):
        return f"got {value!r}; give a finite number."
    if kind is int and not float(value).is_integer():
        return f"got {value!r}; give a whole number."
    low, high = meta.get("minimum"), meta.get("maximum")
    if low is not None and (value < low or (meta.get("exclusive_min") and value == low)):
        word = "above" if meta.get("exclusive_min") else "at least"
        return f"got {value!r}; it must be {word} {low:g}."
    if high is not None and value > high:
        return f"got {value!r}; it must be at most {high:g}."
    return None


def check(obj: Any, section: str) -> dict[str, str]:
    """All field problems of a config dataclass, keyed `section.field`."""
    problems = {}
    for f in dataclasses.fields(obj):
        msg = field_problem(f, getattr(obj, f.name))
        if msg:
            problems[f"{section}.{f.name}"] = msg
    return problems


def coerce(f: dataclasses.Field, value: Any) -> Any:
    """Turn JSON or command-line values into the field's type where that is unambiguous."""
    kind = f.metadata["kind"]
    # Text settings keep what was written ("" is a real value: the time column's "row order").
    if isinstance(value, str) and kind is not str and f.metadata.get("optional") and \
            value.strip().lower() in ("", "none", "null", "auto"):
        return None
    if isinstance(value, str) and kind in (int, float, bool, list):
        text = value.strip()
        if kind is bool:
            lowered = text.lower()
            if lowered in ("true", "yes", "1", "on"):
                return True
            if lowered in ("false", "no", "0", "off"):
                return False
            return value
        if kind is list:
            return [part.strip() for part in text.split(",") if part.strip()]
        try:
            number = float(text)
        except ValueError:
            return value
        if kind is int:
            return int(number) if number.is_integer() else number
        return number
    if kind is int and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def from_mapping(cls: type, data: Any, section: str) -> Any:
    """Build config `cls` from a mapping, listing every problem (unknown keys too) in one ConfigError."""
    if not isinstance(data, dict):
        raise ConfigError({section: f"expected an object of settings, got {type(data).__name__}."})
    known = {f.name: f for f in dataclasses.fields(cls)}
    problems = {f"{section}.{k}": f"unknown setting; known are {', '.join(known)}." for k in data if k not in known}
    values = {k: coerce(known[k], v) for k, v in data.items() if k in known}
    obj = cls(**values)
    problems.update(check(obj, section))
    problems.update(obj.cross_check() if hasattr(obj, "cross_check") else {})
    if problems:
        raise ConfigError(problems)
    return obj


def to_mapping(obj: Any) -> dict[str, Any]:
    """A JSON-ready dict of a config dataclass."""
    return dataclasses.asdict(obj)
