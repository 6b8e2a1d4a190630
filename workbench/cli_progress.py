"""A terminal progress bar for training, driven by the Trainer's callbacks."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm

from workbench.core.training.callbacks import Callback
from workbench.core.training.events import TrainResult


class ProgressBar(Callback):
    """One bar over all batches of the run; the losses of the last epoch ride along as a postfix."""

    def __init__(self) -> None:
        self._bar: tqdm | None = None

    def on_train_begin(self, info: dict[str, Any]) -> None:
        self._bar = tqdm(total=info["epochs"] * info["batches_per_epoch"], unit="batch", file=sys.stderr,
                         dynamic_ncols=True, desc="Training", mininterval=0.2)

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if self._bar is not None:
            self._bar.set_postfix(epoch=epoch, loss=f"{logs['loss']:.4f}", val_loss=f"{logs['val_loss']:.4f}",
                                  refresh=False)

    def on_train_end(self, result: TrainResult) -> None:
        if self._bar is not None:
            self._bar.close()
