"""The main window driven as a user would: open data, pick columns, edit settings, train, stop, close."""

import os

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from tests.conftest import SAMPLE_DATA

CO2 = os.path.join(SAMPLE_DATA, "co2_mauna_loa_weekly.csv")
MACRO = os.path.join(SAMPLE_DATA, "us_macro_quarterly.csv")


def type_into(qtbot, window, section, name, text):
    editor = window.model_form.form(section).editor(name)
    editor.editor.clear()
    qtbot.keyClicks(editor.editor, text)
    window._refresh_setup()  # the form's debounce would do this ~100 ms later
    return editor


def open_for_a_long_run(window):
    """The CO2 sample with a run long enough to interrupt: 500 epochs, no early stopping."""
    window.open_path(CO2)
    window.model_form.form("train").editor("epochs").set_value(500)
    window.model_form.form("train").editor("patience").set_value(0)


def test_opening_the_sample_shows_the_series_its_health_and_the_split(make_main_window):
    window = make_main_window()
    assert window.series_view.currentIndex() == 0  # the welcome page
    assert not window.train_action.isEnabled()
    assert window.open_path(CO2)
    assert window.windowTitle() == "co2_mauna_loa_weekly.csv - Sequence Workbench"
    assert "2,284 rows from 1958-03-29 to 2001-12-29, weekly" in window.data_panel.notes_text()
    assert "Filled 59 missing value(s)" in window.data_panel.notes_text()
    plot = window.series_view.plot
    assert plot.plan() is not None and plot.plan().lookback == 12
    assert window.train_action.isEnabled()
    assert "17,217 parameters" not in window.model_form.summary_text()  # tiny form: hidden 8
    assert "LSTM, 8 units, reads 12 steps of 1 feature" in window.model_form.summary_text()


def test_picking_target_and_inputs_rebuilds_the_series(make_main_window, qtbot):
    window = make_main_window()
    window.open_path(MACRO)
    panel = window.data_panel
    assert panel.selection()["target"] == "realgdp"
    panel.set_selection(inputs=["realcons", "unemp"])
    panel.selection_changed.emit()
    assert window._series.columns == ["realgdp", "realcons", "unemp"]
    assert "3 features" in window.model_form.summary_text()


def test_an_invalid_value_is_shown_beside_its_field_and_blocks_training(make_main_window, qtbot):
    window = make_main_window()
    window.open_path(CO2)
    editor = type_into(qtbot, window, "model", "layers", "0")
    assert editor.problem() == "got 0; it must be at least 1."
    assert not window.train_action.isEnabled()
    assert window.series_view.plot.plan() is not None  # a network setting does not hide the split
    assert not window.training_panel.button.isEnabled()
    type_into(qtbot, window, "model", "layers", "2")
    assert editor.problem() is None and window.train_action.isEnabled()


def test_a_window_longer_than_the_data_is_explained_at_the_lookback_field(make_main_window, qtbot):
    window = make_main_window()
    window.open_path(CO2)
    layers = type_into(qtbot, window, "model", "layers", "0")
    editor = type_into(qtbot, window, "data", "lookback", "3000")
    assert layers.problem() == "got 0; it must be at least 1."  # both problems show at once
    assert editor.problem().startswith("The series has 2284 rows but the lookback window is 3000")
    assert not window.train_action.isEnabled()
    assert window.series_view.plot.plan() is None


def test_training_to_the_end_shows_curves_and_the_result(make_main_window, qtbot):
    window = make_main_window()
    window.open_path(CO2)
    with qtbot.waitSignal(window.worker.run_finished, timeout=120000):
        qtbot.mouseClick(window.training_panel.button, Qt.MouseButton.LeftButton)
        assert not window.model_form.form("model").editor("hidden").editor.isEnabled()
        assert not window.train_action.isEnabled() and window.stop_action.isEnabled()
    assert window.right_tabs.currentIndex() == 1
    assert len(window.training_panel.plot.history()) == 2
    x, y = window.training_panel.plot.val_curve.getData()
    assert list(x) == [1, 2]
    assert window.training_panel.status_text().startswith("Finished all 2 epochs")
    assert "naive" in window.training_panel.status_text()
    assert window.last_run is not None and window.last_run.result.epochs_run == 2
    assert window.model_form.form("model").editor("hidden").editor.isEnabled()
    assert window.train_action.isEnabled() and not window.stop_action.isEnabled()


def test_stop_midway_ends_within_a_batch_and_keeps_the_best(make_main_window, qtbot):
    window = make_main_window()
    open_for_a_long_run(window)
    with qtbot.waitSignal(window.worker.epochs_logged, timeout=60000):
        window.start_training()
    with qtbot.waitSignal(window.worker.run_finished, timeout=30000) as finished:
        qtbot.mouseClick(window.training_panel.button, Qt.MouseButton.LeftButton)
        assert window.training_panel.button.text() == "Stopping..."
    assert finished.args[0]["stopped_reason"] == "user_stopped"
    assert window.training_panel.status_text().startswith("Stopped by you after")
    assert window.last_run.result.best_epoch is not None


