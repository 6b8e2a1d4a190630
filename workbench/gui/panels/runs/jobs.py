"""The race and the search as runner jobs: plain functions of a job context that call the core and report through
the context's throttled channels. No widgets here."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError
from workbench.core.training.callbacks import Callback
from workbench.gui.runner import BATCH_INTERVAL_S
from workbench.gui.training_job import TRAINING_JOB

if TYPE_CHECKING:
    from workbench.core.search.race import RaceResult
    from workbench.core.search.sweep import SweepResult, SweepSpec
    from workbench.gui.panels.runs.work import Work
    from workbench.gui.runner import JobContext

RACE, SEARCH = "race", "search"  # the channels the jobs send their reports on


def work_to_start(services: Any, work_source: Callable[[], Work | None], what: str) -> Work | None:
    """The open data and settings a race or search (`what`) can start on, or None after saying in words why not."""
    work = work_source()
    if work is None:
        services.show_error("Open data first.", f"The {what} trains on the data open in this workspace.")
        return None
    if services.runner.is_running(TRAINING_JOB):
        services.show_error("Another model is still training.", "Wait for it to end, or stop it first.")
        return None
    return work


class RaceReporter(Callback):
    """One cell's training hooks, as reports: {"cell", "event": "started"|"epoch", ...} on RACE, and progress."""

    def __init__(self, context: JobContext, cell: str) -> None:
        self._context, self._cell = context, cell
        self._epochs = 1

    def on_train_begin(self, info: dict[str, Any]) -> None:
        self._epochs = int(info.get("epochs", 1))
        self._context.send(RACE, {"cell": self._cell, "event": "started", "parameters": info.get("parameters")})

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        self._context.progress({"cell": self._cell, "epoch": int(logs["epoch"]), "epochs": self._epochs})

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self._context.send(RACE, {"cell": self._cell, "event": "epoch", **logs})

    def on_train_end(self, result: Any) -> None:
        self._context.flush()  # the cell's last epochs are drawn now, not when the next cell reports


def open_store(folder: str | None) -> tuple[Any, str]:
    """(the run store, "") or (None, why it cannot be used): a store problem never stops a race."""
    from workbench.core.runs.store import RunStore

    try:
        return RunStore(folder), ""
    except WorkbenchError as error:
        return None, f"The race's runs are not recorded: {error}"


def race_function(work: Work, equal_params: bool, folder: str | None) -> Callable[[JobContext], tuple[Any, str]]:
    """The job: race the cells on `work`'s data and settings; returns (RaceResult, the store's problem or "")."""

    def run(context: JobContext) -> tuple[RaceResult, str]:
        from workbench.core.runs.files import file_sha256
        from workbench.core.search.race import race
        from workbench.core.search.stages import LoadedData

        store, problem = open_store(folder)
        data: Any = work.data_path
        if work.content is not None:  # the data as the window read it: not read again
            data = LoadedData(work.kind, work.data_path, work.content, dict(work.read_options),
                              file_sha256(work.data_path))
        try:
            result = race(work.kind, data, work.config, equal_params=equal_params,
                          callbacks_for=lambda cell: [RaceReporter(context, cell)], should_stop=context.should_stop,
                          store=store, read_options=dict(work.read_options) or None)
        finally:
            if store is not None:
                store.close()
        return result, problem

    return run


@dataclass
class SearchOutcome:
    result: SweepResult
    bundle: str | None  # the best model's file: its copy in the run store, else the search's own file


def search_function(spec: SweepSpec) -> Callable[[JobContext], SearchOutcome]:
    """The job: run the search (its workers are processes of their own), passing every event on SEARCH."""

    def run(context: JobContext) -> SearchOutcome:
        from workbench.core.search import sweep

        last_flush = [time.monotonic()]

        def should_stop() -> bool:
            # The search asks this about ten times a second while its workers run; events sent meanwhile wait
            # for the next one (the context sends on a send), so a trial that ended during a long quiet spell
            # would only show when the next event came. Here they go out at the runner's pace.
            now = time.monotonic()
            if now - last_flush[0] >= BATCH_INTERVAL_S:
                last_flush[0] = now
                context.flush()
            return context.should_stop()

        result = sweep.run_sweep(spec, should_stop=should_stop, on_event=lambda event: context.send(SEARCH, event))
        return SearchOutcome(result, kept_bundle(result, spec))

    return run


def kept_bundle(result: SweepResult, spec: SweepSpec) -> str | None:
    """Where the best model is kept: the run store's copy when it was recorded, else the search's `out` file."""
    best = result.best
    if best is None:
        return None
    if best.run_id is not None and spec.record:
        store, _problem = open_store(spec.runs_folder)
        if store is not None:
            try:
                kept = store.get_run(best.run_id).bundle
            except WorkbenchError:
                kept = None
            finally:
                store.close()
            if kept and Path(kept).is_file():
                return kept
    return spec.out if spec.out and Path(spec.out).is_file() else None
