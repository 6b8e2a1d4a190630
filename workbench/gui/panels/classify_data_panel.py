"""The labelled-texts data panel: which column holds the texts and which the labels, and the classes found."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.classify.config import class_name_entries, parse_class_names
from workbench.core.classify.dataset import ClassifySummary
from workbench.core.data.sources import Table
from workbench.gui.messages import MessageBar

DETECTED = "(detected)"
CLASS_HEADERS = ("Label value", "Class name", "Rows", "Train", "Val", "Test")
VALUE_COLUMN, NAME_COLUMN = 0, 1
NAMES_TIP = ("Double-click a class name to rename the class (for example 0 to negative). The results, the "
             "predictions and Try it use the names; the model and project files keep them.")
WARNING_STYLE = "color: #8a5a00; background: #fff4e0; border-radius: 3px; padding: 4px;"


class ClassifyDataPanel(QWidget):
    """Pick the text and label columns of a labelled table and name the classes; shows each label value as the
    table has it, the class counts by part, and warnings.

    `selection_changed` fires only when the user picks a column and `class_names_changed` only when the user
    renames a class, never when the panel is filled from code.
    """

    selection_changed = Signal()
    class_names_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        self._names: dict[str, str] = {}  # label value -> the name the user gave it
        self._values: list[str] = []  # the label values in the table, in class order
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.message_bar = MessageBar(self)
        self.text_combo, self.label_combo = QComboBox(), QComboBox()
        self.text_combo.setToolTip("The column holding the texts to classify.")
        self.label_combo.setToolTip("The column holding each text's class (words or numbers).")
        for combo in (self.text_combo, self.label_combo):
            combo.currentIndexChanged.connect(self._on_combo_changed)
        columns = QGroupBox("Columns")
        form = QFormLayout(columns)
        form.addRow("Texts", self.text_combo)
        form.addRow("Labels", self.label_combo)
        self.classes = QTableWidget(0, len(CLASS_HEADERS))
        self.classes.setHorizontalHeaderLabels(list(CLASS_HEADERS))
        self.classes.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                     | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.classes.verticalHeader().hide()
        header = self.classes.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(VALUE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.classes.setToolTip("Rows of each class, and how the stratified split shares them out. " + NAMES_TIP)
        self.classes.itemChanged.connect(self._on_class_item_changed)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.setStyleSheet("color: #555555;")
        names_hint = QLabel("Double-click a class name to rename it (for example 0 to negative).")
        names_hint.setWordWrap(True)
        names_hint.setStyleSheet("color: #555555;")
        names_hint.setToolTip(NAMES_TIP)
        classes_box = QGroupBox("Classes")
        inner = QVBoxLayout(classes_box)
        inner.addWidget(self.classes)
        inner.addWidget(names_hint)
        inner.addWidget(self.warning)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.message_bar)
        layout.addWidget(columns)
        layout.addWidget(classes_box, 1)
        layout.addWidget(self.notes)

    def set_table(self, table: Table) -> None:
        """Offer the table's columns; both start at "(detected)", and no class has a name yet."""
        self._names = {}
        self._updating = True
        try:
            names = [str(c) for c in table.frame.columns]
            for combo in (self.text_combo, self.label_combo):
                combo.clear()
                combo.addItem(DETECTED, None)
                for name in names:
                    combo.addItem(name, name)
        finally:
            self._updating = False
        self.file_label.setText(f"<b>{html.escape(Path(table.path).name)}</b>: {len(table.frame):,} rows, "
                                f"{len(names)} columns")
        self.message_bar.clear()

    def set_selection(self, text: str | None, label: str | None) -> None:
        """Show chosen columns without emitting selection_changed (None: detected)."""
        self._updating = True
        try:
            for combo, value in ((self.text_combo, text), (self.label_combo, label)):
                index = combo.findData(value) if value is not None else 0
                combo.setCurrentIndex(max(index, 0))
        finally:
            self._updating = False

    def selection(self) -> tuple[str | None, str | None]:
        """(text column, label column); None where the user leaves it to detection."""
        return self.text_combo.currentData(), self.label_combo.currentData()

    def set_summary(self, summary: ClassifySummary) -> None:
        """Classes by part, the imbalance warning and the notes on what was found."""
        self.message_bar.clear()
        self._values = list(summary.values)
        self._updating = True
        try:
            self.classes.setRowCount(len(summary.classes))
            for row, (value, name) in enumerate(zip(summary.values, summary.classes)):
                parts = (summary.split_counts[part][row] for part in ("train", "val", "test"))
                counts = [summary.class_counts[row], *parts]
                cells = [QTableWidgetItem(value), QTableWidgetItem(name),
                         *(QTableWidgetItem(f"{count:,}") for count in counts)]
                for column, item in enumerate(cells):
                    if column != NAME_COLUMN:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    else:
                        item.setToolTip(NAMES_TIP)
                    if column > NAME_COLUMN:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.classes.setItem(row, column, item)
        finally:
            self._updating = False
        self.warning.setText(summary.imbalance)
        self.warning.setVisible(bool(summary.imbalance))
        # The imbalance sentence is shown above already; the notes list everything else.
        notes = [note for note in summary.notes if note != summary.imbalance]
        self.notes.setText("\n".join(notes))
        for combo, column in ((self.text_combo, summary.text_column), (self.label_combo, summary.label_column)):
            combo.setItemText(0, f"{DETECTED}: {column}")

    def show_error(self, text: str, hint: str = "") -> None:
        self.message_bar.show_error(text, hint)
        self.classes.setRowCount(0)
        self.warning.hide()

    def notes_text(self) -> str:
        return self.notes.text()

    def class_names(self) -> list[str]:
        """The `class_names` setting: "value=name" for each class the user named."""
        return class_name_entries(self._names)

    def set_class_names(self, entries: list[str]) -> None:
        """Names from a project or a model (shown with the next summary); no class_names_changed."""
        try:
            self._names = parse_class_names(list(entries or []))
        except ValueError:
            self._names = {}

    def shown_classes(self) -> list[tuple[str, str]]:
        """(label value, class name) per row of the classes table, as shown."""
        return [(self.classes.item(row, VALUE_COLUMN).text(), self.classes.item(row, NAME_COLUMN).text())
                for row in range(self.classes.rowCount())]

    def rename_class(self, value: str, name: str) -> None:
        """Type `name` into the class-name cell of label value `value`, as the user would."""
        row = self._values.index(value)
        self.classes.item(row, NAME_COLUMN).setText(name)

    def _on_combo_changed(self) -> None:
        if not self._updating:
            if self.sender() is self.label_combo:
                self._names = {}  # the names were for the last label column's values
            self.selection_changed.emit()

    def _on_class_item_changed(self, item: QTableWidgetItem) -> None:
        if self._updating or item.column() != NAME_COLUMN:
            return
        names = {}
        for row, value in enumerate(self._values):
            cell = self.classes.item(row, NAME_COLUMN)
            name = cell.text().strip() if cell is not None else ""
            names[value] = name or value  # an emptied name falls back to the value itself
        taken = [name for name in names.values() if list(names.values()).count(name) > 1]
        if taken:
            # Refuse at once, in place: two classes of one name would be one class to every reader.
            self.message_bar.show_error(f"Two classes cannot both be called '{taken[0]}'.",
                                        "Give every class a name of its own.")
            self._updating = True
            item.setText(self._names.get(self._values[item.row()], self._values[item.row()]))
            self._updating = False
            return
        names = {value: name for value, name in names.items() if name != value}
        if names == self._names:
            return
        self.message_bar.clear()
        self._names = names
        # After this slot returns: the summary it triggers refills this table, which must not happen while Qt is
        # still delivering the edit of one of its items.
        QTimer.singleShot(0, self.class_names_changed.emit)
