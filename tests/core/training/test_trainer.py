"""The Trainer on a tiny synthetic task: stopping rules, divergence, reproducibility."""

import math

import pytest
import torch
from torch import nn

from workbench.core.training import events
from workbench.core.training.callbacks import Callback
from workbench.core.training.config import TrainConfig
from workbench.core.training.engine import Trainer


class LineTask:
    """y = 2x + 1 with noise; `poison_at` makes one batch's loss NaN."""

    def __init__(self, poison_at: int | None = None) -> None:
        gen = torch.Generator().manual_seed(1)
        self.x = torch.randn(256, 1, generator=gen)
        self.y = 2 * self.x + 1 + 0.1 * torch.randn(256, 1, generator=gen)
        self.poison_at = poison_at
        self.batches_seen = 0

    def to(self, device):
        pass

    def n_train_batches(self, batch_size):
        return -(-192 // batch_size)

    def train_batches(self, batch_size, generator):
        order = torch.randperm(192, generator=generator)
        yield from order.split(batch_size)

    def val_batches(self, batch_size):
        yield torch.arange(192, 256)

    def loss(self, model, index):
        self.batches_seen += 1
        loss = nn.functional.mse_loss(model(self.x[index]), self.y[index])
        return loss * math.nan if self.batches_seen == self.poison_at else loss


def fit(task=None, callbacks=(), **train):
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    config = TrainConfig(**{"epochs": 5, "batch_size": 32, "lr": 0.05, "threads": 1, "device": "cpu", **train})
    return model, Trainer(model, task or LineTask(), config, callbacks).fit()


def test_same_seed_gives_identical_loss_curve():
    _, first = fit(seed=3)
    _, second = fit(seed=3)
    _, other = fit(seed=4)
    assert [h["loss"] for h in first.history] == [h["loss"] for h in second.history]
    assert [h["loss"] for h in first.history] != [h["loss"] for h in other.history]
    assert first.stopped_reason == events.FINISHED and first.epochs_run == 5


def test_early_stopping_restores_the_best_epoch():
    model, result = fit(epochs=200, patience=3, lr=0.5)
    assert result.stopped_reason == events.EARLY_STOPPED
    best = min(h["val_loss"] for h in result.history)
    assert result.best_val_loss == best
    assert result.epochs_run == result.best_epoch + 3
    assert result.message == (
        f"Stopped early at epoch {result.epochs_run}: no better validation loss for 3 epochs; "
        f"kept the weights of epoch {result.best_epoch}."
    )
    with torch.no_grad():
        task = LineTask()
        restored = nn.functional.mse_loss(model(task.x[192:]), task.y[192:]).item()
    assert restored == pytest.approx(best, rel=1e-6)


def test_nan_loss_stops_at_that_step_and_keeps_finite_weights():
    task = LineTask(poison_at=20)  # batch 20 is in epoch 3 (6 train batches + 1 validation batch per epoch)
    model, result = fit(task=task, epochs=10)
    assert result.stopped_reason == events.DIVERGED
    assert result.epochs_run == 2 and result.best_epoch == 2
    assert result.message.startswith("Training diverged: the training loss became nan in epoch 3")
    assert "lower learning rate" in result.message
    assert all(torch.isfinite(p).all() for p in model.parameters())


def test_stop_request_is_honoured_within_one_batch():
    class StopAfter(Callback):
        def __init__(self):
            self.batches = 0

        def on_batch_end(self, batch, logs):
            self.batches += 1
            if self.batches == 8:
                self.trainer.request_stop()

    stopper = StopAfter()
    _, result = fit(callbacks=[stopper], epochs=50)
    assert stopper.batches == 8  # no batch ran after the request
    assert result.stopped_reason == events.USER_STOPPED
    assert result.epochs_run == 1 and result.best_epoch == 1
    assert result.message == "Stopped by you after 1 complete epoch; kept the weights of epoch 1."


def test_should_stop_callable_and_hooks_receive_plain_numbers():
    seen = []

    class Record(Callback):
        def on_epoch_end(self, epoch, logs):
            seen.append(logs)

    calls = iter(range(1000))
    _, result = fit(callbacks=[Record()], epochs=3)
    assert all(isinstance(v, (int, float)) for logs in seen for v in logs.values() if v is not None)
    assert {"loss", "val_loss", "lr", "seconds", "best_epoch"} <= set(seen[0])
    model = nn.Linear(1, 1)
    stopped = Trainer(model, LineTask(), TrainConfig(epochs=50, batch_size=32, threads=1, device="cpu"),
                      should_stop=lambda: next(calls) >= 3).fit()
    assert stopped.stopped_reason == events.USER_STOPPED and stopped.epochs_run == 0
    assert stopped.message == "Stopped by you after 0 complete epochs; kept the starting weights (no epoch completed)."
