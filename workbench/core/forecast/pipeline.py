"""One forecasting run from start to end: resolve the settings against the data, train, evaluate."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from workbench.core.data.series import SeriesData
from workbench.core.errors import ConfigError
from workbench.core.forecast.evaluation import Evaluation, evaluate
from workbench.core.forecast.setup import ForecastSetup, resolve_setup
from workbench.core.forecast.task import ForecastTask
from workbench.core.models.recurrent import ForecastModel
from workbench.core.models.summary import describe
from workbench.core.run_config import RunConfig
from workbench.core.training.callbacks import Callback
from workbench.core.training.engine import Trainer
from workbench.core.training.events import TrainResult


def build_model(config: RunConfig, setup: ForecastSetup, n_features: int) -> ForecastModel:
    torch.manual_seed(config.train.seed)  # the initial weights depend on the seed too
    model = ForecastModel(config.model, n_features, setup.plan.horizon)
    s = setup.scaling
    model.set_scaling(torch.from_numpy(s.mean), torch.from_numpy(s.std), s.target_scale, s.lag)
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
    return train_with_setup(series, config, resolve_setup(series, config.data), callbacks, should_stop)


def train_with_setup(
    series: SeriesData,
    config: RunConfig,
    setup: ForecastSetup,
    callbacks: Sequence[Callback] = (),
    should_stop: Callable[[], bool] | None = None,
) -> ForecastRun:
    """Train with settings already resolved against `series` (its split, scaling and season: a backtest's fold
    brings its own), then calibrate the bands on validation and score on test beside the baselines."""
    model = build_model(config, setup, len(series.columns))
    task = ForecastTask(series.values, setup.plan)
    result = Trainer(model, task, config.train, callbacks, should_stop).fit()
    model.cpu()
    evaluation = evaluate(model, series.values, setup.plan, setup.season, series.time_axis.frequency)
    resolved = dataclasses.replace(config, data=setup.data)
    return ForecastRun(resolved, setup, model, result, evaluation, series)
