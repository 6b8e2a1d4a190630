"""Training callbacks: hooks the Trainer calls, and the early-stopping rule built on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.training.engine import Trainer
    from workbench.core.training.events import TrainResult


class Callback:
    """Override the hooks you need. `logs` hold plain numbers (loss, val_loss, lr, seconds, ...)."""

    trainer: Trainer | None = None

    def on_train_begin(self, info: dict[str, Any]) -> None:
        """`info`: epochs, batches_per_epoch, parameters, device, threads."""

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        """`logs`: epoch, loss (this batch)."""

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        """`logs`: epoch, loss, val_loss, lr, seconds, best_epoch, best_val_loss, and any the task adds."""

    def on_train_end(self, result: TrainResult) -> None:
        """Called once with the final result, also after a stop or divergence."""

    def on_exception(self, error: BaseException) -> None:
        """Called when the run fails with an unexpected exception, before it propagates."""


class EarlyStopping(Callback):
    """Stop once the validation loss has not improved for `patience` epochs (the Trainer restores the best)."""

    def __init__(self, patience: int, min_delta: float = 0.0) -> None:
        self.patience = patience
        self.min_delta = min_delta
        self.best = float("inf")
        self.waited = 0

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if logs["val_loss"] < self.best - self.min_delta:
            self.best = logs["val_loss"]
            self.waited = 0
            return
        self.waited += 1
        if self.waited >= self.patience and self.trainer is not None:
            self.trainer.request_stop(early=True)
