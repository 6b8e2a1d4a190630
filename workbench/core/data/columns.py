"""Find and parse the time column, and infer a series' frequency, gaps and season length."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype
from pandas.tseries.frequencies import to_offset

from workbench.core.data.sources import MISSING_TOKENS
from workbench.core.errors import DataError

_TIME_NAME = re.compile(r"time|date|year|month|period|quarter|week|day|hour|minute|epoch|^(ts|dt|t)$", re.IGNORECASE)
_MONTH = re.compile(r"\d{4}[-/]\d{1,2}")
_QUARTER = re.compile(r"(\d{4})\s*-?\s*Q([1-4])", re.IGNORECASE)
_ISO = re.compile(r"\d{4}-?\d{2}-?\d{2}")
_DAY_MONTH = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
# Offset class -> (label for one step, plural noun for n steps, steps per season).
# Minutes repeat daily and seconds every minute; a year has no shorter cycle we could assume.
_OFFSETS = {
    "Second": ("every second", "seconds", 60), "Minute": ("every minute", "minutes", 1440),
    "Hour": ("hourly", "hours", 24), "Day": ("daily", "days", 7), "BusinessDay": ("business-daily", "business days", 5),
    "Week": ("weekly", "weeks", 52), "MonthBegin": ("monthly", "months", 12), "MonthEnd": ("monthly", "months", 12),
    "QuarterBegin": ("quarterly", "quarters", 4), "QuarterEnd": ("quarterly", "quarters", 4),
    "YearBegin": ("yearly", "years", None), "YearEnd": ("yearly", "years", None),
}


@dataclass
class TimeAxis:
    column: str | None  # None = no time column; row numbers used
    kind: str  # "datetime" | "year" | "epoch" | "index"
    values: np.ndarray  # sorted unique datetime64[ns] stamps (NaT left out), or int64 row numbers for "index"
    frequency: str | None  # pandas offset alias, or None when irregular/unknown
    frequency_label: str
    season_length: int | None
    duplicates: int  # rows whose timestamp repeats an earlier one
    gaps: int  # missing steps on the frequency grid between the first and last stamp
    was_sorted: bool  # the rows were out of time order and had to be sorted


ROW_ORDER = ""  # DataConfig.time value meaning "no time column: use the rows in file order"

def parse_time(values: pd.Series) -> tuple[np.ndarray, str] | None:
    """Per-row datetime64[ns] stamps (NaT where empty) and their kind, or None when this is not a time column."""
    if is_bool_dtype(values):
        return None
    if is_datetime64_any_dtype(values):
        stamps = pd.to_datetime(values)
        if stamps.dt.tz is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        return stamps.to_numpy().astype("datetime64[ns]"), "datetime"
    if is_numeric_dtype(values):
        return _parse_numbers(values.to_numpy(dtype=float, na_value=np.nan))
    return _parse_text(values.astype("string").str.strip())


def _parse_numbers(x: np.ndarray) -> tuple[np.ndarray, str] | None:
    ok = np.isfinite(x)
    v = x[ok]
    if v.size == 0 or v.size < 0.9 * x.size or not np.array_equal(v, np.round(v)):
        return None
    steps = np.diff(v)
    # Mostly ordered (either way): a value column rarely is, a time column nearly always.
    ordered = max(np.mean(steps > 0), np.mean(steps < 0)) >= 0.7 if steps.size else True
    out = np.full(x.size, np.datetime64("NaT"), dtype="datetime64[ns]")
    # datetime64[ns] starts in 1678, so earlier years cannot be stamps.
    if ordered and 1678 <= v.min() and v.max() <= 2200:
        out[ok] = (v.astype(np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[ns]")
        return out, "year"
    if ordered and 1e8 <= v.min() and v.max() <= 4.1e9:
        out[ok] = v.astype(np.int64).astype("datetime64[s]").astype("datetime64[ns]")
        return out, "epoch"
    return None


def _parse_text(text: pd.Series) -> tuple[np.ndarray, str] | None:
    present = text.notna() & ~text.str.lower().isin(MISSING_TOKENS)
    sample = text[present]
    # Words such as "March" would parse as a date in the current year; a real stamp has digits.
    if sample.empty or sample.str.contains(r"\d").mean() < 0.9:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns when it falls back to parsing cell by cell
        parsed = _to_datetime(sample)
    if parsed is None or parsed.notna().mean() < 0.9:
        return None
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[present.to_numpy()] = parsed.to_numpy().astype("datetime64[ns]")
    return out, "datetime"


def _to_datetime(sample: pd.Series) -> pd.Series | None:
    first = sample.iloc[0]
    if _MONTH.fullmatch(first):
        return pd.to_datetime(sample.str.replace("/", "-"), format="%Y-%m", errors="coerce")
    if _QUARTER.fullmatch(first):
        parts = sample.str.extract(_QUARTER).astype(float)
        return pd.to_datetime({"year": parts[0], "month": parts[1] * 3 - 2, "day": 1}, errors="coerce")
    if _ISO.match(first):
        parsed = pd.to_datetime(sample, format="ISO8601", utc=True, errors="coerce")
    else:
        parsed = pd.to_datetime(sample, dayfirst=_day_first(sample), utc=True, errors="coerce")
    # Stamps with UTC offsets are compared in UTC; naive stamps are kept as written.
    return parsed.dt.tz_localize(None)


def _day_first(sample: pd.Series) -> bool:
    parts = sample.str.extract(_DAY_MONTH).astype(float)
    if (parts[0] > 12).any():
        return True
    if (parts[1] > 12).any():
        return False
    return sample.iloc[0].count(".") >= 2  # 03.04.2020 is a European day-first date


def detect_time_column(frame: pd.DataFrame) -> str | None:
    """The column that holds time stamps, preferring time-like names; None when there is none."""
    best: tuple[tuple, str] | None = None
    for position, name in enumerate(frame.columns):
        hinted = bool(_TIME_NAME.search(str(name)))
        parsed = parse_time(frame[name])
        if parsed is None:
            continue
        # Integers in a year or epoch range could be data; without a telling name, only a regular first column counts.
        if parsed[1] != "datetime" and not hinted and not (position == 0 and _regular(parsed[0])):
            continue
        score = (hinted, parsed[1] == "datetime", -position)
        if best is None or score > best[0]:
            best = (score, name)
    return None if best is None else best[1]


def _regular(stamps: np.ndarray) -> bool:
    steps = np.diff(np.unique(stamps[~np.isnat(stamps)]).astype(np.int64))
    return steps.size > 0 and bool(np.mean(steps == pd.Series(steps).mode().iloc[0]) >= 0.8)


def row_times(frame: pd.DataFrame, column: str | None) -> tuple[str | None, np.ndarray, str]:
    """(time column, per-row stamps with NaT where unreadable, kind).

    column None = detect; "" = no time column (row order); else the named column must parse.
    """
    if column == ROW_ORDER:
        return None, np.arange(len(frame), dtype=np.int64), "index"
    if column is None:
        column = detect_time_column(frame)
        if column is None:
            return None, np.arange(len(frame), dtype=np.int64), "index"
    if column not in frame.columns:
        raise DataError(f"There is no column named '{column}'. The columns are: {_names(frame)}.",
                        hint="Pick one of those as the time column, or leave it empty to detect it.", column=column)
    parsed = parse_time(frame[column])
    if parsed is None and is_numeric_dtype(frame[column]) and 1000 <= frame[column].min() < 1678:
        raise DataError(f"Column '{column}' holds years before 1678, which the time axis cannot represent.",
                        hint="Leave the time column empty to use row order.", column=column)
    if parsed is None:
        example = next((str(v) for v in frame[column] if pd.notna(v)), "nothing")
        raise DataError(f"Column '{column}' does not hold dates, years or epoch seconds (its first value is "
                        f"'{example}').", hint="Pick another time column, or leave it empty to use row order.",
                        column=column)
    return column, parsed[0], parsed[1]


def build_time_axis(frame: pd.DataFrame, column: str | None) -> TimeAxis:
    """Describe a frame's time column (None = detect): its sorted stamps, frequency, duplicates and gaps."""
    column, stamps, kind = row_times(frame, column)
    if kind == "index":
        return TimeAxis(None, "index", stamps, None, "row order", None, 0, 0, False)
    valid = stamps[~np.isnat(stamps)]
    unique = np.unique(valid)
    frequency = infer_frequency(unique)
    was_sorted = bool(np.any(np.diff(valid) < np.timedelta64(0)))
    return TimeAxis(column, kind, unique, frequency, frequency_label(frequency), season_length_for(frequency),
                    len(valid) - len(unique), count_gaps(unique, frequency), was_sorted)


