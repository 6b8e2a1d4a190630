"""Residual diagnostics and the plain-words reading of loss curves, on small synthetic inputs."""

import numpy as np
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.forecast.diagnostics import autocorrelation, residual_diagnostics
from workbench.core.training.curve_reading import read_loss_curves


def _history(train, val=None, lr=1e-3):
    val = [None] * len(train) if val is None else val
    return [{"epoch": i + 1, "loss": t, **({} if v is None else {"val_loss": v}), "lr": lr}
            for i, (t, v) in enumerate(zip(train, val))]


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


def test_too_short():
    reading = read_loss_curves(_history([1.0, 0.8], [1.1, 0.9]))
    assert reading.kind == "too_short" and reading.message == "Only 2 epochs: too few to read the curves."


def test_diverged():
    reading = read_loss_curves(_history([1.0, 0.8, float("nan")], [1.1, 0.9, 0.9]))
    assert reading.kind == "diverged" and "epoch 3" in reading.message and "0.0001" in reading.suggestion


def test_both_losses_rising_reads_as_unstable_training():
    reading = read_loss_curves(_history([1, 1, 1, 1.2, 1.3, 1.4, 1.5], [1, 0.9, 0.95, 1.1, 1.2, 1.3, 1.4]))
    assert reading.kind == "diverged" and "risen 55.6%" in reading.message and "rose 50%" in reading.message


def test_no_validation():
    reading = read_loss_curves(_history([1.0, 0.8, 0.7, 0.6]))
    assert reading.kind == "no_validation" and "validation part" in reading.suggestion


def test_overfitting():
    train = [1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1]
    val = [1.0, 0.8, 0.6, 0.5, 0.52, 0.55, 0.58, 0.6, 0.62, 0.65]
    reading = read_loss_curves(_history(train, val))
    assert reading.kind == "overfitting"
    assert "epoch 4" in reading.message and "30%" in reading.message and "80%" in reading.message
    assert "dropout" in reading.suggestion and "epoch 4" in reading.suggestion


def test_still_improving():
    train = [1.0, 0.8, 0.6, 0.5, 0.45, 0.4]
    val = [1.0, 0.8, 0.6, 0.5, 0.45, 0.4]
    reading = read_loss_curves(_history(train, val))
    assert reading.kind == "still_improving" and "33.3%" in reading.message and "epoch 6" in reading.message
    assert "more epochs" in reading.suggestion


def test_generalisation_gap():
    train = [0.3, 0.2, 0.1, 0.1, 0.1, 0.1]
    val = [0.9, 0.8, 0.7, 0.7, 0.7, 0.7]
    reading = read_loss_curves(_history(train, val))
    assert reading.kind == "generalisation_gap" and "7 times" in reading.message


def test_converged():
    train = [1.0, 0.5, 0.3, 0.2, 0.2, 0.2, 0.2]
    val = [1.0, 0.5, 0.3, 0.25, 0.25, 0.25, 0.25]
    reading = read_loss_curves(_history(train, val))
    assert reading.kind == "converged" and "0.25" in reading.message and "not overfitting" in reading.message


def test_best_epoch_overrides_the_lowest_validation_loss():
    train = [1.0, 0.5, 0.3, 0.2, 0.2, 0.2, 0.2]
    val = [1.0, 0.5, 0.3, 0.25, 0.25, 0.25, 0.25]
    assert "best 0.25 at epoch 4" in read_loss_curves(_history(train, val)).message
    assert "best 0.25 at epoch 6" in read_loss_curves(_history(train, val), best_epoch=6).message
