"""Scoring a trained forecaster on the test part, always beside the naive baselines on the same targets.

Every target in the test part is scored at every step ahead: at step k it is forecast from the row k before it,
so the forecasts come from origins val_end - H .. n - 2 (the earliest ones read validation rows, as any forecast
of the first test rows must). Each step is therefore scored on the same targets, and the overall scores are the
mean over all steps of the same number of targets. (Scoring only the windows whose every target lies in the
test part would score step 1 on the first test rows and step H on the last ones: different months, and at a
long horizon hardly any of them.)

Beside the naive baselines, an ETS model fitted on the training part forecasts the same targets from the same
origins (ets.py), and the model's prediction intervals, calibrated on the validation part (intervals.py), are
checked on the test part: the share of its (target, step) points inside each band, beside the band's level.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench.core.data.splits import WindowPlan
from workbench.core.forecast import baselines, metrics
from workbench.core.forecast.ets import EtsForecast, ets_forecasts
from workbench.core.forecast.intervals import (
    DEFAULT_LEVELS,
    Calibration,
    calibrate,
    calibration_origins,
    coverage,
    coverage_key,
    validation_residuals,
)
from workbench.core.forecast.score_words import ScoreWords, Verdict, judge, score_words
from workbench.core.forecast.task import predict_windows
from workbench.core.models.recurrent import ForecastModel


@dataclass
class Evaluation:
    origins: np.ndarray  # (M,) every origin with a test target at some step: val_end - H .. n - 2
    actual: np.ndarray  # (M, H) in original units; NaN where that step's target lies outside the test part
    forecast: np.ndarray  # (M, H) the model's forecasts from those origins
    metrics: dict[str, float]  # over every (test target, step) pair
    baselines: dict[str, dict[str, float]]  # the same, per baseline
    baseline_forecasts: dict[str, np.ndarray] = field(repr=False)  # (M, H) per baseline
    per_step: list[dict[str, float]]  # one per step ahead, each over all test targets
    per_step_baselines: dict[str, list[dict[str, float]]]
    targets: int  # rows in the test part: what each step is scored on
    season: int | None
    mase_lag: int  # the lag MASE's in-sample scale used: the season, or 1
    frequency: str | None  # the series' frequency, to say the season in its units
    judgement: Verdict
    calibration: Calibration | None = None  # the bands' calibration: this run's validation part, or a bundle's
    interval_points: int = 0  # test (target, step) points each band's coverage was measured on
    levels: tuple[float, ...] = DEFAULT_LEVELS  # the levels whose coverage `metrics` holds (with a calibration)
    baseline_notes: dict[str, str] = field(default_factory=dict)  # "ets": what was fitted, or why it is absent

    @property
    def verdict(self) -> str:
        return self.judgement.sentence

    @property
    def horizon(self) -> int:
        return self.actual.shape[1]

    def summary(self) -> dict:
        """The JSON-ready part a bundle keeps: scores, per step, what they were scored on, and the verdict."""
        summary = {"test": self.metrics, "baselines": self.baselines, "per_step": self.per_step,
                   "per_step_baselines": self.per_step_baselines, "targets": self.targets, "mase_lag": self.mase_lag,
                   **self.judgement.to_dict()}
        if self.calibration is not None:
            summary["intervals"] = {"levels": list(self.levels), "points": self.interval_points,
                                    "validation_residuals": self.calibration.count}
        if self.baseline_notes:
            summary["baseline_notes"] = dict(self.baseline_notes)
        return summary

    def words(self) -> ScoreWords:
        """Every sentence the results views and the command line say about these scores."""
        return score_words(self.summary(), self.season, self.frequency)


def target_matrix(target: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """Actual values after each origin: (N, H)."""
    return target[origins[:, None] + np.arange(1, horizon + 1)[None, :]]


def scored_origins(plan: WindowPlan) -> np.ndarray:
    """Origins whose forecast reaches a test-part target at some step ahead: val_end - H .. n - 2."""
    return np.arange(max(plan.val_end - plan.horizon, plan.lookback - 1), plan.n_rows - 1, dtype=np.int64)


def scored_targets(target: np.ndarray, origins: np.ndarray, plan: WindowPlan) -> np.ndarray:
    """(len(origins), H): the target k rows after each origin where that row is in the test part, NaN elsewhere."""
    rows = origins[:, None] + np.arange(1, plan.horizon + 1)[None, :]  # (M, H)
    inside = (rows >= plan.val_end) & (rows < plan.n_rows)
    out = np.full(rows.shape, np.nan)
    out[inside] = np.asarray(target, dtype=float)[rows[inside]]
    return out


def score(target: np.ndarray, origins: np.ndarray, forecast: np.ndarray, plan: WindowPlan, season: int | None,
          frequency: str | None = None, *, ets: EtsForecast | None = None, calibration: Calibration | None = None,
          levels: tuple[float, ...] = DEFAULT_LEVELS) -> Evaluation:
    """Score `forecast` ((len(origins), H), from scored_origins) and the baselines on the test part's targets.

    `ets`: ETS forecasts from the same origins (or why there are none), scored as the baseline "ets".
    `calibration`: the bands whose test coverage at `levels` joins the model's metrics (coverage_80, ...)."""
    actual = scored_targets(target, origins, plan)
    scale, lag = metrics.mase_yardstick(target[: plan.train_end], season)
    model_metrics = metrics.regression_metrics(actual, forecast, scale=scale)
    points = 0
    if calibration is not None:
        for level in levels:
            model_metrics[coverage_key(level)], points = coverage(actual, forecast, calibration.half_width(level))
    base_forecasts = baselines.baseline_forecasts(target, origins, plan.horizon, season)
    if ets is not None and ets.forecast is not None:
        base_forecasts["ets"] = ets.forecast
    base_metrics = {name: metrics.regression_metrics(actual, f, scale=scale) for name, f in base_forecasts.items()}
    return Evaluation(
        origins=origins,
        actual=actual,
        forecast=forecast,
        metrics=model_metrics,
        baselines=base_metrics,
        baseline_forecasts=base_forecasts,
        per_step=metrics.per_step_metrics(actual, forecast, scale=scale),
        per_step_baselines={name: metrics.per_step_metrics(actual, f, scale=scale)
                            for name, f in base_forecasts.items()},
        targets=plan.n_rows - plan.val_end,
        season=season,
        mase_lag=lag,
        frequency=frequency,
        judgement=judge(model_metrics, base_metrics, lag),
        calibration=calibration,
        interval_points=points,
        levels=tuple(levels),
        baseline_notes={"ets": ets.note} if ets is not None else {},
    )


def evaluate(model: ForecastModel, values: np.ndarray, plan: WindowPlan, season: int | None,
             frequency: str | None = None, calibration: Calibration | None = None, *, calibrate_bands: bool = True,
             levels: tuple[float, ...] = DEFAULT_LEVELS) -> Evaluation:
    """Forecast every validation and test target at every step ahead (one batched pass) and score the test part
    beside the baselines (ETS among them).

    The bands are `calibration` when given (a saved model's, so its bands stay the ones it was saved with), else,
    with `calibrate_bands`, calibrated on this plan's validation part; with neither there are none.
    """
    origins = scored_origins(plan)
    first = calibration_origins(plan)[0]
    target = values[:, 0]
    forecast = predict_windows(model, values, np.arange(first, origins[-1] + 1), plan.lookback)
    if calibration is None and calibrate_bands:
        calibration = calibrate(validation_residuals(target, forecast[: plan.val_end - 1 - first], plan))
    ets = ets_forecasts(target, plan.train_end, origins, plan.horizon, season)
    return score(target, origins, forecast[origins[0] - first:], plan, season, frequency, ets=ets,
                 calibration=calibration, levels=levels)
