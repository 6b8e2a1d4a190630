"""Naive and seasonal-naive forecasts for the model's own windows, and a plain-words verdict against them."""

from __future__ import annotations

import math

import numpy as np

BASELINE_NAMES = ("naive", "seasonal_naive")

# Short name for "beats the ... forecast", long name for "does not beat the ... forecast", and what a tie means.
_LABELS = {
    "naive": ("naive", "naive (last value)", "repeating the last value"),
    "seasonal_naive": (
        "seasonal naive",
        "seasonal naive (same point last season)",
        "repeating the value from one season earlier",
    ),
}
_METRIC_LABELS = {"mae": "MAE", "rmse": "RMSE", "mape": "MAPE", "smape": "sMAPE", "mase": "MASE"}
_ADVICE = "Try the 'difference' transform, a longer lookback, or more epochs."


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


def _fmt(value: float) -> str:
    return f"{value:.2f}" if 0.01 <= abs(value) < 1e5 else f"{value:.3g}"


def _pick_metric(model: dict[str, float], baselines: dict[str, dict[str, float]], metric: str) -> str:
    # MASE is NaN when the training part is flat; RMSE is always defined when there are any forecasts.
    usable = math.isfinite(model.get(metric, math.nan)) and any(
        math.isfinite(b.get(metric, math.nan)) for b in baselines.values()
    )
    return metric if usable else "rmse"


def verdict(model: dict[str, float], baselines: dict[str, dict[str, float]], metric: str = "mase") -> str:
    """One sentence saying whether the model beats the best baseline on `metric` (lower is better)."""
    if metric not in _METRIC_LABELS:
        raise ValueError(f"Unknown metric {metric!r}; expected one of {tuple(_METRIC_LABELS)}.")
    metric = _pick_metric(model, baselines, metric)
    scored = {name: b[metric] for name, b in baselines.items() if math.isfinite(b.get(metric, math.nan))}
    m = model.get(metric, math.nan)
    if not scored or not math.isfinite(m):
        return "The model could not be compared with a baseline: there were no forecasts to score."
    best = min(scored, key=scored.get)
    b = scored[best]
    short, long, tie = _LABELS.get(best, (best, best, "the baseline"))
    label = _METRIC_LABELS[metric]
    if m < b:
        pct = 100.0 * (b - m) / b
        by = f"{pct:.0f}%" if pct >= 0.5 else "less than 1%"
        return f"The model beats the {short} forecast by {by} on {label}."
    return (
        f"The model does not beat the {long} forecast ({label} {_fmt(m)} vs {_fmt(b)}): "
        f"its forecasts are no better than {tie}. {_ADVICE}"
    )
