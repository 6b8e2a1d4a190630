"""The Workspace interface: one kind of work with its own tabs, training, model, projects and exports.

The main window holds one workspace per kind of work in a stack and asks the active one what it needs: which
plot to export, whether its model is saved, what a project of it holds. A workspace owns its left tabs
(settings) and right tabs (views), its Training tab, its model and its background jobs; it reaches the rest of
the window only through `Services`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QSplitter, QTabWidget, QWidget

from workbench.gui.latest_job import LatestJob
from workbench.gui.panels.training_panel import TrainingPanel
from workbench.gui.theme import configure_pyqtgraph
from workbench.gui.training_job import EPOCHS, STARTED, TRAINING_JOB, ExtraCallbacks, TrainCall, training_function
from workbench.gui.unsaved import TRAIN
from workbench.gui.workspaces.model_tabs import ModelTabs

if TYPE_CHECKING:
    import pyqtgraph as pg

    from workbench.core.project import OpenedProject, Project
    from workbench.core.training.advice import Advice
    from workbench.core.training.snapshot import BestSnapshot
    from workbench.gui.panels.runs.experiments import ExperimentTabs
    from workbench.gui.runner import Job
    from workbench.gui.services import Services
    from workbench.gui.workspaces.inspect_tab import InspectTab

def with_callback(first: Any, callbacks: ExtraCallbacks | None) -> ExtraCallbacks:
    """A kind's own callbacks for a run with `first` before them."""
    return lambda context: [first, *(callbacks(context) if callbacks is not None else [])]


# Export menu entries a workspace may offer; `export_state` says for each whether it is possible now.
EXPORTS = ("onnx", "predictions", "loss", "text")


