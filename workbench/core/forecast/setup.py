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


class TransformError(DataError):
    """The chosen target transform does not fit this series or lookback (shown beside the transform)."""


def resolve_setup(series: SeriesData, data: DataConfig) -> ForecastSetup:
    """Concrete lookback, splits and scaling, or a DataError saying why the data does not fit the settings.

    An automatic lookback is the season (or 24 steps), or two seasons when the target is predicted as its change
    over one season: that change is what the network reads, and the first season of a window has none."""
    constant = constant_target_problem(series)
    if constant:
        raise DataError(constant, hint="Pick another target column.", column=series.target)
    plan = _plan(series, data, data.lookback or _automatic_lookback(series, data))
    season = _seasonal_room(series, data, plan)
    scaling = fit_scaling(series.values[: plan.train_end], data.transform, data.horizon, season)
    if scaling.season and plan.lookback < 2 * scaling.season:
        plan = _plan(series, data, 2 * scaling.season)
    return ForecastSetup(dataclasses.replace(data, lookback=plan.lookback), plan, scaling, series.season_length,
                         _flat_note(series, plan.train_end))


def _automatic_lookback(series: SeriesData, data: DataConfig) -> int:
    # An automatic window must leave room for training windows on short series.
    return max(2, min(default_lookback(series), _train_rows(series, data) // 4))


def _train_rows(series: SeriesData, data: DataConfig) -> int:
    return int(series.n_rows * (1 - data.val_fraction - data.test_fraction))


def _plan(series: SeriesData, data: DataConfig, lookback: int) -> WindowPlan:
    plan = plan_windows(series.n_rows, lookback, data.horizon, data.val_fraction, data.test_fraction)
    if series.filled is not None and series.split != (plan.train_end, plan.val_end):
        # Training, evaluation and the scaling read series.values as they are, so they must have been filled
        # within these very parts (core/data/filling.py); series_for_split refills them.
        raise ValueError(f"The series was filled within the split {series.split}, not the plan's "
                         f"{(plan.train_end, plan.val_end)}: pass series_for_split(series, data).")
    return plan


def _seasonal_room(series: SeriesData, data: DataConfig, plan: WindowPlan) -> int | None:
    """The season when the seasonal transform can be used: the window holds two seasons, or is automatic and
    two seasons fit the training part as the automatic window would (a quarter of it); else None. A seasonal
    transform the user chose but that does not fit raises a TransformError that says why."""
    season = series.season_length if series.season_length and series.season_length >= 2 else None
    if data.transform not in ("auto", "seasonal"):
        return None
    chosen = data.transform == "seasonal"
    if season is None:
        if chosen:
            raise TransformError("The seasonal transform predicts each step's change from one season earlier, but "
                                 "this series has no season (its time column gives none).",
                                 hint="Choose auto, none or difference as the target transform.")
        return None
    if data.lookback is not None:
        if data.lookback >= 2 * season:
            return season
        if chosen:
            raise TransformError(f"The seasonal transform reads the change over one season ({season} steps), so the "
                                 f"lookback window must hold two seasons ({2 * season} steps); it is {data.lookback}.",
                                 hint=f"Raise the lookback to {2 * season} or leave it empty, or choose another "
                                 "target transform.")
        return None
    if 2 * season <= _train_rows(series, data) // 4 or chosen:
        try:
            _plan(series, data, 2 * season)
            return season
        except DataError as error:
            if chosen:
                raise TransformError(f"The seasonal transform needs a lookback of two seasons ({2 * season} steps), "
                                     f"which this series is too short for. {error.message}",
                                     hint="Choose auto, none or difference as the target transform.") from None
    return None


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
        # The target's own problems go beside the target, the transform's beside it; the others are about the
        # window and split sizes.
        key = "data.transform" if isinstance(error, TransformError) else "data.lookback"
        problems["data.target" if error.column else key] = str(error)
        return None, problems


def check_against_series(config: RunConfig, series: SeriesData) -> dict[str, str]:
    """Every problem of `config` with this data, in one dict keyed `section.field`."""
    return checked_setup(config, series)[1]
