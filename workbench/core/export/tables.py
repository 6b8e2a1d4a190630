"""CSV tables that are safe to open in a spreadsheet: formula-like text is escaped, writes are atomic."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from workbench.core.export.atomic import atomic_write_text

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# The columns every loss table starts with, so a run without validation still has the same header.
HISTORY_COLUMNS = ("epoch", "loss", "val_loss")


def escape_formula(text: str) -> str:
    """Prefix `text` with a single quote when a spreadsheet would run it as a formula; other text is unchanged."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _escape_cell(value: object) -> object:
    # Only text is escaped: a number in a mixed column (even a negative one) must stay a number.
    return escape_formula(value) if isinstance(value, str) else value


def _format_times(column: pd.Series) -> pd.Series:
    """ISO text: the date alone when every time is midnight, else date and time to the second; NaT is empty."""
    times = column.dt.tz_localize(None) if column.dt.tz is not None else column
    present = times.dropna()
    only_dates = bool((present == present.dt.normalize()).all())
    text = times.dt.strftime("%Y-%m-%d" if only_dates else "%Y-%m-%d %H:%M:%S")
    return text.where(times.notna(), "")


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells, column names and times are written as a spreadsheet should read them."""
    columns = {}
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if pd.api.types.is_datetime64_any_dtype(column):
            column = _format_times(column)
        elif not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
            # object, string and categorical columns: cast to object so escaped text is never a new category.
            column = column.astype(object).map(_escape_cell)
        columns[position] = column
    safe = pd.DataFrame(columns, index=frame.index)
    safe.columns = [escape_formula(str(name)) for name in frame.columns]
    return safe


def csv_text(frame: pd.DataFrame, float_format: str = "%.6g") -> str:
    """The CSV text that `write_csv` writes, for printing to stdout."""
    return _safe_frame(frame).to_csv(index=False, float_format=float_format, lineterminator="\n")


def write_csv(frame: pd.DataFrame, path: str | Path, float_format: str = "%.6g") -> None:
    """Write `frame` as CSV, atomically, with formula-like text cells and column names escaped.

    Numbers are never escaped (a negative number stays a number). datetime64 columns are written in ISO form:
    the date alone when every time is midnight, else 'YYYY-MM-DD HH:MM:SS'. The index is not written.
    """
    atomic_write_text(path, csv_text(frame, float_format))


def loss_history_frame(history: list[dict[str, float]]) -> pd.DataFrame:
    """Every epoch of a run's history as a row: epoch, loss, val_loss, then any other keys in first-seen order."""
    names = list(HISTORY_COLUMNS)
    for record in history:
        names.extend(key for key in record if key not in names)
    # NaN, not None, for a missing value: a column stays numeric even when no epoch has it.
    rows = [{name: record.get(name, np.nan) for name in names} for record in history]
    return pd.DataFrame(rows, columns=names)
