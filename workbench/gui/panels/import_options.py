"""The import dialog's options form: how a text file is read (delimiter, decimal mark, thousands, header,
encoding, lines to skip), as controls that turn into `ReadOptions` and back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from workbench.core.data.sources import ReadOptions

# (label, value); None is "detect", "other" takes the text box.
DELIMITERS = [("Auto", None), ("Comma  ,", ","), ("Semicolon  ;", ";"), ("Tab", "\t"), ("Pipe  |", "|"),
              ("Spaces", " "), ("Other", "other")]
DECIMALS = [("Point  .", "."), ("Comma  ,", ",")]
THOUSANDS = [("None", ""), ("Comma  ,", ","), ("Point  .", "."), ("Space", " "), ("Apostrophe  '", "'")]
ENCODINGS = [("Auto", None), ("UTF-8", "utf-8"), ("UTF-8 with BOM", "utf-8-sig"), ("UTF-16", "utf-16"),
             ("Latin-1", "latin-1"), ("Windows-1252", "cp1252")]


class ImportOptionsForm(QWidget):
    """The read options as controls. `changed` fires when the user changes one (never from `set_options`).

    For a file that is not text (Excel, Parquet) only the header and the lines to skip can be chosen: such files
    say how their cells are written."""

    changed = Signal()

    def __init__(self, is_text: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._is_text = is_text
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
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Delimiter:", delimiter_row)
        form.addRow("Decimal mark:", self.decimal_combo)
        form.addRow("Thousands:", self.thousands_combo)
        form.addRow("", self.header_check)
        form.addRow("Encoding:", self.encoding_combo)
        form.addRow("Skip at top:", self.skip_spin)
        for combo in (self.delimiter_combo, self.decimal_combo, self.thousands_combo, self.encoding_combo):
            combo.currentIndexChanged.connect(self._on_changed)
        self.other_delimiter.textChanged.connect(self._on_changed)
        self.header_check.toggled.connect(self._on_changed)
        self.skip_spin.valueChanged.connect(self._on_changed)

    def options(self, sheet: Any = None) -> ReadOptions:
        """The options as the controls show them (None where "Auto" is chosen); `sheet` passes through."""
        if not self._is_text:
            return ReadOptions(header=self.header_check.isChecked(), skip_rows=self.skip_spin.value(), sheet=sheet)
        delimiter = self.delimiter_combo.currentData()
        if delimiter == "other":
            delimiter = self.other_delimiter.text().replace("\\t", "\t")
        return ReadOptions(delimiter=delimiter, decimal=self.decimal_combo.currentData(),
                           thousands=self.thousands_combo.currentData(), header=self.header_check.isChecked(),
                           encoding=self.encoding_combo.currentData(), skip_rows=self.skip_spin.value(), sheet=sheet)

    def encoding(self) -> str | None:
        """The encoding chosen (None: detect)."""
        return self.encoding_combo.currentData()

    def set_options(self, options: ReadOptions) -> None:
        """Show `options` without emitting `changed`; values the lists lack are added to them."""
        widgets = (self.delimiter_combo, self.decimal_combo, self.thousands_combo, self.encoding_combo,
                   self.other_delimiter, self.header_check, self.skip_spin)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self._set_controls(options)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._update_enabled()

    def _set_controls(self, options: ReadOptions) -> None:
        self.header_check.setChecked(options.header is not False)
        self.skip_spin.setValue(options.skip_rows)
        if not self._is_text:
            return
        delimiter = options.delimiter
        if _select(self.delimiter_combo, delimiter):
            self.other_delimiter.clear()
        else:
            _select(self.delimiter_combo, "other")
            self.other_delimiter.setText((delimiter or "").replace("\t", "\\t"))
        _select(self.decimal_combo, options.decimal or ".")
        for combo, value in ((self.thousands_combo, options.thousands or ""), (self.encoding_combo, options.encoding)):
            if not _select(combo, value):
                combo.addItem(repr(value) if combo is self.thousands_combo else value, value)
                _select(combo, value)

    def _update_enabled(self) -> None:
        for widget in (self.delimiter_combo, self.decimal_combo, self.thousands_combo, self.encoding_combo):
            widget.setEnabled(self._is_text)
        self.other_delimiter.setEnabled(self._is_text and self.delimiter_combo.currentData() == "other")

    def _on_changed(self, *_args: object) -> None:
        self._update_enabled()
        self.changed.emit()


def _combo(items: list[tuple[str, object]], tooltip: str) -> QComboBox:
    combo = QComboBox()
    for label, value in items:
        combo.addItem(label, value)
    combo.setToolTip(tooltip)
    return combo


def _select(combo: QComboBox, value: object) -> bool:
    """Select the item whose data is `value`; False if there is none."""
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            combo.setCurrentIndex(i)
            return True
    return False
