"""Which columns a series uses: the target chosen or checked (never an identifier, nor values training cannot
take), and the inputs checked, with notes on the columns passed over (docs/decisions.md, "Hostile files")."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype, is_string_dtype

from workbench.core.data.columns import identifier_like, numeric_columns
from workbench.core.data.config import DataConfig
from workbench.core.data.sniff import MISSING_TOKENS, OPTIONS_HINT
from workbench.core.errors import DataError

# Training computes in 32-bit floats (largest about 3.4e38, smallest normal about 1.2e-38); its sums of squares
# overflow long before the largest value does, and tiny values become zeros. Outside these magnitudes a column
# is refused rather than silently rescaled, so the numbers a user sees are the numbers the model learns.
LARGEST_MAGNITUDE = 1e30
SMALLEST_MAGNITUDE = 1e-30


def choose_target(frame: pd.DataFrame, time_column: str | None) -> tuple[str | None, list[tuple[str, str]]]:
    """(target, [(column passed over, why)]): the last numeric column that neither counts rows like an identifier
    nor has values too large or too small to train on; None when every numeric column was passed over."""
    passed: list[tuple[str, str]] = []
    for name in reversed(numeric_columns(frame, exclude=[time_column] if time_column else [])):
        why = _identifier_reason(frame[name]) or _magnitude_problem(frame[name].to_numpy(dtype=float, na_value=np.nan))
        if not why:
            return name, passed[::-1]
        passed.append((name, why))
    return None, passed[::-1]


def _identifier_reason(column: pd.Series) -> str:
    if not identifier_like(column):
        return ""
    shown = ", ".join(f"{v:,}" for v in column.iloc[:3])
    return f"counts up by whole numbers ({shown}, ...) like an identifier or row number"


def _magnitude_problem(values: np.ndarray) -> str:
    """Why values are too large or too small to train on in 32-bit floats ("" when they are fine)."""
    v = np.abs(values[np.isfinite(values)])
    top = float(v.max()) if v.size else 0.0
    if top > LARGEST_MAGNITUDE:
        return (f"holds values as large as {top:.3g}, beyond what training in 32-bit floats can take "
                f"(about {LARGEST_MAGNITUDE:.0e})")
    if 0 < top < SMALLEST_MAGNITUDE:
        return (f"holds only values tinier than {SMALLEST_MAGNITUDE:.0e} (the largest is {top:.3g}), which "
                "training in 32-bit floats would read as zeros")
    return ""


def pick_columns(frame: pd.DataFrame, config: DataConfig, time_column: str | None, lines: np.ndarray,
                 unit: str) -> tuple[list[str], list[str]]:
    """([target, *inputs], notes): the configured columns, checked, or the target chosen by `choose_target`."""
    numeric = numeric_columns(frame, exclude=[time_column] if time_column else [])
    notes: list[str] = []
    chosen, passed = choose_target(frame, time_column)
    target = config.target or chosen
    if target is None and passed:
        name, why = passed[-1]
        if len(passed) == 1:
            message = f"The only numeric column, '{name}', {why}, so there is nothing to forecast."
        else:
            message = "No numeric column can be forecast: " + "; ".join(f"'{n}' {w}" for n, w in passed) + "."
        raise DataError(message, hint="Load a table with a measured value to forecast, or, if this column really "
                        f"is the series, name it as the target (Target column in the window, --target {name} on "
                        "the command line).", column=name)
    if target is None:
        raise DataError(f"The table has no numeric column to forecast (columns: {_names(frame)}).",
                        hint=f"Load a file with numbers, or {OPTIONS_HINT}.")
    _check_column(frame, target, "target", time_column, lines, unit, numeric)
    if target == chosen:
        notes += [f"Column '{name}' was not chosen as the target: it {why}. Pick it as the target yourself if you do "
                  "mean to forecast it." for name, why in passed]
    inputs = list(dict.fromkeys(config.inputs or []))
    if target in inputs:
        raise DataError(f"Column '{target}' is the target, so it cannot also be an input.",
                        hint="Remove it from the input columns; the model always sees the target's own past.",
                        column=target)
    for name in inputs:
        _check_column(frame, name, "input", time_column, lines, unit, numeric)
    for name in [target, *inputs]:
        values = frame[name].to_numpy(dtype=float, na_value=np.nan)
        problem = _magnitude_problem(values)
        if problem:
            raise DataError(f"Column '{name}' cannot be used: it {problem}.",
                            hint="Rescale it in the file (for example, change its units so values lie between "
                            "about 1e-6 and 1e12) and load it again.", column=name)
        why = _identifier_reason(frame[name]) if name == target and name != chosen else ""
        if why:
            notes.append(f"Column '{name}' is the target, but it {why}; forecasting it is rarely useful.")
    return [target, *inputs], notes


def _check_column(frame: pd.DataFrame, name: str, role: str, time_column: str | None, lines: np.ndarray,
                  unit: str, numeric: list[str]) -> None:
    if name not in frame.columns:
        raise DataError(f"There is no column named '{name}'. The columns are: {_names(frame)}.",
                        hint=f"Pick one of those as the {role}.", column=name)
    hint = (f"Pick a numeric column as the {role}: {_shown(numeric)}." if numeric else
            f"The table has no numeric column; {OPTIONS_HINT}.")
    if name == time_column:
        raise DataError(f"Column '{name}' is the time column, so it cannot also be the {role}.", hint=hint,
                        column=name)
    if name in set(numeric):
        return
    col = frame[name]
    if is_numeric_dtype(col) and not col.dtype == bool:
        raise DataError(f"Column '{name}' has no numbers in it.", hint=hint, column=name)
    text = col.astype("string").str.strip()
    bad = text.notna() & ~text.str.lower().isin(MISSING_TOKENS)
    i = int(np.argmax(bad.to_numpy())) if bad.any() else 0
    what = "holds text, not numbers" if is_string_dtype(col) or col.dtype == object else "does not hold numbers"
    raise DataError(f"Column '{name}' {what}: {unit} {lines[i]} has '{text.iloc[i]}'.", hint=hint, column=name,
                    line=int(lines[i]))


def _shown(names: list[str], limit: int = 20) -> str:
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _names(frame: pd.DataFrame) -> str:
    return ", ".join(str(c) for c in frame.columns)
