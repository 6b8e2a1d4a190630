"""Runs a training off the GUI thread and reports it as throttled Qt signals that carry plain data only."""

from __future__ import annotations

import threading
import time
import traceback
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal

from workbench.core.data.series import SeriesData
from workbench.core.errors import WorkbenchError
from workbench.core.run_config import RunConfig
from workbench.core.training.callbacks import Callback
from workbench.core.training.events import TrainResult

if TYPE_CHECKING:
    from workbench.core.inspection import ForecastInspection
    from workbench.core.pipeline import ForecastRun

# At most ten progress updates a second: updating on every batch cost ~10% of training speed (NOTES.md).
EMIT_INTERVAL_S = 0.1
# Loss points go out at most four times a second: each one repaints the loss plot, and that paint runs
# Python in the GUI thread, which holds the GIL the training thread also needs (measured: 10/s cost about
# 30% of training speed on 2 cores, 4/s about half of that). Four updates a second still reads as live.
EPOCHS_INTERVAL_S = 0.25


class _SignalCallback(Callback):
    """Turns the Trainer's hooks, called on the worker thread, into the worker's throttled signals."""

    def __init__(self, worker: TrainingWorker) -> None:
        self._worker = worker
        self._started = time.perf_counter()
        self._epochs = 1
        self._batches = 1
        self._pending: list[dict[str, Any]] = []
        # -inf lets the first update of each kind through at once (leading edge of the throttle).
        self._last_progress = float("-inf")
        self._last_epochs = float("-inf")

    def on_train_begin(self, info: dict[str, Any]) -> None:
        self._started = time.perf_counter()
        self._epochs = max(1, int(info["epochs"]))
        self._batches = max(1, int(info["batches_per_epoch"]))
        self._worker.run_started.emit(dict(info))

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        self._progress(int(logs["epoch"]), batch + 1)
        # Trailing edge: epochs held back by the throttle go out during the next epoch's batches.
        if self._pending and time.perf_counter() - self._last_epochs >= EPOCHS_INTERVAL_S:
            self.flush()

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self._pending.append(dict(logs))
        if time.perf_counter() - self._last_epochs >= EPOCHS_INTERVAL_S:
            self.flush()

    def on_train_end(self, result: TrainResult) -> None:
        self.flush()

    def flush(self) -> None:
        """Send the epochs not yet sent; the worker also calls this before its final signal."""
        if self._pending:
            self._worker.epochs_logged.emit(self._pending)
            self._pending = []
        self._last_epochs = time.perf_counter()

    def _progress(self, epoch: int, batch: int) -> None:
        now = time.perf_counter()
        if now - self._last_progress < EMIT_INTERVAL_S:
            return
        self._last_progress = now
        elapsed = now - self._started
        fraction = min(1.0, ((epoch - 1) * self._batches + batch) / (self._epochs * self._batches))
        # The ETA assumes every epoch runs; early stopping usually ends sooner.
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else None
        self._worker.progressed.emit({
            "epoch": epoch, "epochs": self._epochs, "batch": batch, "batches_per_epoch": self._batches,
            "fraction_done": fraction, "elapsed_s": elapsed, "eta_s": eta,
        })


class _Thread(QThread):
    """A QThread whose run() calls one function; no event loop is needed because training blocks."""

    def __init__(self, worker: TrainingWorker) -> None:
        super().__init__(worker)
        self._worker = worker

    def run(self) -> None:
        self._worker._train()


class TrainingWorker(QObject):
    """Trains one forecaster at a time on a private QThread.

    Signals arrive on the GUI thread, in this order: ``run_started`` once, then ``progressed`` (at most ~10
    per second) and ``epochs_logged`` (at most 4 per second; every epoch is delivered before the end), then exactly
    one of ``run_finished`` or ``run_failed``. After ``run_finished`` the trained ForecastRun is in
    ``worker.run`` (model, evaluation, resolved config) and its forecasts over the whole series in
    ``worker.inspection``; both are None after a failure.

    A private QThread runs the job; no event loop is needed there because training is one blocking call
    that polls a stop flag. Before the window closes, call ``request_stop()`` and ``wait()``: a QThread
    destroyed while running takes the process with it.
    """

    run_started = Signal(object)  # dict: epochs, batches_per_epoch, parameters, device, threads
    progressed = Signal(object)  # dict: epoch, epochs, batch, batches_per_epoch, fraction_done, elapsed_s, eta_s
    epochs_logged = Signal(object)  # list of epoch logs: epoch, loss, val_loss, lr, seconds, best_epoch, ...
    run_finished = Signal(object)  # dict: TrainResult.to_dict() plus "evaluation" (Evaluation.summary())
    run_failed = Signal(str, str)  # message for the user, details (hint, or the traceback of a bug)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run: ForecastRun | None = None
        self.inspection: ForecastInspection | None = None  # the run's forecasts, residuals, metrics table
        self._stop = threading.Event()
        self._done = threading.Event()
        self._done.set()
        self._job: tuple[SeriesData, RunConfig] | None = None
        self._thread = _Thread(self)

    def start(self, series: SeriesData, config: RunConfig) -> None:
        """Start training `series` with `config`; raises RuntimeError if a run is still going."""
        if self.is_running():
            raise RuntimeError("A training run is still going; stop it or wait for it to end first.")
        # The thread may still be returning from its final emit; it has nothing left to do.
        self._thread.wait()
        self.run = self.inspection = None
        self._job = (series, config)
        self._stop.clear()
        self._done.clear()
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the run to stop before its next batch; safe from any thread. The best weights are kept."""
        self._stop.set()

    def is_running(self) -> bool:
        """True from start() until the final signal (run_finished or run_failed) has been sent."""
        return not self._done.is_set()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the thread has ended (-1: no limit); False if it is still running after `timeout_ms`."""
        if timeout_ms < 0:
            return self._thread.wait()
        return self._thread.wait(timeout_ms)

    def _train(self) -> None:
        # Runs on the worker thread: only plain data leaves it, through queued signals.
        series, config = self._job
        self._job = None
        callback = _SignalCallback(self)
        try:
            # Imported here: torch loads after the window shows (start-up time), not with this module.
            from workbench.core.inspection import inspect_run
            from workbench.core.pipeline import train_forecaster

            run = train_forecaster(series, config, [callback], self._stop.is_set)
            # Forecasting from every origin takes a batched pass over the series: done here, off the GUI thread.
            inspection = inspect_run(run)
        except WorkbenchError as error:
            callback.flush()
            self._finish(self.run_failed, error.message, error.hint)
        except Exception as error:  # a bug: the user gets a short text, the log gets the traceback
            callback.flush()
            message = f"Training failed unexpectedly ({type(error).__name__}: {error})."
            self._finish(self.run_failed, message, traceback.format_exc())
        else:
            callback.flush()
            self.run, self.inspection = run, inspection
            self._finish(self.run_finished, {**run.result.to_dict(), "evaluation": run.evaluation.summary()})

    def _finish(self, signal: Any, *args: Any) -> None:
        # Marked done before the emit, so a slot connected to the final signal may start the next run.
        self._done.set()
        signal.emit(*args)
