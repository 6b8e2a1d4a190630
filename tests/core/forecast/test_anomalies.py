"""Anomalies: rows outside the one-step-ahead band are flagged with a score, spikes injected into a series are
found, and a model saved without intervals is refused in words."""

import dataclasses

import numpy as np
import pytest

from tests.fixtures import SAVED_BUNDLES
from workbench.core.errors import BundleError
from workbench.core.export.kinds import load_model
from workbench.core.forecast.anomalies import ANOMALY_COLUMNS, anomaly_frame, bundle_anomalies, detect_anomalies
from workbench.core.forecast.intervals import NO_INTERVALS, calibrate


def test_the_frame_flags_exactly_the_points_outside_the_band_and_scores_how_far():
    t = np.arange(100)
    forecast = np.sin(t / 5)
    actual = forecast + np.where(t % 2, 0.1, -0.1)
    spikes = [17, 55, 90]
    actual[spikes] += [2.0, -1.0, 0.7]
    frame = anomaly_frame(t, actual, forecast, 0.5)
    assert list(frame.columns) == list(ANOMALY_COLUMNS)
    assert frame.index[frame["anomaly"] == 1].tolist() == spikes
    assert frame["score"][spikes].tolist() == pytest.approx([4.2, 1.8, 1.2])  # |error| / half-width
    assert frame["score"].drop(spikes).max() == pytest.approx(0.2)
    np.testing.assert_allclose(frame["upper"] - frame["lower"], 1.0)


def test_spikes_injected_into_the_test_part_are_flagged(forecast_run):
    series, plan = forecast_run.series, forecast_run.setup.plan
    spikes = np.array([plan.val_end + 5, plan.val_end + 20, plan.n_rows - 3])
    values = series.values.copy()
    values[spikes, 0] += 40  # the target moves about 3 a day: 40 is far outside any band
    spiked = dataclasses.replace(series, values=values)
    calibration = forecast_run.evaluation.calibration
    found = detect_anomalies(forecast_run.model, spiked, plan.lookback, calibration)
    rows = found.frame.set_index("time")
    assert len(found.frame) == plan.n_rows - plan.lookback and found.frame["time"].iloc[0] == series.times[12]
    assert (rows.loc[series.times[spikes], "anomaly"] == 1).all()
    assert (rows.loc[series.times[spikes], "score"] > 5).all()
    assert found.flagged()["time"].iloc[:3].isin(series.times[spikes]).all()  # the spikes score highest
    # 36 validation forecasts per step are too few for a 99% band: the widest one is used, and the note says so.
    assert found.used_level == pytest.approx(36 / 37) and found.level == 0.99
    assert found.note.endswith("The validation part gives 36 forecasts per step, too few for a 99% interval, so "
                               "the widest it supports (97.3%) was used.")
    assert found.note.startswith(f"{found.count} of {len(found.frame)} rows lie outside the 97.3% one-step-ahead "
                                 "interval (half-width ")


def test_a_level_the_validation_part_supports_is_used_as_asked(forecast_run):
    series, plan = forecast_run.series, forecast_run.setup.plan
    calibration = calibrate(np.abs(np.random.default_rng(0).normal(size=(500, plan.horizon))))
    found = detect_anomalies(forecast_run.model, series, plan.lookback, calibration, level=0.9)
    assert found.used_level == 0.9 and "too few" not in found.note
    np.testing.assert_allclose(found.frame["upper"] - found.frame["forecast"], calibration.half_width(0.9)[0])


def test_a_model_saved_without_intervals_cannot_detect_and_says_why(forecast_run):
    bundle = load_model(SAVED_BUNDLES["forecaster"], expect="forecaster")
    with pytest.raises(BundleError) as info:
        bundle_anomalies(bundle, forecast_run.series)
    assert str(info.value) == NO_INTERVALS
