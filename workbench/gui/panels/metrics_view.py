"""The Metrics tab: the model beside the naive baselines on the same test targets, per step, and what the
loss curves say about over- or under-fitting."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QGroupBox,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.panels.forecast_view import NO_MODEL_TEXT, placeholder

if TYPE_CHECKING:
    from workbench.core.forecast.inspection import ForecastInspection

COLUMN_LABELS = {"model": "Model", "naive": "Naive (last value)", "seasonal_naive": "Seasonal naive"}
BEST_MARK = " \u2713"
BEST_BRUSH = QBrush(QColor(214, 240, 214))
GOOD_STYLE = "color: #1b5e20; font-weight: bold;"
BAD_STYLE = "color: #b34700; font-weight: bold;"
def format_metric(value: float) -> str:
    return "-" if not math.isfinite(value) else f"{value:.4g}"


def marked_best(table: QTableWidget) -> dict[str, str]:
    """Row label -> column header of each cell marked best in `table` (read off what the user sees)."""
    marked = {}
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            if table.item(row, column).text().endswith(BEST_MARK):
                marked[table.verticalHeaderItem(row).text()] = table.horizontalHeaderItem(column).text()
    return marked


def read_only_table(rows: int, headers: list[str]) -> QTableWidget:
    table = QTableWidget(rows, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # As tall as its rows, so the tables don't end in an empty grey area.
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return table


class MetricsView(QStackedWidget):
    """A placeholder until `set_inspection`, then the verdict, the tables and the loss-curve reading."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addWidget(placeholder(NO_MODEL_TEXT))
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.scope = QLabel()
        self.scope.setWordWrap(True)
        self.scope.setStyleSheet("color: #555555;")
        self.table = read_only_table(0, [])
        self.table.setToolTip("Lower is better in every row; the best in each row is marked \u2713.")
        self.steps_box = QGroupBox("By step ahead (model)")
        self.steps_table = read_only_table(0, [])
        QVBoxLayout(self.steps_box).addWidget(self.steps_table)
        self.reading_box = QGroupBox("Loss curves")
        self.reading = QLabel()
        self.reading.setWordWrap(True)
        QVBoxLayout(self.reading_box).addWidget(self.reading)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.verdict)
        layout.addWidget(self.scope)
        layout.addWidget(self.table)
        layout.addWidget(self.steps_box)
        layout.addWidget(self.reading_box)
        layout.addStretch(1)
        self.addWidget(page)

    def set_inspection(self, inspection: ForecastInspection | None) -> None:
        if inspection is None:
            self.setCurrentIndex(0)
            return
        beats = inspection.beats_naive()
        self.verdict.setText(inspection.evaluation.verdict)
        self.verdict.setStyleSheet(GOOD_STYLE if beats else BAD_STYLE)
        windows = len(inspection.evaluation.origins)
        self.scope.setText(
            f"Scored on the test part: {windows:,} windows x {inspection.horizon} step"
            f"{'s' if inspection.horizon > 1 else ''}, in the target's own units. The baselines forecast the same "
            "targets from the same origins. MASE divides the error by that of the naive forecast on the "
            "training part: below 1 is better than repeating the last value.")
        self._fill_metrics(inspection)
        self._fill_steps(inspection)
        reading = inspection.curve_reading()
        title = reading.title
        self.reading_box.setTitle(f"Loss curves: {title}")
        self.reading.setText(f"{reading.message} {reading.suggestion}".strip())
        self.setCurrentIndex(1)

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
        bold = QFont()
        bold.setBold(True)
        for r, row in enumerate(rows):
            for c, name in enumerate(columns):
                text = format_metric(row.values.get(name, math.nan))
                item = QTableWidgetItem(text)
                if name == row.best:
                    item.setText(text + BEST_MARK)
                    item.setFont(bold)
                    item.setBackground(BEST_BRUSH)
                    item.setToolTip("Best (lowest) in this row")
                self.table.setItem(r, c, item)

    def _fill_steps(self, inspection: ForecastInspection) -> None:
        per_step = inspection.evaluation.per_step
        self.steps_box.setVisible(len(per_step) > 1)
        keys = [key for key in ("mae", "rmse", "smape", "mase") if per_step and key in per_step[0]]
        self.steps_table.clear()
        self.steps_table.setRowCount(len(per_step))
        self.steps_table.setColumnCount(len(keys))
        self.steps_table.setHorizontalHeaderLabels([key.upper() if key != "smape" else "sMAPE (%)" for key in keys])
        self.steps_table.setVerticalHeaderLabels([f"t+{k}" for k in range(1, len(per_step) + 1)])
        for r, step in enumerate(per_step):
            for c, key in enumerate(keys):
                self.steps_table.setItem(r, c, QTableWidgetItem(format_metric(step.get(key, math.nan))))
