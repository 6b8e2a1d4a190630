"""A private copy of the best weights so far, taken on the training thread for use on another one."""

from __future__ import annotations

import copy
import threading
from typing import Any

from workbench.core.training.callbacks import Callback


class BestSnapshot(Callback):
    """Keeps a copy of the model each time its validation loss is the best so far.

    The window generates text from it or looks inside it while training goes on; the copy is never the training
    model itself, so the two threads never touch the same tensors.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._best: Any = None
        self._epoch: int | None = None

    def watched_model(self) -> Any:
        """The model being trained (the Trainer's)."""
        return self.trainer.model if self.trainer is not None else None

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        model = self.watched_model()
        if logs.get("best_epoch") != epoch or model is None:
            return
        snapshot = copy.deepcopy(model).cpu().eval()
        with self._lock:
            self._best, self._epoch = snapshot, epoch

    def latest(self) -> tuple[Any, int | None]:
        """The best model so far and its epoch, or (None, None) before the first validation."""
        with self._lock:
            return self._best, self._epoch
