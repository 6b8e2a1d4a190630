"""Naive and seasonal-naive baselines element by element (the verdict against them: test_score_words.py)."""

import numpy as np
from numpy.testing import assert_array_equal

from workbench.core.forecast.baselines import (
    baseline_forecasts,
    naive_forecast,
    seasonal_naive_forecast,
)

SERIES = np.arange(10, 20, dtype=float)  # value = index + 10
ORIGINS = np.array([1, 5, 9])
NAN = np.nan


def test_naive_repeats_last_value():
    expected = [[11, 11, 11, 11], [15, 15, 15, 15], [19, 19, 19, 19]]
    assert_array_equal(naive_forecast(SERIES, ORIGINS, 4), expected)


def test_seasonal_naive_season_3_horizon_4():
    # step k uses index origin + k - 3*ceil(k/3): lags -2, -1, 0, -2 (step 4 wraps to the previous season)
    expected = [
        [NAN, 10, 11, NAN],  # origin 1: indices -1, 0, 1, -1
        [13, 14, 15, 13],  # origin 5: indices 3, 4, 5, 3
        [17, 18, 19, 17],  # origin 9: indices 7, 8, 9, 7
    ]
    assert_array_equal(seasonal_naive_forecast(SERIES, ORIGINS, 4, 3), expected)


def test_baseline_forecasts_keys():
    assert list(baseline_forecasts(SERIES, ORIGINS, 4, None)) == ["naive"]
    assert list(baseline_forecasts(SERIES, ORIGINS, 4, 1)) == ["naive"]
    both = baseline_forecasts(SERIES, ORIGINS, 4, 3)
    assert list(both) == ["naive", "seasonal_naive"]
    assert both["seasonal_naive"].shape == (3, 4)
