"""Split-conformal intervals: the finite-sample quantile, coverage near the nominal level on generated data, the
bands a bundle keeps (the same as the run's), and files saved before intervals, which load without them."""

import json
import math

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.torch import save_file
from scipy.signal import lfilter

from tests.fixtures import SAVED_BUNDLES
from workbench.core.data.splits import WindowPlan
from workbench.core.errors import BundleError
from workbench.core.export.kinds import load_model
from workbench.core.forecast.evaluation import score, scored_origins
from workbench.core.forecast.frames import forecast_frame
from workbench.core.forecast.inspection import inspect_bundle, inspect_run
from workbench.core.forecast.intervals import (
    MAX_CALIBRATION_ROWS,
    NO_INTERVALS,
    Calibration,
    add_bands,
    calibrate,
    calibration_origins,
    calibration_rows,
    coverage_key,
    coverage_sentence,
    validation_residuals,
)
from workbench.core.forecast.model_data import series_for_bundle
from workbench.core.forecast.score_words import score_words


def test_the_band_is_the_finite_sample_conformal_quantile():
    calibration = calibrate(np.arange(1.0, 10.0)[:, None])  # nine residuals 1..9, one step
    assert calibration.half_width(0.8)[0] == 8.0  # ceil(10 * 0.8) = 8th smallest
    assert calibration.half_width(0.5)[0] == 5.0
    assert not calibration.supports(0.95) and math.isinf(calibration.half_width(0.95)[0])  # ceil(9.5) = 10 > 9
    assert calibration.highest_level == 0.9
    assert calibration.limit_note(0.95) == ("The validation part gives 9 forecasts per step, too few for a 95% "
                                            "interval (at most 90%): its band is unbounded.")
    lower, upper = calibration.bands(np.array([[10.0]]), 0.8)
    assert (lower[0, 0], upper[0, 0]) == (2.0, 18.0)


def test_a_long_validation_part_keeps_few_widths_and_answers_any_level_never_narrower():
    residuals = np.abs(np.random.default_rng(1).normal(size=(10_000, 2)))
    calibration = calibrate(residuals)
    assert len(calibration.ranks) < 110 and calibration.ranks[-1] == 10_000
    exact = np.sort(residuals, axis=0)
    for level in (0.8, 0.95, 0.99, 0.999):  # on the grid: exact
        np.testing.assert_array_equal(calibration.half_width(level), exact[math.ceil(10_001 * level) - 1])
    between = calibration.half_width(0.9875)
    assert (between >= exact[math.ceil(10_001 * 0.9875) - 1]).all() and (between <= calibration.half_width(0.99)).all()
    again = Calibration.from_dict(json.loads(json.dumps(calibration.to_dict())))
    np.testing.assert_array_equal(again.half_width(0.95), calibration.half_width(0.95))


def test_validation_residuals_line_up_each_target_with_the_forecast_made_k_rows_before():
    plan = WindowPlan(n_rows=40, lookback=4, horizon=3, train_end=20, val_end=30)
    origins = calibration_origins(plan)
    assert (origins[0], origins[-1]) == (17, 28)
    target = np.arange(40.0) ** 2
    forecast = origins[:, None] + np.arange(1, 4)[None, :] * 0.5  # a value that names its origin and step
    residuals = validation_residuals(target, forecast, plan)
    assert residuals.shape == (10, 3)
    for i, row in enumerate(range(20, 30)):
        for k in (1, 2, 3):
            assert residuals[i, k - 1] == abs(target[row] - ((row - k) + 0.5 * k))
    # A long validation part: its last MAX_CALIBRATION_ROWS targets calibrate, the nearest to the test part.
    long = WindowPlan(n_rows=9000, lookback=4, horizon=3, train_end=3000, val_end=6000)
    assert calibration_rows(long) == range(6000 - MAX_CALIBRATION_ROWS, 6000)
    assert calibration_origins(long)[0] == 6000 - MAX_CALIBRATION_ROWS - 3


