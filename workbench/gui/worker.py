"""Runs a training off the GUI thread and reports it as throttled Qt signals that carry plain data only."""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal

from workbench.core.data.series import SeriesData
from workbench.core.errors import WorkbenchError
from workbench.core.run_config import RunConfig
from workbench.core.training.callbacks import Callback
from workbench.core.training.events import TrainResult

if TYPE_CHECKING:
    import pandas as pd

    from workbench.core.forecast.inspection import ForecastInspection
    from workbench.core.forecast.pipeline import ForecastRun
    from workbench.core.run_config import ClassifyRunConfig, TextRunConfig
    from workbench.core.text.pipeline import LanguageModelRun
    from workbench.core.text.source import TextSource
    from workbench.core.text.text_callbacks import BestSnapshot

# A job runs on the worker thread with the worker's callbacks and stop check, and returns the run, its
# inspection (forecasters only) and the plain-data payload of run_finished.
Job = Callable[[list[Callback], Callable[[], bool]], tuple[Any, Any, dict[str, Any]]]

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
    """Trains one model at a time (a forecaster, a language model or a text classifier) on a private QThread.

    Signals arrive on the GUI thread, in this order: ``run_started`` once, then ``progressed`` (at most ~10
    per second) and ``epochs_logged`` (at most 4 per second; every epoch is delivered before the end), then exactly
    one of ``run_finished`` or ``run_failed``. After ``run_finished`` the trained ForecastRun is in
    ``worker.run`` (model, evaluation, resolved config) and its forecasts over the whole series in
    ``worker.inspection``; both are None after a failure. A language model's run is a LanguageModelRun,
    with no inspection; it also sends ``sample_generated`` after each epoch, and ``best_snapshot`` holds a
    copy of its best weights so far that another thread may generate from while training goes on.

    A private QThread runs the job; no event loop is needed there because training is one blocking call
    that polls a stop flag. Before the window closes, call ``request_stop()`` and ``wait()``: a QThread
    destroyed while running takes the process with it.
    """

    run_started = Signal(object)  # dict: epochs, batches_per_epoch, parameters, device, threads
    progressed = Signal(object)  # dict: epoch, epochs, batch, batches_per_epoch, fraction_done, elapsed_s, eta_s
    epochs_logged = Signal(object)  # list of epoch logs: epoch, loss, val_loss, lr, seconds, best_epoch, ...
    run_finished = Signal(object)  # dict: TrainResult.to_dict() plus "evaluation" (Evaluation.summary())
    run_failed = Signal(str, str)  # message for the user, details (hint, or the traceback of a bug)
    sample_generated = Signal(object)  # dict: epoch, val_loss, bits, prompt, text (language models only)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run: ForecastRun | LanguageModelRun | None = None
        self.inspection: ForecastInspection | None = None  # the run's forecasts, residuals, metrics table
        self.best_snapshot: BestSnapshot | None = None  # language models: the best weights so far
        self._stop = threading.Event()
        self._done = threading.Event()
        self._done.set()
        self._job: Job | None = None
        self._thread = _Thread(self)

    def start(self, series: SeriesData, config: RunConfig) -> None:
        """Start training a forecaster on `series`; raises RuntimeError if a run is still going."""
        self._start(lambda callbacks, should_stop: _forecast_job(series, config, callbacks, should_stop))

    def start_text(self, source: TextSource, config: TextRunConfig) -> None:
        """Start training a language model on `source`; raises RuntimeError if a run is still going."""
        from workbench.core.text.text_callbacks import BestSnapshot

        snapshot = BestSnapshot()
        self._start(lambda callbacks, should_stop: self._text_job(source, config, snapshot, callbacks, should_stop),
                    snapshot)

    def start_classify(self, frame: pd.DataFrame, config: ClassifyRunConfig, source: str = "") -> None:
        """Start training a text classifier on a labelled table; raises RuntimeError if a run is still going."""
        self._start(lambda callbacks, should_stop: _classify_job(frame, config, source, callbacks, should_stop))

    def _start(self, job: Job, snapshot: BestSnapshot | None = None) -> None:
        if self.is_running():
            raise RuntimeError("A training run is still going; stop it or wait for it to end first.")
        # The thread may still be returning from its final emit; it has nothing left to do.
        self._thread.wait()
        self.run = self.inspection = None
        self.best_snapshot = snapshot
        self._job = job
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
        job, self._job = self._job, None
        callback = _SignalCallback(self)
        try:
            run, inspection, payload = job([callback], self._stop.is_set)
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
            self._finish(self.run_finished, payload)

    def _text_job(self, source: TextSource, config: TextRunConfig, snapshot: BestSnapshot,
                  callbacks: list[Callback], should_stop: Callable[[], bool]) -> tuple[Any, None, dict[str, Any]]:
        from workbench.core.text.pipeline import describe_scores, train_language_model
        from workbench.core.text.text_callbacks import SampleTimeline

        timeline = SampleTimeline(config.text.sample_length, self.sample_generated.emit, seed=config.train.seed)
        # The snapshot and the sample come before the signal callback, so the epoch they belong to reaches
        # the window after them: by then "generate from the best weights" already sees that epoch's weights.
        run = train_language_model(source, config, [snapshot, timeline, *callbacks], should_stop)
        return run, None, {**run.result.to_dict(), "scores": run.scores, "scores_text": describe_scores(run.scores)}

    def _finish(self, signal: Any, *args: Any) -> None:
        # Marked done before the emit, so a slot connected to the final signal may start the next run.
        self._done.set()
        signal.emit(*args)


def _forecast_job(series: SeriesData, config: RunConfig, callbacks: list[Callback],
                  should_stop: Callable[[], bool]) -> tuple[Any, Any, dict[str, Any]]:
    # Imported here: torch loads after the window shows (start-up time), not with this module.
    from workbench.core.forecast.inspection import inspect_run
    from workbench.core.forecast.pipeline import train_forecaster

    run = train_forecaster(series, config, callbacks, should_stop)
    # Forecasting from every origin takes a batched pass over the series: done here, off the GUI thread.
    return run, inspect_run(run), {**run.result.to_dict(), "evaluation": run.evaluation.summary()}


def _classify_job(frame: pd.DataFrame, config: ClassifyRunConfig, source: str, callbacks: list[Callback],
                  should_stop: Callable[[], bool]) -> tuple[Any, None, dict[str, Any]]:
    from workbench.core.classify.pipeline import train_classifier

    run = train_classifier(frame, config, callbacks, should_stop, source)
    # Scoring on test beside both baselines happened in train_classifier, here off the GUI thread.
    summary = run.evaluation.summary()
    return run, None, {**run.result.to_dict(), "evaluation": summary, "scores_text": summary["verdict"]}
