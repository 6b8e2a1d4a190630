"""Naive and seasonal-naive forecasts from the model's own origins (the verdict against them: score_words.py).

The third baseline, exponential smoothing ("ets"), is fitted on the training part in ets.py and joins these in the
evaluation."""

from __future__ import annotations

import math

import numpy as np

# Every baseline an evaluation can hold, in the order tables show them.
BASELINE_NAMES = ("naive", "seasonal_naive", "ets")


def _check(series: np.ndarray, origins: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}.")
    return np.asarray(series, dtype=float).ravel(), np.asarray(origins, dtype=int).ravel()


def naive_forecast(series: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """(len(origins), horizon): every step repeats the last observed value series[origin]."""
    y, o = _check(series, origins, horizon)
    return np.repeat(y[o][:, None], horizon, axis=1)


def seasonal_naive_forecast(series: np.ndarray, origins: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """(len(origins), horizon): step k is series[origin + k - season*ceil(k/season)]; NaN before the series starts."""
    y, o = _check(series, origins, horizon)
    if season < 1:
        raise ValueError(f"season must be at least 1, got {season}.")
    # The last observed value one whole season before each target, so steps past one season wrap around again.
    lags = np.array([k - season * math.ceil(k / season) for k in range(1, horizon + 1)])
    idx = o[:, None] + lags[None, :]  # (n_windows, horizon)
    out = np.full(idx.shape, np.nan)
    ok = idx >= 0
    out[ok] = y[idx[ok]]
    return out


def baseline_forecasts(
    series: np.ndarray, origins: np.ndarray, horizon: int, season: int | None
) -> dict[str, np.ndarray]:
    """Both baselines by name; "seasonal_naive" is left out when there is no season (None or < 2)."""
    out = {"naive": naive_forecast(series, origins, horizon)}
    if season is not None and season >= 2:
        out["seasonal_naive"] = seasonal_naive_forecast(series, origins, horizon, season)
    return out