def infer_frequency(stamps: np.ndarray) -> str | None:
    """Offset alias of sorted unique stamps: pandas' guess on regular data, else the calendar or modal step."""
    if len(stamps) < 3:
        return None
    index = pd.DatetimeIndex(stamps)
    with pd.option_context("future.infer_freq_returns_offset", True):
        offset = pd.infer_freq(index)
    if offset is not None:
        return {"YS-JAN": "YS", "YE-DEC": "YE"}.get(offset.freqstr, offset.freqstr)
    return _calendar_step(index) or _modal_step(index)


def _calendar_step(index: pd.DatetimeIndex) -> str | None:
    """Whole months, quarters or years between month-start (or month-end) stamps, with gaps allowed."""
    if not (index == index.normalize()).all():
        return None
    starts, ends = (index.day == 1).all(), index.is_month_end.all()
    months = np.diff(index.year * 12 + index.month)
    step = _common_step(months)
    if not (starts or ends) or step not in (1, 3, 12):
        return None
    first = index[0].month
    if step == 1:
        return "MS" if starts else "ME"
    if step == 3:
        anchor = (first - 1) % 3 + (0 if starts else 9)
        return f"{'QS' if starts else 'QE'}-{_MONTHS[anchor]}"
    alias = f"{'YS' if starts else 'YE'}-{_MONTHS[first - 1]}"
    return {"YS-JAN": "YS", "YE-DEC": "YE"}.get(alias, alias)


