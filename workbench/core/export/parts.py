"""What the JSON parts of a bundle must hold: small specs, checked in one pass, that name the field at fault.

Each kind's bundle module declares the parts it reads (`PARTS`) with these specs, so an edited or damaged file is
refused on load ("model.swb is damaged: schema has no field 'horizon'.") instead of failing later, wherever the
part is first used (a KeyError in `workbench info`, the bug dialog in the window). Fields a spec does not name
are allowed, so files from a newer version that add fields still open.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

DAMAGED_HINT = "The file was edited or cut short; open the copy it came from, or train and save the model again."


class PartProblem(Exception):
    """One field that does not fit its spec: `where` is its dotted path ("schema.horizon"), `problem` the words."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where} {problem}")
        self.where = where
        self.problem = problem


def found(value: Any) -> str:
    """A short description of a value for a message: the value itself when it is short, else its type."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def clip(text: str, limit: int = 400) -> str:
    """`text` cut to `limit` characters: a message quoting a file must stay readable (and cheap to lay out)
    whatever the file holds."""
    return text if len(text) <= limit else f"{text[:limit - 3]}..."


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Text:
    """A string (valid Unicode: JSON escapes can make lone surrogates, which no file or screen can show)."""

    nonempty: bool = False

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, str):
            raise PartProblem(where, f"must be text (found {found(value)})")
        if self.nonempty and not value:
            raise PartProblem(where, "must not be empty")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise PartProblem(where, "holds characters that are not valid Unicode") from None


@dataclass(frozen=True)
class Whole:
    """An integer (not a bool, not 3.0) between `low` and `high`."""

    low: int = 0
    high: int | None = None

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise PartProblem(where, f"must be a whole number (found {found(value)})")
        if value < self.low or (self.high is not None and value > self.high):
            span = f"from {self.low:,} to {self.high:,}" if self.high is not None else f"of at least {self.low:,}"
            raise PartProblem(where, f"must be a whole number {span} (found {found(value)})")


@dataclass(frozen=True)
class Number:
    """A number; NaN and infinities pass (an undefined score is stored as NaN), a finite one must be >= `low`."""

    low: float | None = None

    def check(self, value: Any, where: str) -> None:
        if not _is_number(value):
            raise PartProblem(where, f"must be a number (found {found(value)})")
        if self.low is not None and math.isfinite(value) and value < self.low:
            raise PartProblem(where, f"must be at least {self.low:g} (found {found(value)})")


@dataclass(frozen=True)
class Flag:
    """true or false."""

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, bool):
            raise PartProblem(where, f"must be true or false (found {found(value)})")


@dataclass(frozen=True)
class Maybe:
    """null, or a value of `spec`."""

    spec: Any

    def check(self, value: Any, where: str) -> None:
        if value is not None:
            self.spec.check(value, where)


@dataclass(frozen=True)
class ListOf:
    """A list of at least `min_len` items, each fitting `item`."""

    item: Any
    min_len: int = 0

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, list):
            raise PartProblem(where, f"must be a list (found {found(value)})")
        if len(value) < self.min_len:
            raise PartProblem(where, f"must hold at least {self.min_len} item{'s' if self.min_len != 1 else ''} "
                                     f"(found {len(value)})")
        for i, item in enumerate(value):
            self.item.check(item, f"{where}[{i}]")


@dataclass(frozen=True)
class MapOf:
    """An object whose every value fits `value` (its keys are the data's: metric or class names)."""

    value: Any

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise PartProblem(where, f"must be an object (found {found(value)})")
        for key, item in value.items():
            self.value.check(item, f"{where}.{key}")


@dataclass(frozen=True)
class Fields:
    """An object with the `required` fields, maybe the `optional` ones, and any others (checked by `rest`, if
    given: a newer version may add fields this one does not read)."""

    required: dict[str, Any]
    optional: dict[str, Any] = field(default_factory=dict)
    rest: Any = None

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise PartProblem(where, f"must be an object (found {found(value)})")
        for key, spec in self.required.items():
            if key not in value:
                raise PartProblem(where, f"has no field '{key}'")
            spec.check(value[key], f"{where}.{key}")
        for key, item in value.items():
            spec = self.optional.get(key, self.rest) if key not in self.required else None
            if spec is not None:
                spec.check(item, f"{where}.{key}")


# A TrainResult as every kind stores it (core/training/events.py), with one logs dict per epoch.
EPOCH_LOGS = Fields({"epoch": Whole(1)}, optional={"best_epoch": Maybe(Whole(1))}, rest=Maybe(Number()))
TRAIN_RESULT = Fields(
    {"stopped_reason": Text(), "message": Text(), "epochs_run": Whole(0), "best_epoch": Maybe(Whole(1)),
     "best_val_loss": Maybe(Number()), "seconds": Number(low=0)},
    optional={"history": ListOf(EPOCH_LOGS)},
)
