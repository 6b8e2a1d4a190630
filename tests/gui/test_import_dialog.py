"""The import dialog: options re-read the file after a short pause, and failing options block OK."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from tests.gui.conftest import READ_TIMEOUT_MS
from workbench.core.data.sources import read_table
from workbench.gui.panels.import_dialog import ImportDialog

ROWS = ["date;temp;load", "2024-01-01;1,5;10", "2024-01-02;2,25;12", "2024-01-03;-0,75;11", "2024-01-04;3,0;13"]


@pytest.fixture
def semicolon_file(tmp_path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def _ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def _choose(combo, value):
    combo.setCurrentIndex(combo.findData(value))


def test_starts_from_the_table_options(qtbot, semicolon_file):
    table = read_table(semicolon_file)
    dialog = ImportDialog(semicolon_file, table)
    qtbot.addWidget(dialog)
    form = dialog.options_form
    assert form.delimiter_combo.currentData() == ";" and form.decimal_combo.currentData() == ","
    assert dialog.preview.model.columnCount() == 3 and _ok(dialog).isEnabled()
    assert dialog.raw_text.toPlainText().splitlines()[1] == "2 \u2502 2024-01-01;1,5;10"
    assert dialog.table() is table


def test_options_change_the_preview(qtbot, semicolon_file):
    dialog = ImportDialog(semicolon_file, None)  # no table yet: options are sniffed
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview.model.columnCount() == 3, timeout=READ_TIMEOUT_MS)
    assert dialog.table().frame["temp"].tolist() == [1.5, 2.25, -0.75, 3.0]

    # A wrong delimiter leaves one text column, which the core refuses.
    _choose(dialog.options_form.delimiter_combo, "\t")
    qtbot.waitUntil(lambda: dialog.preview.message_bar.is_shown(), timeout=READ_TIMEOUT_MS)
    assert "one column" in dialog.preview.message_bar.text()
    assert not _ok(dialog).isEnabled() and dialog.preview.model.columnCount() == 0

    _choose(dialog.options_form.delimiter_combo, ";")
    qtbot.waitUntil(lambda: dialog.preview.model.columnCount() == 3, timeout=READ_TIMEOUT_MS)
    assert _ok(dialog).isEnabled() and not dialog.preview.message_bar.is_shown()

    # With a decimal point, "1,5" is not a number, so the column stays text.
    _choose(dialog.options_form.decimal_combo, ".")
    qtbot.waitUntil(lambda: dialog.table().options.decimal == ".", timeout=READ_TIMEOUT_MS)
    assert dialog.table().frame["temp"].dtype.kind not in "fi"
    assert dialog.options().decimal == "."


def test_failing_encoding_disables_ok(qtbot, semicolon_file):
    dialog = ImportDialog(semicolon_file, read_table(semicolon_file))
    qtbot.addWidget(dialog)
    good = dialog.table()
    _choose(dialog.options_form.encoding_combo, "utf-16")
    qtbot.waitUntil(lambda: dialog.preview.message_bar.is_shown(), timeout=READ_TIMEOUT_MS)
    assert not _ok(dialog).isEnabled() and not dialog.is_valid()
    assert dialog.table() is good  # the last good table is kept
    assert dialog.options().encoding == "utf-16"


def test_other_delimiter_and_detect_again(qtbot, tmp_path):
    path = tmp_path / "colon.txt"
    path.write_text("t:v\n1:2.5\n2:3.5\n3:4.5\n", encoding="utf-8")
    dialog = ImportDialog(path, None)
    qtbot.addWidget(dialog)
    _choose(dialog.options_form.delimiter_combo, "other")
    assert dialog.options_form.other_delimiter.isEnabled()
    dialog.options_form.other_delimiter.setText(":")
    qtbot.waitUntil(lambda: dialog.preview.model.columnCount() == 2 and dialog.is_valid(), timeout=READ_TIMEOUT_MS)
    assert dialog.table().frame.columns.tolist() == ["t", "v"]
    dialog.options_form.other_delimiter.clear()
    qtbot.waitUntil(lambda: not dialog.is_valid(), timeout=READ_TIMEOUT_MS)
    assert "Type the character" in dialog.preview.message_bar.text()
    # Detection cannot see ':' as a delimiter, so "Detect again" comes back to a failing one-column read.
    dialog.detect_button.click()
    form = dialog.options_form
    assert form.delimiter_combo.currentData() != "other" and not form.other_delimiter.isEnabled()
    qtbot.waitUntil(lambda: "one column" in dialog.preview.message_bar.text(), timeout=READ_TIMEOUT_MS)
