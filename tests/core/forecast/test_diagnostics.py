"""Residual diagnostics of a forecaster, on small synthetic inputs."""

import numpy as np
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.forecast.diagnostics import autocorrelation, residual_diagnostics


def _ar1(n, phi, seed):
    noise = np.random.default_rng(seed).normal(size=n)
    x = np.zeros(n)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + noise[t]
    return x


def test_autocorrelation_matches_a_hand_computed_value():
    # deviations -2..2, sum of squares 10; lag 1: (2 + 0 + 0 + 2) / 10, lag 2: (0 - 1 + 0) / 10
    assert autocorrelation(np.array([1.0, 2, 3, 4, 5]), 2) == pytest.approx([0.4, -0.1])


def test_autocorrelation_of_a_constant_is_zero():
    assert autocorrelation(np.full(10, 0.1), 3).tolist() == [0.0, 0.0, 0.0]


def test_white_noise_stays_mostly_inside_the_band():
    diag = residual_diagnostics(np.random.default_rng(0).normal(size=500))
    assert diag.lags.tolist() == list(range(1, 11))
    assert diag.band == pytest.approx(1.96 / np.sqrt(500))
    assert len(diag.outside) <= 1
    assert "look like noise" in diag.summary and "On average" not in diag.summary
    assert diag.counts.sum() == 500 and len(diag.bin_edges) == len(diag.counts) + 1 <= 61


def test_autocorrelated_residuals_flag_lag_1():
    diag = residual_diagnostics(_ar1(400, 0.7, seed=1), season=12)
    assert diag.acf[0] > 0.5 and 1 in diag.outside
    assert diag.lags[-1] == 24  # twice the season
    assert diag.summary.endswith("the residuals still carry structure the model missed; a longer lookback or "
                                 "more epochs may capture it.")


def test_the_season_lag_is_named():
    rng = np.random.default_rng(2)
    seasonal = np.sin(np.arange(480) * 2 * np.pi / 12) + rng.normal(size=480) * 0.5
    diag = residual_diagnostics(seasonal, season=12)
    assert 12 in diag.outside and "12 (the season length)" in diag.summary


def test_nan_residuals_are_dropped():
    diag = residual_diagnostics(np.array([1.0, np.nan, 2.0, 3.0, np.nan, 4.0]))
    assert diag.residuals.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert diag.lags.tolist() == [1, 2]  # n // 2


def test_a_consistent_bias_is_named_with_its_direction():
    residuals = np.random.default_rng(3).normal(size=200) * 0.1 + 0.42
    diag = residual_diagnostics(residuals)
    assert diag.summary.startswith(f"On average the model forecasts {diag.mean:.3g} too low (the residuals' mean)")
    assert "too high" in residual_diagnostics(-residuals).summary


def test_too_few_residuals_are_refused_with_a_message():
    with pytest.raises(WorkbenchError) as error:
        residual_diagnostics(np.array([0.5, np.nan, -0.2]))
    assert error.value.message == "There are only 2 residuals on the test part, too few to judge."
    assert error.value.hint
