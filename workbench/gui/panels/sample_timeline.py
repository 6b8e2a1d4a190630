"""The sample timeline: one row per validation step, and the text the model wrote after it."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def text_formats() -> tuple[QTextCharFormat, QTextCharFormat]:
    """(prompt, generated): the prompt in bold on pale blue, so where the model took over is plain to see."""
    prompt, generated = QTextCharFormat(), QTextCharFormat()
    prompt.setFontWeight(QFont.Weight.Bold)
    prompt.setForeground(QColor("#0d3a66"))
    prompt.setBackground(QColor("#e3eefa"))
    generated.setForeground(QColor("#202020"))
    return prompt, generated


def show_prompt_and_text(edit: QPlainTextEdit, prompt: str, text: str) -> None:
    """Replace what `edit` shows with the prompt (styled) followed by `text`."""
    prompt_format, text_format = text_formats()
    edit.clear()
    cursor = QTextCursor(edit.document())
    cursor.insertText(prompt, prompt_format)
    cursor.insertText(text, text_format)


def _number_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class SampleTimeline(QWidget):
    """One row per validation step (epoch, loss, bits) and the text of the selected one.

    The newest row is selected as rows arrive, unless the user picked an older row; picking the newest
    row again turns following back on.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._samples: list[dict[str, Any]] = []
        self._follow = True
        self._selecting = False
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Epoch", "Val loss", "Bits/char"])
        for column, tip in enumerate(("The epoch after which the sample was written.",
                                      "Validation loss in nats (natural log); lower is better.",
                                      "The validation loss in bits per character; lower is better.")):
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.caption = QLabel("Samples appear here after each epoch while a model trains.")
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #555555;")
        self.sample_text = QPlainTextEdit()
        self.sample_text.setReadOnly(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self.caption)
        column.addWidget(self.sample_text, 1)
        splitter.addWidget(holder)
        splitter.setSizes([150, 300])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def add_sample(self, sample: dict[str, Any]) -> None:
        self._samples.append(dict(sample))
        row = self.table.rowCount()
        self.table.insertRow(row)
        bits = sample.get("bits")
        loss = sample["val_loss"]
        self.table.setItem(row, 0, _number_item(str(sample["epoch"])))
        self.table.setItem(row, 1, _number_item(f"{loss:.4f}" if math.isfinite(loss) else "\u2014"))
        self.table.setItem(row, 2, _number_item("\u2014" if bits is None else f"{bits:.3f}"))
        if self._follow or self.selected_row() is None:
            self._select(row)
            self.table.scrollToBottom()

    def clear(self) -> None:
        self._samples = []
        self._follow = True
        self.table.setRowCount(0)
        self.sample_text.clear()
        self.caption.setText("Samples appear here after each epoch while a model trains.")

    def samples(self) -> list[dict[str, Any]]:
        return [dict(sample) for sample in self._samples]

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _select(self, row: int) -> None:
        self._selecting = True
        try:
            self.table.selectRow(row)
        finally:
            self._selecting = False
        self._show(row)

    def _on_selection_changed(self) -> None:
        row = self.selected_row()
        if self._selecting or row is None:
            return
        # The user picked a row: keep it while new samples arrive, unless it is the newest.
        self._follow = row == self.table.rowCount() - 1
        self._show(row)

    def _show(self, row: int) -> None:
        sample = self._samples[row]
        self.caption.setText(f"After epoch {sample['epoch']} (validation loss {sample['val_loss']:.4f}):")
        show_prompt_and_text(self.sample_text, sample.get("prompt", ""), sample["text"])
