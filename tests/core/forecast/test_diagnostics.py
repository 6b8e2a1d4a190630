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


def test_autocorrelation_through_the_fft_matches_the_definition():
    x = np.random.default_rng(5).normal(size=300)
    d = x - x.mean()
    by_hand = [float(d[:-k] @ d[k:]) / float(d @ d) for k in range(1, 120)]
    np.testing.assert_allclose(autocorrelation(x, 119), by_hand, atol=1e-12)
    assert autocorrelation(np.array([1.0, 2.0, 4.0]), 5)[2:].tolist() == [0.0, 0.0, 0.0]  # no pairs that far


def test_white_noise_stays_mostly_inside_the_band():
    diag = residual_diagnostics(np.random.default_rng(0).normal(size=500))
    assert diag.lags.tolist() == list(range(1, 11))
    assert diag.band == pytest.approx(1.96 / np.sqrt(500))
    assert diag.outside == [] and diag.judged
    assert diag.summary == ("No lag from 1 to 10 is outside the 95% band: the residuals look like noise, so the "
                            "model has used the pattern it can see.")
    assert diag.counts.sum() == 500 and len(diag.bin_edges) == len(diag.counts) + 1 <= 61


def test_autocorrelated_residuals_flag_lag_1():
    diag = residual_diagnostics(_ar1(400, 0.7, seed=1), season=12)
    assert diag.acf[0] > 0.5 and 1 in diag.outside
    assert diag.lags[-1] == 24  # twice the season
    assert diag.summary.endswith("the residuals still carry structure the model missed; a longer lookback may "
                                 "capture it.")


def test_the_season_lag_is_named():
    rng = np.random.default_rng(2)
    seasonal = np.sin(np.arange(480) * 2 * np.pi / 12) + rng.normal(size=480) * 0.5
    diag = residual_diagnostics(seasonal, season=12)
    assert 12 in diag.outside and "12 (the season length)" in diag.summary


def test_nan_residuals_are_dropped():
    diag = residual_diagnostics(np.array([1.0, np.nan, 2.0, 3.0, np.nan, 4.0]))
    assert diag.residuals.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert diag.lags.tolist() == [1, 2]  # n // 2
    assert not diag.judged


def test_two_seasons_of_lags_when_there_are_enough_residuals():
    noise = np.random.default_rng(4).normal(size=400)
    diag = residual_diagnostics(noise, season=52)
    assert diag.lags[-1] == 104 and diag.judged  # two seasons, beyond the 10 shown without one
    # Over 104 lags about 5 stray outside a 95% band by chance alone.
    assert diag.summary == ("Only lags 24, 96 are outside the 95% band, no more than chance gives over 104 lags: the "
                            "residuals look like noise, so the model has used the pattern it can see.")
    clean = residual_diagnostics(np.random.default_rng(3).normal(size=300), season=12)
    assert clean.summary == ("No lag from 1 to 24 is outside the 95% band, the season's lag 12 included: the "
                             "residuals look like noise, so the model has used the pattern it can see.")


def test_fewer_than_two_seasons_of_residuals_are_too_few_to_judge():
    # 22 monthly test targets: the season's lag cannot be tested, so nothing may be called noise.
    diag = residual_diagnostics(np.random.default_rng(6).normal(size=22), season=12)
    assert not diag.judged and diag.lags[-1] == 11
    assert diag.summary == ("There are too few residuals to judge their autocorrelation: 22, fewer than two seasons "
                            "(24), so the season's lag (12) cannot be tested.")
    diag = residual_diagnostics(np.random.default_rng(6).normal(size=15))
    assert diag.summary == "There are too few residuals to judge their autocorrelation: 15, fewer than 20."


def test_lags_below_the_step_are_expected_to_correlate():
    # Forecasts 3 steps ahead share two rows of surprises: their errors follow a moving average over 3 shocks.
    shocks = np.random.default_rng(9).normal(size=600)
    errors = shocks[2:] + shocks[1:-1] + shocks[:-2]
    diag = residual_diagnostics(errors, step=3)
    assert {1, 2} <= set(diag.outside)
    assert diag.summary == ("No lag from 3 to 10 is outside the 95% band: the residuals look like noise, so the "
                            "model has used the pattern it can see. Lags 1 and 2 are outside the band too, as "
                            "expected at t+3: forecasts made 3 steps ahead share the surprises of the rows between "
                            "them.")
    assert "structure the model missed" in residual_diagnostics(errors, step=1).summary


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
