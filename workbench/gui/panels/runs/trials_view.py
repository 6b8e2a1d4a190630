"""A search as it runs: a row per trial (its state, settings and validation score) and the best score so far."""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from workbench.gui.plots.guarded import GuardedPlotWidget
from workbench.gui.plots.loss_plot import EpochAxis
from workbench.gui.theme import VAL_COLOR

HEADERS = ("Trial", "State", "Validation loss", "Epochs", "Settings")
STATE_BRUSHES = {"running": QBrush(QColor("#1d4ed8")), "pruned": QBrush(QColor("#6b7280")),
                 "failed": QBrush(QColor("#b3261e")), "complete": QBrush(QColor("#1b5e20"))}


def params_text(params: dict[str, Any]) -> str:
    """ "cell=gru, hidden=48, lr=0.0021" (the setting's name without its section)."""
    parts = []
    for key, value in params.items():
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        parts.append(f"{key.partition('.')[2] or key}={shown}")
    return ", ".join(parts)


class TrialsTable(QTableWidget):
    """One row per trial, in the order they started; updated from the search's events."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(HEADERS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        for column in range(len(HEADERS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._rows: dict[int, int] = {}  # trial number -> table row

    def clear_trials(self) -> None:
        self.setRowCount(0)
        self._rows = {}

    def states(self) -> dict[int, str]:
        """Trial number -> the state shown."""
        return {trial: self.item(row, 1).text() for trial, row in self._rows.items()}

    def started(self, event: dict[str, Any]) -> None:
        row = self._row(event["trial"])
        self._set(row, 1, "running")
        self._set(row, 4, params_text(event.get("params", {})))
        self.item(row, 4).setToolTip(self.item(row, 4).text())

    def epoch(self, event: dict[str, Any]) -> None:
        row = self._row(event["trial"])
        self._set(row, 3, str(event["epoch"]))
        value = event.get("val_loss")
        if isinstance(value, (int, float)) and math.isfinite(value):
            self._set(row, 2, f"{value:.4g}")

    def finished(self, event: dict[str, Any]) -> None:
        row = self._row(event["trial"])
        self._set(row, 1, event["state"])
        value = event.get("value")
        self._set(row, 2, f"{value:.4g}" if isinstance(value, (int, float)) else "-")
        if event.get("epochs") is not None:
            self._set(row, 3, str(event["epochs"]))
        if event.get("params"):
            self._set(row, 4, params_text(event["params"]))
        if event.get("message"):
            self.item(row, 1).setToolTip(str(event["message"]))

    def _row(self, trial: int) -> int:
        if trial not in self._rows:
            row = self.rowCount()
            self.insertRow(row)
            self._rows[trial] = row
            self._set(row, 0, str(trial))
        return self._rows[trial]

    def _set(self, row: int, column: int, text: str) -> None:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            if column in (0, 2, 3):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, column, item)
        item.setText(text)
        if column == 1 and text in STATE_BRUSHES:
            item.setForeground(STATE_BRUSHES[text])


class BestSoFarPlot(GuardedPlotWidget):
    """The lowest validation loss of the trials completed so far, against how many trials have ended."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": EpochAxis("bottom")})  # whole numbers of trials
        item = self.getPlotItem()
        item.setLabel("bottom", "trials ended")
        item.setLabel("left", "best validation loss")
        item.getAxis("left").enableAutoSIPrefix(False)
        item.setMenuEnabled(False)
        item.getViewBox().setMouseEnabled(x=False, y=False)
        self.curve = item.plot([], [], pen=pg.mkPen(VAL_COLOR, width=2), symbol="o", symbolSize=5,
                               symbolBrush=VAL_COLOR, symbolPen=None)
        self.ended = 0
        self.x: list[float] = []
        self.y: list[float] = []
        self.setToolTip("Each point: after that many trials had ended, the lowest validation loss among the "
                        "completed ones.")

    def clear_points(self) -> None:
        self.ended, self.x, self.y = 0, [], []
        self.curve.setData([], [])

    def trial_ended(self, best_value: float | None) -> None:
        self.ended += 1
        if isinstance(best_value, (int, float)) and math.isfinite(best_value):
            self.x.append(float(self.ended))
            self.y.append(float(best_value))
            self.curve.setData(self.x, self.y)
