"""Settings resolved against one series: concrete lookback, splits and scaling (no torch, so forms stay fast)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from workbench.core.data.config import DataConfig
from workbench.core.data.series import SeriesData
from workbench.core.data.splits import WindowPlan, plan_windows
from workbench.core.errors import DataError
from workbench.core.forecast.metrics import mase_yardstick
from workbench.core.forecast.transform import Scaling, fit_scaling
from workbench.core.run_config import RunConfig

DEFAULT_LOOKBACK = 24


@dataclass(frozen=True)
class ForecastSetup:
    """The settings resolved against one series: concrete lookback, splits and scaling."""

    data: DataConfig  # with lookback filled in
    plan: WindowPlan
    scaling: Scaling
    season: int | None
    flat_note: str = ""  # why MASE is undefined on this data (a flat training part), or ""

    def notes(self) -> list[str]:
        counts = self.plan.counts()
        return [
            f"Windows: {counts['train']:,} for training, {counts['val']:,} for validation, {counts['test']:,} for "
            f"testing (lookback {self.plan.lookback}, horizon {self.plan.horizon}).",
            self.scaling.note,
        ] + ([self.flat_note] if self.flat_note else [])


def default_lookback(series: SeriesData) -> int:
    """The season length when there is one (a full cycle of context), else 24 steps."""
    season = series.season_length
    return season if season and season >= 2 else DEFAULT_LOOKBACK


def resolve_setup(series: SeriesData, data: DataConfig) -> ForecastSetup:
    """Concrete lookback, splits and scaling, or a DataError saying why the data does not fit the settings."""
    constant = constant_target_problem(series)
    if constant:
        raise DataError(constant, hint="Pick another target column.", column=series.target)
    lookback = data.lookback or default_lookback(series)
    if data.lookback is None:
        # An automatic window must leave room for training windows on short series.
        train_rows = int(series.n_rows * (1 - data.val_fraction - data.test_fraction))
        lookback = max(2, min(lookback, train_rows // 4))
    plan = plan_windows(series.n_rows, lookback, data.horizon, data.val_fraction, data.test_fraction)
    if series.filled is not None and series.split != (plan.train_end, plan.val_end):
        # Training, evaluation and the scaling read series.values as they are, so they must have been filled
        # within these very parts (core/data/filling.py); series_for_split refills them.
        raise ValueError(f"The series was filled within the split {series.split}, not the plan's "
                         f"{(plan.train_end, plan.val_end)}: pass series_for_split(series, data).")
    scaling = fit_scaling(series.values[: plan.train_end], data.transform, data.horizon)
    return ForecastSetup(dataclasses.replace(data, lookback=lookback), plan, scaling, series.season_length,
                         _flat_note(series, plan.train_end))


def constant_target_problem(series: SeriesData) -> str:
    """Why a target with one value in every row cannot be forecast ("" when it varies)."""
    target = series.values[:, 0]
    if target.size == 0 or target.min() != target.max():
        return ""
    return (f"Column '{series.target}' holds the same value ({target[0]:g}) in every row, so there is nothing to "
            "forecast, and MASE is undefined (its yardstick, the naive forecast's error, is zero).")


def _flat_note(series: SeriesData, train_end: int) -> str:
    """A note when MASE's yardstick, the in-sample naive error over the training part, is zero."""
    scale, lag = mase_yardstick(series.values[:train_end, 0], series.season_length)
    if scale == scale:  # not NaN: MASE is defined
        return ""
    what = "the same value throughout" if lag == 1 else f"the same values every {lag} steps"
    return (f"The target has {what} in the training part, so MASE is undefined (its yardstick, the naive "
            "forecast's error there, is zero); the model and the baselines are compared by MAE instead.")


def checked_setup(config: RunConfig, series: SeriesData) -> tuple[ForecastSetup | None, dict[str, str]]:
    """Every problem at once (invalid fields, and whether the data fits the windows when the data settings
    themselves are valid), plus the setup whenever the data settings allow one, even if other fields are
    wrong: the split can still be drawn while the user fixes the network."""
    problems = config.problems()
    if any(key.startswith("data.") for key in problems):
        return None, problems
    try:
        return resolve_setup(series, config.data), problems
    except DataError as error:
        # The target's own problems go beside the target; the others are about the window and split sizes.
        problems["data.target" if error.column else "data.lookback"] = str(error)
        return None, problems


def check_against_series(config: RunConfig, series: SeriesData) -> dict[str, str]:
    """Every problem of `config` with this data, in one dict keyed `section.field`."""
    return checked_setup(config, series)[1]
