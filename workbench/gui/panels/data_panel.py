"""The data panel: which columns play which role, notes on the data's health, and a preview of the table."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.data.config import DataConfig
from workbench.core.data.sources import Table
from workbench.gui.messages import MessageBar
from workbench.gui.panels.column_models import InputsModel, NamesModel, filtered
from workbench.gui.reading import ColumnChoices, column_choices
from workbench.gui.table_model import DEFAULT_MAX_ROWS, FrameModel

__all__ = ["ROW_ORDER", "ColumnChoices", "DataPanel", "DataPreview", "column_choices"]

ROW_ORDER = "(row order)"
_FIELDS = {f.name: f.metadata for f in dataclasses.fields(DataConfig)}
_MISSING_LABELS = {"interpolate": "Interpolate", "drop": "Drop rows", "refuse": "Refuse (list them)"}
# A filter box above the inputs appears for tables with more numeric columns than fit in the list at once.
FILTER_FROM = 12


class DataPanel(QWidget):
    """Pick the time, target and input columns of a loaded table and how missing values are treated.

    `selection_changed` fires only when the user changes a role, never when the panel is filled from
    code. `selection()` gives ``{"time", "target", "inputs", "missing"}``; ``time`` is a column name, or
    ``""`` when the user chose row order (no time column).
    """

    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table: Table | None = None
        self._choices: ColumnChoices | None = None
        self._health: list[str] = []
        self._updating = False
        self._build()
        self._set_enabled(False)

    # ---- public

    def set_table(self, table: Table, choices: ColumnChoices | None = None) -> None:
        """Show a freshly read table with the detected time column and the default target chosen.

        `choices` are the table's columns as `column_choices` finds them; reading passes them in, worked out
        off the GUI thread (they are worked out here when not given)."""
        self._table = table
        self._choices = choices if choices is not None else column_choices(table.frame)
        self._health = []
        self.file_label.setText(Path(table.path).name)
        self.file_label.setToolTip(table.path)
        rows, cols = table.frame.shape
        self.shape_label.setText(f"{rows:,} rows \u00d7 {cols:,} columns")
        time = self._choices.time
        with self._quietly():
            self.time_model.set_items([(ROW_ORDER, ""), *((name, name) for name in self._choices.names)])
            self.time_combo.setCurrentIndex(max(self.time_model.row_of(time or ""), 0))
            self.filter_edit.clear()
            self._fill_roles(self._choices.default_target(time), [])
            self.missing_combo.setCurrentIndex(self.missing_combo.findData("interpolate"))
        self._set_enabled(True)
        self.clear_error()
        self._show_notes()

    def selection(self) -> dict:
        """The roles as DataConfig names them; ``time`` is ``""`` for row order."""
        return {
            "time": self.time_combo.currentData() or "",
            "target": self.target_combo.currentData(),
            "inputs": self._checked_inputs(),
            "missing": self.missing_combo.currentData(),
        }

    def set_selection(self, *, time: str | None = None, target: str | None = None,
                      inputs: list[str] | None = None, missing: str | None = None) -> None:
        """Set roles from code (a reopened project); None leaves a role as it is; emits nothing."""
        with self._quietly():
            if time is not None and self.time_model.row_of(time) >= 0:
                self.time_combo.setCurrentIndex(self.time_model.row_of(time))
            keep = self._checked_inputs() if inputs is None else inputs
            self._fill_roles(target or self.target_combo.currentData(), keep)
            if missing is not None and self.missing_combo.findData(missing) >= 0:
                self.missing_combo.setCurrentIndex(self.missing_combo.findData(missing))

    def set_health(self, notes: list[str]) -> None:
        """Show what preparing the series found and did (SeriesData.health), above the file's own notes."""
        self._health = list(notes)
        self._show_notes()

    def show_error(self, text: str, hint: str = "") -> None:
        self.message_bar.show_error(text, hint)

    def clear_error(self) -> None:
        self.message_bar.clear()

    def notes_text(self) -> str:
        """The notes as plain text, one per line (for tests and copying)."""
        return "\n".join(self._health + (self._table.notes if self._table else []))

    # ---- layout

    def _build(self) -> None:
        self.message_bar = MessageBar(self)
        self.file_label = QLabel("No file loaded", self)
        font = self.file_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.file_label.setFont(font)
        self.shape_label = QLabel("Open a CSV, Excel or Parquet file to start.", self)
        self.shape_label.setStyleSheet("color: #666666;")

        self.time_model, self.target_model = NamesModel(self), NamesModel(self)
        self.time_combo = _names_combo(self.time_model, self)
        self.time_combo.setToolTip("The column with dates, years or epoch seconds; each row is one time step. "
                                   f"Choose {ROW_ORDER} when the rows are evenly spaced and have no time column.")
        self.target_combo = _names_combo(self.target_model, self)
        self.target_combo.setToolTip("The numeric column the model learns to forecast.")
        self.inputs_model = InputsModel(self)
        self.inputs_proxy = filtered(self.inputs_model, self)
        self.inputs_list = QListView(self)
        self.inputs_list.setModel(self.inputs_proxy)
        self.inputs_list.setUniformItemSizes(True)  # no need to measure thousands of rows
        self.inputs_list.setToolTip(_FIELDS["inputs"]["help"] + " Tick the ones that help predict the target.")
        self.inputs_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.inputs_list.setMinimumHeight(70)
        self.inputs_list.setMaximumHeight(150)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter columns")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Show only the columns whose name contains this text.")
        self.filter_edit.hide()
        inputs_box = QWidget(self)
        inputs_layout = QVBoxLayout(inputs_box)
        inputs_layout.setContentsMargins(0, 0, 0, 0)
        inputs_layout.setSpacing(2)
        inputs_layout.addWidget(self.filter_edit)
        inputs_layout.addWidget(self.inputs_list)
        self.missing_combo = QComboBox(self)
        help_text = _FIELDS["missing"]["help"]
        self.missing_combo.setToolTip(help_text)
        for choice in _FIELDS["missing"]["choices"]:
            self.missing_combo.addItem(_MISSING_LABELS.get(choice, choice), choice)
            part = next((p.strip() for p in help_text.split(";") if p.strip().startswith(choice)), help_text)
            self.missing_combo.setItemData(self.missing_combo.count() - 1, _sentence(part),
                                           Qt.ItemDataRole.ToolTipRole)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.addRow(_FIELDS["time"]["label"] + ":", self.time_combo)
        form.addRow(_FIELDS["target"]["label"] + ":", self.target_combo)
        form.addRow(_FIELDS["inputs"]["label"] + ":", inputs_box)
        form.addRow(_FIELDS["missing"]["label"] + ":", self.missing_combo)
        self.roles_box = QGroupBox("Columns", self)
        self.roles_box.setLayout(form)

        self.notes_label = QLabel(self)
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.notes_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.notes_label)
        notes_box = QGroupBox("About this data", self)
        QVBoxLayout(notes_box).addWidget(scroll)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.file_label)
        layout.addWidget(self.shape_label)
        layout.addSpacing(4)
        layout.addWidget(self.roles_box)
        layout.addWidget(notes_box, 1)

        self.time_combo.currentIndexChanged.connect(self._on_role_changed)
        self.target_combo.currentIndexChanged.connect(self._on_role_changed)
        self.inputs_model.toggled.connect(self._on_input_toggled)
        self.filter_edit.textChanged.connect(self.inputs_proxy.setFilterFixedString)
        self.missing_combo.currentIndexChanged.connect(self._on_missing_changed)

    # ---- slots

    def _on_role_changed(self, _index: int) -> None:
        # A new time or target column changes which columns can be inputs.
        if self._updating:
            return
        with self._quietly():
            self._fill_roles(self.target_combo.currentData(), self._checked_inputs())
        self.selection_changed.emit()

    def _on_input_toggled(self) -> None:
        if not self._updating:
            self.selection_changed.emit()

    def _on_missing_changed(self, _index: int) -> None:
        if not self._updating:
            self.selection_changed.emit()

    # ---- helpers

    def _fill_roles(self, target: str | None, checked: list[str]) -> None:
        """Refill the target and input lists for the chosen time column, keeping what still fits."""
        if self._choices is None:
            return
        time = self.time_combo.currentData() or None
        numeric = self._choices.targets(time)
        if target not in numeric:
            target = self._choices.default_target(time)
        if self.target_model.names() != numeric:
            self.target_model.set_items([(name, name) for name in numeric])
        self.target_combo.setCurrentIndex(max(self.target_model.row_of(target), 0))
        self.inputs_model.set_columns(numeric, target, checked)
        self.filter_edit.setVisible(len(numeric) > FILTER_FROM)

    def _checked_inputs(self) -> list[str]:
        return self.inputs_model.checked()

    def _show_notes(self) -> None:
        file_notes = self._table.notes if self._table is not None else []
        parts = [f"<p style='margin:0 0 6px 0'>{html.escape(n)}</p>" for n in self._health]
        parts += [f"<p style='margin:0 0 6px 0; color:#666666'>{html.escape(n)}</p>" for n in file_notes]
        self.notes_label.setText("".join(parts))

    def _set_enabled(self, enabled: bool) -> None:
        self.roles_box.setEnabled(enabled)

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """The panel's own changes to its widgets inside this block do not count as the user's."""
        before, self._updating = self._updating, True
        try:
            yield
        finally:
            self._updating = before


