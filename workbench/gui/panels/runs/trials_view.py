"""A search as it runs (or a shared study as it is read): a row per trial (its state, settings and validation
score) and the best score so far."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from workbench.gui.plots.guarded import GuardedPlotWidget
from workbench.gui.plots.loss_plot import EpochAxis
from workbench.gui.theme import VAL_COLOR

if TYPE_CHECKING:
    from workbench.core.search.studies import TrialRow

# The columns by name, in order; "host" only where trials come from several machines (a shared study).
COLUMNS = {"trial": "Trial", "state": "State", "value": "Validation loss", "epochs": "Epochs", "host": "Host",
           "settings": "Settings"}
NUMERIC = ("trial", "value", "epochs")  # right-aligned
STATE_BRUSHES = {"running": QBrush(QColor("#1d4ed8")), "pruned": QBrush(QColor("#6b7280")),
                 "failed": QBrush(QColor("#b3261e")), "complete": QBrush(QColor("#1b5e20")),
                 "stopped": QBrush(QColor("#92400e"))}


def params_text(params: dict[str, Any]) -> str:
    """ "cell=gru, hidden=48, lr=0.0021" (the setting's name without its section)."""
    parts = []
    for key, value in params.items():
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        parts.append(f"{key.partition('.')[2] or key}={shown}")
    return ", ".join(parts)


class TrialsTable(QTableWidget):
    """One row per trial, in the order they started: updated from a search's events, or shown from the rows read
    from a study (`show_trial`), where `hosts` adds the machine each trial ran on."""

    def __init__(self, parent: QWidget | None = None, hosts: bool = False) -> None:
        names = [name for name in COLUMNS if hosts or name != "host"]
        super().__init__(0, len(names), parent)
        self._column = {name: index for index, name in enumerate(names)}
        self.setHorizontalHeaderLabels([COLUMNS[name] for name in names])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        for column in range(len(names) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._rows: dict[int, int] = {}  # trial number -> table row

    def clear_trials(self) -> None:
        self.setRowCount(0)
        self._rows = {}

    def states(self) -> dict[int, str]:
        """Trial number -> the state shown."""
        return {trial: self.item(row, self._column["state"]).text() for trial, row in self._rows.items()}

    def started(self, event: dict[str, Any]) -> None:
        row = self._row(event["trial"])
        self._set(row, "state", "running")
        self._set_settings(row, event.get("params", {}))

    def epoch(self, event: dict[str, Any]) -> None:
        row = self._row(event["trial"])
        self._set(row, "epochs", str(event["epoch"]))
        value = event.get("val_loss")
        if isinstance(value, (int, float)) and math.isfinite(value):
            self._set(row, "value", f"{value:.4g}")

    def finished(self, event: dict[str, Any]) -> None:
        row = self._row(event["trial"])
        self._set(row, "state", event["state"])
        value = event.get("value")
        self._set(row, "value", f"{value:.4g}" if isinstance(value, (int, float)) else "-")
        if event.get("epochs") is not None:
            self._set(row, "epochs", str(event["epochs"]))
        if event.get("params"):
            self._set_settings(row, event["params"])
        if event.get("message"):
            self.item(row, self._column["state"]).setToolTip(str(event["message"]))

    def show_trial(self, trial: TrialRow) -> None:
        """A trial as a study holds it now: a running one shows its latest validation loss."""
        row = self._row(trial.number)
        self._set(row, "state", trial.state)
        latest = trial.curve[max(trial.curve)] if trial.curve else None
        value = trial.value if trial.value is not None else latest if trial.state == "running" else None
        finite = isinstance(value, (int, float)) and math.isfinite(value)
        self._set(row, "value", f"{value:.4g}" if finite else "-")
        self._set(row, "epochs", str(len(trial.curve)) if trial.curve else "")
        if "host" in self._column:
            self._set(row, "host", trial.host)
        self._set_settings(row, trial.params)
        self.item(row, self._column["state"]).setToolTip(trial.message)

    def _set_settings(self, row: int, params: dict[str, Any]) -> None:
        self._set(row, "settings", params_text(params))
        item = self.item(row, self._column["settings"])
        item.setToolTip(item.text())

    def _row(self, trial: int) -> int:
        if trial not in self._rows:
            row = self.rowCount()
            self.insertRow(row)
            self._rows[trial] = row
            self._set(row, "trial", str(trial))
        return self._rows[trial]

    def _set(self, row: int, name: str, text: str) -> None:
        column = self._column[name]
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            if name in NUMERIC:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, column, item)
        item.setText(text)
        if name == "state" and text in STATE_BRUSHES:
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

    def set_best_values(self, best_values: list[float | None]) -> None:
        """All at once: the best validation loss after each ended trial (None: none complete yet)."""
        self.ended = len(best_values)
        points = [(float(n), float(v)) for n, v in enumerate(best_values, 1)
                  if isinstance(v, (int, float)) and math.isfinite(v)]
        self.x, self.y = [x for x, _ in points], [y for _, y in points]
        self.curve.setData(self.x, self.y)

    def trial_ended(self, best_value: float | None) -> None:
        self.ended += 1
        if isinstance(best_value, (int, float)) and math.isfinite(best_value):
            self.x.append(float(self.ended))
            self.y.append(float(best_value))
            self.curve.setData(self.x, self.y)
