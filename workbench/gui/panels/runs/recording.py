"""Recording the window's own training runs in the run store, however they end (core/runs/record.py RunRecorder),
with a copy of the trained model so the Runs tab can open it again. It wraps a workspace's training call and
runs on the training job's thread; a store that cannot be used costs one warning, never the run."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from workbench.core.training.callbacks import Callback
    from workbench.gui.panels.runs.work import Work
    from workbench.gui.training_job import TrainCall


class RunWarnings(QObject):
    """Carries a recording problem from the training job's thread to the GUI thread (a queued signal)."""

    warned = Signal(str)


def recorded_training(train: TrainCall, work: Work, folder: str | None, warn: Callable[[str], object],
                      run_of: Callable[[Any], Any] = lambda result: result) -> TrainCall:
    """`train` with its run recorded in the store in `folder` (None: the default): the recorder's facts join the
    callbacks; a failure is recorded, then raised on; a finished run is recorded with a copy of its model.
    `run_of(result)` is the kind's run object in what `train` returns (a series workspace returns it with its
    forecasts); `warn(line)` is called on the job's thread (RunWarnings.warned.emit is safe there)."""

    def run(callbacks: list[Callback], should_stop: Callable[[], bool]) -> Any:
        from workbench.core.errors import WorkbenchError
        from workbench.core.runs.record import RunRecorder
        from workbench.core.runs.store import RunStore

        try:
            store = RunStore(folder)
        except WorkbenchError as error:
            warn(f"This run is not recorded in the Runs tab: {error}")
            store = None
        recorder = RunRecorder(store, work.kind, work.data_path, work.read_options,
                               lambda line: warn(line[:1].upper() + line[1:]))
        try:
            with recorder.watch(work.config):
                result = train([*callbacks, recorder.facts], should_stop)
            if store is not None:
                _finished(recorder, work.kind, run_of(result), warn)
            return result
        finally:
            if store is not None:
                store.close()

    return run


def _finished(recorder: Any, kind: str, run: Any, warn: Callable[[str], object]) -> None:
    """Record the finished run with a copy of its model (the store copies the file it is given)."""
    from workbench.core.export.kinds import save_model
    from workbench.core.search.stages import make_bundle

    with tempfile.TemporaryDirectory(prefix="workbench-run-") as folder:
        path = Path(folder) / "model.swb"
        try:
            save_model(path, make_bundle(kind, run))
        except Exception as error:  # noqa: BLE001 - the run is recorded without its model rather than not at all
            warn(f"This run's model is not kept in the Runs tab: {error}")
            path = None
        recorder.finished(run, bundle=path)
