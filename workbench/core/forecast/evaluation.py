"""Scoring a trained forecaster on the test part, always beside the naive baselines on the same targets."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench.core.data.splits import WindowPlan
from workbench.core.forecast import baselines, metrics
from workbench.core.forecast.task import predict_windows
from workbench.core.models.recurrent import ForecastModel


@dataclass
class Evaluation:
    origins: np.ndarray  # (N,) index of the last input row of each test window
    actual: np.ndarray  # (N, H) in original units
    forecast: np.ndarray  # (N, H)
    metrics: dict[str, float]
    baselines: dict[str, dict[str, float]]
    baseline_forecasts: dict[str, np.ndarray] = field(repr=False)
    per_step: list[dict[str, float]]
    verdict: str
    season: int | None

    def summary(self) -> dict:
        """The JSON-ready part: metrics, baselines and the verdict."""
        return {"test": self.metrics, "baselines": self.baselines, "per_step": self.per_step, "verdict": self.verdict}


def target_matrix(target: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """Actual values after each origin: (N, H)."""
    return target[origins[:, None] + np.arange(1, horizon + 1)[None, :]]


def evaluate(model: ForecastModel, values: np.ndarray, plan: WindowPlan, season: int | None) -> Evaluation:
    origins = plan.origins("test")
    target = values[:, 0]
    actual = target_matrix(target, origins, plan.horizon)
    forecast = predict_windows(model, values, origins, plan.lookback)
    scale = metrics.mase_scale(target[: plan.train_end], season)
    model_metrics = metrics.regression_metrics(actual, forecast, scale=scale)
    base_forecasts = baselines.baseline_forecasts(target, origins, plan.horizon, season)
    base_metrics = {name: metrics.regression_metrics(actual, f, scale=scale) for name, f in base_forecasts.items()}
    return Evaluation(
        origins=origins,
        actual=actual,
        forecast=forecast,
        metrics=model_metrics,
        baselines=base_metrics,
        baseline_forecasts=base_forecasts,
        per_step=metrics.per_step_metrics(actual, forecast, scale=scale),
        verdict=baselines.verdict(model_metrics, base_metrics),
        season=season,
    )
