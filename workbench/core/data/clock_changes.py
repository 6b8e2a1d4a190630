"""Local times that repeat an hour where clocks go back at the end of daylight saving (and skip one in spring).

Without a UTC offset, 02:00-02:59 on the night clocks go back appears twice, in order: first in daylight saving
time, then in standard time. They are different hours, so averaging them as duplicates would lose an hour of
data. Read in file order, each repeat is a jump back of exactly one hour in the small hours, which is how they
are found here; the hours in daylight saving time are then moved one hour back to standard time, so every row
is kept, in order, on an even time grid (docs/decisions.md, "Reading times").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HOUR = np.timedelta64(3_600_000_000_000, "ns")
# Clocks change on a Sunday in the small hours (01:00-03:00 local in Europe, North America and Australia).
_CHANGE_HOURS = range(0, 4)
_SUNDAY = 6


def undo_clock_changes(times: np.ndarray) -> tuple[np.ndarray, str]:
    """(stamps, note): file-order naive stamps with daylight-saving hours moved one hour back, when the only
    disorder in them is an hour repeated as clocks go back; else the stamps unchanged and no note."""
    if times.size < 4 or times.dtype != np.dtype("datetime64[ns]"):
        return times, ""
    steps = np.diff(times)
    forward = steps[steps > np.timedelta64(0)]
    if forward.size == 0 or not (steps <= np.timedelta64(0)).any():
        return times, ""
    values, counts = np.unique(forward, return_counts=True)
    step = values[np.argmax(counts)]
    if step > HOUR or HOUR % step:
        return times, ""
    # Clocks go back one hour: the next stamp is one hour less one step later (equal, for hourly data).
    back = np.flatnonzero(steps == step - HOUR) + 1  # rows that start a repeated hour
    if (steps <= np.timedelta64(0)).sum() != back.size or not all(_night_of_change(times[i]) for i in back):
        return times, ""
    # In spring the clocks skip an hour: a step one hour longer than usual in the small hours.
    spring = [i for i in np.flatnonzero(steps == step + HOUR) + 1 if _night_of_change(times[i - 1] + step)]
    changes = sorted([(int(i), "back") for i in back] + [(int(i), "forward") for i in spring])
    summer = np.zeros(times.size, dtype=bool)
    previous = 0
    for i, kind in changes:
        summer[previous:i] = kind == "back"  # rows before clocks go back were in daylight saving time
        previous = i
    summer[previous:] = changes[-1][1] == "forward"
    moved = times - summer * HOUR
    if not (np.diff(moved) > np.timedelta64(0)).all():
        return times, ""
    first = pd.Timestamp(times[back[0]]).strftime("%Y-%m-%d %H:%M")
    more = f" and {len(back) - 1} more night(s)" if len(back) > 1 else ""
    skipped = (f"; the hour{'s' if len(spring) > 1 else ''} the clocks skip in spring "
               f"{'are' if len(spring) > 1 else 'is'} then no gap") if spring else ""
    note = (f"The times repeat an hour from {first}{more}, as clocks go back at the end of daylight saving: these "
            f"are different hours, so the {int(summer.sum()):,} rows in daylight saving time were moved one hour "
            f"back to standard time, and every row was kept, in order{skipped}.")
    return moved, note


def _night_of_change(stamp: np.datetime64) -> bool:
    t = pd.Timestamp(stamp)
    return t.day_of_week == _SUNDAY and t.hour in _CHANGE_HOURS
