"""The Backtest tab: how many folds and which window, Run and Stop; then where each fold lay, each fold's score for
the model beside every baseline (plot and table, with the mean and spread), and the core's summary sentence.

The tab shows plain data: the `to_json()` dict of a backtest (core/forecast/backtest.py). It runs nothing itself:
`run_requested` and `stop_requested` go to the workspace (workspaces/series_uncertainty.py).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.forecast.score_words import best_of
from workbench.gui.panels.forecast_view import placeholder
from workbench.gui.panels.metrics_view import COLUMN_LABELS, format_metric, mark_best, note_label, read_only_table
from workbench.gui.plots.folds_plot import FoldScoresPlot, FoldSpansPlot
from workbench.gui.plots.forecast_plot import format_time

# core/forecast/backtest.py's MODES, DEFAULT_FOLDS and MAX_FOLDS (a test keeps them equal): that module loads torch,
# which the window loads only when it first trains (start-up time, tests/test_boundaries.py).
MODE_WORDS = {"expanding": "Expanding window", "sliding": "Sliding window"}
DEFAULT_FOLDS, MAX_FOLDS = 3, 50
METRICS = {"mae": "MAE", "rmse": "RMSE", "smape": "sMAPE (%)", "mase": "MASE"}
EXPLAIN = ("Each fold trains a new model with the settings of the Model tab on the rows before its own test block "
           "and scores it beside every baseline on that block; the folds' test blocks follow one another to the end "
           "of the series. Expanding: every fold trains from the first row. Sliding: every fold trains on as many "
           "rows as the first.")
NO_RESULT_TEXT = "No backtest yet.\n\nChoose the folds and the window, then press Run."
RUNNING_TEXT = ("Backtesting...\n\nEach fold trains its own model: this takes about as long as training that many "
                "models.")
ERROR_STYLE = "color: #b00020;"


def stamp_text(value: str | int) -> str:
    """A fold's recorded time (ISO text, or a row number) as the Forecast tab writes times."""
    if isinstance(value, str):
        return format_time(pd.Timestamp(value).to_datetime64(), True)
    return format_time(np.int64(value), False)


def with_spread(entry: dict[str, float] | None) -> str:
    """"1.23 ± 0.05" from a summary's {"mean", "std"}; the mean alone with one fold, "-" when undefined."""
    if not entry or not math.isfinite(entry.get("mean", math.nan)):
        return "-"
    spread = entry.get("std", math.nan)
    mean = format_metric(entry["mean"])
    return f"{mean} \u00b1 {format_metric(spread)}" if math.isfinite(spread) else mean


