"""Forecast accuracy in original units: MAE, RMSE, MAPE, sMAPE and MASE, overall and per horizon step."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

METRIC_NAMES = ("mae", "rmse", "mape", "smape", "mase")

# Actuals closer to zero than this are left out of MAPE: dividing by them would give huge or infinite percentages.
MAPE_EPS = 1e-8


def _pairs(actual: ArrayLike, forecast: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Flatten both arrays and keep only the pairs where neither value is NaN."""
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    if a.shape != f.shape:
        raise ValueError(f"actual has shape {a.shape} but forecast has shape {f.shape}; they must match.")
    a, f = a.ravel(), f.ravel()
    keep = ~(np.isnan(a) | np.isnan(f))
    return a[keep], f[keep]


def _mean(values: np.ndarray) -> float:
    # An empty mean is "no evidence", not an error: return NaN without numpy's RuntimeWarning.
    return float(values.mean()) if values.size else float("nan")


def mae(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Mean absolute error."""
    a, f = _pairs(actual, forecast)
    return _mean(np.abs(f - a))


def rmse(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Root mean squared error."""
    a, f = _pairs(actual, forecast)
    return float(np.sqrt(_mean((f - a) ** 2)))


def mape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Mean absolute percentage error, in percent; pairs with a (near) zero actual are left out, so never inf."""
    a, f = _pairs(actual, forecast)
    keep = np.abs(a) >= MAPE_EPS
    return 100.0 * _mean(np.abs((f[keep] - a[keep]) / a[keep]))


def smape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Symmetric MAPE in percent (0..200): 200*|f-a|/(|a|+|f|); a pair where both are 0 counts as no error."""
    a, f = _pairs(actual, forecast)
    denom = np.abs(a) + np.abs(f)
    ratio = np.divide(np.abs(f - a), denom, out=np.zeros_like(denom), where=denom > 0)
    return 200.0 * _mean(ratio)


def mase_yardstick(train_values: np.ndarray, season: int | None) -> tuple[float, int]:
    """(scale, m): the mean |y_t - y_{t-m}| over the training part, and the lag m it used.

    m is the season when there is one (>= 2) and the training part holds more than one season, else 1. The
    scale is NaN when it is 0 or cannot be computed (a flat or one-row training part): MASE is then undefined.
    """
    y = np.asarray(train_values, dtype=float).ravel()
    m = season if season and season >= 1 else 1
    # Too little history for a seasonal difference: the one-step difference is the next best yardstick.
    if y.size < m + 1:
        m = 1
    if y.size < m + 1:
        return float("nan"), m
    diffs = np.abs(y[m:] - y[:-m])
    scale = _mean(diffs[~np.isnan(diffs)])
    return (scale if np.isfinite(scale) and scale > 0 else float("nan")), m


def mase_scale(train_values: np.ndarray, season: int | None) -> float:
    """Mean |y_t - y_{t-m}| over the training part (m = season or 1); NaN when it is 0 or cannot be computed."""
    return mase_yardstick(train_values, season)[0]


def mase(actual: ArrayLike, forecast: ArrayLike, scale: float) -> float:
    """Mean absolute scaled error: MAE divided by the in-sample naive MAE from `mase_scale`."""
    if not np.isfinite(scale) or scale <= 0:
        return float("nan")
    return mae(actual, forecast) / scale


def regression_metrics(actual: ArrayLike, forecast: ArrayLike, *, scale: float) -> dict[str, float]:
    """All of METRIC_NAMES for one set of forecasts."""
    return {
        "mae": mae(actual, forecast),
        "rmse": rmse(actual, forecast),
        "mape": mape(actual, forecast),
        "smape": smape(actual, forecast),
        "mase": mase(actual, forecast, scale),
    }


def per_step_metrics(actual: ArrayLike, forecast: ArrayLike, *, scale: float) -> list[dict[str, float]]:
    """One metrics dict per horizon step; inputs are (n_windows, horizon)."""
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    if a.ndim != 2 or a.shape != f.shape:
        raise ValueError(f"per-step metrics need two (n, H) arrays of the same shape, got {a.shape} and {f.shape}.")
    return [regression_metrics(a[:, step], f[:, step], scale=scale) for step in range(a.shape[1])]
