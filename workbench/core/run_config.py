"""RunConfig: the data, model and training settings of one run, read from and written to versioned JSON."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.data.config import DataConfig
from workbench.core.errors import ConfigError
from workbench.core.export.atomic import atomic_write_text
from workbench.core.fields import check, from_mapping, to_mapping
from workbench.core.models.config import ModelConfig
from workbench.core.training.config import TrainConfig

SCHEMA_VERSION = 1
SECTIONS = {"data": DataConfig, "model": ModelConfig, "train": TrainConfig}


@dataclass
class RunConfig:
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, **{name: to_mapping(getattr(self, name)) for name in SECTIONS}}

    @classmethod
    def from_dict(cls, data: Any) -> RunConfig:
        """Build and check every field, listing all problems at once."""
        if not isinstance(data, dict):
            raise ConfigError({"config": "the file must hold a JSON object with data, model and train sections."})
        problems: dict[str, str] = {}
        version = data.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            problems["schema_version"] = f"got {version!r}; this version of the workbench reads {SCHEMA_VERSION}."
        for key in data:
            if key not in SECTIONS and key != "schema_version":
                problems[key] = f"unknown section; known are {', '.join(SECTIONS)}."
        sections = {}
        for name, section_cls in SECTIONS.items():
            try:
                sections[name] = from_mapping(section_cls, data.get(name, {}), name)
            except ConfigError as error:
                problems.update(error.problems)
        if problems:
            raise ConfigError(problems)
        return cls(**sections)

    def problems(self) -> dict[str, str]:
        """Field problems of the current values (used by forms as the user types)."""
        found: dict[str, str] = {}
        for name in SECTIONS:
            section = getattr(self, name)
            found.update(check(section, name))
            if not found and hasattr(section, "cross_check"):
                found.update(section.cross_check())
        return found

    def with_overrides(self, assignments: list[str]) -> RunConfig:
        """Apply `section.key=value` strings (the CLI's --set) and re-check everything."""
        data = self.to_dict()
        problems = {}
        for assignment in assignments:
            key, sep, value = assignment.partition("=")
            section, dot, name = key.strip().partition(".")
            if not sep or not dot or section not in SECTIONS:
                problems[assignment] = (
                    "write it as section.key=value, e.g. model.hidden=32 (sections: data, model, train)."
                )
                continue
            data[section][name] = value
        if problems:
            raise ConfigError(problems)
        return RunConfig.from_dict(data)


class _NonFinite:
    """Marks a NaN/Infinity literal in JSON, which Python would otherwise accept silently."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def load_run_config(path: str | Path) -> RunConfig:
    """Read a RunConfig JSON file, refusing broken JSON and NaN literals with the line they are on."""
    text = _read_text(path)
    try:
        data = json.loads(text, parse_constant=_NonFinite)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ConfigError({str(path): f"not valid JSON at {where}: {error.msg}."}) from None
    return RunConfig.from_dict(_mark_non_finite(data))


def save_run_config(config: RunConfig, path: str | Path) -> None:
    atomic_write_text(path, json.dumps(config.to_dict(), indent=2) + "\n")


def _read_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError({str(path): f"cannot be read ({error})."}) from None


def _mark_non_finite(value: Any) -> Any:
    # NaN/Infinity literals become float nan/inf so the field checks name them as non-finite numbers.
    if isinstance(value, _NonFinite):
        return math.nan if value.text == "NaN" else math.copysign(math.inf, -1 if value.text.startswith("-") else 1)
    if isinstance(value, dict):
        return {k: _mark_non_finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark_non_finite(v) for v in value]
    return value


def replace_section(config: RunConfig, section: str, **changes: Any) -> RunConfig:
    """A copy of `config` with some fields of one section changed (no checking; call problems())."""
    return dataclasses.replace(config, **{section: dataclasses.replace(getattr(config, section), **changes)})
