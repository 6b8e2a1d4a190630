"""List models over column names for the data panel: the view asks only for the rows it shows.

A table can have thousands of columns; filling a QListWidget or a QComboBox with one item each took seconds
of the GUI thread (docs/decisions.md, "Reading large files"). These models hold a list of names and answer the view.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

_ANY_INDEX = QModelIndex | QPersistentModelIndex
NAME_ROLE = Qt.ItemDataRole.UserRole  # the column's name, as QComboBox.currentData() and findData() read it


class NamesModel(QAbstractListModel):
    """Items of (text shown, name) for a combo box; `row_of(name)` finds one without asking every row."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[tuple[str, str]] = []
        self._rows: dict[str, int] = {}

    def set_items(self, items: Sequence[tuple[str, str]]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._rows = {}
        for row, (_text, name) in enumerate(self._items):
            self._rows.setdefault(name, row)
        self.endResetModel()

    def names(self) -> list[str]:
        return [name for _text, name in self._items]

    def row_of(self, name: str | None) -> int:
        """The row holding `name`, or -1."""
        return self._rows.get(name, -1) if name is not None else -1

    def rowCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        text, name = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == NAME_ROLE:
            return name
        return None


class InputsModel(QAbstractListModel):
    """The columns that may be inputs, each with a check box; the target is listed, greyed, and always used."""

    toggled = Signal()  # the user ticked or unticked a column

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self._target: str | None = None
        self._checked: set[str] = set()

    def set_columns(self, names: Sequence[str], target: str | None, checked: Sequence[str]) -> None:
        self.beginResetModel()
        self._names = list(names)
        self._target = target
        allowed = set(self._names) - {target}
        self._checked = {name for name in checked if name in allowed}
        self.endResetModel()

    def checked(self) -> list[str]:
        """The ticked columns, in table order."""
        return [name for name in self._names if name in self._checked]

    def set_checked(self, name: str, checked: bool) -> None:
        """Tick or untick `name` from code (no `toggled`)."""
        row = self.row_of(name)
        if row >= 0 and name != self._target:
            self._set(row, checked)

    def row_of(self, name: str) -> int:
        try:
            return self._names.index(name)
        except ValueError:
            return -1

    def rowCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._names) or 1  # one row saying there are none

    def data(self, index: _ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if not self._names:
            return "(no numeric columns)" if role == Qt.ItemDataRole.DisplayRole else None
        name = self._names[index.row()]
        is_target = name == self._target
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}  (target)" if is_target else name
        if role == NAME_ROLE:
            return name
        if role == Qt.ItemDataRole.CheckStateRole and not is_target:
            return Qt.CheckState.Checked if name in self._checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and is_target:
            return "The target's own past is always an input."
        return None

    def flags(self, index: _ANY_INDEX) -> Qt.ItemFlag:
        if not index.isValid() or not self._names or self._names[index.row()] == self._target:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: _ANY_INDEX, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or not (self.flags(index) & Qt.ItemFlag.ItemIsUserCheckable):
            return False
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        self._set(index.row(), state == Qt.CheckState.Checked.value)
        self.toggled.emit()
        return True

    def _set(self, row: int, checked: bool) -> None:
        name = self._names[row]
        if checked:
            self._checked.add(name)
        else:
            self._checked.discard(name)
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])


def filtered(model: QAbstractListModel, parent=None) -> QSortFilterProxyModel:
    """`model` seen through a case-insensitive filter on the text shown (`setFilterFixedString`)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy
