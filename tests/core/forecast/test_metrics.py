"""Metrics against values worked out by hand on tiny arrays."""

import math

import numpy as np
import pytest

from workbench.core.forecast.metrics import (
    METRIC_NAMES,
    mae,
    mape,
    mase,
    mase_scale,
    per_step_metrics,
    regression_metrics,
    rmse,
    smape,
)

ACTUAL = [1.0, 2.0, 3.0]
FORECAST = [2.0, 2.0, 5.0]  # errors 1, 0, 2


def test_mae_rmse():
    assert mae(ACTUAL, FORECAST) == pytest.approx((1 + 0 + 2) / 3)
    assert rmse(ACTUAL, FORECAST) == pytest.approx(math.sqrt((1 + 0 + 4) / 3))


def test_mape_and_smape():
    # |e|/|a| = 1/1, 0/2, 2/3
    assert mape(ACTUAL, FORECAST) == pytest.approx(100 * (1 + 0 + 2 / 3) / 3)
    # |e|/(|a|+|f|) = 1/3, 0/4, 2/8
    assert smape(ACTUAL, FORECAST) == pytest.approx(200 * (1 / 3 + 0 + 2 / 8) / 3)


def test_mape_leaves_out_zero_actuals():
    # the pair (0, 1) is dropped: (1/2 + 1/4) / 2
    assert mape([0.0, 2.0, 4.0], [1.0, 1.0, 5.0]) == pytest.approx(100 * (0.5 + 0.25) / 2)
    assert math.isnan(mape([0.0, 0.0], [1.0, 2.0]))


def test_smape_both_zero_is_no_error():
    # (0, 0) counts as 0; (2, 1) gives 1/3
    assert smape([0.0, 2.0], [0.0, 1.0]) == pytest.approx(200 * (0 + 1 / 3) / 2)


def test_mase_scale_by_hand():
    train = np.array([1.0, 3.0, 2.0, 5.0])
    assert mase_scale(train, None) == pytest.approx((2 + 1 + 3) / 3)  # |3-1|, |2-3|, |5-2|
    assert mase_scale(train, 1) == pytest.approx(2.0)
    assert mase_scale(train, 2) == pytest.approx((1 + 2) / 2)  # |2-1|, |5-3|
    assert mase_scale(train, 4) == pytest.approx(2.0)  # too short for season 4: falls back to m=1


def test_mase_scale_undefined_is_nan():
    assert math.isnan(mase_scale(np.array([4.0, 4.0, 4.0]), 1))
    assert math.isnan(mase_scale(np.array([4.0]), None))


def test_mase():
    assert mase(ACTUAL, FORECAST, 2.0) == pytest.approx(1.0 / 2.0)
    assert math.isnan(mase(ACTUAL, FORECAST, float("nan")))
    assert math.isnan(mase(ACTUAL, FORECAST, 0.0))


def test_nan_pairs_are_ignored():
    # only the pair (1, 2) has both values
    assert mae([1.0, np.nan, 3.0], [2.0, 5.0, np.nan]) == pytest.approx(1.0)
    assert math.isnan(mae([np.nan], [1.0]))


def test_shape_mismatch_raises():
    with pytest.raises(ValueError):
        mae([1.0, 2.0], [1.0])


def test_regression_metrics_keys():
    out = regression_metrics(ACTUAL, FORECAST, scale=2.0)
    assert tuple(out) == METRIC_NAMES
    assert out["mase"] == pytest.approx(0.5)


def test_per_step_metrics():
    actual = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    forecast = np.array([[1.0, 3.0, 6.0], [1.0, 1.0, 0.0]])  # step errors: (0,0), (1,1), (3,3)
    steps = per_step_metrics(actual, forecast, scale=1.0)
    assert len(steps) == 3
    assert [s["mae"] for s in steps] == pytest.approx([0.0, 1.0, 3.0])
    assert all(tuple(s) == METRIC_NAMES for s in steps)
