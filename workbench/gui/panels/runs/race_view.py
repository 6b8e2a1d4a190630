"""The cell race: one button trains LSTM, GRU and a plain RNN on the workspace's data and settings, one after
another, their validation curves side by side as they train; then the winner against the baselines, in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.core.training.advice import TONES, Verdict
from workbench.gui.panels.metrics_view import note_label
from workbench.gui.panels.runs.jobs import RACE, race_function, work_to_start
from workbench.gui.panels.runs.scores_view import fill_scores, scores_caption, scores_table
from workbench.gui.panels.verdict_label import VerdictLabel
from workbench.gui.plots.guarded import GuardedPlotWidget
from workbench.gui.plots.loss_plot import EpochAxis
from workbench.gui.training_job import TRAINING_JOB

if TYPE_CHECKING:
    from workbench.core.search.race import RaceResult
    from workbench.gui.panels.runs.work import Work
    from workbench.gui.runner import Job
    from workbench.gui.services import Services

CELL_COLORS = {"lstm": "#1f77b4", "gru": "#ff7f0e", "rnn": "#2ca02c"}
INTRO = ("Trains the Model tab's settings once per cell (LSTM, GRU, plain RNN) on the same data, split and seed, "
         "one after another; each run is recorded in the Runs tab. The winner is the lowest validation loss, as a "
         "search would choose; the test scores are shown beside the baselines.")


class RacePlot(GuardedPlotWidget):
    """The validation loss of each cell by epoch, drawn as epochs arrive."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": EpochAxis("bottom")})
        item = self.getPlotItem()
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "validation loss")
        item.getAxis("left").enableAutoSIPrefix(False)
        item.setMenuEnabled(False)
        item.getViewBox().setMouseEnabled(x=False, y=False)
        self.legend = item.addLegend(offset=(-10, 10), labelTextColor="#333333", brush=(255, 255, 255, 210))
        self.curves = {cell: item.plot([], [], name=cell.upper(), pen=pg.mkPen(color, width=2))
                       for cell, color in CELL_COLORS.items()}
        self.points: dict[str, list[tuple[float, float]]] = {cell: [] for cell in CELL_COLORS}

    def clear_curves(self) -> None:
        for cell, curve in self.curves.items():
            self.points[cell] = []
            curve.setData([], [])

    def add(self, cell: str, epoch: float, val_loss: float) -> None:
        self.points.setdefault(cell, []).append((epoch, val_loss))

    def redraw(self) -> None:
        for cell, points in self.points.items():
            if points and cell in self.curves:
                x, y = np.array(points, dtype=float).T
                self.curves[cell].setData(x, y)


class RaceView(QWidget):
    """Races the cells on what `work_source()` returns (None: no data open), recording runs in `folder_source()`."""

    runs_recorded = Signal()  # the race recorded runs: the Runs tab lists them again

    def __init__(self, services: Services, work_source: Callable[[], Work | None],
                 folder_source: Callable[[], str | None] = lambda: None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.work_source, self.folder_source = work_source, folder_source
        self.job: Job | None = None
        self.result: RaceResult | None = None
        self.start_button = QPushButton("Race LSTM, GRU and RNN")
        self.start_button.setToolTip("Train the three cells one after another with the Model tab's settings.")
        self.equal_params = QCheckBox("at equal parameter count")
        self.equal_params.setToolTip("Give GRU and RNN the hidden size at which they have about as many parameters "
                                     "as the LSTM, so the race compares cells rather than sizes.")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.status = QLabel()
        self.plot = RacePlot()
        self.verdict = VerdictLabel()
        self.sizes = note_label()
        self.scores = scores_table()
        self.scores.hide()
        self.scores_title = note_label()
        intro = note_label()
        intro.setText(INTRO)
        controls = QHBoxLayout()
        for widget in (self.start_button, self.equal_params, self.stop_button):
            controls.addWidget(widget)
        controls.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.verdict)
        layout.addWidget(self.sizes)
        layout.addWidget(self.scores_title)
        layout.addWidget(self.scores)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)

    def is_running(self) -> bool:
        return self.job is not None and self.job.is_running()

    def start(self) -> bool:
        """Start a race; False (and a message saying why) when it cannot start now."""
        if self.is_running():
            return False
        work = work_to_start(self.services, self.work_source, "race")
        if work is None:
            return False
        self.result = None
        self.plot.clear_curves()
        self.verdict.set_verdict(None)
        self.sizes.setText("")
        self.scores_title.setText("")
        self.scores.hide()
        self.status.setText("Starting the race...")
        self.job = self.services.runner.start(
            TRAINING_JOB, race_function(work, self.equal_params.isChecked(), self.folder_source()),
            progressed=self._on_progress, delivered=self._on_delivered, succeeded=self._on_finished,
            refused=self._on_refused, crashed=self._on_crashed)
        self._set_running(True)
        return True

    def stop(self) -> None:
        """End the cell training now (its best weights so far are kept) and race no further."""
        if self.job is not None:
            self.status.setText("Stopping after this batch...")
            self.job.cancel()

    def _on_progress(self, progress: dict[str, Any]) -> None:
        self.status.setText(f"Training {progress['cell'].upper()}: epoch {progress['epoch']}/{progress['epochs']}")

    def _on_delivered(self, channel: str, items: list[dict[str, Any]]) -> None:
        if channel != RACE:
            return
        for item in items:
            if item["event"] == "epoch" and isinstance(item.get("val_loss"), (int, float)):
                self.plot.add(item["cell"], float(item["epoch"]), float(item["val_loss"]))
        self.plot.redraw()

    def _on_finished(self, job: Job) -> None:
        self._set_running(False)
        result, problem = job.result
        self.show_result(result)
        warnings = [problem, *result.warnings] if problem else result.warnings
        if warnings:
            self.services.message_bar.show_warning(" ".join(warnings))
        self.services.show_status(f"The race is over: {result.winner.upper()} wins." if result.winner else
                                  "The race ended without a winner.")
        self.runs_recorded.emit()

    def show_result(self, result: RaceResult) -> None:
        """The winner in words, coloured by its verdict's tone; each cell's size; the scores beside the baselines."""
        self.result = result
        self.status.setText("Stopped." if result.stopped else "Done.")
        self.verdict.set_verdict(Verdict(result.words, result.tone if result.tone in TONES else "neutral"))
        self.sizes.setText("   ".join(f"{c.cell.upper()}: {c.hidden} units, {c.parameters:,} parameters, "
                                      f"{len(c.history)} epochs ({c.status})" for c in result.cells))
        scored = [c for c in result.cells if c.metrics]
        self.scores.setVisible(bool(scored))
        self.scores_title.setText("")
        if scored:
            scores = result.scores()
            fill_scores(self.scores, scores)
            self.scores_title.setText(scores_caption(scores) + ":")

    def _on_refused(self, message: str, hint: str) -> None:
        self._set_running(False)
        self.status.setText("The race could not run.")
        self.services.show_error(message, hint)

    def _on_crashed(self, message: str, details: str) -> None:
        self._set_running(False)
        self.status.setText("The race failed.")
        self.services.report_bug(f"The race failed unexpectedly ({message}).", details)

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.equal_params.setEnabled(not running)
        self.stop_button.setEnabled(running)

