"""Recording a training run when it ends (finished, stopped or failed), from the command line, the window or a search.

Each kind's run object is read by its kind (the registry's name), never by which attributes it has.
"""

from __future__ import annotations

import contextlib
import platform
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL
from workbench.core.runs.files import file_sha256
from workbench.core.runs.records import FAILED, FINISHED, STOPPED, RunRecord
from workbench.core.runs.store import RunStore
from workbench.core.training.callbacks import Callback
from workbench.core.training.events import DIVERGED, USER_STOPPED, TrainResult


class TrainingFacts(Callback):
    """Collects what a record needs while the run trains: when it started, the device, the threads, the size of
    the network, and each epoch's logs, so a run that fails still keeps the epochs it finished."""

    def __init__(self) -> None:
        self.started = time.time()
        self.environment: dict[str, Any] = {}
        self.history: list[dict[str, float]] = []

    def on_train_begin(self, info: dict[str, Any]) -> None:
        self.started = time.time()
        self.history = []
        self.environment = {key: info[key] for key in ("device", "threads", "parameters") if key in info}

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self.history.append(dict(logs))


def library_versions() -> dict[str, str]:
    """The versions a run's numbers depend on."""
    import numpy
    import pandas
    import torch

    from workbench import __version__

    return {"workbench": __version__, "python": platform.python_version(), "torch": torch.__version__,
            "numpy": numpy.__version__, "pandas": pandas.__version__}


def validation_scores(result: TrainResult) -> dict[str, Any]:
    """What a search selects on: the best validation loss and where it was reached."""
    return {"val_loss": result.best_val_loss, "best_epoch": result.best_epoch, "epochs_run": result.epochs_run,
            "stopped_reason": result.stopped_reason}


def run_scores(kind: str, run: Any) -> tuple[dict[str, Any], str]:
    """(metrics, verdict) of a finished run of `kind`: validation scores, and test scores beside the baselines
    for the kinds that have a test part (a language model is scored on validation only)."""
    metrics = {"validation": validation_scores(run.result)}
    if kind == LANGUAGE_MODEL:
        from workbench.core.text.pipeline import describe_scores

        metrics["validation"].update(run.scores)
        return metrics, describe_scores(run.scores)
    if kind in (FORECASTER, CLASSIFIER):
        summary = run.evaluation.summary()
        return {**metrics, **summary}, str(summary.get("verdict", ""))
    raise ValueError(f"unknown kind of run {kind!r}")


def status_of(result: TrainResult) -> str:
    """finished (all epochs, or stopped early by patience), stopped (by the user or a search), failed (diverged)."""
    if result.stopped_reason == USER_STOPPED:
        return STOPPED
    return FAILED if result.stopped_reason == DIVERGED else FINISHED


def error_message(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt):
        return "Aborted with Ctrl-C before training could finish."
    if isinstance(error, WorkbenchError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def build_record(kind: str, data_path: str | Path, read_options: dict[str, Any], config: Any, run: Any = None, *,
                 result: TrainResult | None = None, scores: tuple[dict[str, Any], str] | None = None,
                 status: str | None = None, error: BaseException | str | None = None,
                 facts: TrainingFacts | None = None, study: str | None = None, trial: int | None = None,
                 data_sha256: str | None = None) -> RunRecord:
    """A RunRecord of a run that ended: from its kind's run object when it finished (`run`), or from a bare
    `result` with its `scores` (metrics, verdict), or, when it failed, from what `facts` saw."""
    facts = facts or TrainingFacts()
    if run is not None:
        config, result, scores = run.config, run.result, run_scores(kind, run)
    settings = config.to_dict()
    metrics, verdict = scores or ({}, "")
    if result is None and facts.history:
        metrics = {"validation": {"val_loss": min(e["val_loss"] for e in facts.history)}}
    history = result.history if result is not None else facts.history
    if error is not None:
        message = error if isinstance(error, str) else error_message(error)
    else:
        message = result.message if result is not None else ""
    if status is None:
        status = status_of(result) if result is not None else (
            STOPPED if isinstance(error, KeyboardInterrupt) else FAILED)
    path = str(Path(data_path).resolve()) if data_path else ""
    return RunRecord(
        kind=kind, status=status, message=message, started=facts.started, ended=time.time(), data_path=path,
        data_sha256=data_sha256 or (file_sha256(path) if path else None), read_options=dict(read_options),
        settings=settings, seed=settings.get("train", {}).get("seed"),
        environment={"versions": library_versions(), **facts.environment}, history=list(history),
        metrics=metrics, verdict=verdict, study=study, trial=trial, epochs=len(history),
        best_val_loss=metrics.get("validation", {}).get("val_loss"),
    )


def record_run(store: RunStore, kind: str, data_path: str | Path, read_options: dict[str, Any], config: Any,
               run: Any = None, status: str | None = None, error: BaseException | str | None = None,
               bundle: str | Path | None = None, *, facts: TrainingFacts | None = None, study: str | None = None,
               trial: int | None = None) -> int:
    """Add the run that just ended to `store` and return its id. `run` is the pipeline's run object (None when it
    failed); `config` the settings it was started with; `bundle` a saved model file to keep a copy of."""
    record = build_record(kind, data_path, read_options, config, run, status=status, error=error, facts=facts,
                          study=study, trial=trial)
    return store.add_run(record, bundle=bundle)


class RunRecorder:
    """Records one training run without ever failing it: any problem with the store goes to `warn` in one line.

    Pass `facts` among the training callbacks, train inside `watch(config)` (a failure is recorded, then raised
    on), and call `finished(run, bundle)` once the model is saved."""

    def __init__(self, store: RunStore | None, kind: str, data_path: str | Path, read_options: dict[str, Any],
                 warn: Callable[[str], None]) -> None:
        self.store, self.kind, self.data_path, self.read_options = store, kind, data_path, read_options
        self.warn = warn
        self.facts = TrainingFacts()
        self.run_id: int | None = None

    @contextlib.contextmanager
    def watch(self, config: Any) -> Iterator[None]:
        try:
            yield
        except BaseException as error:
            self._record(config, None, error=error)
            raise

    def finished(self, run: Any, bundle: str | Path | None = None) -> int | None:
        return self._record(run.config, run, bundle=bundle)

    def _record(self, config: Any, run: Any, error: BaseException | None = None,
                bundle: str | Path | None = None) -> int | None:
        if self.store is None:
            return None
        try:
            self.run_id = record_run(self.store, self.kind, self.data_path, self.read_options, config, run,
                                     error=error, bundle=bundle, facts=self.facts)
        except Exception as problem:  # noqa: BLE001 - the store must never fail the training
            self.warn(f"the run was not recorded in {self.store.folder}: {error_message(problem)}")
        return self.run_id
