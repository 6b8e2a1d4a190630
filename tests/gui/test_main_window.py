"""The main window driven as a user would: open data, pick columns, edit settings, train, stop, close."""

import os

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from tests.conftest import SAMPLE_DATA
from tests.gui.conftest import READ_TIMEOUT_MS, open_data, settle, train

CO2 = os.path.join(SAMPLE_DATA, "co2_mauna_loa_weekly.csv")
MACRO = os.path.join(SAMPLE_DATA, "us_macro_quarterly.csv")


def type_into(qtbot, workspace, section, name, text):
    editor = workspace.model_form.form(section).editor(name)
    editor.editor.clear()
    qtbot.keyClicks(editor.editor, text)
    workspace.update_can_train()  # the form's debounce would do this ~100 ms later
    settle(qtbot, workspace)  # a data setting is checked against the series in the background
    return editor


def open_for_a_long_run(qtbot, window):
    """The CO2 sample with a run long enough to interrupt: 500 epochs, no early stopping."""
    series = open_data(qtbot, window, CO2)
    series.model_form.form("train").editor("epochs").set_value(500)
    series.model_form.form("train").editor("patience").set_value(0)
    series.update_can_train()
    return series


def test_opening_the_sample_shows_the_series_its_health_and_the_split(make_main_window, qtbot):
    import pyqtgraph as pg

    pg.setConfigOptions(background="k")  # pyqtgraph's own default: the workspace must set ours before plotting
    window = make_main_window()
    assert window.stack.currentWidget() is window.welcome
    assert not window.actions_.train.isEnabled()
    series = open_data(qtbot, window, CO2)
    assert series is window.active() and series.kind == "series"
    assert window.windowTitle() == "co2_mauna_loa_weekly.csv - Sequence Workbench"
    assert "2,284 rows from 1958-03-29 to 2001-12-29, weekly" in series.data_panel.notes_text()
    assert "Filled 59 missing value(s)" in series.data_panel.notes_text()
    plot = series.series_view.plot
    assert plot.plan() is not None and plot.plan().lookback == 12
    assert window.actions_.train.isEnabled()
    assert "17,217 parameters" not in series.model_form.summary_text()  # tiny form: hidden 8
    assert "LSTM, 8 units, reads 12 steps of 1 feature" in series.model_form.summary_text()
    assert series.training_panel.plot.backgroundBrush().color().name() == "#ffffff"


def test_picking_target_and_inputs_rebuilds_the_series(make_main_window, qtbot):
    window = make_main_window()
    series = open_data(qtbot, window, MACRO)
    panel = series.data_panel
    assert panel.selection()["target"] == "realgdp"
    panel.set_selection(inputs=["realcons", "unemp"])
    panel.selection_changed.emit()  # the series is prepared again in the background
    qtbot.waitUntil(lambda: "3 features" in series.model_form.summary_text(), timeout=READ_TIMEOUT_MS)
    assert series.series.columns == ["realgdp", "realcons", "unemp"]


def test_an_invalid_value_is_shown_beside_its_field_and_blocks_training(make_main_window, qtbot):
    window = make_main_window()
    series = open_data(qtbot, window, CO2)
    editor = type_into(qtbot, series, "model", "layers", "0")
    assert editor.problem() == "got 0; it must be at least 1."
    assert not window.actions_.train.isEnabled()
    assert series.series_view.plot.plan() is not None  # a network setting does not hide the split
    assert not series.training_panel.button.isEnabled()
    type_into(qtbot, series, "model", "layers", "2")
    assert editor.problem() is None and window.actions_.train.isEnabled()


def test_a_window_longer_than_the_data_is_explained_at_the_lookback_field(make_main_window, qtbot):
    window = make_main_window()
    series = open_data(qtbot, window, CO2)
    layers = type_into(qtbot, series, "model", "layers", "0")
    editor = type_into(qtbot, series, "data", "lookback", "3000")
    assert layers.problem() == "got 0; it must be at least 1."  # both problems show at once
    assert editor.problem().startswith("The series has 2284 rows but the lookback window is 3000")
    assert not window.actions_.train.isEnabled()
    assert series.series_view.plot.plan() is None


def test_training_to_the_end_shows_curves_and_the_result(make_main_window, qtbot):
    window = make_main_window()
    series = open_data(qtbot, window, CO2)
    with qtbot.waitSignal(series.run_ended, timeout=120000):
        qtbot.mouseClick(series.training_panel.button, Qt.MouseButton.LeftButton)
        assert not series.model_form.form("model").editor("hidden").editor.isEnabled()
        assert not window.actions_.train.isEnabled() and window.actions_.stop.isEnabled()
    assert series.right_tabs.currentWidget() is series.training_panel
    assert len(series.training_panel.plot.history()) == 2
    x, y = series.training_panel.plot.val_curve.getData()
    assert list(x) == [1, 2]
    assert series.training_panel.status_text().startswith("Finished all 2 epochs")
    assert "naive" in series.training_panel.status_text()
    assert series.last_run is not None and series.last_run.result.epochs_run == 2
    assert series.model_form.form("model").editor("hidden").editor.isEnabled()
    assert window.actions_.train.isEnabled() and not window.actions_.stop.isEnabled()


def test_stop_midway_ends_within_a_batch_and_keeps_the_best(make_main_window, qtbot):
    window = make_main_window()
    series = open_for_a_long_run(qtbot, window)
    with qtbot.waitSignal(series.run_ended, timeout=60000):
        assert series.start_training()
        qtbot.waitUntil(lambda: len(series.training_panel.plot.history()) > 0, timeout=60000)
        qtbot.mouseClick(series.training_panel.button, Qt.MouseButton.LeftButton)
        assert series.training_panel.button.text() == "Stopping..."
    assert series.last_run.result.stopped_reason == "user_stopped"
    assert series.training_panel.status_text().startswith("Stopped by you after")
    assert series.last_run.result.best_epoch is not None