def test_closing_during_a_run_asks_then_stops_cleanly(make_main_window, qtbot, monkeypatch):
    window = make_main_window()
    open_for_a_long_run(window)
    with qtbot.waitSignal(window.worker.run_started, timeout=60000):
        window.start_training()
    monkeypatch.setattr(window, "ask_stop_on_close", lambda: False)
    window.close()
    assert window.isVisible() and window.worker.is_running()  # "No": keep training
    monkeypatch.setattr(window, "ask_stop_on_close", lambda: True)
    window.close()
    assert not window.isVisible()
    assert not window.worker.is_running()


def test_a_broken_file_shows_a_message_and_keeps_the_previous_data(make_main_window, tmp_path):
    window = make_main_window()
    window.open_path(CO2)
    broken = tmp_path / "broken.csv"
    broken.write_bytes(bytes(range(256)) * 8)
    assert not window.open_path(str(broken))
    assert window.message_bar.is_shown()
    assert "broken.csv" in window.message_bar.text()
    assert window.windowTitle() == "co2_mauna_loa_weekly.csv - Sequence Workbench"
    assert window._series.target == "co2_ppm" and window.train_action.isEnabled()
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert not window.open_path(str(empty))
    assert "empty" in window.message_bar.text()


def test_a_column_that_is_not_time_is_refused_as_the_time_column(make_main_window, tmp_path):
    path = tmp_path / "cities.csv"
    path.write_text("date,city,value\n" + "".join(f"2024-01-{d:02d},Paris,{d}\n" for d in range(1, 29)))
    window = make_main_window()
    assert window.open_path(str(path))
    window.data_panel.set_selection(time="city")
    window._on_selection_changed()
    assert window.data_panel.message_bar.is_shown()
    assert "Column 'city' does not hold dates, years or epoch seconds" in window.data_panel.message_bar.text()
    assert not window.train_action.isEnabled()
    window.data_panel.set_selection(time="date")
    window._on_selection_changed()
    assert not window.data_panel.message_bar.is_shown() and window.train_action.isEnabled()


def test_drop_a_file_on_the_window(make_main_window, qtbot):
    window = make_main_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(MACRO)])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window._series is not None and window._series.target == "realgdp"


def test_recent_files_and_layout_persist(make_main_window, isolated_settings):
    window = make_main_window()
    window.open_path(MACRO)
    window.open_path(CO2)
    assert [a.text() for a in window.recent_menu.actions()] == [os.path.realpath(CO2), os.path.realpath(MACRO)]
    window.splitter.setSizes([300, 1000])
    sizes = window.splitter.sizes()
    window.close()
    again = make_main_window()
    assert again.splitter.sizes()[0] == sizes[0]
    assert [a.text() for a in again.recent_menu.actions()][0] == os.path.realpath(CO2)


def test_an_unexpected_error_in_training_is_logged_and_shown(make_main_window, qtbot, monkeypatch, tmp_path):
    import workbench.core.forecast.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(workbench.core.forecast.pipeline, "train_forecaster", broken)
    window = make_main_window()
    window.open_path(CO2)
    with qtbot.waitSignal(window.worker.run_failed, timeout=30000):
        window.start_training()
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "RuntimeError: boom" in boxes[0].text()
    log = (tmp_path / "logs" / "workbench.log").read_text()
    assert "RuntimeError: boom" in log
    assert window.train_action.isEnabled()  # the window keeps working
    boxes[0].close()


@pytest.mark.parametrize("sample", sorted(f for f in os.listdir(SAMPLE_DATA) if f.endswith(".csv")))
def test_every_sample_opens_ready_to_train(make_main_window, sample):
    window = make_main_window()
    assert window.open_path(os.path.join(SAMPLE_DATA, sample))
    assert window.train_action.isEnabled(), window.model_form.message()


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_gui_slot_is_logged_and_shown_and_the_window_lives_on(make_main_window, tmp_path, monkeypatch):
    import sys
    import threading

    from workbench.gui.app import install_error_handler

    window = make_main_window()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # both restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_error_handler(window)

    def broken_slot():
        raise ZeroDivisionError("oops")

    window.data_panel.selection_changed.connect(broken_slot)
    window.data_panel.selection_changed.emit()
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "ZeroDivisionError: oops" in boxes[0].text()
    assert "ZeroDivisionError: oops" in (tmp_path / "logs" / "workbench.log").read_text()
    boxes[0].close()
    assert window.open_path(CO2)  # still working
