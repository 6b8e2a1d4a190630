"""The Anomalies tab: the values that fall outside the model's one-step-ahead interval at a chosen level, listed
(sortable, exportable as CSV) and marked on the series; the list and the plot choose each other.

The tab shows plain data (`show_anomalies(anomalies)`); it computes nothing. A new level is asked for with
`level_changed`, and the workspace finds the anomalies at that level in the background
(workspaces/series_uncertainty.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.gui.file_dialogs import CSV_FILTER
from workbench.gui.panels.forecast_view import LevelChooser, placeholder
from workbench.gui.plots.anomaly_plot import AnomalyPlot
from workbench.gui.plots.forecast_plot import format_time

if TYPE_CHECKING:
    from workbench.core.forecast.anomalies import Anomalies

NO_MODEL_TEXT = ("No anomalies yet.\n\nTrain a model or open a saved one, with data, to see which values fall "
                 "outside its one-step-ahead prediction interval.")
LEVELS = (0.9, 0.95, 0.99, 0.995, 0.999)
DEFAULT_LEVEL = 0.99  # core/forecast/anomalies.py DEFAULT_ANOMALY_LEVEL, kept here so the tab loads without torch
COLUMNS = ("time", "actual", "forecast", "lower", "upper", "score")
HEADERS = ("Time", "Actual", "Forecast", "Lower", "Upper", "Score")
_ANY_INDEX = QModelIndex | QPersistentModelIndex
ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "color: #555555;"


class AnomalyTableModel(QAbstractTableModel):
    """The flagged rows, one per table row, sortable by any column; `position(row)` is the row's place in the
    flagged rows as given (the plot numbers its points the same way)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame = pd.DataFrame(columns=list(COLUMNS))
        self._order = np.empty(0, dtype=np.int64)  # table row -> position in _frame
        self._dates = True

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame.loc[:, list(COLUMNS)].reset_index(drop=True)
        self._order = np.arange(len(self._frame), dtype=np.int64)
        self._dates = pd.api.types.is_datetime64_any_dtype(self._frame["time"])
        self.endResetModel()

    def position(self, row: int) -> int:
        return int(self._order[row])

    def row_of(self, position: int) -> int:
        return int(np.flatnonzero(self._order == position)[0])

    def shown_frame(self) -> pd.DataFrame:
        """The rows in the order the table shows them."""
        return self._frame.iloc[self._order].reset_index(drop=True)

    def rowCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's own signature
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        value = self._frame.iat[self.position(index.row()), index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return format_time(value, self._dates)
            return f"{value:.4g}" if np.isfinite(value) else ("\u221e" if value > 0 else "-")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == len(COLUMNS) - 1:
            return "How far the value lies from the forecast, in band half-widths: above 1 is outside the band."
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return HEADERS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        positions = [self.position(index.row()) for index in before]
        values = self._frame.iloc[:, column]
        ascending = order == Qt.SortOrder.AscendingOrder
        self._order = values.sort_values(ascending=ascending, kind="stable").index.to_numpy(dtype=np.int64)
        # Keep the selection on the same flagged rows, wherever the sort put them.
        after = [self.index(self.row_of(p), index.column()) for p, index in zip(positions, before)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()


class AnomaliesView(QStackedWidget):
    """A placeholder until `show_anomalies`, then the level, the note, the plot and the list (see the module)."""

    level_changed = Signal(float)  # the user chose another level: the workspace finds the anomalies again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.anomalies: Anomalies | None = None
        self.empty = placeholder(NO_MODEL_TEXT)
        self.addWidget(self.empty)
        self.level = LevelChooser(LEVELS, DEFAULT_LEVEL)
        self.level.setToolTip("A value is flagged when it falls outside its one-step-ahead prediction interval at "
                              "this level: the higher the level, the wider the band and the fewer the flags.")
        self.export_button = QPushButton("Export as CSV...")
        self.export_button.setToolTip("Write the listed anomalies, in the order shown, to a CSV file.")
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Flag values outside the"))
        controls.addWidget(self.level)
        controls.addWidget(QLabel("interval"))  # short: the tab must fit beside the forms on a small screen
        controls.addStretch(1)
        controls.addWidget(self.export_button)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.plot = AnomalyPlot()
        self.table_model = AnomalyTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # One line of text per row (the style's default is taller), so more of the list shows at once.
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().lineSpacing() + 6)
        # Highest score first, as the core lists them; setting the indicator before enabling sorting keeps it.
        self.table.horizontalHeader().setSortIndicator(COLUMNS.index("score"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.plot)
        splitter.addWidget(self.table)
        splitter.setSizes([300, 200])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.addWidget(page)

        self.level.level_changed.connect(self.level_changed)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_chosen)
        self.plot.point_clicked.connect(self.choose)

    # ---- what the workspace calls

    def show_anomalies(self, anomalies: Anomalies, target: str | None = None) -> None:
        """Show the anomalies found at the chosen level (`target`: the value axis' name)."""
        self.anomalies = anomalies
        # The chooser says the level these were found at, whoever asked for them.
        self.level.blockSignals(True)
        self.level.set_level(anomalies.level)
        self.level.blockSignals(False)
        flagged = anomalies.flagged()
        self.table_model.set_frame(flagged)
        self.table.sortByColumn(self.table.horizontalHeader().sortIndicatorSection(),
                                self.table.horizontalHeader().sortIndicatorOrder())
        self.plot.show_anomalies(anomalies, flagged, target)
        self.note.setText(anomalies.note)
        self.export_button.setEnabled(anomalies.count > 0)
        self._say("")
        self.setCurrentIndex(1)

    def show_working(self, text: str) -> None:
        """The anomalies at a new level are being found: the old ones stay until they arrive."""
        self._say(text)

    def clear(self, text: str = NO_MODEL_TEXT) -> None:
        """Back to the placeholder, saying `text` (why there are no anomalies to show)."""
        self.anomalies = None
        self.table_model.set_frame(pd.DataFrame(columns=list(COLUMNS)))
        self.plot.clear_anomalies()
        self.note.clear()
        self._say("")
        self.empty.setText(text)
        self.setCurrentIndex(0)

    def state(self) -> dict[str, object]:
        """The user's choices, for a project file: the level and how the list is sorted."""
        header = self.table.horizontalHeader()
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        return {"level": self.level.level(), "sort": COLUMNS[header.sortIndicatorSection()],
                "order": "descending" if descending else "ascending"}

    def restore_state(self, state: object) -> None:
        """Put back the choices a project saved; anything else in an edited file is ignored. Anomalies on screen
        at another level are asked for again at this one (`level_changed`), so the list never disagrees with it."""
        if not isinstance(state, dict):
            return
        if state.get("sort") in COLUMNS and state.get("order") in ("ascending", "descending"):
            order = Qt.SortOrder.DescendingOrder if state["order"] == "descending" else Qt.SortOrder.AscendingOrder
            self.table.sortByColumn(COLUMNS.index(state["sort"]), order)
        level = state.get("level")
        if not isinstance(level, float) or not 0.01 <= level <= 0.999:
            return
        self.level.blockSignals(True)  # a level put back is not a request, unless it changes what is shown
        self.level.set_level(level)
        self.level.blockSignals(False)
        if self.anomalies is not None and abs(self.anomalies.level - self.level.level()) > 1e-9:
            self.level_changed.emit(self.level.level())

    def chosen(self) -> int | None:
        """The position (in `anomalies.flagged()`) of the anomaly chosen in the list and ringed on the plot."""
        return self.plot.chosen

    def choose(self, position: int) -> None:
        """Choose the flagged row at `position`: select it in the list and ring it on the plot."""
        row = self.table_model.row_of(position)
        index = self.table_model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def export_csv(self, path: str) -> str:
        """Write the listed anomalies, in the order shown, to `path` (atomically, spreadsheet-safe); what was done,
        in words. Raises the core's WorkbenchError when the file cannot be written."""
        from workbench.core.export.tables import write_csv

        frame = self.table_model.shown_frame()
        write_csv(frame, path)
        return f"Wrote {len(frame):,} anomalies to {path}."

    # ---- helpers

    def ask_path(self) -> str:
        """The file to export to ("" when cancelled); tests replace it."""
        path, _ = QFileDialog.getSaveFileName(self, "Export anomalies", "anomalies.csv", CSV_FILTER)
        return path

    def _on_export_clicked(self) -> None:
        path = self.ask_path()
        if not path:
            return
        try:
            self._say(self.export_csv(path))
        except WorkbenchError as error:
            self._say(f"{error.message} {error.hint}".strip(), error=True)

    def _on_row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.plot.choose(self.table_model.position(current.row()), centre=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE)
        self.status.setVisible(bool(text))
