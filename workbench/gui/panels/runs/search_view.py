""""Find a better model": which settings vary and over what, the budget, the strategy and the workers; Start runs
the search (core/search/sweep.py, whose workers are processes of their own) with a live table of trials and the
best score so far; Stop ends every worker within seconds, keeping the finished trials; the best is then shown
with its test scores, and "Use best" hands its settings and model to the workspace."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.search.defaults import DEFAULT_SPACES
from workbench.core.search.space import parse_space
from workbench.core.search.stages import config_class
from workbench.core.training.advice import TONES, Verdict
from workbench.gui.latest_job import LatestJob
from workbench.gui.panels.metrics_view import note_label
from workbench.gui.panels.runs.jobs import SEARCH, SearchOutcome, search_function, work_to_start
from workbench.gui.panels.runs.space_form import SpaceForm
from workbench.gui.panels.runs.trials_view import BestSoFarPlot, TrialsTable, params_text
from workbench.gui.panels.verdict_label import VerdictLabel
from workbench.gui.training_job import TRAINING_JOB

if TYPE_CHECKING:
    from workbench.gui.panels.runs.work import Work
    from workbench.gui.runner import Job
    from workbench.gui.services import Services

STRATEGIES = (("TPE (Bayesian)", "tpe"), ("random", "random"), ("grid: every combination", "grid"))


class SearchView(QWidget):
    """The search for a workspace of `kind` (a kind of model), on what `work_source()` returns."""

    use_best = Signal(dict, str)  # the best trial's settings, and its model file ("" when none was kept)
    runs_recorded = Signal()  # the search recorded runs: the Runs tab lists them again

    def __init__(self, services: Services, kind: str, work_source: Callable[[], Work | None],
                 folder_source: Callable[[], str | None] = lambda: None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.kind = services, kind
        self.work_source, self.folder_source = work_source, folder_source
        self.job: Job | None = None
        self.outcome: SearchOutcome | None = None
        self._scratch: str | None = None  # the folder of the search's own copy of its best model
        self._defaults_for: tuple[str, int] | None = None  # the data the form's defaults were made for
        self._defaults = LatestJob(services, "search-defaults", self)
        self.space_form = SpaceForm(kind)
        # The kind's default space and settings until the data is known (refresh_defaults).
        self.space_form.set_space(parse_space(DEFAULT_SPACES[kind], kind), config_class(kind)())
        self._build_budget()
        self.start_button = QPushButton("Start search")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.stop_button.setToolTip("End every worker within seconds; the trials they finished are kept and the "
                                    "best of them is still chosen and scored.")
        self.status = QLabel("Choose what varies, then Start.")
        self.status.setWordWrap(True)
        self.trials = TrialsTable()
        self.best_plot = BestSoFarPlot()
        self.best_label = QLabel()
        self.best_label.setWordWrap(True)
        self.best_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.selection_note = note_label()
        self.verdict = VerdictLabel()
        self.use_button = QPushButton("Use best")
        self.use_button.setToolTip("Put the best trial's settings in the Model tab and its model in the workspace.")
        self.use_button.setEnabled(False)
        self._layout()
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.use_button.clicked.connect(self._on_use_best)

    def _build_budget(self) -> None:
        self.by_trials = QRadioButton("trials")
        self.by_trials.setChecked(True)
        self.trial_count = QSpinBox()
        self.trial_count.setRange(1, 100_000)
        self.trial_count.setValue(20)
        self.by_minutes = QRadioButton("minutes")
        self.minutes = QDoubleSpinBox()
        self.minutes.setRange(0.1, 10_000)
        self.minutes.setValue(10)
        self.strategy = QComboBox()
        for label, name in STRATEGIES:
            self.strategy.addItem(label, name)
        self.strategy.setToolTip("TPE learns from the trials so far where better settings lie; random samples "
                                 "evenly; grid tries every combination once (a range gives its ends and middle).")
        self.workers = QSpinBox()
        self.workers.setRange(0, 256)
        self.workers.setSpecialValueText("all usable cores")
        self.workers.setToolTip("Trials run in parallel processes, one thread each.")
        self.pruning = QCheckBox("stop hopeless trials early (pruning)")
        self.pruning.setChecked(True)
        self.pruning.setToolTip("A trial whose validation loss after an epoch is worse than the median of the "
                                "trials before it at that epoch is stopped.")

    def _layout(self) -> None:
        budget = QGroupBox("Budget and strategy")
        form = QFormLayout(budget)
        trials_row, minutes_row = QHBoxLayout(), QHBoxLayout()
        trials_row.addWidget(self.by_trials)
        trials_row.addWidget(self.trial_count, 1)
        minutes_row.addWidget(self.by_minutes)
        minutes_row.addWidget(self.minutes, 1)
        form.addRow("Stop after", trials_row)
        form.addRow("or after", minutes_row)
        form.addRow("Strategy", self.strategy)
        form.addRow("Workers", self.workers)
        form.addRow(self.pruning)
        space_box = QGroupBox("What varies")
        QVBoxLayout(space_box).addWidget(self.space_form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        setup = QWidget()
        setup_layout = QVBoxLayout(setup)
        setup_layout.setContentsMargins(0, 0, 0, 0)
        setup_layout.addWidget(space_box, 1)
        setup_layout.addWidget(budget)
        setup_layout.addLayout(buttons)
        best_box = QGroupBox("Best model")
        best_layout = QVBoxLayout(best_box)
        for widget in (self.best_label, self.selection_note, self.verdict):
            best_layout.addWidget(widget)
        best_layout.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignLeft)
        live = QSplitter(Qt.Orientation.Vertical)
        live.addWidget(self.trials)
        live.addWidget(self.best_plot)
        live.setStretchFactor(0, 3)
        live.setStretchFactor(1, 2)
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.status)
        results_layout.addWidget(live, 1)
        results_layout.addWidget(best_box)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(setup)
        splitter.addWidget(results)
        splitter.setStretchFactor(1, 1)
        QVBoxLayout(self).addWidget(splitter)

    # ----- the form's defaults follow the data
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh_defaults()

    def refresh_defaults(self) -> None:
        """Fill the form with the default space for the open data (once per data), computed in the background."""
        work = self.work_source()
        if work is None or work.content is None or self.is_running():
            return
        key = (work.data_path, id(work.content))
        if key == self._defaults_for:
            return
        self._defaults_for = key

        def defaults(_context: Any) -> Any:
            from workbench.core.search.defaults import default_space
            from workbench.core.search.stages import LoadedData

            return default_space(LoadedData(work.kind, work.data_path, work.content, {}, None), work.config)

        # A refusal (settings that do not fit the data yet) keeps the defaults that need no data.
        self._defaults.request("", defaults, lambda space: self.space_form.set_space(space, work.config),
                               lambda _message, _hint: None)

    # ----- running
    def is_running(self) -> bool:
        return self.job is not None and self.job.is_running()

    def start(self) -> bool:
        """Start the search the form describes; False (and why, in words) when it cannot start."""
        if self.is_running():
            return False
        work = work_to_start(self.services, self.work_source, "search")
        if work is None:
            return False
        space = self.space_form.space()
        if space is None:
            self.status.setText("Fix the settings marked in red under What varies.")
            return False
        from workbench.core.search.sweep import SweepSpec

        self._forget_scratch()
        self._scratch = tempfile.mkdtemp(prefix="workbench-search-")
        by_trials = self.by_trials.isChecked()
        spec = SweepSpec(work.kind, work.data_path, config=work.config, space=space,
                         trials=self.trial_count.value() if by_trials else None,
                         minutes=None if by_trials else self.minutes.value(), workers=self.workers.value() or None,
                         strategy=self.strategy.currentData(), runs_folder=self.folder_source(),
                         pruning=self.pruning.isChecked(), out=str(Path(self._scratch) / "best.swb"),
                         read_options=dict(work.read_options) or None)
        self.outcome = None
        self.trials.clear_trials()
        self.best_plot.clear_points()
        self._show_best(None)
        self.status.setText("Starting the workers...")
        self.job = self.services.runner.start(TRAINING_JOB, search_function(spec), delivered=self._on_delivered,
                                              succeeded=self._on_finished, refused=self._on_refused,
                                              crashed=self._on_crashed)
        self._set_running(True)
        return True

    def stop(self) -> None:
        if self.job is not None and self.job.is_running():
            self.status.setText("Stopping: each worker ends its batch; the finished trials are kept, and the best "
                                "of them is still scored.")
            self.job.cancel()

    def _on_delivered(self, channel: str, events: list[dict[str, Any]]) -> None:
        if channel != SEARCH:
            return
        for event in events:
            kind = event["event"]
            if kind == "trial_started":
                self.trials.started(event)
            elif kind == "epoch":
                self.trials.epoch(event)
            elif kind == "trial_finished":
                self.trials.finished(event)
                self.best_plot.trial_ended(event.get("best_value"))
            elif kind in ("warning", "worker_failed"):
                self.services.message_bar.show_warning(event["message"])
            elif kind == "scoring_best":
                self.status.setText(f"The search is over; scoring trial {event['trial']}'s test part, once...")
        if self.is_running() and not self.job.cancel_requested():
            states = list(self.trials.states().values())
            self.status.setText(f"{states.count('running')} running, {len(states) - states.count('running')} ended.")

    def _on_finished(self, job: Job) -> None:
        self._set_running(False)
        self.outcome = job.result
        result = self.outcome.result
        counts = result.ran_here
        states = ("complete", "pruned", "failed", *(("stopped",) if counts.get("stopped") else ()))
        done = ", ".join(f"{counts.get(state, 0)} {state}" for state in states)
        ended = f"{'Stopped' if result.stopped else 'Done'}: {done}."
        self.status.setText(ended)
        self.services.show_status(f"The search is over. {ended}")  # the status line spoke of what came before
        self._show_best(self.outcome)
        if self.outcome.bundle != str(Path(self._scratch or "") / "best.swb"):
            self._forget_scratch()  # the run store keeps the best model: the search's own copy is not needed
        self.runs_recorded.emit()

    def _show_best(self, outcome: SearchOutcome | None) -> None:
        best = outcome.result.best if outcome is not None else None
        self.use_button.setEnabled(best is not None)
        self.verdict.set_verdict(None)
        self.selection_note.setText("")
        if outcome is None:
            self.best_label.setText("")
            return
        if best is None:
            self.best_label.setText("No trial completed, so there is no best model.")
            return
        score = best.validation.get("val_loss")
        self.best_label.setText(f"Trial {best.trial}: validation loss {score:.4g}. {params_text(best.params)}"
                                if isinstance(score, (int, float)) else f"Trial {best.trial}.")
        self.selection_note.setText(best.note)
        tone = best.metrics.get("verdict_tone", "neutral")
        if best.verdict:
            self.verdict.set_verdict(Verdict(best.verdict, tone if tone in TONES else "neutral"))

    def _on_use_best(self) -> None:
        if self.outcome is not None and self.outcome.result.best is not None:
            self.use_best.emit(dict(self.outcome.result.best.settings), self.outcome.bundle or "")

    def _on_refused(self, message: str, hint: str) -> None:
        self._set_running(False)
        self.status.setText("The search could not run.")
        self.services.show_error(message, hint)

    def _on_crashed(self, message: str, details: str) -> None:
        self._set_running(False)
        self.status.setText("The search failed.")
        self.services.report_bug(f"The search failed unexpectedly ({message}).", details)

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.space_form.set_read_only(running)

    def _forget_scratch(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
