"""One search worker: asks the study for trials, trains each on validation only, records it, and tells the study.

A worker runs in a process of its own (started with spawn, one torch thread) or, for a single worker, in the
caller's process. Its only links to the rest are plain callables: `take` claims a trial of the budget,
`should_stop` says Stop was asked, `emit` sends an event dict (see sweep.py for the events).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.runs.record import TrainingFacts, build_record, error_message, status_of, validation_scores
from workbench.core.runs.records import STOPPED, dumps
from workbench.core.search.space import SearchSpace, apply_params
from workbench.core.search.stages import LoadedData, config_class, load_data, prepare, train
from workbench.core.training.callbacks import Callback

COMPLETE, PRUNED, FAILED, STOPPED_TRIAL = "complete", "pruned", "failed", "stopped"
# Median pruning once 4 trials have finished, and never before a trial's third epoch: the first epochs of a
# recurrent network say little about where it ends.
PRUNER_STARTUP_TRIALS = 4
PRUNER_WARMUP_EPOCHS = 2


@dataclass(frozen=True)
class WorkerPlan:
    """Everything a worker needs, as plain picklable data."""

    kind: str
    data_path: str
    settings: dict[str, Any]  # the base configuration's to_dict(); a trial changes the settings of the space
    space: SearchSpace
    storage: str  # an Optuna storage URL (storage.py)
    study: str
    strategy: str  # grid, random or tpe
    pruning: bool
    runs_folder: str | None  # the run store every trial is recorded in; None records nothing
    weights_folder: str  # where each complete trial's weights wait until the best is chosen
    deadline: float | None  # Unix time after which no trial starts and running ones stop
    threads: int = 1
    read_options: dict[str, Any] | None = None  # how the table is read (stages.load_data); None detects them
    seed: int | None = None  # the samplers' seed (worker k uses seed + k); None: a fresh one each run


def make_sampler(strategy: str, space: SearchSpace, seed: int | None = None) -> Any:
    import optuna

    if strategy == "grid":

        class Grid(optuna.samplers.GridSampler):
            # Optuna's grid asks the study to stop once every combination is taken, which raises outside
            # study.optimize() (we ask and tell): the search's own budget, capped at the grid's size, ends it.
            def after_trial(self, study: Any, trial: Any, state: Any, values: Any) -> None:
                return None

        return Grid(space.grid(), seed=seed)
    if strategy == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    return optuna.samplers.TPESampler(seed=seed)


def make_pruner(pruning: bool) -> Any:
    import optuna

    if not pruning:
        return optuna.pruners.NopPruner()
    return optuna.pruners.MedianPruner(n_startup_trials=PRUNER_STARTUP_TRIALS, n_warmup_steps=PRUNER_WARMUP_EPOCHS)


def weights_path(plan: WorkerPlan, trial: int) -> Path:
    return Path(plan.weights_folder) / f"trial-{trial}.safetensors"


class PruneOnMedian(Callback):
    """Reports each epoch's validation loss to the trial and stops training when the pruner gives up on it."""

    def __init__(self, trial: Any) -> None:
        self.trial = trial
        self.pruned_at: int | None = None
        self.epochs: int | None = None

    def on_train_begin(self, info: dict[str, Any]) -> None:
        self.epochs = info.get("epochs")

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self.trial.report(logs["val_loss"], epoch)
        if epoch == self.epochs:  # trained to the end: nothing left to save by pruning it
            return
        if self.trial.should_prune() and self.trainer is not None:
            self.pruned_at = epoch
            self.trainer.request_stop(early=True)


class EpochRelay(Callback):
    """Sends each epoch's losses as an event, for a live table and curves."""

    def __init__(self, emit: Callable[[dict[str, Any]], None], trial: int) -> None:
        self.emit, self.trial = emit, trial

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self.emit({"event": "epoch", "trial": self.trial, "epoch": epoch, "loss": logs["loss"],
                   "val_loss": logs["val_loss"]})


def work(plan: WorkerPlan, take: Callable[[], bool], should_stop: Callable[[], bool],
         emit: Callable[[dict[str, Any]], None], worker: int = 0, loaded: LoadedData | None = None) -> None:
    """Run trials until the budget, the deadline or Stop ends them; a trial's failure never ends the worker."""
    import optuna

    from workbench.core.search.storage import open_storage

    optuna.logging.set_verbosity(logging.WARNING)
    # Each worker its own seed: the same seed in two workers would sample the same settings twice.
    seed = None if plan.seed is None else plan.seed + worker
    study = optuna.load_study(study_name=plan.study, storage=open_storage(plan.storage),
                              sampler=make_sampler(plan.strategy, plan.space, seed), pruner=make_pruner(plan.pruning))
    loaded = loaded or load_data(plan.kind, plan.data_path, plan.read_options)
    base = config_class(plan.kind).from_dict(plan.settings)
    store = _open_store(plan.runs_folder, emit)

    def stopping() -> bool:
        return should_stop() or (plan.deadline is not None and time.time() >= plan.deadline)

    while not stopping() and take():
        run_trial(study, plan, loaded, base, store, stopping, emit, worker)


