"""A Trainer callback that times each epoch, with and without its validation pass, for the benchmarks."""

from __future__ import annotations

import time

from workbench.core.training.callbacks import Callback


class EpochClock(Callback):
    """Per epoch: seconds from its start to its last batch, and to its end (after validation)."""

    def on_train_begin(self, info: dict) -> None:
        self.start = self.last_batch = time.perf_counter()
        self.training: list[float] = []
        self.whole: list[float] = []

    def on_batch_end(self, batch: int, logs: dict) -> None:
        self.last_batch = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        now = time.perf_counter()
        self.training.append(self.last_batch - self.start)
        self.whole.append(now - self.start)
        self.start = now
