"""Turn a table and a DataConfig into a clean numeric series, with plain notes on everything that was changed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.core.data.clock_changes import undo_clock_changes
from workbench.core.data.columns import TimeAxis, read_row_times
from workbench.core.data.config import DataConfig
from workbench.core.data.filling import Split, fill_note, fill_split, fill_within_parts
from workbench.core.data.frequency import count_gaps, frequency_label, infer_frequency, season_length_for
from workbench.core.data.sniff import OPTIONS_HINT
from workbench.core.data.targets import choose_target, pick_columns
from workbench.core.errors import ConfigError, DataError

_POLICIES = ("interpolate", "drop", "refuse")
_MIN_ROWS = 3


@dataclass
class SeriesData:
    times: np.ndarray  # (n,) datetime64[ns] or int64 row numbers, sorted ascending, unique
    values: np.ndarray  # (n, 1 + len(inputs)) float64, all finite; column 0 is the target
    columns: list[str]  # [target, *inputs]
    time_axis: TimeAxis  # describes `times`; duplicates and was_sorted tell what was found before fixing
    health: list[str]  # plain-language notes on what was found and done
    missing_filled: int = 0  # values filled (including those of inserted time steps)
    rows_dropped: int = 0  # rows removed for an unreadable time or missing values (merged duplicates not counted)
    source: str = ""
    fingerprint: str = ""
    # Which values were filled, and the split they were filled within (each part from its own values only;
    # core/data/filling.py). None when nothing was filled, or (split) when the series is too short to split.
    filled: np.ndarray | None = None  # (n, 1 + len(inputs)) bool
    split: Split | None = None
    fill_note: str = ""  # the entry of `health` that says what was filled where

    @property
    def target(self) -> str:
        return self.columns[0]

    @property
    def inputs(self) -> list[str]:
        return self.columns[1:]

    @property
    def n_rows(self) -> int:
        return len(self.times)

    @property
    def season_length(self) -> int | None:
        return self.time_axis.season_length


@dataclass
class _Rows:
    times: np.ndarray
    values: np.ndarray  # (n, n_columns)
    lines: np.ndarray  # file line (or row) number of each row; 0 for an inserted time step

    def take(self, index: np.ndarray) -> _Rows:
        return _Rows(self.times[index], self.values[index], self.lines[index])


def default_target(frame: pd.DataFrame, time_column: str | None) -> str | None:
    """The last numeric column other than the time column that can be a series (tables usually put the measured
    value last): identifiers and columns of unusable magnitude are passed over (see `choose_target`)."""
    return choose_target(frame, time_column)[0]


def prepare_series(frame: pd.DataFrame, config: DataConfig, *, source: str = "") -> SeriesData:
    """Pick the columns, sort and de-duplicate by time, and treat missing values as `config.missing` says."""
    if config.missing not in _POLICIES:
        raise ConfigError({"data.missing": f"must be one of {', '.join(_POLICIES)}, not '{config.missing}'."})
    if frame.shape[0] == 0:
        raise DataError("The table has no rows.", hint="Load a file with rows of numbers.", path=source or None)
    found = read_row_times(frame, config.time)
    time_column, kind = found.column, found.kind
    lines, unit = _line_numbers(frame)
    columns, health = pick_columns(frame, config, time_column, lines, unit)
    values = frame[columns].to_numpy(dtype=float, na_value=np.nan, copy=True)
    values[~np.isfinite(values)] = np.nan  # (n, n_columns)
    rows, dropped = _Rows(found.stamps, values, lines), 0
    health += [found.note] if found.note else []
    if kind != "index" and np.isnat(rows.times).any():
        bad = np.isnat(rows.times)
        health.append(f"Dropped {bad.sum()} row(s) whose time in '{time_column}' is empty or unreadable "
                      f"({_where(rows.lines[bad], unit)}).")
        rows, dropped = rows.take(~bad), int(bad.sum())
    if kind == "datetime":
        times, note = undo_clock_changes(rows.times)
        rows = _Rows(times, rows.values, rows.lines)
        health += [note] if note else []
    if config.missing == "refuse":
        _refuse_missing(rows, columns, unit, source)
    was_sorted = bool(np.any(rows.times[1:] < rows.times[:-1]))
    if was_sorted:
        rows = rows.take(np.argsort(rows.times, kind="stable"))
        health.append(f"The rows were not in time order; they were sorted by '{time_column}'.")
    rows, duplicates, note = _merge_duplicates(rows, kind)
    health += [note] if note else []
    frequency = infer_frequency(rows.times) if kind != "index" else None
    missing = split = None
    if config.missing == "interpolate":
        rows, missing, trimmed, notes = _put_on_grid(rows, columns, frequency, kind)
    else:
        rows, trimmed, notes = _drop_missing(rows, unit) if config.missing == "drop" else (rows, 0, [])
    if len(rows.times) < _MIN_ROWS:
        raise DataError(f"Only {len(rows.times)} usable row(s) remain in '{columns[0]}'; at least {_MIN_ROWS} "
                        "are needed.", hint="Load a longer series, or check which values are missing.",
                        path=source or None, column=columns[0])
    note = ""
    if missing is not None and missing.any():
        split = fill_split(len(rows.times), config.horizon, config.val_fraction, config.test_fraction)
        note = _fill(rows.values, missing, rows.times, kind, split, columns)
        notes.append(note)
    health += notes + _gap_notes(rows.times, frequency, kind, config.missing)
    axis = TimeAxis(time_column, kind, rows.times, frequency, "row order" if kind == "index" else
                    frequency_label(frequency), season_length_for(frequency), duplicates,
                    count_gaps(rows.times, frequency), was_sorted)
    health.insert(0, _summary(axis, columns))
    filled = int(missing.sum()) if missing is not None else 0
    return SeriesData(rows.times, rows.values, columns, axis, health, filled, dropped + trimmed, source,
                      _fingerprint(columns, rows.values, rows.times), missing if filled else None, split, note)


def series_for_split(series: SeriesData, data: DataConfig) -> SeriesData:
    """`series` with its missing values filled within the parts `data` splits it into: the same object when
    they already are (or nothing was filled), else a copy filled again from the values that were read."""
    split = fill_split(series.n_rows, data.horizon, data.val_fraction, data.test_fraction)
    if series.filled is None or split == series.split:
        return series
    values = series.values.copy()
    values[series.filled] = np.nan
    note = _fill(values, series.filled, series.times, series.time_axis.kind, split, series.columns)
    health = [note if entry == series.fill_note else entry for entry in series.health]
    return dataclasses.replace(series, values=values, health=health, split=split, fill_note=note,
                               fingerprint=_fingerprint(series.columns, values, series.times))


def _fill(values: np.ndarray, missing: np.ndarray, times: np.ndarray, kind: str, split: Split | None,
          columns: list[str]) -> str:
    """Fill `values` in place within each part of `split`; return the note saying what was filled where."""
    def describe_row(row: int) -> str:
        return f"row {row + 1}" if kind == "index" else _stamp(times[row], kind)

    x = times.astype(np.int64)  # nanoseconds or row numbers: interpolation follows the real spacing
    fills = fill_within_parts(values, missing, x, split, columns, describe_row)
    return fill_note(columns, missing, fills, describe_row)


def _line_numbers(frame: pd.DataFrame) -> tuple[np.ndarray, str]:
    """File line numbers when the reader recorded where row 0 was (header counted), else 1-based row numbers."""
    first = frame.attrs.get("first_line")
    index = frame.index
    # A RangeIndex survives slicing, so it still says where each row came from.
    offsets = index.to_numpy(dtype=np.int64) if isinstance(index, pd.RangeIndex) else np.arange(len(frame))
    if isinstance(first, int):
        return first + offsets, "line"
    return offsets + 1, "row"


def _refuse_missing(rows: _Rows, columns: list[str], unit: str, source: str) -> None:
    r, c = np.nonzero(np.isnan(rows.values))  # row-major, so in file order
    if r.size == 0:
        return
    cells = ", ".join(f"{unit} {rows.lines[i]} ('{columns[j]}')" for i, j in zip(r[:5], c[:5]))
    more = f" and {r.size - 5} more" if r.size > 5 else ""
    raise DataError(f"Found {r.size} missing value(s): {cells}{more}.",
                    hint="Fill them in the file, or set Missing values to interpolate or drop.",
                    path=source or None, column=columns[c[0]], line=int(rows.lines[r[0]]))


def _merge_duplicates(rows: _Rows, kind: str) -> tuple[_Rows, int, str]:
    """Average the rows that share a timestamp; the mean skips missing values."""
    unique, first, inverse, counts = np.unique(rows.times, return_index=True, return_inverse=True,
                                               return_counts=True)
    duplicates = len(rows.times) - len(unique)
    if kind == "index" or not duplicates:
        return rows, 0, ""
    merged = pd.DataFrame(rows.values).groupby(inverse.ravel()).mean().to_numpy(copy=True)  # writable: filled later
    example = _stamp(unique[np.argmax(counts > 1)], kind)
    note = (f"{duplicates} row(s) repeat an earlier timestamp (the first at {example}); rows with the same time "
            "were averaged.")
    return _Rows(unique, merged, rows.lines[first]), duplicates, note


def _put_on_grid(rows: _Rows, columns: list[str], frequency: str | None,
                 kind: str) -> tuple[_Rows, np.ndarray, int, list[str]]:
    """Put the rows on the full time grid and drop ends that cannot be filled; return the rows, where values
    are missing (to be filled within each part of the split), the rows dropped, and notes."""
    notes: list[str] = []
    if frequency is not None and count_gaps(rows.times, frequency):
        rows = _on_grid(rows, frequency)
    rows, trimmed, note = _trim_ends(rows, columns)
    notes += [note] if note else []
    inserted = int(np.sum(rows.lines == 0))
    if inserted:
        first = _stamp(rows.times[np.argmax(rows.lines == 0)], kind)
        notes.append(f"Inserted {inserted} missing time step(s) ({frequency_label(frequency)}; the first is {first}) "
                     "so the series is evenly spaced; their values are filled like other missing values.")
    return rows, np.isnan(rows.values), trimmed, notes


def _on_grid(rows: _Rows, frequency: str) -> _Rows:
    grid = pd.date_range(rows.times[0], rows.times[-1], freq=frequency).to_numpy().astype("datetime64[ns]")
    pos = np.searchsorted(grid, rows.times)
    if np.any(pos >= len(grid)) or np.any(grid[np.minimum(pos, len(grid) - 1)] != rows.times):
        return rows  # some stamps are off the grid: leave the spacing as it is
    values = np.full((len(grid), rows.values.shape[1]), np.nan)
    values[pos] = rows.values
    lines = np.zeros(len(grid), dtype=np.int64)
    lines[pos] = rows.lines
    return _Rows(grid, values, lines)


def _trim_ends(rows: _Rows, columns: list[str]) -> tuple[_Rows, int, str]:
    """Drop leading and trailing rows where some column has no value yet: they cannot be interpolated."""
    ok = ~np.isnan(rows.values)
    for j, name in enumerate(columns):
        if not ok[:, j].any():
            raise DataError(f"Column '{name}' has no numbers left to use.", column=name,
                            hint=f"Pick another column, or {OPTIONS_HINT}.")
    start = int(max(np.argmax(ok[:, j]) for j in range(ok.shape[1])))
    stop = int(min(len(ok) - np.argmax(ok[::-1, j]) for j in range(ok.shape[1])))
    if start == 0 and stop == len(ok):
        return rows, 0, ""
    kept = rows.take(np.arange(start, max(start, stop)))
    dropped = int(np.sum(rows.lines > 0)) - int(np.sum(kept.lines > 0))
    names = ", ".join(f"'{c}'" for c, has in zip(columns, ok[0] & ok[-1]) if not has)
    note = (f"Dropped {start} row(s) at the start and {len(ok) - max(start, stop)} at the end where {names} had "
            "no value; values cannot be interpolated beyond the ends of the series.")
    return kept, dropped, note


def _drop_missing(rows: _Rows, unit: str) -> tuple[_Rows, int, list[str]]:
    bad = np.isnan(rows.values).any(axis=1)
    if not bad.any():
        return rows, 0, []
    note = f"Dropped {int(bad.sum())} row(s) with missing values ({_where(np.sort(rows.lines[bad]), unit)})."
    return rows.take(~bad), int(bad.sum()), [note]


def _gap_notes(times: np.ndarray, frequency: str | None, kind: str, missing: str) -> list[str]:
    if kind == "index":
        return []
    if frequency is None:
        return ["The time steps are irregular (no common step), so gaps cannot be found or filled; the rows are "
                "used in time order."] if len(times) >= _MIN_ROWS else []
    gaps = count_gaps(times, frequency)
    if not gaps:
        return []
    return [f"{gaps} time step(s) ({frequency_label(frequency)}) have no row, so the series jumps over them; set "
            f"Missing values to interpolate to fill them (now: {missing})."]


def _summary(axis: TimeAxis, columns: list[str]) -> str:
    n, times = len(axis.values), axis.values
    inputs = f", inputs {', '.join(repr(c) for c in columns[1:])}" if columns[1:] else ""
    if axis.kind == "index":
        return f"{n:,} rows in file order (no time column). Target '{columns[0]}'{inputs}."
    season = f", season length {axis.season_length}" if axis.season_length else ""
    span = f"from {_stamp(times[0], axis.kind)} to {_stamp(times[-1], axis.kind)}" if n else "with no time span"
    return (f"{n:,} rows {span}, {axis.frequency_label} (time column '{axis.column}'{season}). "
            f"Target '{columns[0]}'{inputs}.")


def _stamp(value: np.datetime64, kind: str) -> str:
    stamp = pd.Timestamp(value)
    if kind == "year":
        return str(stamp.year)
    return stamp.strftime("%Y-%m-%d" if stamp == stamp.normalize() else "%Y-%m-%d %H:%M:%S")


def _where(lines: np.ndarray, unit: str, limit: int = 5) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"{unit}{'s' if len(lines) > 1 else ''} {shown}{more}"


def _names(frame: pd.DataFrame) -> str:
    return ", ".join(str(c) for c in frame.columns)


def _fingerprint(columns: list[str], values: np.ndarray, times: np.ndarray) -> str:
    digest = hashlib.sha256(json.dumps(columns).encode())
    digest.update(np.ascontiguousarray(values, dtype=np.float64).tobytes())
    digest.update(str(times.dtype).encode() + np.ascontiguousarray(times).tobytes())
    return digest.hexdigest()
