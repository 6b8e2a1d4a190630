"""Anomalies: the rows whose actual value falls outside the model's one-step-ahead prediction interval.

Every row the model can forecast (from the row before it, with a full lookback) is scored: the band is the
step-1 conformal band at the chosen level (intervals.py), and the score is |actual - forecast| divided by the
band's half-width, so a score above 1 is outside the band, 2 twice as far from the forecast as its edge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.core.data.series import SeriesData
from workbench.core.errors import BundleError
from workbench.core.export.forecaster_bundle import ForecasterBundle
from workbench.core.forecast.intervals import Calibration, check_level, percent
from workbench.core.forecast.task import predict_windows
from workbench.core.models.recurrent import ForecastModel

DEFAULT_ANOMALY_LEVEL = 0.99
ANOMALY_COLUMNS = ("time", "actual", "forecast", "lower", "upper", "score", "anomaly")


@dataclass(frozen=True)
class Anomalies:
    """Every forecast row with its band, score and flag, and the level the band really has."""

    frame: pd.DataFrame  # ANOMALY_COLUMNS, one row per row the model forecasts one step ahead, in time order
    level: float  # the level asked for
    used_level: float  # the level of the band used: lower when the validation part is too short for `level`
    note: str  # what was flagged, and at which level; why the level was lowered when it was

    @property
    def count(self) -> int:
        return int(self.frame["anomaly"].sum())

    def flagged(self) -> pd.DataFrame:
        """The anomalies only, highest score first."""
        return self.frame[self.frame["anomaly"] == 1].sort_values("score", ascending=False, kind="stable")


def anomaly_frame(times: np.ndarray, actual: np.ndarray, forecast: np.ndarray, half_width: float) -> pd.DataFrame:
    """The table of ANOMALY_COLUMNS for forecasts with a band of +-`half_width` around each."""
    actual, forecast = np.asarray(actual, dtype=float), np.asarray(forecast, dtype=float)
    error = np.abs(actual - forecast)
    # A zero-width band (a perfect validation part) scores any miss as infinitely far out, and a hit as 0.
    score = np.divide(error, half_width, out=np.where(error > 0, np.inf, 0.0), where=half_width > 0)
    return pd.DataFrame({"time": times, "actual": actual, "forecast": forecast, "lower": forecast - half_width,
                         "upper": forecast + half_width, "score": score,
                         "anomaly": (score > 1).astype(np.int64)}, columns=list(ANOMALY_COLUMNS))


def detect_anomalies(model: ForecastModel, series: SeriesData, lookback: int, calibration: Calibration,
                     level: float = DEFAULT_ANOMALY_LEVEL) -> Anomalies:
    """Score every row from lookback on against its one-step forecast's band at `level` (see the module).

    When the validation part is too short for `level`, the widest bounded band (the largest residual) is used
    and the note says which level that is.
    """
    level = check_level(level)
    used = level if calibration.supports(level) else calibration.highest_level
    width = float(calibration.half_width(used)[0])
    origins = np.arange(lookback - 1, series.n_rows - 1, dtype=np.int64)
    forecast = predict_windows(model, series.values, origins, lookback)[:, 0]  # (rows,) step 1
    rows = origins + 1
    frame = anomaly_frame(series.times[rows], series.values[rows, 0], forecast, width)
    flagged = int(frame["anomaly"].sum())
    note = (f"{flagged:,} of {len(frame):,} rows lie outside the {percent(used)} one-step-ahead interval "
            f"(half-width {width:.4g}).")
    if used != level:
        note += (f" The validation part gives {calibration.count:,} forecasts per step, too few for a "
                 f"{percent(level)} interval, so the widest it supports ({percent(used)}) was used.")
    return Anomalies(frame, level, used, note)


def bundle_anomalies(bundle: ForecasterBundle, series: SeriesData, level: float = DEFAULT_ANOMALY_LEVEL) -> Anomalies:
    """`detect_anomalies` with a saved model on `series` (prepared with the model's data settings);
    BundleError for a model saved before intervals were stored."""
    if bundle.calibration is None:
        raise BundleError(bundle.intervals_note)  # it says what to do: train the model again
    return detect_anomalies(bundle.model, series, bundle.schema["lookback"], bundle.calibration, level)


def every_row(anomalies: Anomalies, series: SeriesData) -> pd.DataFrame:
    """`anomalies.frame` preceded by the first rows of `series` that no forecast reaches (the first lookback):
    their time and actual value, no forecast or band, and anomaly 0, so a written table has every row."""
    first = series.n_rows - len(anomalies.frame)
    head = pd.DataFrame({"time": series.times[:first], "actual": series.values[:first, 0].astype(float)})
    head = head.reindex(columns=list(ANOMALY_COLUMNS))
    head["anomaly"] = 0
    return pd.concat([head.astype(anomalies.frame.dtypes.to_dict()), anomalies.frame], ignore_index=True)
