"""Find a better model: trials of a search space in parallel worker processes, chosen on validation, tested once.

Optuna samples (grid, random or TPE), prunes hopeless trials from their per-epoch validation loss (median
rule) and keeps the study in a storage that processes on several machines can share (storage.py). Each trial
is recorded as a run in the run store, tagged with the study's name.

`on_event` receives plain dicts, in the caller's thread:
- {"event": "trial_started", "trial", "worker", "params"}
- {"event": "epoch", "trial", "epoch", "loss", "val_loss"}
- {"event": "trial_finished", "trial", "worker", "state" (complete|pruned|failed|stopped), "params", "value" (the
  best validation loss, or None), "run_id", "message", "epochs", "best_value" (the lowest of the complete trials
  so far in this call)}. A trial cut short by Stop or the time limit is "stopped": never chosen as the best.
- {"event": "warning", "message"} and {"event": "worker_failed", "worker", "message"}
- {"event": "scoring_best", "trial"}: the search is over; the chosen trial's test part is being scored.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.errors import ConfigError, WorkbenchError
from workbench.core.search.best import BestModel, best_trial, keep_best, score_best
from workbench.core.search.pool import run_workers, start_early
from workbench.core.search.space import SearchSpace
from workbench.core.search.worker import WorkerPlan

STRATEGIES = ("grid", "random", "tpe")


@dataclass
class SweepSpec:
    """What to search: the data, the base settings, the space, the budget and where the study lives."""

    kind: str  # forecaster, language_model or classifier
    data_path: str
    config: Any = None  # the base settings every trial starts from (default: the kind's defaults)
    space: SearchSpace | None = None  # default: defaults.default_space for the data
    trials: int | None = None  # the budget: trials this call runs (all workers together)...
    minutes: float | None = None  # ...or minutes
    workers: int | None = None  # parallel processes; default: the CPUs this process may use
    strategy: str = "tpe"
    storage: str | None = None  # an Optuna storage URL; default: a journal beside the run store
    study: str | None = None  # joins the study of that name if it exists
    runs_folder: str | None = None  # default: the user's run store
    record: bool = True  # record every trial as a run
    pruning: bool = True
    out: str | None = None  # where to save the best model's bundle
    # How the table is read: ReadOptions' fields as the window or the command line read it (a delimiter, decimal
    # comma, preamble rows...). None detects them. Every worker reads with the options resolved here.
    read_options: dict[str, Any] | None = None
    seed: int | None = None  # the sampler's seed: with one worker, the same seed tries the same settings


@dataclass
class SweepResult:
    study: str
    storage: str
    kind: str
    strategy: str
    counts: dict[str, int]  # trials of the whole study by state: complete, pruned, failed, stopped, running
    ran_here: dict[str, int]  # the trials this call ran, by state
    stopped: bool  # Stop ended the search early
    best: BestModel | None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """What `workbench sweep --metrics-json` writes."""
        best = self.best
        report: dict[str, Any] = {"study": self.study, "storage": self.storage, "kind": self.kind,
                                  "strategy": self.strategy, "trials": self.counts, "trials_here": self.ran_here,
                                  "stopped": self.stopped}
        if best is None:
            return {**report, "best_trial": None}
        return {**{k: v for k, v in best.metrics.items() if k != "validation"}, **report,
                "best_trial": best.trial, "params": best.params, "settings": best.settings,
                "validation_score": best.validation.get("val_loss"), "validation": best.validation,
                "verdict": best.verdict, "selection": best.note, "retrained": best.retrained,
                "run_id": best.run_id, "bundle": best.bundle}


def run_sweep(spec: SweepSpec, should_stop: Callable[[], bool] | None = None,
              on_event: Callable[[dict[str, Any]], None] | None = None) -> SweepResult:
    """Search, then score the best trial's test part once and keep its model. Stop ends all workers within
    seconds; the trials they finished are kept and the best of them is still chosen and scored."""
    import optuna

    from workbench.core.runs.store import default_runs_folder
    from workbench.core.search.defaults import default_space
    from workbench.core.search.stages import config_class, load_data
    from workbench.core.search.storage import default_storage_url, open_storage
    from workbench.core.search.studies import trial_state
    from workbench.core.training.engine import available_cpus

    _check(spec)
    start_early(spec.workers or available_cpus(), spec.trials)
    config = spec.config if spec.config is not None else config_class(spec.kind)()
    runs_folder = Path(spec.runs_folder) if spec.runs_folder else default_runs_folder()
    runs_folder.mkdir(parents=True, exist_ok=True)
    storage = spec.storage or default_storage_url(runs_folder)
    opened = open_storage(storage)  # a storage that cannot be opened is said before the data is read
    loaded = load_data(spec.kind, spec.data_path, spec.read_options)
    space = spec.space or default_space(loaded, config)
    name = spec.study or f"{Path(spec.data_path).stem}-{spec.kind}-{time.strftime('%Y%m%d-%H%M%S')}"
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name=name, storage=opened, direction="minimize", load_if_exists=True)
    _tie_study(study, spec.kind, loaded.sha256)
    settings = config.to_dict()
    settings["train"]["threads"] = settings["train"]["threads"] or 1  # one thread per worker
    trials = spec.trials
    if spec.strategy == "grid":  # every combination once, also under a budget in minutes
        trials = min(trials or space.grid_size(), space.grid_size())
    workers = max(1, min(spec.workers or available_cpus(), trials or 10**6))
    scratch = tempfile.mkdtemp(prefix="workbench-sweep-")
    plan = WorkerPlan(spec.kind, str(spec.data_path), settings, space, storage, name, spec.strategy, spec.pruning,
                      str(runs_folder) if spec.record else None, scratch,
                      time.time() + spec.minutes * 60 if spec.minutes else None, read_options=loaded.read_options,
                      seed=spec.seed)
    tracker = _Tracker(on_event)
    try:
        stopped = run_workers(plan, workers, trials, should_stop or (lambda: False), tracker, loaded)
        _fail_unfinished(study, tracker.running)
        if tracker.failures and not tracker.ran:
            raise WorkbenchError(f"The search could not start: {tracker.failures[0]}")
        study = optuna.load_study(study_name=name, storage=open_storage(storage))
        best = _finish(study, loaded, scratch, spec, runs_folder, tracker)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    found = Counter(trial_state(t) for t in study.get_trials(deepcopy=False))
    counts = {state: found[state] for state in ("complete", "pruned", "failed", "stopped", "running")}
    return SweepResult(name, storage, spec.kind, spec.strategy, counts, dict(tracker.ran), stopped, best,
                       tracker.warnings + (best.warnings if best else []))


def _finish(study: Any, loaded: Any, scratch: str, spec: SweepSpec, runs_folder: Path, tracker: _Tracker,
            ) -> BestModel | None:
    from workbench.core.runs.store import RunStore

    trial = best_trial(study)
    if trial is None:
        return None
    tracker({"event": "scoring_best", "trial": trial.number})
    best = score_best(trial, loaded, scratch)
    store = None
    if spec.record:
        try:
            store = RunStore(runs_folder)
        except WorkbenchError as error:
            best.warnings.append(f"the best model is not recorded: {error}")
    keep_best(best, loaded, spec.out, store, scratch, study.study_name, trial.user_attrs.get("run_id"))
    return best


def _fail_unfinished(study: Any, numbers: set[int]) -> None:
    """Trials whose worker was ended mid-way would stay "running" in the study for ever: mark them failed."""
    import optuna

    for number in numbers:
        with contextlib.suppress(Exception):  # another process may have told it meanwhile
            study.tell(number, state=optuna.trial.TrialState.FAIL)


def _check(spec: SweepSpec) -> None:
    problems = {}
    if (spec.trials is None) == (spec.minutes is None):
        problems["budget"] = "give either a number of trials or a number of minutes."
    if spec.trials is not None and spec.trials < 1:
        problems["trials"] = f"got {spec.trials}; give at least 1."
    if spec.minutes is not None and not spec.minutes > 0:
        problems["minutes"] = f"got {spec.minutes}; give more than 0."
    if spec.workers is not None and spec.workers < 1:
        problems["workers"] = f"got {spec.workers}; give at least 1."
    if spec.strategy not in STRATEGIES:
        problems["strategy"] = f"got {spec.strategy!r}; choose one of {', '.join(STRATEGIES)}."
    if spec.space is not None and spec.space.kind != spec.kind:
        problems["space"] = f"was written for a {spec.space.kind}, not a {spec.kind}."
    if problems:
        raise ConfigError(problems)


def _tie_study(study: Any, kind: str, sha256: str | None) -> None:
    """A study searches one kind of model on one data file: joining it with another is refused."""
    attrs = study.user_attrs
    if attrs.get("kind", kind) != kind:
        raise WorkbenchError(f"The study {study.study_name} searches {attrs['kind']} settings, not {kind} ones.",
                             hint="Give another --study name.")
    if attrs.get("data_sha256", sha256) != sha256:
        raise WorkbenchError(f"The study {study.study_name} searched another data file (a different SHA-256).",
                             hint="Give another --study name, or the file that study used.")
    if "kind" not in attrs:
        study.set_user_attr("kind", kind)
        study.set_user_attr("data_sha256", sha256)
        study.set_user_attr("score", "val_loss")


class _Tracker:
    """Counts what this call ran, keeps the best value so far, and passes every event on."""

    def __init__(self, on_event: Callable[[dict[str, Any]], None] | None) -> None:
        self.on_event = on_event
        self.ran: Counter[str] = Counter()
        self.best: float | None = None
        self.failures: list[str] = []
        self.warnings: list[str] = []
        self.running: set[int] = set()

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "trial_started":
            self.running.add(event["trial"])
        elif kind == "trial_finished":
            self.running.discard(event["trial"])
            self.ran[event["state"]] += 1
            if event["state"] == "complete" and (self.best is None or event["value"] < self.best):
                self.best = event["value"]
            event = {**event, "best_value": self.best}
        elif kind == "worker_failed":
            self.failures.append(event["message"])
        elif kind == "warning":
            self.warnings.append(event["message"])
        if self.on_event is not None:
            self.on_event(event)

