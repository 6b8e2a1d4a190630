"""Read one column as time stamps (dates, years, Unix epochs), and say how when the reading was a choice.

A column can often be read more than one way: 01/02/2020 is 1 February or 2 January, 1600000000000 is epoch
milliseconds, and stamps with UTC offsets can be kept as written or converted to UTC. Each choice made here
comes back as a phrase, so the data notes can say what was done (docs/decisions.md, "Reading times").
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

from workbench.core.data.frequency import frequency_label, infer_frequency
from workbench.core.data.sniff import MISSING_TOKENS

_MONTH = re.compile(r"\d{4}[-/]\d{1,2}")
_QUARTER = re.compile(r"(\d{4})\s*-?\s*Q([1-4])", re.IGNORECASE)
_ISO = re.compile(r"\d{4}-?\d{2}-?\d{2}")
_DAY_MONTH = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}")
# Without a group for `str.contains` (pandas warns about a capturing one), and with one for `str.extract`.
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_OFFSET_GROUP = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
# Unix epochs by unit: the range of values that falls between 1973 and 2099, and numpy's unit.
_EPOCHS = (("seconds", 1e8, 4.1e9, "s"), ("milliseconds", 1e11, 4.1e12, "ms"),
           ("microseconds", 1e14, 4.1e15, "us"), ("nanoseconds", 1e17, 4.1e18, "ns"))


@dataclass(frozen=True)
class TimeReading:
    """Per-row stamps of one column, with how they were read."""

    stamps: np.ndarray  # (rows,) datetime64[ns], NaT where empty or unreadable
    kind: str  # "datetime" | "year" | "epoch"
    how: str = ""  # a phrase after "The time column 'x' ...", when the reading was a choice worth saying


def parse_time(values: pd.Series) -> tuple[np.ndarray, str] | None:
    """Per-row datetime64[ns] stamps (NaT where empty) and their kind, or None when this is not a time column."""
    reading = read_time(values)
    return None if reading is None else (reading.stamps, reading.kind)


def read_time(values: pd.Series) -> TimeReading | None:
    """The column read as time stamps with a note on how, or None when it does not hold times."""
    if is_bool_dtype(values):
        return None
    if is_datetime64_any_dtype(values):
        stamps = pd.to_datetime(values)
        if stamps.dt.tz is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        return TimeReading(stamps.to_numpy().astype("datetime64[ns]"), "datetime")
    if is_numeric_dtype(values):
        return _read_numbers(values.to_numpy(dtype=float, na_value=np.nan))
    return _read_text(values.astype("string").str.strip())


def _read_numbers(x: np.ndarray) -> TimeReading | None:
    ok = np.isfinite(x)
    v = x[ok]
    # Whole numbers beyond nanoseconds since 1970 in 2099 are neither years nor epochs.
    if v.size == 0 or v.size < 0.9 * x.size or np.abs(v).max() > _EPOCHS[-1][2] or not np.array_equal(v, np.round(v)):
        return None
    steps = np.diff(v)
    # Mostly ordered (either way): a value column rarely is, a time column nearly always.
    ordered = max(np.mean(steps > 0), np.mean(steps < 0)) >= 0.7 if steps.size else True
    if not ordered:
        return None
    out = np.full(x.size, np.datetime64("NaT"), dtype="datetime64[ns]")
    # datetime64[ns] starts in 1678, so earlier years cannot be stamps.
    if 1678 <= v.min() and v.max() <= 2200:
        out[ok] = (v.astype(np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[ns]")
        return TimeReading(out, "year")
    for unit, low, high, code in _EPOCHS:
        if low <= v.min() and v.max() <= high:
            out[ok] = v.astype(np.int64).astype(f"datetime64[{code}]").astype("datetime64[ns]")
            first = pd.Timestamp(out[ok][0]).strftime("%Y-%m-%d %H:%M:%S")
            how = (f"holds Unix epoch {unit} ({int(v[0]):,} is {first} UTC); they were read as times in UTC.")
            return TimeReading(out, "epoch", how)
    return None


def _read_text(text: pd.Series) -> TimeReading | None:
    nonblank = (text.notna() & (text != "")).to_numpy()
    cells = text[nonblank]
    if cells.empty:
        return None
    # Judge ~1,000 cells spread over the column before parsing a million of them.
    spread = cells.iloc[:: max(1, len(cells) // 1000)]
    spread = spread[~spread.str.lower().isin(MISSING_TOKENS)]
    # Words such as "March" would parse as a date in the current year; a real stamp has digits.
    if spread.empty or spread.str.contains(r"\d").mean() < 0.9:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns when it falls back to parsing cell by cell
        try:
            parsed, how = _to_datetime(cells, spread.iloc[0], spread)
        except (ValueError, OverflowError, TypeError):
            return None
    failed = parsed.isna().to_numpy()
    # Missing markers ("n/a", "-") are not failures: only the other cells count against the column.
    markers = int(cells[failed].str.lower().isin(MISSING_TOKENS).sum()) if failed.any() else 0
    readable = len(cells) - markers
    if readable == 0 or (len(cells) - int(failed.sum())) < 0.9 * readable:
        return None
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[nonblank] = parsed.to_numpy().astype("datetime64[ns]")
    return TimeReading(out, "datetime", how)


def _to_datetime(cells: pd.Series, first: str, spread: pd.Series) -> tuple[pd.Series, str]:
    """`cells` parsed in the format `first` shows (`spread` is a sample of them for cheap checks)."""
    if _MONTH.fullmatch(first):
        return pd.to_datetime(cells.str.replace("/", "-"), format="%Y-%m", errors="coerce"), ""
    if _QUARTER.fullmatch(first):
        parts = cells.str.extract(_QUARTER).astype(float)
        return pd.to_datetime({"year": parts[0], "month": parts[1] * 3 - 2, "day": 1}, errors="coerce"), ""
    if _ISO.match(first):
        return _with_offsets(cells, spread)
    return _day_or_month_first(cells, spread)


def _with_offsets(sample: pd.Series, spread: pd.Series) -> tuple[pd.Series, str]:
    """ISO stamps: as written when they carry no UTC offset or one offset throughout; converted to UTC when the
    offsets differ, unless that would make daily stamps uneven (local midnights 23 or 25 hours apart)."""
    utc = pd.to_datetime(sample, format="ISO8601", utc=True, errors="coerce").dt.tz_localize(None)
    # Offsets change in long runs (daylight saving), so a spread of cells and the last one show whether any exist.
    if not pd.concat([spread, sample.iloc[-1:]]).str.contains(_OFFSET).any():
        return utc, ""
    offsets = sample.str.extract(_OFFSET_GROUP)[0].dropna().str.replace(":", "", regex=False).replace("Z", "+0000")
    kinds = list(dict.fromkeys(offsets))
    if not kinds:
        return utc, ""
    wall = pd.to_datetime(sample.str.replace(_OFFSET, "", regex=True), format="ISO8601", errors="coerce")
    shown = ", ".join(f"{k[:3]}:{k[3:]}" for k in kinds[:4]) + (", ..." if len(kinds) > 4 else "")
    if len(kinds) == 1:
        return wall, f"carries the UTC offset {shown} on every time; the times are used as written."
    if infer_frequency(_unique(utc)) is None and infer_frequency(_unique(wall)) is not None:
        return wall, (f"mixes UTC offsets ({shown}), as clocks change for daylight saving; the times are used as "
                      "written (local time), because in UTC the steps between them would be uneven.")
    return utc, (f"mixes UTC offsets ({shown}); the times were converted to UTC, so each one is a single instant "
                 "and they sort in the order they happened.")


def _unique(stamps: pd.Series) -> np.ndarray:
    return np.unique(stamps.dropna().to_numpy().astype("datetime64[ns]"))


def _day_or_month_first(sample: pd.Series, spread: pd.Series) -> tuple[pd.Series, str]:
    """Dates like 03/04/2020: a part above 12 settles the order; else the reading that gives a regular series,
    else the one that puts every date on the first of a month, else day-first for dotted dates (European) and
    month-first for the rest. The parts are looked at in `spread`, a sample of the cells."""
    parts = spread.str.extract(_DAY_MONTH).astype(float)
    if (parts[0] > 12).any() or (parts[1] > 12).any() or parts[0].isna().all():
        day_first = bool((parts[0] > 12).any()) or (not (parts[1] > 12).any() and sample.iloc[0].count(".") >= 2)
        return pd.to_datetime(sample, dayfirst=day_first, utc=True, errors="coerce").dt.tz_localize(None), ""
    readings = {first: pd.to_datetime(sample, dayfirst=first, utc=True, errors="coerce").dt.tz_localize(None)
                for first in (True, False)}
    if readings[True].equals(readings[False]):
        return readings[True], ""  # 01/01/2020, 02/02/2020: both orders agree
    regular = {first: infer_frequency(_unique(stamps)) for first, stamps in readings.items()}
    month_starts = {first: bool((_unique(stamps).astype("datetime64[D]") ==
                                 _unique(stamps).astype("datetime64[M]").astype("datetime64[D]")).all())
                    for first, stamps in readings.items()}
    if (regular[True] is None) != (regular[False] is None):
        day_first = regular[True] is not None
        why = f"that gives a {frequency_label(regular[day_first])} series and the other order an irregular one"
    elif month_starts[True] != month_starts[False]:
        # Monthly data on the first of each month is far more common than under two weeks of daily data.
        day_first = month_starts[True]
        why = "that puts every date on the first of a month, as monthly data is written"
    else:
        day_first = sample.iloc[0].count(".") >= 2
        why = ("dotted dates are written day-first" if day_first else
               "no day above 12 settles it and month-first is the usual order for such dates")
    example = spread.iloc[int(np.argmax((parts[0] != parts[1]).to_numpy()))]
    reading = pd.Timestamp(readings[day_first].loc[sample.index[sample == example][0]])
    as_read = "" if pd.isna(reading) else f" ({reading.day} {reading.strftime('%B %Y')})"
    return readings[day_first], (
        f"has dates such as '{example}' that read both day-first and month-first; they were read "
        f"{'day' if day_first else 'month'}-first{as_read}, because {why}. "
        "If that is wrong, write the dates as YYYY-MM-DD.")