class DataPreview(QWidget):
    """The first rows of the loaded table as read, with a caption saying how many are shown."""

    def __init__(self, max_rows: int = DEFAULT_MAX_ROWS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel("No data loaded.", self)
        self.caption.setStyleSheet("color: #666666;")
        self.model = FrameModel(max_rows=max_rows, parent=self)
        self.table_view = QTableView(self)
        self.table_view.setModel(self.model)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.verticalHeader().setDefaultSectionSize(22)
        self.table_view.horizontalHeader().setDefaultSectionSize(110)
        self.table_view.setToolTip("The table as read from the file. Row numbers are line numbers in the file; "
                                   "empty red cells are missing values.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.table_view, 1)

    def set_table(self, table: Table | None) -> None:
        """Show the first rows of `table` (None clears the preview)."""
        self.model.set_frame(None if table is None else table.frame)
        shown, total = self.model.rowCount(), self.model.total_rows
        if table is None:
            self.caption.setText("No data loaded.")
        elif shown < total:
            self.caption.setText(f"First {shown:,} of {total:,} rows")
        else:
            self.caption.setText(f"All {total:,} rows")


def _names_combo(model: NamesModel, parent: QWidget) -> QComboBox:
    """A combo box over `model` that never measures every item (a table may have thousands of columns)."""
    combo = QComboBox(parent)
    combo.setModel(model)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    combo.setMaxVisibleItems(20)
    view = combo.view()
    if isinstance(view, QListView):
        view.setUniformItemSizes(True)
    return combo


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] + "."
