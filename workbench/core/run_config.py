"""RunConfig: the data, model and training settings of one run, read from and written to versioned JSON."""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from workbench.core.classify.config import ClassifyConfig, ClassifySections
from workbench.core.data.config import DataConfig
from workbench.core.errors import ConfigError
from workbench.core.export.atomic import atomic_write_text
from workbench.core.fields import check, from_mapping, to_mapping
from workbench.core.models.config import ModelConfig
from workbench.core.text.config import BIDIRECTIONAL_MESSAGE, TextConfig, TextSections
from workbench.core.training.config import TrainConfig

SCHEMA_VERSION = 1
SECTIONS = {"data": DataConfig, "model": ModelConfig, "train": TrainConfig}
TEXT_SECTIONS = {"text": TextConfig, "model": ModelConfig, "train": TrainConfig}
CLASSIFY_SECTIONS = {"classify": ClassifyConfig, "model": ModelConfig, "train": TrainConfig}


class SectionedConfig:
    """JSON, checking and `--set` overrides for a dataclass made of setting sections (see SECTIONS)."""

    SECTIONS: ClassVar[dict[str, type]] = {}

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, **{name: to_mapping(getattr(self, name)) for name in self.SECTIONS}}

    @classmethod
    def from_dict(cls, data: Any) -> Any:
        """Build and check every field, listing all problems at once; a missing setting takes its default."""
        names = ", ".join(cls.SECTIONS)
        if not isinstance(data, dict):
            raise ConfigError({"config": f"the file must hold a JSON object with {names} sections."})
        problems: dict[str, str] = {}
        version = data.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            problems["schema_version"] = f"got {version!r}; this version of the workbench reads {SCHEMA_VERSION}."
        for key in data:
            if key not in cls.SECTIONS and key != "schema_version":
                problems[key] = f"unknown section; known are {names}."
        # Defaults come from this class (a text run has its own), not from each section's dataclass.
        defaults = cls().to_dict()
        sections = {}
        for name, section_cls in cls.SECTIONS.items():
            given = data.get(name, {})
            merged = {**defaults[name], **given} if isinstance(given, dict) else given
            try:
                sections[name] = from_mapping(section_cls, merged, name)
            except ConfigError as error:
                problems.update(error.problems)
        if problems:
            raise ConfigError(problems)
        return cls(**sections)

    def problems(self) -> dict[str, str]:
        """Field problems of the current values (used by forms as the user types)."""
        found: dict[str, str] = {}
        for name in self.SECTIONS:
            section = getattr(self, name)
            found.update(check(section, name))
            if not found and hasattr(section, "cross_check"):
                found.update(section.cross_check())
        return found

    def with_overrides(self, assignments: list[str]) -> Any:
        """Apply `section.key=value` strings (the CLI's --set) and re-check everything."""
        data = self.to_dict()
        problems = {}
        for assignment in assignments:
            key, sep, value = assignment.partition("=")
            section, dot, name = key.strip().partition(".")
            problem = self._assignment_problem(section, name) if sep and dot else (
                f"write it as section.key=value, e.g. model.hidden=32 (sections: {', '.join(self.SECTIONS)}).")
            if problem:
                problems[assignment] = problem
                continue
            data[section][name] = value
        if problems:
            raise ConfigError(problems)
        return type(self).from_dict(data)

    @classmethod
    def _assignment_problem(cls, section: str, name: str) -> str:
        """Why `section.name` is not a setting of this kind of run, with the known ones and the closest; "" if it is."""
        if section not in cls.SECTIONS:
            close = difflib.get_close_matches(section, cls.SECTIONS, n=1)
            guess = f"did you mean {close[0]}? " if close else ""
            return f"unknown section {section!r}; {guess}the sections are {', '.join(cls.SECTIONS)}."
        keys = [f.name for f in dataclasses.fields(cls.SECTIONS[section])]
        if name in keys:
            return ""
        close = difflib.get_close_matches(name, keys, n=1)
        guess = f"did you mean {section}.{close[0]}? " if close else ""
        return (f"unknown setting {section}.{name}; {guess}the settings of {section} are {', '.join(keys)} "
                "(`workbench settings` lists them all).")


@dataclass
class RunConfig(SectionedConfig):
    """A forecasting run: which columns and windows, the network, and how it is trained."""

    SECTIONS: ClassVar[dict[str, type]] = SECTIONS
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)


@dataclass
class TextRunConfig(SectionedConfig, TextSections):
    """A language-model run: tokens and sequence length, the network, and how it is trained."""

    SECTIONS: ClassVar[dict[str, type]] = TEXT_SECTIONS

    @classmethod
    def from_dict(cls, data: Any) -> TextRunConfig:
        config = super().from_dict(data)
        problems = config.problems()
        if problems:
            raise ConfigError(problems)
        return config

    def problems(self) -> dict[str, str]:
        found = super().problems()
        if self.model.bidirectional is True:
            found.setdefault("model.bidirectional", BIDIRECTIONAL_MESSAGE)
        return found


@dataclass
class ClassifyRunConfig(SectionedConfig, ClassifySections):
    """A classification run: which columns and how texts become tokens, the network, and how it is trained."""

    SECTIONS: ClassVar[dict[str, type]] = CLASSIFY_SECTIONS


class _NonFinite:
    """Marks a NaN/Infinity literal in JSON, which Python would otherwise accept silently."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def load_run_config(path: str | Path, kind: type[SectionedConfig] = RunConfig) -> Any:
    """Read a RunConfig (or `kind`) JSON file, refusing broken JSON and NaN literals with the line they are on."""
    text = _read_text(path)
    try:
        data = json.loads(text, parse_constant=_NonFinite)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ConfigError({str(path): f"not valid JSON at {where}: {error.msg}."}) from None
    return kind.from_dict(_mark_non_finite(data))


def save_run_config(config: SectionedConfig, path: str | Path) -> None:
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


def replace_section(config: Any, section: str, **changes: Any) -> Any:
    """A copy of `config` with some fields of one section changed (no checking; call problems())."""
    return dataclasses.replace(config, **{section: dataclasses.replace(getattr(config, section), **changes)})