def run_trial(study: Any, plan: WorkerPlan, loaded: Any, base: Any, store: Any, stopping: Callable[[], bool],
              emit: Callable[[dict[str, Any]], None], worker: int) -> str:
    """Ask, train on validation only, record, tell; returns the trial's state."""
    import optuna

    trial = study.ask()
    facts, pruner = TrainingFacts(), PruneOnMedian(trial)
    params: dict[str, Any] = {}
    config, result, problem = base, None, None
    try:
        params = plan.space.suggest(trial)
        emit({"event": "trial_started", "trial": trial.number, "worker": worker, "params": params})
        config = apply_params(base, params)
        staged = prepare(loaded, config)
        config = staged.config
        result = train(staged, [facts, EpochRelay(emit, trial.number), pruner], stopping)
    except Exception as error:  # noqa: BLE001 - a trial that fails is a result of the search, not its end
        problem = error_message(error)
    cut_short = result is not None and _cut_short(result, pruner)
    if problem is None and result is not None and result.best_val_loss is None and not cut_short:
        problem = result.message
    state = FAILED if problem else PRUNED if pruner.pruned_at else STOPPED_TRIAL if cut_short else COMPLETE
    message = problem or _ending(state, result, pruner, plan)
    run_id = _record(store, plan, loaded, config, result, facts, state, message, trial.number, emit)
    attrs = {"settings": config.to_dict(), "run_id": run_id, "host": socket.gethostname(), "process": os.getpid(),
             "worker": worker, "message": message, "result": result.to_dict() if result is not None else None}
    if state == COMPLETE:
        _save_weights(staged.model, weights_path(plan, trial.number))
        attrs["weights"] = str(weights_path(plan, trial.number))
    if state == STOPPED_TRIAL:
        # Told as failed, so no sampler or pruner learns from a curve cut short and it is never chosen as best.
        attrs["stopped"] = True
    for key, value in attrs.items():
        trial.set_user_attr(key, _plain(value))
    if state == COMPLETE:
        study.tell(trial, result.best_val_loss)
    else:
        study.tell(trial, state=optuna.trial.TrialState.PRUNED if state == PRUNED else optuna.trial.TrialState.FAIL)
    emit({"event": "trial_finished", "trial": trial.number, "worker": worker, "state": state, "params": params,
          "value": result.best_val_loss if result is not None else None, "run_id": run_id, "message": message,
          "epochs": result.epochs_run if result is not None else len(facts.history)})
    return state


def _cut_short(result: Any, pruner: PruneOnMedian) -> bool:
    """Stop (or the search's time limit) ended the trial before its last epoch."""
    from workbench.core.training.events import USER_STOPPED

    return result.stopped_reason == USER_STOPPED and (pruner.epochs is None or result.epochs_run < pruner.epochs)


def _ending(state: str, result: Any, pruner: PruneOnMedian, plan: WorkerPlan) -> str:
    """How a trial that did not fail ended, in words."""
    if state == PRUNED:
        return (f"Pruned by the search after epoch {pruner.pruned_at}: its validation loss was worse than the median "
                "of earlier trials at that epoch.")
    if state == STOPPED_TRIAL:
        by = "the search's time limit" if plan.deadline is not None and time.time() >= plan.deadline else "Stop"
        return (f"Stopped by {by} after {result.epochs_run} of {pruner.epochs} epochs: not compared with the "
                "complete trials.")
    return result.message


def _record(store: Any, plan: WorkerPlan, loaded: Any, config: Any, result: Any, facts: TrainingFacts, state: str,
            message: str, trial: int, emit: Callable[[dict[str, Any]], None]) -> int | None:
    """Keep the trial in the run store (validation scores only: the test part is for the chosen best)."""
    if store is None:
        return None
    try:
        status = STOPPED if state in (PRUNED, STOPPED_TRIAL) else status_of(result) if state == COMPLETE else "failed"
        scores = ({"validation": validation_scores(result)}, "") if result is not None else None
        record = build_record(plan.kind, loaded.path, loaded.read_options, config, result=result, scores=scores,
                              status=status, error=message, facts=facts, study=plan.study, trial=trial,
                              data_sha256=loaded.sha256)
        return store.add_run(record)
    except Exception as error:  # noqa: BLE001 - the store must never fail the search
        emit({"event": "warning", "message": f"trial {trial} was not recorded: {error_message(error)}"})
        return None


def _open_store(folder: str | None, emit: Callable[[dict[str, Any]], None]) -> Any:
    if folder is None:
        return None
    from workbench.core.runs.store import RunStore

    try:
        return RunStore(folder)
    except Exception as error:  # noqa: BLE001 - searching goes on without the store
        emit({"event": "warning", "message": f"trials are not recorded: {error_message(error)}"})
        return None


def _save_weights(model: Any, path: Path) -> None:
    from safetensors.torch import save_file

    save_file({name: tensor.detach().contiguous() for name, tensor in model.state_dict().items()}, str(path))


def _plain(value: Any) -> Any:
    """JSON-safe (no NaN) for the study's storage."""
    import json

    return json.loads(dumps(value))


def worker_process(plan: WorkerPlan, worker: int, remaining: Any, stop: Any, events: Any) -> None:
    """The entry point of a spawned worker: Ctrl-C is the parent's to handle (it sets `stop` for everyone)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import torch

    torch.set_num_threads(plan.threads)

    def take() -> bool:
        with remaining.get_lock():
            if remaining.value == 0:
                return False
            remaining.value -= 1  # below zero means no trial budget: only the deadline or Stop ends it
            return True

    try:
        work(plan, take, stop.is_set, events.put, worker)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which says it in words
        events.put({"event": "worker_failed", "worker": worker, "message": error_message(error)})