def _modal_step(index: pd.DatetimeIndex) -> str | None:
    """The common step as an alias (weeks anchored on the first stamp's weekday), or None when irregular."""
    step = _common_step(np.diff(index.asi8))
    if step is None:
        return None
    day = pd.Timedelta(days=1).value
    if step % day:
        return to_offset(pd.Timedelta(step)).freqstr
    days = step // day
    if days == 7:
        return f"W-{_DAYS[index[0].day_of_week]}"
    return "D" if days == 1 else f"{days}D"


def _common_step(steps: np.ndarray) -> int | None:
    """The step that most gaps are, when it is at least half of them and every step is a multiple of it."""
    values, counts = np.unique(steps, return_counts=True)
    step = int(values[np.argmax(counts)])
    if step <= 0 or counts.max() < 0.5 * len(steps) or np.any(steps % step):
        return None
    return step


def count_gaps(stamps: np.ndarray, frequency: str | None) -> int:
    """Steps of the frequency grid between the first and last stamp that have no stamp."""
    if frequency is None or len(stamps) < 2:
        return 0
    grid = pd.date_range(stamps[0], stamps[-1], freq=frequency)
    return max(len(grid) - len(stamps), 0)


def frequency_label(frequency: str | None) -> str:
    """Plain words for an offset alias: "weekly", "every 15 minutes"; "irregular" for None."""
    if frequency is None:
        return "irregular"
    offset = to_offset(frequency)
    single, plural, _ = _OFFSETS.get(type(offset).__name__, (frequency, frequency, None))
    return single if offset.n == 1 else f"every {offset.n} {plural}"


def season_length_for(frequency: str | None) -> int | None:
    """Steps in one natural cycle: 24 for hourly, 7 daily, 52 weekly, 12 monthly, 4 quarterly; None for yearly."""
    if frequency is None:
        return None
    try:
        offset = to_offset(frequency)
    except ValueError:
        return None
    per = _OFFSETS.get(type(offset).__name__, (None, None, None))[2]
    if per is None or per % offset.n or per // offset.n < 2:
        return None
    return per // offset.n


def numeric_columns(frame: pd.DataFrame, exclude: Iterable[str] = ()) -> list[str]:
    """Columns holding at least one finite number, in table order, leaving out `exclude`."""
    skip = set(exclude)
    return [c for c in frame.columns if c not in skip and is_numeric_dtype(frame[c]) and not is_bool_dtype(frame[c])
            and np.isfinite(frame[c].to_numpy(dtype=float, na_value=np.nan)).any()]


def _names(frame: pd.DataFrame) -> str:
    return ", ".join(str(c) for c in frame.columns)
