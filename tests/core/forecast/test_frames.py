"""Forecast tables say which actual values were measured and which were filled in."""

import numpy as np

from tests.conftest import seasonal_table, tiny_config
from workbench.core.data.series import prepare_series
from workbench.core.forecast.frames import forecast_frame


def test_filled_actual_values_are_marked_and_measured_ones_are_not(forecast_run):
    frame = seasonal_table()
    frame.loc[[30, 31, 100], "load"] = np.nan  # three gaps inside the training part
    config = tiny_config()
    config.data.horizon = 3
    series = prepare_series(frame, config.data)
    table = forecast_frame(forecast_run.model, series, forecast_run.setup.plan.lookback)
    assert list(table.columns[:3]) == ["time", "actual", "actual_filled"]
    marks = table["actual_filled"]
    assert marks.iloc[:240].tolist().count(1) == 3 and marks.iloc[[30, 31, 100]].tolist() == [1, 1, 1]
    assert marks.iloc[240:].isna().all() and table["actual"].iloc[240:].isna().all()  # past the end: no actual


def test_a_series_without_gaps_marks_nothing(forecast_run):
    table = forecast_frame(forecast_run.model, forecast_run.series, forecast_run.setup.plan.lookback)
    assert (table["actual_filled"].iloc[:forecast_run.series.n_rows] == 0).all()
