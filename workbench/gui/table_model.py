"""A read-only Qt table model over the first rows of a pandas DataFrame, for previews."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_float_dtype, is_numeric_dtype
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

DEFAULT_MAX_ROWS = 500
MISSING_BRUSH = QBrush(QColor(253, 226, 226))
_ANY_INDEX = QModelIndex | QPersistentModelIndex


class FrameModel(QAbstractTableModel):
    """Shows the first `max_rows` rows of a frame; cells are formatted only when the view asks for them.

    The vertical header gives 1-based line numbers in the file when the reader recorded where the data
    starts (``frame.attrs["first_line"]``), else 1-based row numbers, so a user can find a row in an editor.
    """

    def __init__(self, frame: pd.DataFrame | None = None, max_rows: int = DEFAULT_MAX_ROWS, parent=None) -> None:
        super().__init__(parent)
        self._max_rows = max_rows
        self._columns: list[str] = []
        self._arrays: list[np.ndarray] = []
        self._missing: list[np.ndarray] = []
        self._kinds: list[str] = []
        self._n_rows = 0
        self._total_rows = 0
        self._first_line = 1
        if frame is not None:
            self.set_frame(frame)

    def set_frame(self, frame: pd.DataFrame | None) -> None:
        """Show `frame` (None empties the model); only the first `max_rows` rows are taken."""
        self.beginResetModel()
        head = frame.iloc[: self._max_rows] if frame is not None else pd.DataFrame()
        self._columns = [str(c) for c in head.columns]
        self._arrays = [head.iloc[:, j].to_numpy() for j in range(head.shape[1])]
        self._missing = [head.iloc[:, j].isna().to_numpy() for j in range(head.shape[1])]
        self._kinds = [_kind(head.iloc[:, j]) for j in range(head.shape[1])]
        self._n_rows = head.shape[0]
        self._total_rows = 0 if frame is None else frame.shape[0]
        self._first_line = int(frame.attrs.get("first_line", 1)) if frame is not None else 1
        self.endResetModel()

    @property
    def total_rows(self) -> int:
        """Rows in the whole frame, of which `rowCount()` are shown."""
        return self._total_rows

    def rowCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else self._n_rows

    def columnCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        missing = self._missing[col][row]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if missing else _format(self._arrays[col][row], self._kinds[col])
        if role == Qt.ItemDataRole.BackgroundRole and missing:
            return MISSING_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole and missing:
            return "Missing value"
        if role == Qt.ItemDataRole.TextAlignmentRole and self._kinds[col] in ("float", "int"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section] if section < len(self._columns) else None
        return str(self._first_line + section)


def _kind(column: pd.Series) -> str:
    if is_bool_dtype(column):
        return "other"
    if is_float_dtype(column):
        return "float"
    if is_numeric_dtype(column):
        return "int"
    return "other"


def _format(value, kind: str) -> str:
    if kind == "float":
        return f"{value:.6g}"
    if isinstance(value, np.datetime64):
        return str(pd.Timestamp(value))
    return str(value)
