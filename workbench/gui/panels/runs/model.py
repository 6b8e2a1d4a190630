"""The Runs table's Qt model: the runs that pass the filters, in the order of the last sort, with name, notes and
the star editable.

It filters and sorts by itself, on keys made off the GUI thread (rows.py), instead of leaving that to a
QSortFilterProxyModel: with a Python model the proxy calls Python once per row to filter and once per
comparison to sort. Measured at 10,000 runs, its filter pass alone (20,000 `filterAcceptsRow` calls on a header
click) held the GUI thread for 145 ms of a 250 ms sort, and typing a filter word took 90-130 ms; sorting the
prepared keys in Python takes about 15 ms (benchmarks/bench_runs_view.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.gui.panels.runs.rows import COLUMN_INDEX, COLUMNS, RunRow, edit_row, sorted_order

_ANY_INDEX = QModelIndex | QPersistentModelIndex
NUMERIC = {COLUMN_INDEX[key] for key in ("id", "epochs", "best_val_loss", "score")}
STAR = COLUMN_INDEX["starred"]
STAR_BRUSH = QBrush(QColor("#c99700"))
NOT_FINISHED_BRUSH = QBrush(QColor("#9a3412"))
# Writes an edit of one run to the store ({"name": ...}, {"notes": ...} or {"starred": ...}); False when refused.
Writer = Callable[[int, dict[str, Any]], bool]


@dataclass
class Filters:
    kind: str | None = None  # None: every kind
    only_ids: set[int] | None = None  # the runs on the open data; None: every run
    starred_only: bool = False
    words: list[str] = field(default_factory=list)  # each must appear in the row's search text

    def accepted(self, rows: list[RunRow]) -> list[bool]:
        """Whether each row passes; each active filter is one pass over the rows (no call per row)."""
        keep = [True] * len(rows)
        if self.kind is not None:
            keep = [k and row.kind == self.kind for k, row in zip(keep, rows)]
        if self.only_ids is not None:
            keep = [k and row.run_id in self.only_ids for k, row in zip(keep, rows)]
        if self.starred_only:
            keep = [k and row.starred for k, row in zip(keep, rows)]
        for word in self.words:
            keep = [k and word in row.search for k, row in zip(keep, rows)]
        return keep


class RunsModel(QAbstractTableModel):
    """Every run listed; the table shows those passing `filters`, sorted by the last column asked."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RunRow] = []
        self._order: list[int] = []  # every position in _rows, in sort order
        self._shown: list[int] = []  # table row -> position in _rows
        self._accepted: list[bool] = []  # per position in _rows: whether it passes the filters
        self._sort: tuple[int, bool] = (COLUMN_INDEX["id"], True)  # newest first until the user sorts
        self.filters = Filters()
        self.writer: Writer | None = None

    # ----- contents
    def set_rows(self, rows: list[RunRow], filters: Filters | None = None) -> None:
        """Show `rows` (with new `filters`, when given)."""
        self.beginResetModel()
        self._rows = rows
        self.filters = filters or self.filters
        self._order = sorted_order(rows, *self._sort)
        self._accepted = self.filters.accepted(rows)
        self._shown = self._filtered()
        self.endResetModel()

    def set_filters(self, filters: Filters) -> None:
        """Show the rows passing `filters` (the view's selection goes: the tab selects its runs again)."""
        self.beginResetModel()
        self.filters = filters
        self._accepted = filters.accepted(self._rows)
        self._shown = self._filtered()
        self.endResetModel()

    def row(self, table_row: int) -> RunRow:
        return self._rows[self._shown[table_row]]

    def shown_rows(self) -> list[RunRow]:
        """The runs shown, in table order."""
        return [self._rows[i] for i in self._shown]

    def total(self) -> int:
        """Every run listed, shown or not."""
        return len(self._rows)

    def remove_runs(self, run_ids: set[int]) -> None:
        self.set_rows([row for row in self._rows if row.run_id not in run_ids])

    # ----- Qt's model interface
    def rowCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's own signature
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[self._shown[index.row()]], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.texts[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == STAR:
                return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == STAR:
                return STAR_BRUSH
            if column == COLUMN_INDEX["status"] and row.status != "finished":
                return NOT_FINISHED_BRUSH
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tip
        return None

    def flags(self, index: _ANY_INDEX) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and COLUMNS[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _ANY_INDEX, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        column = COLUMNS[index.column()]
        if column.key == "starred":
            return self.set_starred(index.row(), bool(value))
        return column.editable and self._edit(index.row(), {column.key: str(value).strip()})

    def set_starred(self, table_row: int, starred: bool) -> bool:
        return self._edit(table_row, {"starred": starred})

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by `column`'s keys, keeping the selection on the same runs."""
        wanted = (column, order == Qt.SortOrder.DescendingOrder)
        if not 0 <= column < len(COLUMNS) or wanted == self._sort:
            return  # QTableView.sortByColumn may ask twice for the same order
        self._sort = wanted
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        positions = [self._shown[index.row()] for index in kept]
        self._order = sorted_order(self._rows, *self._sort)
        self._shown = self._filtered()
        if kept:
            table_row = {position: t for t, position in enumerate(self._shown)}
            moved = [self.index(table_row[p], i.column()) for i, p in zip(kept, positions)]
            self.changePersistentIndexList(kept, moved)
        self.layoutChanged.emit()

    # ----- inside
    def _filtered(self) -> list[int]:
        accepted = self._accepted
        return [i for i in self._order if accepted[i]]

    def _edit(self, table_row: int, change: dict[str, Any]) -> bool:
        row = self._rows[self._shown[table_row]]
        if self.writer is None or not self.writer(row.run_id, change):
            return False
        edit_row(row, change)
        self.dataChanged.emit(self.index(table_row, 0), self.index(table_row, len(COLUMNS) - 1))
        return True

    @staticmethod
    def _tip(row: RunRow, column: int) -> str | None:
        key = COLUMNS[column].key
        if key == "status":
            return row.message or None
        if key == "data":
            return row.data_path or None
        if key in ("verdict", "notes", "name", "network", "study") and row.texts[column]:
            return row.texts[column]
        return None
