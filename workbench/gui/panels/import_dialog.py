"""Text-import dialog: the file's first lines, the read options, and a live preview of what they parse to.

The options form is gui/panels/import_options.py and the preview gui/panels/import_preview.py. Each preview is
read in the reader process, so a large file never freezes the dialog; OK waits until the table for the options
shown has arrived.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.data.sources import ReadOptions, Table, read_raw_lines, sniff_options
from workbench.core.errors import DataError
from workbench.gui.panels.import_options import ImportOptionsForm
from workbench.gui.panels.import_preview import ImportPreview, read_preview
from workbench.gui.runner import Job

DEBOUNCE_MS = 150
RAW_LINES = 30
TAB_MARK = " \u2192 "  # tabs shown as arrows in the raw lines


class ImportDialog(QDialog):
    """Choose how a text file is read, seeing the parsed table change as the options change.

    `table()` is the last table that parsed without error and `options()` the options shown; OK is
    disabled while the options fail.
    """

    def __init__(self, path: str | Path, table: Table | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path = str(path)
        self._table = table
        self._ok = table is not None
        self._raw_encoding: str | None = "unset"
        self._reading: Job | None = None  # the preview being read; a newer one makes its result stale
        self.setWindowTitle(f"Import {Path(path).name}")
        self.setSizeGripEnabled(True)
        self.resize(900, 620)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_reparse)
        self.options_form = ImportOptionsForm(self._check_text(), self)
        self.preview = ImportPreview(self)
        self._build()
        self.options_form.set_options(self._initial_options(table))
        self.options_form.changed.connect(self._on_option_changed)
        self.detect_button.clicked.connect(self._on_detect_clicked)
        self._update_raw_lines()
        if table is not None:
            self._show_table(table)
        else:
            self._on_reparse()

    # ---- public

    def options(self) -> ReadOptions:
        """The options as the controls show them (None where "Auto" is chosen)."""
        return self.options_form.options(self._table.options.sheet if self._table is not None else None)

    def table(self) -> Table | None:
        """The last table read without error (with its resolved options), or None if none was."""
        return self._table

    def is_valid(self) -> bool:
        return self._ok

    def is_reading(self) -> bool:
        """True while the preview for the options shown is still being read."""
        return self._reading is not None

    # ---- layout

    def _build(self) -> None:
        self.raw_text = QPlainTextEdit(self)
        self.raw_text.setReadOnly(True)
        self.raw_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.raw_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw_text.setToolTip("The first lines of the file exactly as written, numbered from 1.")
        raw_box = QGroupBox(f"File: first {RAW_LINES} lines", self)
        QVBoxLayout(raw_box).addWidget(self.raw_text)
        options_box = QGroupBox("How to read it", self)
        QVBoxLayout(options_box).addWidget(self.options_form)

        top = QWidget(self)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(raw_box, 3)
        top_layout.addWidget(options_box, 2)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Load")
        self.detect_button = QPushButton("Detect again", self)
        self.detect_button.setToolTip("Set every option back to what the file looks like.")
        self.buttons.addButton(self.detect_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

    # ---- options

    def _initial_options(self, table: Table | None) -> ReadOptions:
        if table is not None:
            return table.options
        try:
            return sniff_options(self._path)
        except DataError:
            return ReadOptions(decimal=".", thousands="", header=True)

    def _check_text(self) -> bool:
        try:
            return bool(read_raw_lines(self._path, n=1))
        except DataError:
            return True  # the preview will say what is wrong with the file

    # ---- slots

    def _on_option_changed(self) -> None:
        self._update_raw_lines()
        self._timer.start()

    def _on_detect_clicked(self) -> None:
        self.options_form.set_options(self._initial_options(None))
        self._on_option_changed()

    def _on_reparse(self) -> None:
        self._timer.stop()
        options = self.options()
        if options.delimiter == "":
            self._reading = None
            self._show_error("Type the character that separates the columns.", "Or pick one of the delimiters.")
            return
        self._ok = False
        self._set_ok_enabled(False)
        self.preview.show_reading(Path(self._path).name)
        job = read_preview(self._path, options)
        job.succeeded.connect(self._on_preview_read)
        job.refused.connect(self._on_preview_refused)
        job.crashed.connect(self._on_preview_crashed)
        self._reading = job
        job.start()

    def _on_preview_read(self, job: Job) -> None:
        if job is not self._reading or job.result is None:
            return  # options changed since: a newer read is on its way
        self._reading = None
        self._table = job.result
        self._show_table(job.result)

    def _on_preview_refused(self, message: str, hint: str) -> None:
        if self.sender() is self._reading:
            self._reading = None
            self._show_error(message, hint)

    def _on_preview_crashed(self, message: str, _details: str) -> None:
        if self.sender() is self._reading:
            self._reading = None
            self._show_error(f"Reading the file failed unexpectedly ({message}).",
                             "Try other options; if it happens again, please report it with the log.")

    # ---- display

    def _show_table(self, table: Table) -> None:
        self._ok = True
        self.preview.show_table(table)
        self._set_ok_enabled(True)

    def _show_error(self, text: str, hint: str) -> None:
        self._ok = False
        self.preview.show_error(text, hint)
        self._set_ok_enabled(False)

    def _set_ok_enabled(self, enabled: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(enabled)

    def _update_raw_lines(self) -> None:
        encoding = self.options_form.encoding()
        if encoding == self._raw_encoding:
            return
        self._raw_encoding = encoding
        try:
            lines = read_raw_lines(self._path, n=RAW_LINES, encoding=encoding)
        except (DataError, LookupError):
            lines = []
        width = len(str(len(lines)))
        # A visible mark for tabs: they are the most common delimiter that cannot be seen.
        shown = [line.replace("\t", TAB_MARK) for line in lines]
        text = "\n".join(f"{i:>{width}} \u2502 {line}" for i, line in enumerate(shown, 1))
        self.raw_text.setPlainText(text or "(This file is not text, so there are no lines to show.)")
