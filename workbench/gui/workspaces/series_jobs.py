"""What the series workspace computes off the GUI thread: the series for the chosen columns, the settings checked
against it, and a model's forecasts on the open data. Each function here runs on a job's thread and returns plain
data; the first and the last hand their work to the reader process (gui/kept_data.py).

Checking the data settings against a million rows takes ~80 ms (most of it the trend test of the scaling), too
long for the GUI thread after each edit; and most edits (the network, the optimiser) leave the data settings,
and so the check, as they were. So the last check is kept and used again until the series or the data
settings change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.core.data.series import SeriesData, series_for_split
from workbench.core.errors import DataError
from workbench.core.forecast.setup import ForecastSetup, checked_setup
from workbench.core.run_config import RunConfig
from workbench.gui.kept_data import bundle_bytes
from workbench.gui.latest_job import in_reader

# From this many cells a table's forecasts are made in the reader process: parsing 100,000 dates alone holds the
# GIL for about 30 ms (250 ms for a million), and the baseline's smoothing more.
FORECAST_IN_READER_CELLS = 200_000

if TYPE_CHECKING:
    from workbench.core.data.config import DataConfig
    from workbench.core.data.sources import Table
    from workbench.core.export.forecaster_bundle import ForecasterBundle
    from workbench.core.forecast.inspection import ForecastInspection
    from workbench.gui.latest_job import LatestJob
    from workbench.gui.runner import JobContext


@dataclass(frozen=True)
class SetupCheck:
    """The data settings resolved against one series."""

    series: SeriesData  # its missing values filled within the parts these settings split it into
    setup: ForecastSetup | None  # None when the data does not fit the settings
    problems: dict[str, str]  # the data's own problems (the target, the windows against the rows), by field


def check_data(series: SeriesData, data: DataConfig) -> SetupCheck:
    """Fill `series` within the split `data` makes and resolve the settings against it (valid `data` only)."""
    try:
        filled = series_for_split(series, data)
    except DataError as error:  # a column with no value to fill its gaps from, in one of the parts
        return SetupCheck(series, None, {"data.target" if error.column else "data.lookback": str(error)})
    # The other sections at their defaults, which are valid: only the data's own problems come back.
    setup, problems = checked_setup(dataclasses.replace(RunConfig(), data=data), filled)
    return SetupCheck(filled, setup, problems)


def series_for_columns(context: JobContext, table: Table, data: DataConfig) -> SeriesData | None:
    """The series `data` picks from `table`, prepared in the reader process (gui/kept_data.py: on a thread,
    parsing a million dates held the window's GIL for 250 ms); None when the window closed meanwhile."""
    return in_reader(context, "series_for_columns", table.path, table.options, table.frame.shape, data)


def forecasts_on(context: JobContext, bundle: ForecasterBundle,
                 table: Table) -> tuple[SeriesData, ForecastInspection] | None:
    """The series `bundle` reads from `table` and its forecasts from every origin; the core's error when the
    table lacks the model's columns or rows; None when the window closed meanwhile.

    On a large table they are made in the reader process, where the long stretches that hold the GIL (parsing
    the dates, smoothing the baseline over every row) cost the window nothing; the price is importing torch there
    the first time (about 5 s), so a small table, quick to forecast either way, stays on this thread."""
    rows, columns = table.frame.shape
    if rows * columns < FORECAST_IN_READER_CELLS:
        from workbench.core.forecast.inspection import inspect_bundle
        from workbench.core.forecast.model_data import series_for_frame

        series = series_for_frame(bundle, table.frame, table.path)
        return series, inspect_bundle(bundle, series)
    return in_reader(context, "forecasts_on_table", table.path, table.options, table.frame.shape,
                     bundle_bytes(bundle))


class SetupChecks:
    """The newest check of the data settings against the series, asked for in the background when unknown."""

    def __init__(self, job: LatestJob, arrived: Callable[[], object]) -> None:
        self._job = job
        self._arrived = arrived  # called on the GUI thread when a check for the newest question is in
        self._key: tuple[int, str] | None = None  # (series number, data settings) of `_check`
        self._check: SetupCheck | None = None
        self._asked: tuple[int, str] | None = None

    def get(self, number: int, series: SeriesData, data: DataConfig) -> SetupCheck | None:
        """The check of `data` against series `number` (the workspace counts the series it prepares), or None
        while it is being made: then it is asked for, once, and `arrived()` follows."""
        key = (number, repr(data))
        if key == self._key:
            return self._check
        if key != self._asked:
            self._asked = key
            self._job.request("", lambda _context: check_data(series, data),
                              lambda check: self._on_checked(key, check))
        return None

    def known(self, number: int, data: DataConfig) -> SetupCheck | None:
        """The check of `data` against series `number` when it is already known; never asks."""
        return self._check if self._key == (number, repr(data)) else None

    def has_checked(self, number: int) -> bool:
        """Whether a check of series `number` is known (with whatever data settings)."""
        return self._key is not None and self._key[0] == number

    def _on_checked(self, key: tuple[int, str], check: SetupCheck) -> None:
        self._key, self._check = key, check
        self._arrived()
