"""A whole forecasting run on small data: leakage-free scaling, evaluation beside baselines, forecast tables."""

import numpy as np
import pandas as pd
import pytest

from tests.conftest import tiny_config
from workbench.core.data.config import DataConfig
from workbench.core.data.series import prepare_series
from workbench.core.errors import ConfigError
from workbench.core.forecast.evaluation import target_matrix
from workbench.core.forecast.frames import forecast_frame, forecast_past_end
from workbench.core.forecast.pipeline import train_forecaster
from workbench.core.forecast.setup import check_against_series, resolve_setup


@pytest.fixture
def series(seasonal_frame):
    return prepare_series(seasonal_frame, DataConfig())


def test_scaling_is_fitted_on_the_training_part_only(series):
    setup = resolve_setup(series, DataConfig(lookback=7, transform="none"))
    train = series.values[: setup.plan.train_end]
    np.testing.assert_allclose(setup.scaling.mean, train.mean(axis=0), rtol=1e-6)
    assert setup.scaling.mean[0] != pytest.approx(series.values[:, 0].mean(), rel=1e-4)
    # Changing the test part does not change the scaling.
    changed = series.values.copy()
    changed[setup.plan.val_end :, 0] += 1000
    series.values = changed
    assert resolve_setup(series, DataConfig(lookback=7, transform="none")).scaling == setup.scaling


def test_automatic_lookback_is_the_season(series):
    assert series.season_length == 7
    assert resolve_setup(series, DataConfig(transform="difference")).plan.lookback == 7
    # Two seasons when the target is its change over a season (auto's choice here: a trend and a weekly cycle).
    assert resolve_setup(series, DataConfig()).plan.lookback == 14


def test_run_scores_model_and_baselines_on_the_same_targets(forecast_run):
    # The shared run (tests/conftest.py): tiny_config(epochs=3), horizon 3, on seasonal_table().
    run, series = forecast_run, forecast_run.series
    ev = run.evaluation
    plan = run.setup.plan
    assert ev.actual.shape == ev.forecast.shape == (plan.n_rows - plan.val_end + 2, 3)  # origins val_end-3 .. n-2
    # Every test target at every step, nothing else: the rest is NaN and left out of the scores.
    full = target_matrix(np.append(series.values[:, 0], [np.nan] * 3), ev.origins, 3)
    rows = ev.origins[:, None] + np.arange(1, 4)
    np.testing.assert_array_equal(ev.actual, np.where(rows >= plan.val_end, full, np.nan))
    assert (np.isfinite(ev.actual).sum(axis=0) == ev.targets).all() and ev.targets == plan.n_rows - plan.val_end
    assert set(ev.baselines) == {"naive", "seasonal_naive", "ets"}
    np.testing.assert_array_equal(ev.baseline_forecasts["naive"][:, 2], series.values[ev.origins, 0])
    assert set(ev.metrics) == {"mae", "rmse", "mape", "smape", "mase", "coverage_80", "coverage_95"}
    assert run.result.epochs_run == 3 and run.result.stopped_reason == "finished"
    assert ev.verdict == ev.words().verdict.sentence and ev.summary()["verdict"] == ev.verdict


def test_forecast_frame_lines_up_forecasts_with_their_targets(series):
    config = tiny_config()
    config.data.horizon = 2
    run = train_forecaster(series, config)
    frame = forecast_frame(run.model, series, lookback=12)
    assert list(frame.columns) == ["time", "actual", "actual_filled", "forecast_1", "forecast_2"]
    assert len(frame) == series.n_rows + 2
    # Row t's forecast_k was made from the window ending at t - k: the test evaluation holds the same numbers.
    origin = int(run.evaluation.origins[0])
    assert frame["forecast_2"].iloc[origin + 2] == pytest.approx(run.evaluation.forecast[0, 1], rel=1e-6)
    assert frame["forecast_1"].iloc[:12].isna().all() and frame["forecast_2"].iloc[:13].isna().all()
    assert frame["actual"].iloc[-2:].isna().all()
    with_residuals = forecast_frame(run.model, series, lookback=12, residuals=True)
    assert list(with_residuals.columns[-2:]) == ["residual_1", "residual_2"]
    row = origin + 2
    assert with_residuals["residual_2"].iloc[row] == pytest.approx(
        series.values[row, 0] - run.evaluation.forecast[0, 1], rel=1e-6)
    assert with_residuals["residual_1"].iloc[-2:].isna().all()
    future = forecast_past_end(run.model, series, lookback=12)
    assert list(future["time"]) == list(pd.date_range(series.times[-1], periods=3, freq="D")[1:])
    assert future["forecast"].iloc[1] == pytest.approx(frame["forecast_2"].iloc[-1], rel=1e-6)


def test_data_too_short_for_the_window_is_a_setting_problem(series):
    config = tiny_config()
    config.data.lookback = 500
    problems = check_against_series(config, series)
    assert list(problems) == ["data.lookback"]
    assert problems["data.lookback"].startswith("The series has 240 rows but the lookback window is 500")


def test_invalid_settings_are_refused_before_training(series):
    config = tiny_config()
    config.model.layers = 0
    with pytest.raises(ConfigError, match="model.layers: got 0"):
        train_forecaster(series, config)


def test_difference_transform_beats_naive_on_a_trend():
    # A steady trend with a weekly wiggle, whose test part lies above anything seen in training.
    t = np.arange(400)
    frame = pd.DataFrame({"value": 0.5 * t + 2 * np.sin(2 * np.pi * t / 7)})
    series = prepare_series(frame, DataConfig())
    config = tiny_config(epochs=15, lr=5e-3)
    config.data.lookback = 14
    run = train_forecaster(series, config)
    assert run.setup.scaling.difference
    assert run.evaluation.metrics["rmse"] < run.evaluation.baselines["naive"]["rmse"]