class BacktestView(QWidget):
    """Controls on top; below them a placeholder until `show_result`, then the sentence, the plots and the table."""

    run_requested = Signal(int, str)  # folds, mode ("expanding" or "sliding")
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: dict[str, Any] | None = None
        self.folds = QSpinBox()
        self.folds.setRange(1, MAX_FOLDS)
        self.folds.setValue(DEFAULT_FOLDS)
        self.folds.setToolTip("How many models to train and score, each on its own later block of the series.")
        self.mode = QComboBox()
        for mode in MODE_WORDS:
            self.mode.addItem(MODE_WORDS[mode], mode)
        self.run_button = QPushButton("Run")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop after the current batch; the folds already finished are kept.")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        controls = QHBoxLayout()
        for label, widget in (("Folds", self.folds), ("Window", self.mode)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
            controls.addSpacing(4)
        controls.addWidget(self.run_button)
        controls.addWidget(self.stop_button)
        controls.addWidget(self.progress, 1)
        controls.addStretch(0)
        self.explain = note_label()
        self.explain.setText(EXPLAIN)
        # Why a backtest did not run or ended early; and why Run is off while another model trains.
        self.message, self.blocked = note_label(), note_label()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.blocked.hide()

        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.sentence.setStyleSheet("font-weight: bold;")
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.score_choice = QComboBox()
        for key, label in METRICS.items():
            self.score_choice.addItem(label, key)
        self.score_choice.setToolTip("The score the plot and the table show; lower is better.")
        metric_row = QHBoxLayout()
        metric_row.addWidget(QLabel("Score"))
        metric_row.addWidget(self.score_choice)
        metric_row.addStretch(1)
        self.spans_plot = FoldSpansPlot()
        self.scores_plot = FoldScoresPlot()
        self.table = read_only_table(0, [])
        self.table.setToolTip("Each fold's score on its test block; the last row is the mean over the folds "
                              "\u00b1 their spread (standard deviation). The best in each row is marked.")
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        for widget, stretch in ((self.spans_plot, 1), (self.scores_plot, 2), (self.table, 0)):
            splitter.addWidget(widget)
            splitter.setStretchFactor(splitter.count() - 1, stretch)  # a taller window gives the plots the room
        splitter.setSizes([140, 220, 160])
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.sentence)
        results_layout.addLayout(metric_row)
        results_layout.addWidget(splitter, 1)
        self.pages = QStackedWidget()
        self.empty = placeholder(NO_RESULT_TEXT)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(results)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.explain)
        layout.addWidget(self.blocked)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)

        self.run_button.clicked.connect(self._on_run)
        self.stop_button.clicked.connect(self._on_stop)
        self.score_choice.currentIndexChanged.connect(self._fill)
        self._running = False
        self._blocked_reason = ""  # why Run is not possible now ("": it is)
        self.set_running(False)

    # ---- what the workspace calls

    def set_running(self, running: bool) -> None:
        """Run is offered while idle (unless `set_can_run` said why not), Stop while a backtest runs."""
        self._running = running
        self.stop_button.setEnabled(running)
        self.folds.setEnabled(not running)
        self.mode.setEnabled(not running)
        self.progress.setVisible(running)
        self._update_run_button()

    def set_can_run(self, can: bool, reason: str = "") -> None:
        """Whether a backtest may start now and, if not, why (said under the controls and on Run's tooltip)."""
        self._blocked_reason = "" if can else reason
        self.blocked.setText(self._blocked_reason)
        self.blocked.setVisible(bool(self._blocked_reason))
        self._update_run_button()

    def can_run(self) -> tuple[bool, str]:
        """What Run says now: (True, "") or (False, why not)."""
        return (False, self._blocked_reason) if self._blocked_reason else (True, "")

    def state(self) -> dict[str, Any]:
        """The user's choices, for a project file."""
        return {"folds": self.folds.value(), "mode": self.mode.currentData(), "score": self.score_choice.currentData()}

    def restore_state(self, state: object) -> None:
        """Put back the choices a project saved; anything else in an edited file is ignored."""
        if not isinstance(state, dict):
            return
        folds = state.get("folds")
        if isinstance(folds, int) and not isinstance(folds, bool) and 1 <= folds <= MAX_FOLDS:
            self.folds.setValue(folds)
        for combo, key in ((self.mode, "mode"), (self.score_choice, "score")):
            index = combo.findData(state.get(key)) if isinstance(state.get(key), str) else -1
            if index >= 0:
                combo.setCurrentIndex(index)

    def show_progress(self, done: int, total: int, fraction: float = 0.0) -> None:
        """`done` of `total` folds finished, and `fraction` of the next one trained."""
        self.set_running(True)
        total = max(total, 1)
        self.progress.setRange(0, 1000)
        self.progress.setValue(round(1000 * min(1.0, (done + fraction) / total)))
        self.progress.setFormat(f"fold {min(done + 1, total)} of {total}" if done < total else "scoring")

    def show_result(self, result: dict[str, Any]) -> None:
        """Show a backtest's `to_json()` dict: {"folds": [...], "summary": {...}}."""
        self.set_running(False)
        self.result = result
        self.show_message("")
        summary = result["summary"]
        sentence = summary.get("sentence", "")
        if summary.get("stopped"):
            sentence += f" Stopped: {summary['folds']} of {summary.get('folds_planned', '?')} folds finished."
        self.sentence.setText(sentence)
        self._fill()
        self.pages.setCurrentIndex(1)
        # After the table has settled its columns and header (table_header.py), on the next turn of the loop.
        QTimer.singleShot(0, self, self._fit_table_height)

    def show_message(self, text: str) -> None:
        """Why a backtest did not run or ended early (the core's words); "" hides it."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def clear(self, text: str = NO_RESULT_TEXT) -> None:
        self.set_running(False)
        self.result = None
        self.sentence.clear()
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.spans_plot.clear_folds()
        self.scores_plot.clear_scores()
        self.show_message("")
        self.empty.setText(text)
        self.pages.setCurrentIndex(0)

    # ---- helpers

    def _update_run_button(self) -> None:
        self.run_button.setEnabled(not self._running and not self._blocked_reason)
        self.run_button.setToolTip(self._blocked_reason or "Train and score a model for each fold, in the "
                                   "background.")

    def _fit_table_height(self) -> None:
        """The table as tall as its rows (up to half the splitter), the scores plot taking what it leaves."""
        sizes = self.splitter.sizes()
        want = min(self.table.sizeHint().height(), sum(sizes) // 2)
        if sum(sizes) > 0 and want != sizes[2]:
            self.splitter.setSizes([sizes[0], sizes[1] + sizes[2] - want, want])

    def _on_run(self) -> None:
        self.show_message("")
        self.run_requested.emit(self.folds.value(), self.mode.currentData())

    def _on_stop(self) -> None:
        self.stop_button.setEnabled(False)
        self.progress.setFormat("stopping...")
        self.stop_requested.emit()

    def _columns(self) -> list[str]:
        """"model", then every baseline any fold has, in the Metrics tab's order."""
        names = {name for fold in self.result["folds"] for name in fold["baselines"]}
        return ["model", *(name for name in COLUMN_LABELS if name != "model" and name in names)]

    def _fill(self) -> None:
        if self.result is None:
            return
        folds, summary = self.result["folds"], self.result["summary"]
        metric = self.score_choice.currentData()
        columns = self._columns()
        values = {name: [self._score(fold, name, metric) for fold in folds] for name in columns}
        numbers = [fold["fold"] for fold in folds]
        self.spans_plot.show_folds(folds)
        self.scores_plot.show_scores(numbers, values, {name: COLUMN_LABELS[name] for name in columns},
                                     METRICS[metric])
        self._fill_table(folds, summary, columns, values, metric)

    @staticmethod
    def _score(fold: dict[str, Any], name: str, metric: str) -> float:
        scores = fold["scores"] if name == "model" else fold["baselines"].get(name, {})
        return float(scores.get(metric, math.nan))

    def _fill_table(self, folds: list[dict[str, Any]], summary: dict[str, Any], columns: list[str],
                    values: dict[str, list[float]], metric: str) -> None:
        headers = ["Test part", *(COLUMN_LABELS[name] for name in columns), "Beats every baseline"]
        table = self.table
        table.clear()
        table.setRowCount(len(folds) + 1)
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setVerticalHeaderLabels([*(f"Fold {fold['fold']}" for fold in folds), "Mean \u00b1 spread"])
        for r, fold in enumerate(folds):
            first, last = (stamp_text(t) for t in fold["test_times"])
            table.setItem(r, 0, QTableWidgetItem(f"{first} to {last}"))
            row = {name: values[name][r] for name in columns}
            best = best_of(row)
            for c, name in enumerate(columns, start=1):
                item = QTableWidgetItem(format_metric(row[name]))
                if name in best:
                    mark_best(item)
                table.setItem(r, c, item)
            table.setItem(r, len(headers) - 1, QTableWidgetItem("yes" if fold.get("beats_baselines") else "no"))
        last = len(folds)
        table.setItem(last, 0, QTableWidgetItem(f"{len(folds)} fold{'s' if len(folds) != 1 else ''}"))
        means = {name: (summary["model"] if name == "model" else summary["baselines"].get(name, {})).get(metric)
                 for name in columns}
        best = best_of({name: (entry or {}).get("mean", math.nan) for name, entry in means.items()})
        for c, name in enumerate(columns, start=1):
            item = QTableWidgetItem(with_spread(means[name]))
            if name in best:
                mark_best(item)
            table.setItem(last, c, item)
        beating = summary.get("folds_beating_baselines", 0)
        table.setItem(last, len(headers) - 1, QTableWidgetItem(f"{beating} of {len(folds)}"))
