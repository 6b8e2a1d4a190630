"""The Metrics tab: the model beside the naive and exponential-smoothing baselines on the same test targets, overall
and per step, what they were scored on, how often its prediction intervals held, and what the loss curves say about
over- or under-fitting."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QGroupBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.forecast.score_words import best_of
from workbench.core.training.advice import Verdict
from workbench.gui.panels.forecast_view import NO_MODEL_TEXT, placeholder
from workbench.gui.panels.table_header import FittingHeader
from workbench.gui.panels.verdict_label import VerdictLabel

if TYPE_CHECKING:
    from workbench.core.forecast.inspection import ForecastInspection

COLUMN_LABELS = {"model": "Model", "naive": "Naive (last value)", "seasonal_naive": "Seasonal naive", "ets": "ETS"}
BEST_MARK = " \u2713"
BEST_BRUSH = QBrush(QColor(214, 240, 214))
NOTE_STYLE = "color: #555555;"
STEP_COLUMNS = {"mae": "MAE", "rmse": "RMSE", "smape": "sMAPE (%)", "mase": "MASE"}
STEP_BASELINES = {"naive": "Naive", "seasonal_naive": "Seasonal naive", "ets": "ETS"}


def format_metric(value: float) -> str:
    return "-" if not math.isfinite(value) else f"{value:.4g}"


def marked_best(table: QTableWidget) -> dict[str, str]:
    """Row label -> column header of each cell marked best in `table` (read off what the user sees); a row with
    several marked (a tie) gives their headers joined by " = "."""
    marked: dict[str, list[str]] = {}
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            if item is not None and item.text().endswith(BEST_MARK):
                label = table.verticalHeaderItem(row).text()
                marked.setdefault(label, []).append(table.horizontalHeaderItem(column).text())
    return {label: " = ".join(headers) for label, headers in marked.items()}


def mark_best(item: QTableWidgetItem) -> None:
    bold = QFont()
    bold.setBold(True)
    item.setText(item.text() + BEST_MARK)
    item.setFont(bold)
    item.setBackground(BEST_BRUSH)
    item.setToolTip("Best (lowest) in this row, or tied with it")


def note_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


def read_only_table(rows: int, headers: list[str]) -> QTableWidget:
    """A table the user reads and copies from but does not edit: the columns share the width without cutting their
    cells, their labels wrap (table_header.FittingHeader), and it is as tall as its rows."""
    table = QTableWidget(rows, len(headers))
    table.setHorizontalHeader(FittingHeader(table))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # As tall as its rows, so the tables don't end in an empty grey area.
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return table


class MetricsView(QStackedWidget):
    """A placeholder until `set_inspection`, then the verdict, the tables with what they scored, and the
    loss-curve reading. Every sentence comes from the core (Evaluation.words), as the command line prints it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addWidget(placeholder(NO_MODEL_TEXT))
        self.verdict = VerdictLabel()
        self.scope = note_label()
        self.table = read_only_table(0, [])
        self.table.setToolTip(f"Lower is better in every row; the best in each row is marked{BEST_MARK}.")
        self.mase_note = note_label()
        # How often each band held on the test part, beside its level; or why the model has no bands.
        self.coverage = QLabel()
        self.coverage.setWordWrap(True)
        self.coverage.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.coverage.setToolTip("The prediction intervals, calibrated on the validation part, checked on the test "
                                 "part: a band that holds its promise holds about its level of the points.")
        self.ets_note = note_label()
        self.steps_box = QGroupBox("By step ahead")
        self.steps_note = note_label()
        self.steps_table = read_only_table(0, [])
        self.steps_table.setToolTip(f"The model's errors at each step ahead, and its MASE beside the baselines'; "
                                    f"the lowest MASE in each row is marked{BEST_MARK}.")
        steps_layout = QVBoxLayout(self.steps_box)
        steps_layout.addWidget(self.steps_note)
        steps_layout.addWidget(self.steps_table)
        self.reading_box = QGroupBox("Loss curves")
        self.reading = QLabel()
        self.reading.setWordWrap(True)
        QVBoxLayout(self.reading_box).addWidget(self.reading)
        page = QWidget()
        layout = QVBoxLayout(page)
        for widget in (self.verdict, self.scope, self.table, self.coverage, self.mase_note, self.ets_note,
                       self.steps_box, self.reading_box):
            layout.addWidget(widget)
        layout.addStretch(1)
        # Every row of both tables shows; on a short screen the page scrolls instead (a table squeezed to a few
        # rows hides the metrics under its own scroll bar).
        for table in (self.table, self.steps_table):
            table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the tables scroll sideways
        self.addWidget(scroll)

    def set_inspection(self, inspection: ForecastInspection | None) -> None:
        if inspection is None:
            self.setCurrentIndex(0)
            return
        words = inspection.evaluation.words()
        # Coloured by the tone the sentence was written with, as the Training tab shows it.
        self.verdict.set_verdict(Verdict(words.verdict.sentence, words.verdict.tone))
        self.scope.setText(words.scope)
        self.mase_note.setText(words.mase)
        self.coverage.setText("\n".join(words.coverage) or inspection.intervals_note)
        self.ets_note.setText(words.ets)
        self.ets_note.setVisible(bool(words.ets))
        self.steps_note.setText(words.per_step)
        self._fill_metrics(inspection)
        self._fill_steps(inspection)
        reading = inspection.curve_reading()
        self.reading_box.setTitle(f"Loss curves: {reading.title}")
        # What the curves show; the one recommendation (which also weighs the verdict) is on the Training tab.
        self.reading.setText(f"{reading.message} What to change, if anything: see the Training tab.")
        self.setCurrentIndex(1)

    def tone(self) -> str:
        """The tone the verdict is shown in: "better", "worse" or "tie"."""
        return self.verdict.tone()

    def best_cells(self) -> dict[str, str]:
        """Metric label -> column header of the cell marked best (what the user sees)."""
        return marked_best(self.table)

    def _fill_metrics(self, inspection: ForecastInspection) -> None:
        rows = inspection.metric_rows()
        columns = [name for name in COLUMN_LABELS if any(name in row.values for row in rows)]
        self.table.clear()
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels([COLUMN_LABELS[name] for name in columns])
        self.table.setVerticalHeaderLabels([row.label for row in rows])
        for r, row in enumerate(rows):
            for c, name in enumerate(columns):
                item = QTableWidgetItem(format_metric(row.values.get(name, math.nan)))
                if name in row.best:
                    mark_best(item)
                self.table.setItem(r, c, item)

    def _fill_steps(self, inspection: ForecastInspection) -> None:
        """The model's errors per step, then the verdict's metric for the model and each baseline, best marked."""
        evaluation = inspection.evaluation
        per_step, metric = evaluation.per_step, evaluation.judgement.metric
        self.steps_box.setVisible(len(per_step) > 1)
        baselines = [name for name in STEP_BASELINES if name in evaluation.per_step_baselines]
        headers = [*STEP_COLUMNS.values(), *(f"{STEP_BASELINES[name]} {metric.upper()}" for name in baselines)]
        self.steps_table.clear()
        self.steps_table.setRowCount(len(per_step))
        self.steps_table.setColumnCount(len(headers))
        self.steps_table.setHorizontalHeaderLabels(headers)
        self.steps_table.setVerticalHeaderLabels([f"t+{k}" for k in range(1, len(per_step) + 1)])
        compared_column = {"model": list(STEP_COLUMNS).index(metric) if metric in STEP_COLUMNS else None}
        compared_column.update({name: len(STEP_COLUMNS) + i for i, name in enumerate(baselines)})
        for r, step in enumerate(per_step):
            values = [step.get(key, math.nan) for key in STEP_COLUMNS]
            values += [evaluation.per_step_baselines[name][r].get(metric, math.nan) for name in baselines]
            compared = {name: values[c] for name, c in compared_column.items() if c is not None}
            best = {compared_column[name] for name in best_of(compared)}
            for c, value in enumerate(values):
                item = QTableWidgetItem(format_metric(value))
                if c in best:
                    mark_best(item)
                self.steps_table.setItem(r, c, item)
