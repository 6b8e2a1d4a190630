"""Everything the results views show about one model on one series, computed once: forecasts at every origin,
the test-part scores beside the baselines, the forecast past the end, residuals and a reading of the loss curves."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.core.data.series import SeriesData
from workbench.core.data.splits import WindowPlan, plan_windows
from workbench.core.export.forecaster_bundle import ForecasterBundle
from workbench.core.forecast.baselines import BASELINE_NAMES
from workbench.core.forecast.diagnostics import ResidualDiagnostics, residual_diagnostics
from workbench.core.forecast.evaluation import Evaluation, evaluate
from workbench.core.forecast.frames import future_times
from workbench.core.forecast.intervals import NO_INTERVALS, Calibration
from workbench.core.forecast.pipeline import ForecastRun
from workbench.core.forecast.score_words import best_of
from workbench.core.forecast.task import predict_windows
from workbench.core.models.recurrent import ForecastModel
from workbench.core.training.curve_reading import CurveReading, read_loss_curves

METRIC_LABELS = {"mae": "MAE", "rmse": "RMSE", "mape": "MAPE (%)", "smape": "sMAPE (%)", "mase": "MASE"}


@dataclass(frozen=True)
class MetricRow:
    """One metric for the model and each baseline; `best` names the lowest and any that tie it (score_words)."""

    key: str
    label: str
    values: dict[str, float]  # "model", "naive", "seasonal_naive" (when there is a season)
    best: tuple[str, ...]  # () when no value is finite


@dataclass(frozen=True)
class StepView:
    """The forecasts made `step` rows ahead, lined up with what happened."""

    times: np.ndarray
    actual: np.ndarray
    forecast: np.ndarray

    @property
    def error(self) -> np.ndarray:
        return self.actual - self.forecast


@dataclass
class ForecastInspection:
    """A model's forecasts over a whole series, in original units, with the split it was scored on."""

    times: np.ndarray  # (n,) every row's time
    actual: np.ndarray  # (n,) the target
    origins: np.ndarray  # (m,) every origin with a full lookback: lookback-1 .. n-1
    forecasts: np.ndarray  # (m, H) the forecast made at each origin
    future_times: np.ndarray  # (H,) the times after the last row
    plan: WindowPlan
    season: int | None
    evaluation: Evaluation
    history: list[dict[str, float]]
    best_epoch: int | None = None
    target: str = "target"  # the target column's name, for axis labels

    @property
    def horizon(self) -> int:
        return self.plan.horizon

    @property
    def calibration(self) -> Calibration | None:
        """The prediction intervals' calibration; None for a model saved before intervals were stored."""
        return self.evaluation.calibration

    @property
    def intervals_note(self) -> str:
        """"" when the forecasts have bands, else why they have none."""
        return "" if self.calibration is not None else NO_INTERVALS

    def bands(self, level: float) -> tuple[np.ndarray, np.ndarray] | None:
        """(lower, upper), each (m, H) like `forecasts`: the band at `level` around every origin's forecasts
        (the last row's is the band past the end of the data); None without a calibration."""
        if self.calibration is None:
            return None
        return self.calibration.bands(self.forecasts, level)

    def fan_band(self, origin: int, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Times, lower and upper of the band around `fan(origin)`, starting at the actual value there (width 0);
        None without a calibration."""
        if self.calibration is None:
            return None
        times, values = self.fan(origin)
        width = np.concatenate([[0.0], self.calibration.half_width(level)])
        return times, values - width, values + width

    @property
    def future(self) -> np.ndarray:
        """The forecast from the last row: the next `horizon` values past the data."""
        return self.forecasts[-1]

    def step(self, step: int, part: str = "test") -> StepView:
        """Forecasts made `step` rows ahead (1..H). "test": every test target, exactly the forecasts the metrics
        score at that step."""
        if not 1 <= step <= self.horizon:
            raise ValueError(f"step must be between 1 and {self.horizon}, got {step}.")
        if part == "test":
            scored = np.isfinite(self.evaluation.actual[:, step - 1])
            origins = self.evaluation.origins[scored]
            forecast = self.evaluation.forecast[scored, step - 1]
        else:
            keep = self.origins + step < len(self.actual)
            origins = self.origins[keep]
            forecast = self.forecasts[keep, step - 1]
        rows = origins + step
        return StepView(self.times[rows], self.actual[rows], forecast)

    def fan_origins(self) -> np.ndarray:
        """Origins a fan can start from: every row of the test part (and the one before it), up to the last row,
        whose fan is the forecast past the end."""
        return np.arange(self.plan.val_end - 1, len(self.actual), dtype=np.int64)

    def fan(self, origin: int) -> tuple[np.ndarray, np.ndarray]:
        """Times and values of all H forecasts made at row `origin`, starting from the actual value there."""
        index = int(origin) - int(self.origins[0])
        if not 0 <= index < len(self.origins):
            raise ValueError(f"Row {origin} has no full lookback window before it.")
        n, h = len(self.actual), self.horizon
        ahead = np.arange(origin + 1, origin + h + 1)
        inside = self.times[ahead[ahead < n]]
        outside = self.future_times[: (ahead >= n).sum()]
        times = np.concatenate([[self.times[origin]], inside, outside])
        return times, np.concatenate([[self.actual[origin]], self.forecasts[index]])

    def metric_rows(self) -> list[MetricRow]:
        """The model beside each baseline on the same test targets, best per metric marked."""
        rows = []
        for key, label in METRIC_LABELS.items():
            values = {"model": self.evaluation.metrics.get(key, math.nan)}
            for name in BASELINE_NAMES:
                if name in self.evaluation.baselines:
                    values[name] = self.evaluation.baselines[name].get(key, math.nan)
            rows.append(MetricRow(key, label, values, best_of(values)))
        return rows

    def residuals(self, step: int = 1) -> ResidualDiagnostics:
        """Diagnostics of the test residuals (actual - forecast) at `step` ahead: the errors that step is scored on."""
        return residual_diagnostics(self.step(step, "test").error, season=self.season, step=step)

    def curve_reading(self) -> CurveReading:
        return read_loss_curves(self.history, self.best_epoch)


def inspect_model(model: ForecastModel, series: SeriesData, plan: WindowPlan, season: int | None,
                  history: list[dict[str, float]], best_epoch: int | None = None,
                  evaluation: Evaluation | None = None) -> ForecastInspection:
    """Forecast from every origin once (one batched pass) and score the test part unless `evaluation` is given
    (then with bands calibrated on this plan's validation part)."""
    origins = plan.forecast_origins()
    forecasts = predict_windows(model, series.values, origins, plan.lookback)  # (m, H)
    evaluation = evaluation or evaluate(model, series.values, plan, season, series.time_axis.frequency)
    return ForecastInspection(
        times=series.times, actual=series.values[:, 0], origins=origins, forecasts=forecasts,
        future_times=future_times(series, plan.horizon), plan=plan, season=season, evaluation=evaluation,
        history=list(history), best_epoch=best_epoch, target=series.target)


def inspect_run(run: ForecastRun) -> ForecastInspection:
    """The inspection of a run that just finished, reusing its test evaluation."""
    return inspect_model(run.model, run.series, run.setup.plan, run.setup.season, run.result.history,
                         run.result.best_epoch, run.evaluation)


def inspect_bundle(bundle: ForecasterBundle, series: SeriesData) -> ForecastInspection:
    """A saved model on `series` (prepared with the model's own data settings): split with the model's
    shares and scored again on this series' test part, with the bands it was saved with (none in a file saved
    before intervals were stored: `intervals_note` says so)."""
    lookback, horizon = bundle.schema["lookback"], bundle.schema["horizon"]
    data = bundle.config.data
    plan = plan_windows(series.n_rows, lookback, horizon, data.val_fraction, data.test_fraction)
    season = series.season_length if series.season_length and series.season_length >= 2 else None
    result = bundle.result
    evaluation = evaluate(bundle.model, series.values, plan, season, series.time_axis.frequency,
                          bundle.calibration, calibrate_bands=False)
    return inspect_model(bundle.model, series, plan, season, result.get("history", []), result.get("best_epoch"),
                         evaluation)