def test_conformal_coverage_on_an_autoregressive_series_is_near_the_nominal_level():
    # AR(1) with its true conditional mean as the "model": the residuals are exchangeable, as conformal assumes.
    # One validation part of 600 rows leaves each run's coverage about 0.02 from the level, so ten series are
    # checked: each loosely, their mean closely.
    n, phi, horizon = 4000, 0.8, 2
    plan = WindowPlan(n_rows=n, lookback=2, horizon=horizon, train_end=1000, val_end=1600)
    origins = scored_origins(plan)
    found = []
    for seed in range(10):
        y = lfilter([1.0], [1.0, -phi], np.random.default_rng(seed).normal(size=n))

        def forecast(at, y=y):
            return y[at, None] * phi ** np.arange(1, horizon + 1)[None, :]

        calibration = calibrate(validation_residuals(y, forecast(calibration_origins(plan)), plan))
        evaluation = score(y, origins, forecast(origins), plan, None, calibration=calibration)
        found.append([evaluation.metrics[coverage_key(level)] for level in (0.8, 0.95)])
    found = np.array(found)
    assert found.mean(axis=0) == pytest.approx([0.8, 0.95], abs=0.015)
    assert (np.abs(found - [0.8, 0.95]) < 0.06).all()
    assert evaluation.interval_points == (n - 1600) * horizon
    words = score_words(evaluation.summary(), None, None)
    assert words.coverage[1] == coverage_sentence(0.95, evaluation.metrics["coverage_95"], (n - 1600) * horizon)


def test_the_coverage_sentence():
    assert coverage_sentence(0.95, 0.9333, 120) == "95% interval: 93.3% of 120 test points inside."
    assert coverage_sentence(0.8, math.nan, 0) == "80% interval: no test points to check it on."
    assert coverage_key(0.8) == "coverage_80" and coverage_key(0.995) == "coverage_99.5"


def test_a_run_keeps_its_bands_in_the_bundle_and_the_window_shows_the_same(forecast_run, forecast_bundle):
    run_view = inspect_run(forecast_run)
    summary = forecast_run.evaluation.summary()
    assert set(summary["intervals"]) == {"levels", "points", "validation_residuals"}
    assert 0 <= summary["test"]["coverage_95"] <= 1
    bundle = load_model(forecast_bundle, expect="forecaster")
    assert bundle.intervals_note == ""
    np.testing.assert_array_equal(bundle.calibration.widths, forecast_run.evaluation.calibration.widths)
    series = series_for_bundle(bundle, forecast_bundle.parent / "load.csv")
    saved_view = inspect_bundle(bundle, series)
    for level in (0.8, 0.95):
        np.testing.assert_allclose(saved_view.bands(level), run_view.bands(level), rtol=1e-6)
    assert saved_view.evaluation.metrics["coverage_80"] == run_view.evaluation.metrics["coverage_80"]
    times, lower, upper = saved_view.fan_band(int(saved_view.fan_origins()[-1]), 0.8)
    assert len(times) == 4 and lower[0] == upper[0] and (lower[1:] < upper[1:]).all()
    # What `predict` writes: the same bands beside each forecast column.
    table = add_bands(forecast_frame(bundle.model, series, bundle.schema["lookback"]), bundle.calibration, 0.8)
    assert list(table.columns)[3:7] == ["forecast_1", "lower_1", "upper_1", "forecast_2"]
    last = saved_view.origins[-1]
    np.testing.assert_allclose(table.loc[last + 1, ["lower_1", "upper_1"]], [b[-1, 0] for b in saved_view.bands(0.8)],
                               rtol=1e-6)


def test_a_bundle_saved_before_intervals_loads_without_them_and_says_so():
    bundle = load_model(SAVED_BUNDLES["forecaster"], expect="forecaster")
    assert bundle.calibration is None and bundle.intervals_note == NO_INTERVALS
    assert "calibration" not in bundle.parts() and bundle.describe()["intervals"] == {"note": NO_INTERVALS}
    assert score_words(bundle.metrics, None, None).coverage == ()


def test_a_calibration_for_another_horizon_is_refused(forecast_bundle, tmp_path):
    with safe_open(str(forecast_bundle), framework="pt") as handle:
        metadata = dict(handle.metadata())
        tensors = {name: handle.get_tensor(name) for name in handle.keys()}
    part = json.loads(metadata["calibration"])
    part["widths"] = part["widths"][:2]
    metadata["calibration"] = json.dumps(part)
    path = tmp_path / "edited.swb"
    save_file(tensors, str(path), metadata=metadata)
    with pytest.raises(BundleError, match=r"edited.swb is damaged: calibration.widths must hold 3 steps like the "
                                          r"model \(found 2\)"):
        load_model(path)
