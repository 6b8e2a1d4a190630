"""The message bar and the bug report path: log file and apology dialog."""

import sys

from PySide6.QtWidgets import QMessageBox

from workbench.gui.messages import MessageBar, log_exception, report_exception, show_exception_dialog


def test_message_bar_levels_and_close(qtbot):
    bar = MessageBar()
    qtbot.addWidget(bar)
    assert not bar.is_shown()
    bar.show_error("The file is empty.", hint="Pick another file.")
    assert bar.is_shown() and bar.level() == "error"
    assert bar.text() == "The file is empty. Pick another file."
    bar.show_info("Loaded 120 rows.")
    assert bar.level() == "info" and bar.text() == "Loaded 120 rows."
    bar.show_warning("3 gaps <filled>")  # markup-like text is shown as written
    assert "&lt;filled&gt;" in bar._label.text()
    with qtbot.waitSignal(bar.closed, timeout=1000):
        bar._close.click()
    assert not bar.is_shown() and bar.text() == ""


def _raise_and_catch():
    try:
        {}["missing"]
    except KeyError:
        return sys.exc_info()


def test_log_exception_appends_to_log_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(tmp_path / "logs"))
    path = log_exception(*_raise_and_catch())
    log_exception(*_raise_and_catch())
    assert path == tmp_path / "logs" / "workbench.log"
    text = path.read_text(encoding="utf-8")
    assert text.count("KeyError: 'missing'") == 2 and text.count("=== ") == 2
    assert "_raise_and_catch" in text


def test_exception_dialog_shows_details_without_blocking(qtbot):
    box = show_exception_dialog(None, "ValueError: boom", "Traceback ...\nValueError: boom", "/tmp/x/workbench.log")
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "ValueError: boom" in box.text()
    assert "/tmp/x/workbench.log" in box.informativeText()
    assert box.detailedText().endswith("ValueError: boom")
    box.close()


def test_report_exception_logs_and_opens_dialog(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(tmp_path))
    box = report_exception(None, *_raise_and_catch())
    assert (tmp_path / "workbench.log").exists()
    assert str(tmp_path / "workbench.log") in box.informativeText()
    assert "KeyError" in box.detailedText()
    box.close()
