"""The plain-words reading of loss curves, on small synthetic histories: noise is never called divergence."""

import numpy as np
import pytest

from workbench.core.training.curve_reading import read_loss_curves


def _history(train, val=None, lr=1e-3):
    val = [None] * len(train) if val is None else val
    return [{"epoch": i + 1, "loss": t, **({} if v is None else {"val_loss": v}), "lr": lr}
            for i, (t, v) in enumerate(zip(train, val))]


def test_too_short():
    reading = read_loss_curves(_history([1.0, 0.8], [1.1, 0.9]))
    assert reading.kind == "too_short" and reading.message == "Only 2 epochs: too few to read the curves."


def test_a_non_finite_loss_is_divergence_however_short_the_run():
    reading = read_loss_curves(_history([1.0, 0.8, float("nan")], [1.1, 0.9, 0.9]))
    assert reading.kind == "diverged"
    assert reading.message == "Training diverged: the training loss became NaN (not a number) at epoch 3."
    assert "0.0001" in reading.suggestion


def test_a_run_the_engine_stopped_on_a_non_finite_loss_is_divergence():
    # The engine keeps the epoch whose loss became NaN out of the history and says so in its stop reason.
    reading = read_loss_curves(_history([1.0, 0.8], [1.1, 0.9]), stopped_reason="diverged")
    assert reading.kind == "diverged"
    assert reading.message == ("Training diverged: a loss became NaN (not a number) or infinite in epoch 3.")


def test_a_sustained_rise_of_the_averaged_loss_is_divergence_and_says_how_it_was_judged():
    train = [0.5, 0.4, 0.35, 0.3, 0.31, 0.29, 0.6, 1.2, 2.4]
    reading = read_loss_curves(_history(train, train))
    assert reading.kind == "diverged"
    assert reading.message.startswith(
        "Training diverged: averaged over 3 epochs at a time, the training loss rose from its low of 0.3 (epochs "
        "4-6) to 1.4 (epochs 7-9), 367% higher, and each of those last 3 epochs stayed high. (A rise counts as "
        "divergence only above ")
    assert "the curve's epoch-to-epoch jitter" in reading.message
    assert reading.suggestion.startswith("Lower the learning rate (for example to 0.000333, a third of it)")


def test_the_reported_case_two_noisy_points_are_not_divergence():
    # Two batches per epoch with dropout on: the training loss jumps about, the last epoch happens to be high.
    train = [1.10, 0.95, 1.02, 0.71, 0.98, 0.64, 0.99]
    val = [1.00, 0.92, 0.90, 0.95, 0.97, 1.02, 1.05]
    reading = read_loss_curves(_history(train, val))
    assert reading.kind != "diverged"
    assert "diverged" not in reading.message


def _noisy(shape, sigma, n, rng):
    t = np.arange(n)
    base = {"flat": np.ones(n), "falling": 1 / (1 + 0.3 * t), "levelling": 0.3 + 0.7 * np.exp(-t / 3)}[shape]
    return base * np.exp(rng.normal(0, sigma, n))


@pytest.mark.parametrize("shape", ["falling", "levelling"])
def test_noisy_curves_are_not_called_diverged(shape):
    # 20% jitter from epoch to epoch, as small runs with dropout show; 200 runs of 8 to 40 epochs each.
    rng = np.random.default_rng(7)
    called = []
    for _ in range(200):
        train = _noisy(shape, 0.2, int(rng.integers(8, 40)), rng)
        reading = read_loss_curves(_history(list(train), list(train * 1.1)))
        called.append(reading.kind == "diverged")
    assert sum(called) <= 2, f"{sum(called)} of 200 noisy {shape} curves were called diverged"


@pytest.mark.parametrize("growth", ["exponential", "jump"])
def test_real_divergence_is_called_even_through_noise(growth):
    rng = np.random.default_rng(3)
    called = 0
    for _ in range(50):
        train = _noisy("levelling", 0.1, 15, rng)
        after = train[9] * (np.exp(0.4 * np.arange(1, 6)) if growth == "exponential" else np.full(5, 3.0))
        train = np.concatenate([train[:10], after * np.exp(rng.normal(0, 0.1, 5))])
        called += read_loss_curves(_history(list(train), list(train))).kind == "diverged"
    assert called >= 45


def test_both_losses_rising_steadily_is_divergence():
    reading = read_loss_curves(_history([1, 1, 1, 1.2, 1.3, 1.4, 1.5], [1, 0.9, 0.95, 1.1, 1.2, 1.3, 1.4]))
    assert reading.kind == "diverged" and "40% higher" in reading.message


def test_validation_rising_without_the_training_loss_falling_is_not_called_divergence():
    train = [1.0, 0.9, 1.2, 0.8, 1.3, 0.85, 1.31]
    val = [1.0, 0.95, 0.97, 0.99, 1.1, 1.15, 1.2]
    reading = read_loss_curves(_history(train, val))
    assert reading.kind == "validation_rising" and reading.title == "Validation loss rising"
    assert "averaged over epochs 5-7 it is 21.1% higher" in reading.message
    assert "did not fall" in reading.message and "Lower the learning rate" in reading.suggestion


def test_no_validation():
    reading = read_loss_curves(_history([1.0, 0.8, 0.7, 0.6]))
    assert reading.kind == "no_validation" and "validation part" in reading.suggestion


def test_overfitting_is_judged_on_averages():
    train = [1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1]
    val = [1.0, 0.8, 0.6, 0.5, 0.52, 0.55, 0.58, 0.6, 0.62, 0.65]
    reading = read_loss_curves(_history(train, val))
    assert reading.kind == "overfitting" and reading.best_epoch == 4
    assert reading.message == (
        "The validation loss was lowest at epoch 4 (0.5); averaged over epochs 8-10 it is 24.7% higher (0.623), "
        "while the training loss, averaged the same way, fell a further 70%: the model is learning the training "
        "part by heart.")
    assert "dropout" in reading.suggestion and "epoch 4" in reading.suggestion


def test_one_high_validation_epoch_is_not_overfitting():
    train = [1.0, 0.8, 0.6, 0.5, 0.45, 0.42, 0.4, 0.39]
    val = [1.0, 0.8, 0.6, 0.5, 0.5, 0.49, 0.5, 0.62]  # the last epoch alone is 24% above the best
    assert read_loss_curves(_history(train, val)).kind != "overfitting"


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
