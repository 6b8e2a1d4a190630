"""The default settings a season ahead: the change over a season on growing seasonal series, two seasons of lookback,
old choices unchanged, and refusals in words (the accuracy itself: benchmarks/bench_horizon.py)."""

import numpy as np
import pandas as pd
import pytest
import torch

from tests.conftest import tiny_config
from workbench.core.data.config import DataConfig
from workbench.core.data.series import prepare_series
from workbench.core.forecast.baselines import seasonal_naive_forecast
from workbench.core.forecast.pipeline import build_model
from workbench.core.forecast.setup import check_against_series, resolve_setup
from workbench.core.forecast.task import predict_windows


def _monthly(years: int, dated: bool = True) -> pd.DataFrame:
    """Monthly values with a trend and seasonal peaks that grow with it (the airline passengers' shape)."""
    t = np.arange(12 * years)
    value = (100 + 2 * t) * (1 + 0.2 * np.sin(2 * np.pi * t / 12)) + np.random.default_rng(0).normal(0, 2, t.size)
    frame = pd.DataFrame({"value": value})
    if dated:
        frame.insert(0, "month", pd.date_range("2000-01-01", periods=t.size, freq="MS").strftime("%Y-%m"))
    return frame


@pytest.fixture(scope="module")
def growing():
    return prepare_series(_monthly(12), DataConfig(horizon=12))


def test_a_year_ahead_a_growing_seasonal_series_is_forecast_as_its_change_over_a_season(growing):
    setup = resolve_setup(growing, DataConfig(horizon=12))
    assert growing.season_length == 12 and setup.scaling.lag == 12
    assert setup.plan.lookback == setup.data.lookback == 24  # two seasons: the network reads the seasonal change
    assert setup.notes()[1].startswith("Predicting the change from the value one season (12 steps) earlier")


def test_an_untrained_seasonal_model_forecasts_last_seasons_values(growing):
    # The network only adds the change over the season, so next year's peak starts from this year's instead of
    # being drawn again by the network (which damped it).
    config = tiny_config()
    config.data.lookback, config.data.horizon = None, 12
    setup = resolve_setup(growing, config.data)
    model = build_model(config, setup, n_features=1)
    with torch.no_grad():
        model.net.head.weight.zero_()
        model.net.head.bias.zero_()
    origins = np.arange(setup.plan.lookback - 1, growing.n_rows - 12)
    forecast = predict_windows(model, growing.values, origins, setup.plan.lookback)
    expected = seasonal_naive_forecast(growing.values[:, 0], origins, 12, 12)
    np.testing.assert_allclose(forecast, expected, rtol=1e-5)


def test_earlier_choices_keep_their_meaning(growing):
    # Saved settings that chose a transform, or a lookback shorter than two seasons, train as they did.
    assert resolve_setup(growing, DataConfig(horizon=12, transform="difference")).plan.lookback == 12
    assert resolve_setup(growing, DataConfig(horizon=12, transform="none")).scaling.lag == 0
    kept = resolve_setup(growing, DataConfig(horizon=12, lookback=12))
    assert kept.scaling.lag == 1 and kept.plan.lookback == 12


def test_a_series_too_short_for_two_seasons_falls_back_to_the_last_value():
    short = prepare_series(_monthly(5), DataConfig(horizon=3))
    setup = resolve_setup(short, DataConfig(horizon=3))
    assert setup.scaling.lag == 1 and setup.plan.lookback == 10  # a quarter of the 42 training rows, as before


def test_a_seasonal_transform_that_does_not_fit_is_refused_beside_the_setting(growing):
    config = tiny_config()
    config.data.horizon, config.data.transform = 12, "seasonal"
    assert check_against_series(config, growing) == {"data.transform": (
        "The seasonal transform reads the change over one season (12 steps), so the lookback window must hold two "
        "seasons (24 steps); it is 12. Raise the lookback to 24 or leave it empty, or choose another target "
        "transform.")}
    undated = prepare_series(_monthly(12, dated=False), DataConfig())
    assert check_against_series(config, undated) == {"data.transform": (
        "The seasonal transform predicts each step's change from one season earlier, but this series has no "
        "season (its time column gives none). Choose auto, none or difference as the target transform.")}
