"""The plain-words reading of loss curves, on small synthetic histories."""

from workbench.core.training.curve_reading import read_loss_curves


def _history(train, val=None, lr=1e-3):
    val = [None] * len(train) if val is None else val
    return [{"epoch": i + 1, "loss": t, **({} if v is None else {"val_loss": v}), "lr": lr}
            for i, (t, v) in enumerate(zip(train, val))]


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
