"""Choosing the target transform and fitting the scaling, both on the training part only."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scaling:
    mean: np.ndarray  # (n_features,)
    std: np.ndarray  # (n_features,)
    target_scale: float
    difference: bool  # the model predicts a change (from the last value, or over a season)
    note: str  # why this transform, in words
    season: int = 0  # >= 2: the change over this many steps (from the same point one season earlier); else 0

    @property
    def lag(self) -> int:
        """What ForecastModel's `difference` buffer holds: 0 the standardised value, 1 the change from the last
        value, m >= 2 the change from the value one season of m steps before each target."""
        return self.season if self.season else int(self.difference)


def trend_strength(train_target: np.ndarray) -> float:
    """How far a straight-line fit rises or falls over the training part, in units of the spread around it."""
    x = np.arange(len(train_target), dtype=np.float64)
    slope, intercept = np.polyfit(x, train_target, 1)
    spread = float(np.std(train_target - (slope * x + intercept)))
    rise = abs(slope) * (len(train_target) - 1)
    return rise / spread if spread > 0 else (np.inf if rise > 0 else 0.0)


def changes(target: np.ndarray, horizon: int, lag: int) -> np.ndarray:
    """Every change the model would predict on `target`: y[t+k] less its reference, for k = 1..horizon.

    The reference of step k is y[t + k - lag*ceil(k/lag)]: the last value for lag 1, the value one season
    earlier for a season of `lag` steps (what the naive and seasonal-naive forecasts repeat)."""
    parts = []
    for k in range(1, horizon + 1):
        back = lag * math.ceil(k / lag)  # rows between the target and its reference
        if back < len(target):
            parts.append(target[back:] - target[:-back])
    return np.concatenate(parts) if parts else np.zeros(0)


def fit_scaling(train_values: np.ndarray, transform: str, horizon: int, season: int | None = None) -> Scaling:
    """Standardise each feature with training-part statistics; pick and scale the target transform.

    A plain standardised LSTM cannot output values outside the range it trained on, so on a trending series
    it loses to repeating the last value (1.9x worse RMSE on airline passengers; docs/decisions.md,
    "Forecasting by differencing"). Predicting the change from the window's last value removes that ceiling;
    on a trending series that also repeats every season, forecasting a season ahead from the last value makes
    the network draw the whole seasonal shape, which it damps, so there the change is taken from the same point
    one season earlier (docs/decisions.md, "Forecasting a season ahead"). `season` is the season length when the
    lookback window holds two seasons (the seasonal transform reads its change over one), else None.
    """
    mean = train_values.mean(axis=0)
    std = train_values.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    target = train_values[:, 0]
    lag, note = _choose(target, transform, horizon, season if season and season >= 2 else None)
    # A change is scaled by the typical size of the changes the model must predict (1..H steps ahead).
    scale = (float(np.std(changes(target, horizon, lag))) or 1.0) if lag else float(std[0])
    return Scaling(mean.astype(np.float32), std.astype(np.float32), scale, lag >= 1, note, lag if lag >= 2 else 0)


def _choose(target: np.ndarray, transform: str, horizon: int, season: int | None) -> tuple[int, str]:
    """The lag of the reference (0 none, 1 the last value, m a season) and the note that says why."""
    if transform != "auto":
        if transform == "seasonal" and season is None:
            raise ValueError("the seasonal transform needs a season the lookback window holds twice.")
        lag = {"none": 0, "difference": 1, "seasonal": season}[transform]
        return lag, _note(lag, "you chose it")
    strength = trend_strength(target)
    if strength <= 1.0:
        return 0, _note(0, f"the training part has no strong trend (rise {strength:.1f}x the spread around it)")
    trend = f"the training part trends (its straight-line rise is {strength:.1f}x the spread around it)"
    if season is None:
        return 1, _note(1, trend)
    last, seasonal = (float(np.mean(np.abs(changes(target, horizon, lag)))) for lag in (1, season))
    ahead = "the next step" if horizon == 1 else f"the next {horizon} steps"
    if seasonal < last:
        return season, _note(season, f"{trend} and repeats every {season} steps: on it, the value one season "
                             f"earlier forecasts {ahead} better than the last value (mean error {seasonal:.3g} "
                             f"against {last:.3g})")
    return 1, _note(1, f"{trend}; on it, the last value forecasts {ahead} better than the value one season "
                    f"earlier (mean error {last:.3g} against {seasonal:.3g})")


def reference_words(lag: int) -> str:
    """What a model with this lag (ForecastModel's `difference` buffer) predicts, in words."""
    if lag >= 2:
        return f"predicts the change from the value one season ({lag} steps) earlier"
    return "predicts the change from the last value" if lag == 1 else "predicts the standardised value"


def _note(lag: int, why: str) -> str:
    return f"{reference_words(lag).replace('predicts', 'Predicting', 1)}, because {why}."
