"""Forecast tables: every forecast the model makes over a series, and the steps past its end."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.core.data.series import SeriesData
from workbench.core.forecast.task import predict_windows
from workbench.core.models.recurrent import ForecastModel


def future_times(series: SeriesData, steps: int) -> np.ndarray:
    """Timestamps of the `steps` rows after the data, on its frequency (or its median step when irregular)."""
    times = series.times
    if np.issubdtype(times.dtype, np.datetime64):
        last = pd.Timestamp(times[-1])
        if series.time_axis.frequency:
            return pd.date_range(last, periods=steps + 1, freq=series.time_axis.frequency)[1:].to_numpy()
        step = np.median(np.diff(times)) if len(times) > 1 else np.timedelta64(1, "D")
        return times[-1] + step * np.arange(1, steps + 1)
    step = int(np.median(np.diff(times))) if len(times) > 1 else 1
    return times[-1] + step * np.arange(1, steps + 1)


def forecast_frame(model: ForecastModel, series: SeriesData, lookback: int, residuals: bool = False) -> pd.DataFrame:
    """One row per timestamp of the data, then `horizon` rows past its end.

    `actual_filled` is 1 where the actual value was not in the file but filled in, 0 where it was measured,
    empty past the end of the data. Column forecast_k in the row for time t holds the forecast of that value
    made k steps earlier, from the lookback window ending at t-k; it is empty where there was not enough
    history. With `residuals`, columns residual_k = actual - forecast_k follow (empty past the end).
    """
    horizon = model.net.head.out_features
    n = series.n_rows
    origins = np.arange(lookback - 1, n, dtype=np.int64)
    predictions = predict_windows(model, series.values, origins, lookback)  # (len(origins), H)
    table = np.full((n + horizon, horizon), np.nan)
    for k in range(1, horizon + 1):
        # The forecast made at origin o for step k lands on row o + k.
        table[origins + k, k - 1] = predictions[:, k - 1]
    frame = pd.DataFrame(table, columns=[f"forecast_{k}" for k in range(1, horizon + 1)])
    frame.insert(0, "actual", np.concatenate([series.values[:, 0], np.full(horizon, np.nan)]))
    filled = series.filled[:, 0] if series.filled is not None else np.zeros(n, dtype=bool)
    marks = pd.array(np.concatenate([filled.astype(np.int64), np.zeros(horizon, dtype=np.int64)]), dtype="Int64")
    marks[n:] = pd.NA
    frame.insert(1, "actual_filled", marks)
    frame.insert(0, "time", np.concatenate([series.times, future_times(series, horizon)]))
    if residuals:
        for k in range(1, horizon + 1):
            frame[f"residual_{k}"] = frame["actual"] - frame[f"forecast_{k}"]
    return frame


def forecast_past_end(model: ForecastModel, series: SeriesData, lookback: int) -> pd.DataFrame:
    """The next `horizon` values after the last row: columns time, forecast, step."""
    horizon = model.net.head.out_features
    last = predict_windows(model, series.values, np.array([series.n_rows - 1]), lookback)[0]
    return pd.DataFrame({"time": future_times(series, horizon), "forecast": last, "step": np.arange(1, horizon + 1)})
