"""Text-import dialog: the file's first lines, the read options, and a live preview of what they parse to.

Each preview is read in the reader process (gui/reader.py), so a large file never freezes the dialog; OK waits
until the table for the options shown has arrived.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.data.sources import ReadOptions, Table, read_raw_lines, sniff_options
from workbench.core.errors import DataError
from workbench.gui.messages import MessageBar
from workbench.gui.reader import Cancelled, shared_reader
from workbench.gui.runner import PROGRESS_INTERVAL_S, Job
from workbench.gui.table_model import FrameModel

DEBOUNCE_MS = 150
RAW_LINES = 30
TAB_MARK = " \u2192 "  # tabs shown as arrows in the raw lines
# (label, value); None is "detect", "other" takes the text box.
DELIMITERS = [("Auto", None), ("Comma  ,", ","), ("Semicolon  ;", ";"), ("Tab", "\t"), ("Pipe  |", "|"),
              ("Spaces", " "), ("Other", "other")]
DECIMALS = [("Point  .", "."), ("Comma  ,", ",")]
THOUSANDS = [("None", ""), ("Comma  ,", ","), ("Point  .", "."), ("Space", " "), ("Apostrophe  '", "'")]
ENCODINGS = [("Auto", None), ("UTF-8", "utf-8"), ("UTF-8 with BOM", "utf-8-sig"), ("UTF-16", "utf-16"),
             ("Latin-1", "latin-1"), ("Windows-1252", "cp1252")]


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
        self._is_text = self._check_text()
        self._build()
        self._set_controls(self._initial_options(table))
        self._connect()
        self._update_raw_lines()
        if table is not None:
            self._show_table(table)
        else:
            self._on_reparse()

    # ---- public

    def options(self) -> ReadOptions:
        """The options as the controls show them (None where "Auto" is chosen)."""
        sheet = self._table.options.sheet if self._table is not None else None
        if not self._is_text:
            return ReadOptions(header=self.header_check.isChecked(), skip_rows=self.skip_spin.value(), sheet=sheet)
        delimiter = _data(self.delimiter_combo)
        if delimiter == "other":
            delimiter = self.other_delimiter.text().replace("\\t", "\t")
        return ReadOptions(
            delimiter=delimiter,
            decimal=_data(self.decimal_combo),
            thousands=_data(self.thousands_combo),
            header=self.header_check.isChecked(),
            encoding=_data(self.encoding_combo),
            skip_rows=self.skip_spin.value(),
            sheet=sheet,
        )

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
        options_box.setLayout(self._build_options())

        top = QWidget(self)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(raw_box, 3)
        top_layout.addWidget(options_box, 2)

        self.message_bar = MessageBar(self)
        self.notes_label = QLabel(self)
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = FrameModel(parent=self)
        self.preview = QTableView(self)
        self.preview.setModel(self.model)
        self.preview.setAlternatingRowColors(True)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.horizontalHeader().setDefaultSectionSize(110)
        self.preview.verticalHeader().setDefaultSectionSize(22)
        self.preview.setToolTip("The table as it will be loaded. Row numbers are line numbers in the file.")
        preview_box = QGroupBox("Preview", self)
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.message_bar)
        preview_layout.addWidget(self.notes_label)
        preview_layout.addWidget(self.preview, 1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(preview_box)
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

    def _build_options(self) -> QFormLayout:
        self.delimiter_combo = _combo(DELIMITERS, "What separates the columns on a line. Auto looks at the first "
                                      "lines; Spaces means any run of spaces.")
        self.other_delimiter = QLineEdit(self)
        self.other_delimiter.setMaxLength(4)
        self.other_delimiter.setPlaceholderText("e.g. :")
        self.other_delimiter.setFixedWidth(70)
        self.other_delimiter.setToolTip("Type the character that separates columns (\\t for a tab).")
        delimiter_row = QHBoxLayout()
        delimiter_row.addWidget(self.delimiter_combo, 1)
        delimiter_row.addWidget(self.other_delimiter)
        self.decimal_combo = _combo(DECIMALS, "The character between whole and fractional part: 3.5 or 3,5.")
        self.thousands_combo = _combo(THOUSANDS, "The character that groups digits in large numbers, as in "
                                      "1,234,567 or 1.234.567; None if numbers are written without one.")
        self.header_check = QCheckBox("First line holds column names", self)
        self.header_check.setToolTip("Untick when the first line is already data; columns are then named "
                                     "column_1, column_2, ...")
        self.encoding_combo = _combo(ENCODINGS, "How characters are stored in the file. Auto tries UTF-8 and "
                                     "falls back to Latin-1; change it if accented letters look wrong.")
        self.skip_spin = QSpinBox(self)
        self.skip_spin.setRange(0, 10000)
        self.skip_spin.setSuffix(" lines")
        self.skip_spin.setToolTip("Lines to skip at the top of the file, such as a title or notes above the table.")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Delimiter:", delimiter_row)
        form.addRow("Decimal mark:", self.decimal_combo)
        form.addRow("Thousands:", self.thousands_combo)
        form.addRow("", self.header_check)
        form.addRow("Encoding:", self.encoding_combo)
        form.addRow("Skip at top:", self.skip_spin)
        return form

    def _connect(self) -> None:
        for combo in (self.delimiter_combo, self.decimal_combo, self.thousands_combo, self.encoding_combo):
            combo.currentIndexChanged.connect(self._on_option_changed)
        self.other_delimiter.textChanged.connect(self._on_option_changed)
        self.header_check.toggled.connect(self._on_option_changed)
        self.skip_spin.valueChanged.connect(self._on_option_changed)
        self.detect_button.clicked.connect(self._on_detect_clicked)

    # ---- options <-> controls

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

    def _set_controls(self, options: ReadOptions) -> None:
        self.header_check.setChecked(options.header is not False)
        self.skip_spin.setValue(options.skip_rows)
        if not self._is_text:
            # Excel and Parquet files say how their cells are written; only the table's position is a choice.
            for widget in (self.delimiter_combo, self.other_delimiter, self.decimal_combo, self.thousands_combo,
                           self.encoding_combo):
                widget.setEnabled(False)
            return
        delimiter = options.delimiter
        if _select(self.delimiter_combo, delimiter):
            self.other_delimiter.clear()
        else:
            _select(self.delimiter_combo, "other")
            self.other_delimiter.setText((delimiter or "").replace("\t", "\\t"))
        self.other_delimiter.setEnabled(_data(self.delimiter_combo) == "other")
        _select(self.decimal_combo, options.decimal or ".")
        if not _select(self.thousands_combo, options.thousands or ""):
            self.thousands_combo.addItem(repr(options.thousands), options.thousands)
            _select(self.thousands_combo, options.thousands)
        if not _select(self.encoding_combo, options.encoding):
            self.encoding_combo.addItem(options.encoding, options.encoding)
            _select(self.encoding_combo, options.encoding)

    # ---- slots

    def _on_option_changed(self, *_args) -> None:
        self.other_delimiter.setEnabled(self._is_text and _data(self.delimiter_combo) == "other")
        self._update_raw_lines()
        self._timer.start()

    def _on_detect_clicked(self) -> None:
        widgets = (self.delimiter_combo, self.decimal_combo, self.thousands_combo, self.encoding_combo,
                   self.other_delimiter, self.header_check, self.skip_spin)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self._set_controls(self._initial_options(None))
        finally:
            for widget in widgets:
                widget.blockSignals(False)
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
        self.notes_label.setText(f"Reading {Path(self._path).name} with these options...")
        self.notes_label.show()
        path = self._path
        # Not parented to the dialog: the dialog may close while the job runs, and a QObject deleted under its
        # thread would crash. The job ends on its own; `_jobs` keeps it alive until then.
        job = Job("import-preview", lambda context: _read_preview(context, path, options),
                  progress_interval=PROGRESS_INTERVAL_S, batch_interval=PROGRESS_INTERVAL_S)
        job.succeeded.connect(self._on_preview_read)
        job.refused.connect(self._on_preview_refused)
        job.crashed.connect(self._on_preview_crashed)
        _jobs.add(job)
        job.ended.connect(lambda: _jobs.discard(job))
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
        self.message_bar.clear()
        self.model.set_frame(table.frame)
        rows, cols = table.frame.shape
        summary = f"{cols} column{'s' * (cols != 1)}, {rows:,} rows."
        self.notes_label.setText(" ".join([summary, *table.notes]))
        self.notes_label.show()
        self._set_ok_enabled(True)

    def _show_error(self, text: str, hint: str) -> None:
        self._ok = False
        self.message_bar.show_error(text, hint)
        # An empty preview, so a stale table is never mistaken for what these options give.
        self.model.set_frame(None)
        self.notes_label.hide()
        self._set_ok_enabled(False)

    def _set_ok_enabled(self, enabled: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(enabled)

    def _update_raw_lines(self) -> None:
        encoding = _data(self.encoding_combo)
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


_jobs: set[Job] = set()  # preview reads still running, kept alive until they end


def _read_preview(context, path: str, options: ReadOptions) -> Table | None:
    """On the preview job's thread: the table read with `options` in the reader process."""
    try:
        return shared_reader().run("read_table", path, options, should_stop=context.should_stop)
    except Cancelled:
        return None


def _combo(items: list[tuple[str, object]], tooltip: str) -> QComboBox:
    combo = QComboBox()
    for label, value in items:
        combo.addItem(label, value)
    combo.setToolTip(tooltip)
    return combo


def _data(combo: QComboBox):
    return combo.currentData()


def _select(combo: QComboBox, value) -> bool:
    """Select the item whose data is `value`; False if there is none."""
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            combo.setCurrentIndex(i)
            return True
    return False
