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

    Columns are taken from the frame only when the view first shows one, so a table of thousands of columns
    opens at once: the view asks for the few on screen (docs/decisions.md, "Reading large files").

    The vertical header gives 1-based line numbers in the file when the reader recorded where the data
    starts (``frame.attrs["first_line"]``), else 1-based row numbers, so a user can find a row in an editor.
    """

    def __init__(self, frame: pd.DataFrame | None = None, max_rows: int = DEFAULT_MAX_ROWS, parent=None) -> None:
        super().__init__(parent)
        self._max_rows = max_rows
        self._frame: pd.DataFrame | None = None
        self._columns: list[str] = []
        self._cache: dict[int, tuple[np.ndarray, np.ndarray, str]] = {}  # column -> (values, missing, kind)
        self._n_rows = 0
        self._total_rows = 0
        self._first_line = 1
        if frame is not None:
            self.set_frame(frame)

    def set_frame(self, frame: pd.DataFrame | None) -> None:
        """Show `frame` (None empties the model); only the first `max_rows` rows are taken."""
        self.beginResetModel()
        self._frame = frame
        self._columns = [str(c) for c in frame.columns] if frame is not None else []
        self._cache = {}
        self._total_rows = 0 if frame is None else frame.shape[0]
        self._n_rows = min(self._total_rows, self._max_rows)
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
        values, missing_values, kind = self._column(index.column())
        row = index.row()
        missing = missing_values[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if missing else _format(values[row], kind)
        if role == Qt.ItemDataRole.BackgroundRole and missing:
            return MISSING_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole and missing:
            return "Missing value"
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in ("float", "int"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _column(self, col: int) -> tuple[np.ndarray, np.ndarray, str]:
        """The shown rows of column `col`, whether each is missing, and how to format them (kept once made)."""
        cached = self._cache.get(col)
        if cached is None:
            column = self._frame.iloc[: self._n_rows, col]
            cached = self._cache[col] = (column.to_numpy(), column.isna().to_numpy(), _kind(column))
        return cached

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
