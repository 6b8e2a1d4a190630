"""The labelled-texts data panel: which column holds the texts and which the labels, and the classes found."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
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

from workbench.core.classify.dataset import ClassifySummary
from workbench.core.data.sources import Table
from workbench.gui.messages import MessageBar

DETECTED = "(detected)"
WARNING_STYLE = "color: #8a5a00; background: #fff4e0; border-radius: 3px; padding: 4px;"


class ClassifyDataPanel(QWidget):
    """Pick the text and label columns of a labelled table; shows class counts by part, and warnings.

    `selection_changed` fires only when the user picks a column, never when the panel is filled from code.
    """

    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
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
        self.classes = QTableWidget(0, 5)
        self.classes.setHorizontalHeaderLabels(["Class", "Rows", "Train", "Val", "Test"])
        self.classes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.classes.verticalHeader().hide()
        self.classes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.classes.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.classes.setToolTip("Rows of each class, and how the stratified split shares them out.")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.setStyleSheet("color: #555555;")
        classes_box = QGroupBox("Classes")
        inner = QVBoxLayout(classes_box)
        inner.addWidget(self.classes)
        inner.addWidget(self.warning)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.message_bar)
        layout.addWidget(columns)
        layout.addWidget(classes_box, 1)
        layout.addWidget(self.notes)

    def set_table(self, table: Table) -> None:
        """Offer the table's columns; both start at "(detected)"."""
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
        self.classes.setRowCount(len(summary.classes))
        for row, name in enumerate(summary.classes):
            parts = (summary.split_counts[part][row] for part in ("train", "val", "test"))
            values = [summary.class_counts[row], *parts]
            cells = [QTableWidgetItem(name), *(QTableWidgetItem(f"{value:,}") for value in values)]
            for column, item in enumerate(cells):
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.classes.setItem(row, column, item)
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

    def _on_combo_changed(self) -> None:
        if not self._updating:
            self.selection_changed.emit()