class Workspace(ModelTabs, QObject):
    """Base of the series, text and classification workspaces; subclasses fill in the kind-specific parts."""

    kind: ClassVar[str]  # "series", "text" or "classify": the project kind and the registry's kind of work
    model_kind: ClassVar[str]  # the bundle kind its models have: "forecaster", "language_model", "classifier"
    model_label: ClassVar[str]  # that kind in words, for questions and messages

    changed = Signal()  # the model, the data or the busy state changed: the window refreshes menus and title
    can_train_changed = Signal(bool, str)  # whether Train is possible now and, if not, why
    run_ended = Signal(str)  # a run's end has been shown: "finished" (any stop reason), "refused" or "crashed"

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Plots take their colours when they are made, so the theme goes first (the window itself has no plot).
        configure_pyqtgraph()
        self.services = services
        self.model: Any = None  # the bundle on screen, trained here or opened
        self.model_saved = True
        self.job: Job | None = None
        self.can_train: tuple[bool, str] = (False, "Open data first.")  # and, if not, why
        self.experiments: ExperimentTabs | None = None  # the Runs and Search tabs (add_experiment_tabs)
        self.inspect_tab: InspectTab | None = None  # the Inspect tab (add_inspect_tab)
        self.snapshot: BestSnapshot | None = None  # the best weights so far of the run in progress
        self._background: list[LatestJob] = []  # what this workspace computes off the GUI thread (see background)
        self.left_tabs = QTabWidget()
        self.right_tabs = QTabWidget()
        self.training_panel = TrainingPanel()
        self.widget = QSplitter(Qt.Orientation.Horizontal)
        self.widget.addWidget(self.left_tabs)
        self.widget.addWidget(self.right_tabs)
        self.widget.setStretchFactor(1, 1)
        self.widget.setSizes([400, 900])
        self.training_panel.train_requested.connect(self.start_training)
        # Train waits for other runs. Queued: a run of this workspace is its `job` only once `start` has returned.
        for signal in (services.runner.job_started, services.runner.job_ended):
            signal.connect(self._on_job_started_or_ended, Qt.ConnectionType.QueuedConnection)
        self.training_panel.stop_requested.connect(self.stop_training)

    # ----- what each kind of work provides ----------------------------------------------------------------------
    def data_path(self) -> str:
        """The file this workspace's data came from ("" when none is open)."""
        raise NotImplementedError

    def refresh(self) -> tuple[bool, str]:
        """Check the settings against the data and show what they mean; whether Train is possible, and why not."""
        raise NotImplementedError

    def prepare_training(self) -> tuple[TrainCall, ExtraCallbacks | None] | None:
        """The training call for the form's settings and this kind's own callbacks, or None when not possible."""
        raise NotImplementedError

    def training_finished(self, result: Any) -> dict[str, Any]:
        """Take a finished job's result (on the GUI thread); return the run's summary for the Training tab."""
        raise NotImplementedError

    def use_model(self, bundle: Any, path: str, shown: Callable[[], object] | None = None) -> None:
        """Show a model opened from a file, then call `shown()`. Raises the core's error, before anything
        changes, if it cannot. Work the model needs on the open data (forecasts) runs in the background: the
        screen changes, and `shown()` follows, only when it is done; a refusal then is shown in words, and
        nothing changes."""
        raise NotImplementedError

    def project(self) -> Project:
        """What Save Project writes for this workspace."""
        raise NotImplementedError

    def project_config(self) -> Any:
        """The settings a project would save (possibly invalid: check with problems())."""
        raise NotImplementedError

    @staticmethod
    def read_project_data(opened: OpenedProject) -> Any:
        """Read and check what the project needs besides itself (its data, the model's results on it). Runs on
        a reading job's thread, before the screen changes: it may raise the core's error, and touches no widget."""
        raise NotImplementedError

    def use_project(self, opened: OpenedProject, model_name: str, data: Any) -> None:
        """Put the screen back from an opened project and what `read_project_data` returned for it."""
        raise NotImplementedError

    def current_plot(self) -> tuple[pg.PlotWidget | None, str]:
        """The plot on the visible right-hand tab and a short name for it, or (None, "")."""
        tab = self.right_tabs.currentWidget()
        if tab is self.training_panel:
            return self.training_panel.plot, "loss"
        if self.inspect_tab is not None and tab is self.inspect_tab.page:
            return self.inspect_tab.view.current_plot()
        return self.experiments.current_plot(tab) if self.experiments is not None else (None, "")

    def export_state(self) -> dict[str, str]:
        """For each of EXPORTS that is not possible now, the reason in words (absent: possible)."""
        idle = "" if not self.is_training() else "Wait for the training to end."
        reasons = {name: idle or "Train or open a model first." for name in EXPORTS}
        if self.model is not None and not idle:
            del reasons["loss"]
        return reasons

    def model_export_state(self, predictions_blocked: str) -> dict[str, str]:
        """export_state for the kinds that export ONNX and predictions (forecasters, classifiers): both are
        possible once a model is idle; predictions also need data, and `predictions_blocked` says why not ("")."""
        reasons = Workspace.export_state(self)
        reasons["text"] = "Generated text comes from language models (open a text file)."
        if self.model is not None and not self.is_training():
            reasons.pop("onnx", None)
            if predictions_blocked:
                reasons["predictions"] = predictions_blocked
            else:
                reasons.pop("predictions", None)
        return reasons

    def set_read_only(self, read_only: bool) -> None:
        """Lock the forms while a run uses their settings."""

    def save_state(self, settings: QSettings) -> None:
        """Remember the layout (splitter sizes) for the next start."""
        settings.setValue(f"{self.kind}/splitter", self.widget.saveState())

    def restore_state(self, settings: QSettings) -> None:
        value = settings.value(f"{self.kind}/splitter")
        if isinstance(value, QByteArray):
            self.widget.restoreState(value)

    def background(self, name: str) -> LatestJob:
        """A new kind of background work of this workspace, where only the newest request counts (the runner
        names its jobs `name`); `is_working` and `close` know of it."""
        job = LatestJob(self.services, name, self)
        self._background.append(job)
        return job

    def is_working(self) -> bool:
        """True while the screen waits for background work (preparing, checking, counting, forecasting)."""
        return any(job.is_pending() for job in self._background)

    def close(self) -> None:
        """Before the window closes: stop and wait for this workspace's jobs."""
        if self.experiments is not None:
            self.experiments.stop()
        if self.inspect_tab is not None:
            self.inspect_tab.close()
        for job in self._background:
            job.forget()  # their results would reach a closed window; the runner waits for their threads
        if self.job is not None:
            self.job.cancel()
            self.job.wait()

    # ----- training, the same for every kind ---------------------------------------------------------------------
    def busy_reason(self) -> str:
        """Why Train must wait for other work that trains models ("" when it need not): one run at a time, since
        two would share the two cores and each take twice as long."""
        if not self.is_training() and self.services.runner.is_running(TRAINING_JOB):
            return ("Another model is training (a race, a search, or a run of another kind of work). Wait for it "
                    "to end, or stop it, then train.")
        return ""

    def _on_job_started_or_ended(self, job: Job) -> None:
        if job.name == TRAINING_JOB:
            self.update_can_train()

    def update_can_train(self) -> None:
        if self.is_training():
            return
        can, reason = self.refresh()
        busy = self.busy_reason()
        if busy:  # another training of this workspace (a backtest) holds the cores
            can, reason = False, busy
        self.can_train = (can, reason)
        self.training_panel.set_can_train(can, reason)
        self.can_train_changed.emit(can, reason)

    def is_training(self) -> bool:
        return self.job is not None and self.job.is_running()

    def start_training(self) -> bool:
        """Start a run with the form's settings; False (and nothing changes) when they do not allow one."""
        if self.is_training():
            return False
        if self.services.runner.is_running(TRAINING_JOB):
            # One run at a time: two would share the two cores and each take twice as long.
            self.services.show_error("Another model is still training.", "Wait for it to end, or stop it first.")
            return False
        # A finished run replaces the model on screen: one that is not saved is offered for saving first.
        if not self.services.model_may_go(self, TRAIN):
            self.services.show_status(f"Kept the unsaved {self.model_label}; no new run started.")
            return False
        prepared = self.prepare_training()
        if prepared is None:
            return False
        train, callbacks = prepared
        if self.experiments is not None:
            train = self.experiments.recorded(train, self.run_of)
        # The best weights so far, copied on the training thread each time they improve: the Inspect tab looks
        # inside them while training goes on (and a language model generates from them).
        self.snapshot = self.new_snapshot()
        callbacks = with_callback(self.snapshot, callbacks)
        if self.inspect_tab is not None:
            self.inspect_tab.run_started()
        # The last run's verdict and reading go at once; the reading returns when this run has ended (it weighs
        # the test scores, which exist only then), so nothing on screen speaks of the last run meanwhile.
        self.training_panel.forget_verdict()
        self.job = self.services.runner.start(
            TRAINING_JOB, training_function(train, callbacks), progressed=self._on_progress,
            delivered=self.on_delivered, succeeded=self._on_training_succeeded, refused=self._on_training_refused,
            crashed=self._on_training_crashed)
        self._set_busy(True)
        self.right_tabs.setCurrentWidget(self.training_panel)
        return True

    def stop_training(self) -> None:
        """Stop after the current batch; the best weights so far are kept."""
        if self.job is not None:
            self.training_panel.show_stopping()
            self.job.cancel()

    def on_delivered(self, channel: str, items: list[Any]) -> None:
        """Reports from the training job; subclasses take their own channels and pass the rest here."""
        if channel == STARTED:
            self.training_panel.run_started(items[-1])
        elif channel == EPOCHS:
            self.training_panel.add_epochs(items)
            if self.inspect_tab is not None and self.snapshot is not None:
                self.inspect_tab.epoch_ended(self.snapshot)

    def _on_progress(self, progress: dict[str, Any]) -> None:
        self.training_panel.update_progress(progress)
        self.services.show_status(f"Training: epoch {progress['epoch']}/{progress.get('epochs', '?')}")

    def _on_training_succeeded(self, job: Job) -> None:
        self.snapshot = None
        self._set_busy(False)
        try:
            summary = self.training_finished(job.result)
        except Exception as error:  # a bug in showing the run: report it, and leave the window usable
            import traceback

            self._on_training_crashed(f"{type(error).__name__}: {error}", traceback.format_exc())
            return
        self.training_panel.run_ended(summary)
        self.services.show_status(summary.get("message", ""))
        self.update_can_train()
        self.changed.emit()
        self._run_recorded()
        self.run_ended.emit("finished")

    def _on_training_refused(self, message: str, hint: str) -> None:
        self.snapshot = None
        self._set_busy(False)
        self.training_panel.run_failed(message)
        self.services.show_error(message, hint)
        self.update_can_train()
        self._run_recorded()
        self.run_ended.emit("refused")

    def _on_training_crashed(self, message: str, details: str) -> None:
        self.snapshot = None
        self._set_busy(False)
        self.training_panel.run_failed(f"an unexpected error ({message}).")
        self.services.report_bug(f"Training failed unexpectedly ({message}).", details)
        self.update_can_train()
        self._run_recorded()
        self.run_ended.emit("crashed")

    def _set_busy(self, busy: bool) -> None:
        self.set_read_only(busy)
        self.changed.emit()

    # ----- the model on screen ----------------------------------------------------------------------------------
    def set_model(self, bundle: Any, saved: bool) -> None:
        self.model, self.model_saved = bundle, saved
        self.changed.emit()

    def has_unsaved_model(self) -> bool:
        return self.model is not None and not self.model_saved

    def show_advice(self, advice: Advice | None) -> None:
        """What the loss curves say and the one recommendation (core/training/advice.py), under the progress bar:
        the only place the window recommends a change. None hides it."""
        if advice is None:
            self.training_panel.set_reading("", "")
        else:
            self.training_panel.set_reading(advice.title, advice.text())

    def data_replaced(self) -> None:
        """Other data opened here: the verdict and reading on the Training tab spoke of the last data, so they go
        (the loss curve stays: it is the model's)."""
        self.training_panel.forget_verdict()

    def add_tab(self, tabs: QTabWidget, widget: QWidget, title: str) -> None:
        tabs.addTab(widget, title)
