"""A series' frequency from its stamps: the offset alias, its words, its gaps and its season length."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

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