def test_closing_during_a_run_asks_then_stops_cleanly(make_main_window, qtbot, monkeypatch):
    window = make_main_window()
    series = open_for_a_long_run(qtbot, window)
    assert series.start_training()
    qtbot.waitUntil(lambda: series.training_panel.state() == "running", timeout=60000)
    monkeypatch.setattr(window, "ask_stop_on_close", lambda: False)
    window.close()
    assert window.isVisible() and series.is_training()  # "No": keep training
    monkeypatch.setattr(window, "ask_stop_on_close", lambda: True)
    window.close()
    assert not window.isVisible()
    assert not series.is_training()


def test_a_broken_file_shows_a_message_and_keeps_the_previous_data(make_main_window, qtbot, tmp_path):
    window = make_main_window()
    series = open_data(qtbot, window, CO2)
    broken = tmp_path / "broken.csv"
    broken.write_bytes(bytes(range(256)) * 8)
    assert open_data(qtbot, window, broken) is None
    assert window.message_bar.is_shown()
    assert "broken.csv" in window.message_bar.text()
    assert window.windowTitle() == "co2_mauna_loa_weekly.csv - Sequence Workbench"
    assert series.series.target == "co2_ppm" and window.actions_.train.isEnabled()
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert open_data(qtbot, window, empty) is None
    assert "empty" in window.message_bar.text()


def test_a_column_that_is_not_time_is_refused_as_the_time_column(make_main_window, qtbot, tmp_path):
    path = tmp_path / "cities.csv"
    path.write_text("date,city,value\n" + "".join(f"2024-01-{d:02d},Paris,{d}\n" for d in range(1, 29)))
    window = make_main_window()
    series = open_data(qtbot, window, path)
    series.data_panel.set_selection(time="city")
    series.data_panel.selection_changed.emit()
    qtbot.waitUntil(series.data_panel.message_bar.is_shown, timeout=READ_TIMEOUT_MS)
    assert "Column 'city' does not hold dates, years or epoch seconds" in series.data_panel.message_bar.text()
    assert not window.actions_.train.isEnabled()
    series.data_panel.set_selection(time="date")
    series.data_panel.selection_changed.emit()
    qtbot.waitUntil(window.actions_.train.isEnabled, timeout=READ_TIMEOUT_MS)
    assert not series.data_panel.message_bar.is_shown()


def test_drop_a_file_on_the_window(make_main_window, qtbot):
    window = make_main_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(MACRO)])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.opener.opened, timeout=60000):
        window.dropEvent(event)
    assert window.active().series.target == "realgdp"


def test_recent_files_and_layout_persist(make_main_window, qtbot, isolated_settings):
    window = make_main_window()
    open_data(qtbot, window, MACRO)
    series = open_data(qtbot, window, CO2)
    assert [a.text() for a in window.actions_.recent_menu.actions()] == [os.path.realpath(CO2),
                                                                          os.path.realpath(MACRO)]
    series.widget.setSizes([300, 1000])
    sizes = series.widget.sizes()
    window.close()
    again = make_main_window()
    assert [a.text() for a in again.actions_.recent_menu.actions()][0] == os.path.realpath(CO2)
    assert open_data(qtbot, again, CO2).widget.sizes()[0] == sizes[0]


def test_an_unexpected_error_in_training_is_logged_and_shown(make_main_window, qtbot, monkeypatch, tmp_path):
    import workbench.core.forecast.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(workbench.core.forecast.pipeline, "train_forecaster", broken)
    window = make_main_window()
    series = open_data(qtbot, window, CO2)
    assert train(qtbot, series) == "crashed"
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "RuntimeError: boom" in boxes[0].text()
    log = (tmp_path / "logs" / "workbench.log").read_text()
    assert "RuntimeError: boom" in log
    assert window.actions_.train.isEnabled()  # the window keeps working
    boxes[0].close()


@pytest.mark.parametrize("sample", sorted(f for f in os.listdir(SAMPLE_DATA) if f.endswith(".csv")))
def test_every_sample_opens_ready_to_train(make_main_window, qtbot, sample):
    window = make_main_window()
    workspace = open_data(qtbot, window, os.path.join(SAMPLE_DATA, sample))
    assert window.actions_.train.isEnabled(), workspace.can_train


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_gui_slot_is_logged_and_shown_and_the_window_lives_on(make_main_window, qtbot, tmp_path,
                                                                        monkeypatch):
    import sys
    import threading

    from workbench.gui.app import install_error_handler

    window = make_main_window()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # both restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_error_handler(window)

    def broken_slot():
        raise ZeroDivisionError("oops")

    series = open_data(qtbot, window, CO2)
    series.data_panel.selection_changed.connect(broken_slot)
    series.data_panel.selection_changed.emit()
    series.data_panel.selection_changed.emit()  # the same fault again: still one dialog
    # The dialog opens on the next turn of the event loop, never inside the handler that raised.
    qtbot.waitUntil(lambda: any(w.isVisible() for w in window.findChildren(QMessageBox)), timeout=5000)
    qtbot.wait(50)
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert len(boxes) == 1 and "ZeroDivisionError: oops" in boxes[0].text()
    assert "ZeroDivisionError: oops" in (tmp_path / "logs" / "workbench.log").read_text()
    boxes[0].close()
    assert open_data(qtbot, window, MACRO) is series  # still working
