"""The search space: which settings a search varies and over what, read from TOML and checked against the fields.

    [model]
    cell = ["lstm", "gru", "rnn"]                  # a list: the values to try
    hidden = { low = 16, high = 128, log = true }   # a table: a range (whole numbers for whole-number settings)
    [train]
    lr = { low = 1e-4, high = 1e-2, log = true }
    batch_size = [32, 64]

Only settings that leave the data and the validation score's meaning alone may vary (SEARCHABLE): trials are
compared on their validation loss, so a search may not move the split, the target or what the loss measures.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import ConfigError
from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL
from workbench.core.fields import field_problem

_NETWORK = ("model.cell", "model.layers", "model.hidden", "model.dropout")
_FITTING = ("train.lr", "train.batch_size", "train.optimizer", "train.weight_decay", "train.epochs",
            "train.patience", "train.reduce_lr_patience", "train.grad_clip")
SEARCHABLE = {
    FORECASTER: (*_NETWORK, "model.bidirectional", *_FITTING, "data.lookback"),
    # A language model reads left to right, and its vocabulary (what the loss is over) stays fixed.
    LANGUAGE_MODEL: (*_NETWORK, *_FITTING, "text.seq_len", "text.embedding", "text.batches_per_epoch"),
    # Class weights would weigh the validation loss differently from trial to trial.
    CLASSIFIER: (*_NETWORK, "model.bidirectional", *_FITTING, "classify.level", "classify.lowercase",
                 "classify.max_len", "classify.truncate", "classify.max_vocab", "classify.min_count",
                 "classify.embedding", "classify.pooling", "classify.dropout"),
}
# A range in a grid search contributes this many points (its ends and the middle).
GRID_POINTS = 3


@dataclass(frozen=True)
class Dimension:
    """One setting a search varies: a list of values, or a range from low to high."""

    key: str  # section.setting
    kind: type  # the field's type: int, float, str or bool
    values: tuple[Any, ...] = ()  # the values to try; empty for a range
    low: float | None = None
    high: float | None = None
    log: bool = False  # sample the range evenly in its logarithm (learning rates, sizes)
    step: float | None = None

    def suggest(self, trial: Any) -> Any:
        """The value an Optuna trial picks for this setting."""
        if self.values:
            return trial.suggest_categorical(self.key, list(self.values))
        if self.kind is int:
            return trial.suggest_int(self.key, int(self.low), int(self.high), step=int(self.step or 1), log=self.log)
        return trial.suggest_float(self.key, self.low, self.high, step=self.step, log=self.log)

    def grid(self) -> list[Any]:
        """The values a grid search tries: the list, or the range's ends and middle (geometric when log)."""
        if self.values:
            return list(self.values)
        low, high = float(self.low), float(self.high)
        if self.kind is int and self.step and (high - low) / self.step < GRID_POINTS:
            return list(range(int(low), int(high) + 1, int(self.step)))
        middle = math.sqrt(low * high) if self.log else (low + high) / 2
        points = [low, middle, high]
        return sorted({int(round(p)) for p in points}) if self.kind is int else points

    def describe(self) -> str:
        if self.values:
            return f"{self.key}: {', '.join(map(str, self.values))}"
        scale = ", log scale" if self.log else ""
        step = f", step {self.step:g}" if self.step else ""
        return f"{self.key}: {self.low:g} to {self.high:g}{step}{scale}"

    def to_toml(self) -> str:
        name = self.key.partition(".")[2]
        if self.values:
            return f"{name} = [{', '.join(_toml_value(v) for v in self.values)}]"
        parts = [f"low = {_toml_value(self.kind(self.low))}", f"high = {_toml_value(self.kind(self.high))}"]
        parts += ["log = true"] if self.log else []
        parts += [f"step = {_toml_value(self.kind(self.step))}"] if self.step else []
        return f"{name} = {{ {', '.join(parts)} }}"


@dataclass(frozen=True)
class SearchSpace:
    kind: str
    dimensions: tuple[Dimension, ...]

    def suggest(self, trial: Any) -> dict[str, Any]:
        return {d.key: d.suggest(trial) for d in self.dimensions}

    def grid(self) -> dict[str, list[Any]]:
        return {d.key: d.grid() for d in self.dimensions}

    def grid_size(self) -> int:
        return math.prod(len(values) for values in self.grid().values())

    def describe(self) -> list[str]:
        return [d.describe() for d in self.dimensions]

    def to_toml(self) -> str:
        """The space as a TOML file the user can edit and pass back with --space."""
        lines: list[str] = []
        for section in dict.fromkeys(d.key.partition(".")[0] for d in self.dimensions):
            lines += [f"[{section}]"] + [d.to_toml() for d in self.dimensions if d.key.startswith(section + ".")]
            lines.append("")
        return "\n".join(lines)


