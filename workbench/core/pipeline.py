"""One forecasting run from start to end: resolve the settings against the data, train, evaluate."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from workbench.core.data.config import DataConfig
from workbench.core.data.series import SeriesData
from workbench.core.data.windowing import WindowPlan, plan_windows
from workbench.core.errors import ConfigError, DataError
from workbench.core.evaluation import Evaluation, evaluate
from workbench.core.forecast_task import ForecastTask
from workbench.core.models.recurrent import ForecastModel
from workbench.core.models.summary import describe
from workbench.core.run_config import RunConfig
from workbench.core.training.callbacks import Callback
from workbench.core.training.engine import Trainer
from workbench.core.training.events import TrainResult
from workbench.core.transform import Scaling, fit_scaling

DEFAULT_LOOKBACK = 24


@dataclass(frozen=True)
class ForecastSetup:
    """The settings resolved against one series: concrete lookback, splits and scaling."""

    data: DataConfig  # with lookback filled in
    plan: WindowPlan
    scaling: Scaling
    season: int | None

    def notes(self) -> list[str]:
        counts = self.plan.counts()
        return [
            f"Windows: {counts['train']:,} for training, {counts['val']:,} for validation, {counts['test']:,} for "
            f"testing (lookback {self.plan.lookback}, horizon {self.plan.horizon}).",
            self.scaling.note,
        ]


def default_lookback(series: SeriesData) -> int:
    """The season length when there is one (a full cycle of context), else 24 steps."""
    season = series.season_length
    return season if season and season >= 2 else DEFAULT_LOOKBACK


def resolve_setup(series: SeriesData, data: DataConfig) -> ForecastSetup:
    """Concrete lookback, splits and scaling, or a DataError saying why the data does not fit the settings."""
    lookback = data.lookback or default_lookback(series)
    if data.lookback is None:
        # An automatic window must leave room for training windows on short series.
        train_rows = int(series.n_rows * (1 - data.val_fraction - data.test_fraction))
        lookback = max(2, min(lookback, train_rows // 4))
    plan = plan_windows(series.n_rows, lookback, data.horizon, data.val_fraction, data.test_fraction)
    scaling = fit_scaling(series.values[: plan.train_end], data.transform, data.horizon)
    return ForecastSetup(dataclasses.replace(data, lookback=lookback), plan, scaling, series.season_length)


def check_against_series(config: RunConfig, series: SeriesData) -> dict[str, str]:
    """Problems that only show with the data at hand (window longer than the series, ...)."""
    problems = config.problems()
    if not problems:
        try:
            resolve_setup(series, config.data)
        except DataError as error:
            problems["data.lookback"] = str(error)
    return problems


def build_model(config: RunConfig, setup: ForecastSetup, n_features: int) -> ForecastModel:
    torch.manual_seed(config.train.seed)  # the initial weights depend on the seed too
    model = ForecastModel(config.model, n_features, setup.plan.horizon)
    s = setup.scaling
    model.set_scaling(torch.from_numpy(s.mean), torch.from_numpy(s.std), s.target_scale, s.difference)
    return model


@dataclass
class ForecastRun:
    """Everything a finished run produced: what the GUI shows, the CLI prints and a bundle stores."""

    config: RunConfig  # resolved: the lookback actually used
    setup: ForecastSetup
    model: ForecastModel
    result: TrainResult
    evaluation: Evaluation
    series: SeriesData

    @property
    def summary_line(self) -> str:
        return describe(self.config.model, len(self.series.columns), self.setup.plan.lookback, self.setup.plan.horizon)


def train_forecaster(
    series: SeriesData,
    config: RunConfig,
    callbacks: Sequence[Callback] = (),
    should_stop: Callable[[], bool] | None = None,
) -> ForecastRun:
    """Train on the training windows, stop early on validation, score on test beside the baselines."""
    problems = config.problems()
    if problems:
        raise ConfigError(problems)
    setup = resolve_setup(series, config.data)
    model = build_model(config, setup, len(series.columns))
    task = ForecastTask(series.values, setup.plan)
    result = Trainer(model, task, config.train, callbacks, should_stop).fit()
    model.cpu()
    evaluation = evaluate(model, series.values, setup.plan, setup.season)
    resolved = dataclasses.replace(config, data=setup.data)
    return ForecastRun(resolved, setup, model, result, evaluation, series)


def values_fingerprint_ok(values: np.ndarray) -> bool:
    return bool(np.isfinite(values).all())
