"""Training as a runner job: the Trainer's hooks become throttled reports, and one view follows them.

A training job's reports, in order: channel "started" (one dict: epochs, batches_per_epoch, parameters,
device, threads), then `progressed` dicts (epoch, epochs, batch, batches_per_epoch, fraction_done, elapsed_s,
eta_s) and channel "epochs" (epoch logs: epoch, loss, val_loss, lr, seconds, best_epoch, ...), plus any
channel the kind adds (a language model's "samples"); then the job's one final signal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.core.training.callbacks import Callback

if TYPE_CHECKING:
    from workbench.core.training.events import TrainResult
    from workbench.gui.runner import JobContext

# What a kind of work hands the runner: train with these callbacks and stop check, return the finished run.
TrainCall = Callable[[list[Callback], Callable[[], bool]], Any]
# A kind's own callbacks for one run, made on the job's thread with the job's context.
ExtraCallbacks = Callable[["JobContext"], list[Callback]]
STARTED, EPOCHS = "started", "epochs"
# The runner's name of every job that trains models (a run, a backtest, a race, a search): one at a time.
TRAINING_JOB = "training"


class ReportingCallback(Callback):
    """Turns the Trainer's hooks, called on the job's thread, into the job context's throttled reports."""

    def __init__(self, context: JobContext) -> None:
        self._context = context
        self._started = time.perf_counter()
        self._epochs = 1
        self._batches = 1

    def on_train_begin(self, info: dict[str, Any]) -> None:
        self._started = time.perf_counter()
        self._epochs = max(1, int(info["epochs"]))
        self._batches = max(1, int(info["batches_per_epoch"]))
        self._context.send(STARTED, dict(info))

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        epoch, done = int(logs["epoch"]), batch + 1
        elapsed = time.perf_counter() - self._started
        fraction = min(1.0, ((epoch - 1) * self._batches + done) / (self._epochs * self._batches))
        # The ETA assumes every epoch runs; early stopping usually ends sooner.
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else None
        self._context.progress({
            "epoch": epoch, "epochs": self._epochs, "batch": done, "batches_per_epoch": self._batches,
            "fraction_done": fraction, "elapsed_s": elapsed, "eta_s": eta,
        })

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self._context.send(EPOCHS, dict(logs))

    def on_train_end(self, result: TrainResult) -> None:
        self._context.flush()


def training_function(train: TrainCall, extra_callbacks: ExtraCallbacks | None = None) -> Callable[[JobContext], Any]:
    """The runner function that calls `train` with the reporting callback and the job's stop check.

    `extra_callbacks(context)` gives a kind's own callbacks, which may report on the context too; they run
    before the reporting callback, so an epoch's snapshot or sample is ready before the window hears of it."""

    def run(context: JobContext) -> Any:
        extras = extra_callbacks(context) if extra_callbacks is not None else []
        return train([*extras, ReportingCallback(context)], context.should_stop)

    return run