def read_space(path: str | Path, kind: str) -> SearchSpace:
    """Read and check a search-space TOML file; every problem is listed in one ConfigError."""
    try:
        mapping = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise ConfigError({str(path): f"cannot be read ({error.strerror or error})."}) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError({str(path): f"is not valid TOML: {error}."}) from None
    return parse_space(mapping, kind)


def parse_space(mapping: dict[str, Any], kind: str) -> SearchSpace:
    """A SearchSpace from {section: {setting: list or range table}}, checked against the settings of `kind`."""
    from workbench.core.search.stages import config_class

    sections = config_class(kind).SECTIONS
    problems: dict[str, str] = {}
    dimensions = []
    for section, settings in mapping.items():
        if not isinstance(settings, dict):
            problems[section] = "write each section as a table: [model] then cell = [\"lstm\", \"gru\"]."
            continue
        for name, spec in settings.items():
            key = f"{section}.{name}"
            try:
                dimensions.append(_dimension(key, spec, kind, sections))
            except ValueError as error:
                problems[key] = str(error)
    if not dimensions and not problems:
        problems["space"] = "varies no setting; name at least one, e.g. [model] cell = [\"lstm\", \"gru\"]."
    if problems:
        raise ConfigError(problems)
    return SearchSpace(kind, tuple(dimensions))


def _dimension(key: str, spec: Any, kind: str, sections: dict[str, type]) -> Dimension:
    section, _, name = key.partition(".")
    fields = {f.name: f for f in dataclasses.fields(sections[section])} if section in sections else {}
    if name not in fields:
        raise ValueError(f"unknown setting; `workbench settings` lists them (sections: {', '.join(sections)}).")
    if key not in SEARCHABLE[kind]:
        raise ValueError("cannot be searched: it changes the data or what the validation loss measures, so the "
                         "trials could not be compared. Fix it with --set instead.")
    field = fields[name]
    value_kind = field.metadata["kind"]
    if isinstance(spec, list):
        if not spec:
            raise ValueError("give at least one value.")
        for value in spec:
            problem = field_problem(field, float(value) if value_kind is float and _is_number(value) else value)
            if problem:
                raise ValueError(problem)
        return Dimension(key, value_kind, values=tuple(spec))
    if not isinstance(spec, dict):
        raise ValueError("give a list of values, or a range such as { low = 16, high = 128 }.")
    if field.metadata.get("choices") or value_kind not in (int, float):
        raise ValueError("is not a number; give a list of values.")
    unknown = set(spec) - {"low", "high", "log", "step"}
    if unknown or "low" not in spec or "high" not in spec:
        raise ValueError("a range needs low and high (and may have log = true or a step).")
    low, high, step, log = spec["low"], spec["high"], spec.get("step"), spec.get("log", False)
    for value in (low, high):
        problem = field_problem(field, value) if _is_number(value) else f"got {value!r}; give a number."
        if problem:
            raise ValueError(problem)
    if value_kind is int and not all(float(v).is_integer() for v in (low, high, step or 1)):
        raise ValueError("is a whole-number setting: give whole numbers for low, high and step.")
    if not low < high:
        raise ValueError(f"low ({low}) must be below high ({high}); for one value use a list.")
    if log and (low <= 0 or step is not None):
        raise ValueError("a log-scale range needs low above 0 and no step.")
    if step is not None and (not _is_number(step) or step <= 0):
        raise ValueError(f"step must be a number above 0, got {step!r}.")
    return Dimension(key, value_kind, low=low, high=high, log=bool(log), step=step)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def apply_params(config: Any, params: dict[str, Any]) -> Any:
    """`config` with a trial's values, checked. Dropout between layers needs two of them: with one layer it is 0,
    so a one-layer trial is not refused for a value that would not act anyway."""
    data = config.to_dict()
    for key, value in params.items():
        section, _, name = key.partition(".")
        data[section][name] = value
    if data["model"]["layers"] == 1:
        data["model"]["dropout"] = 0.0
    return type(config).from_dict(data)
