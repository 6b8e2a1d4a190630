"""Reading never freezes the window: files are read in the reader process, with steps and Cancel in the status
bar; Cancel keeps what was open; projects are read in the background and change the screen only when all is read."""

import os

import numpy as np
import pandas as pd
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from tests.conftest import SAMPLE_DATA
from tests.gui.conftest import READ_TIMEOUT_MS, open_data, open_project
from workbench.core.errors import WorkbenchError
from workbench.gui.reader import Cancelled, ReaderCrashed, ReaderProcess, ReaderStopped
from workbench.gui.reading import ReadData

CO2 = os.path.join(SAMPLE_DATA, "co2_mauna_loa_weekly.csv")
MACRO = os.path.join(SAMPLE_DATA, "us_macro_quarterly.csv")


@pytest.fixture(scope="module")
def reader():
    """A reader process of these tests' own, so ending it leaves the shared one alone."""
    process = ReaderProcess()
    yield process
    process.close()


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    """200,000 rows: long enough to read that Cancel comes first."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("big") / "big.csv"
    pd.DataFrame({"date": pd.date_range("2000-01-01", periods=200_000, freq="min").strftime("%Y-%m-%d %H:%M"),
                  "value": rng.normal(size=200_000).round(3)}).to_csv(path, index=False)
    return str(path)


@pytest.fixture(scope="module")
def wide_csv(tmp_path_factory):
    """2,000 numeric columns beside a date column."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.normal(size=(60, 2000)).round(4), columns=[f"c{i}" for i in range(2000)])
    frame.insert(0, "date", pd.date_range("2024-01-01", periods=60, freq="D").strftime("%Y-%m-%d"))
    path = tmp_path_factory.mktemp("wide") / "wide.csv"
    frame.to_csv(path, index=False)
    return str(path)


# ----- the reader process on its own -------------------------------------------------------------------------------
def test_the_reader_reads_a_table_with_its_steps(reader):
    steps = []
    read = reader.run("read_data", CO2, None, step=steps.append)
    assert isinstance(read, ReadData) and read.kind == "series" and read.series.target == "co2_ppm"
    assert read.columns.time == "date" and read.columns.default_target("date") == "co2_ppm"
    assert steps == ["Reading co2_mauna_loa_weekly.csv...", "Looking at the columns of co2_mauna_loa_weekly.csv...",
                     "Preparing the series of co2_mauna_loa_weekly.csv..."]


def test_the_core_refusal_arrives_as_a_message(reader, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(WorkbenchError) as refused:
        reader.run("read_data", str(empty), None)
    assert "empty" in refused.value.message


def test_cancel_ends_the_process_and_the_next_read_starts_another(reader, big_csv):
    steps = []
    with pytest.raises(Cancelled):
        reader.run("read_data", big_csv, None, step=steps.append, should_stop=lambda: bool(steps))
    assert steps == ["Reading big.csv..."]
    assert reader.run("read_data", MACRO, None).series.target == "realgdp"


def test_a_reader_that_dies_is_a_refusal_in_words(reader, big_csv):
    def kill_once():
        if reader._process is not None:
            reader._process.kill()
        return False

    with pytest.raises(ReaderStopped) as stopped:
        reader.run("read_data", big_csv, None, should_stop=kill_once)
    assert stopped.value.message.startswith("Reading stopped: the reading process ended unexpectedly (exit code")
    assert reader.run("read_data", MACRO, None).kind == "series"


def test_a_bug_in_the_reader_carries_its_traceback(reader):
    with pytest.raises(ReaderCrashed) as crashed:
        reader.run("no such function")
    assert str(crashed.value) == "KeyError: 'no such function'"
    assert "Traceback" in str(crashed.value.__cause__) and "FUNCTIONS[function]" in str(crashed.value.__cause__)


# ----- the window -------------------------------------------------------------------------------------------------
def test_reading_shows_its_steps_and_cancel_keeps_what_was_open(make_main_window, qtbot, big_csv):
    window = make_main_window()
    series = open_data(qtbot, window, CO2)
    failed = []
    window.opener.failed.connect(lambda: failed.append(True))
    window.open_path(big_csv)
    assert window.progress.isVisible() and window.progress.text() == "Reading big.csv..."
    window.progress.cancel_button.click()
    assert failed == [True] and not window.progress.isVisible()
    assert window.statusBar().currentMessage() == "Stopped reading big.csv; what was open stays open."
    qtbot.waitUntil(lambda: not window.runner.is_running("reading"), timeout=READ_TIMEOUT_MS)
    assert window.active() is series and series.table.path == CO2 and window.actions_.train.isEnabled()
    # The window is free at once: the next file opens.
    assert open_data(qtbot, window, MACRO) is series and series.series.target == "realgdp"


def test_a_second_file_waits_for_the_first(make_main_window, qtbot, big_csv):
    window = make_main_window()
    opened = []
    window.opener.opened.connect(opened.append)
    window.open_path(big_csv)
    window.open_path(MACRO)
    assert window.message_bar.text().startswith("big.csv is still being read.")
    qtbot.waitUntil(lambda: opened == ["series"], timeout=READ_TIMEOUT_MS)
    assert window.active().table.path == big_csv and not window.progress.isVisible()


def test_a_wide_table_is_prepared_off_the_gui_thread(make_main_window, qtbot, wide_csv, monkeypatch):
    import workbench.gui.panels.data_panel as data_panel

    def on_the_gui_thread(frame):
        raise AssertionError("the columns of a wide table were scanned on the GUI thread")

    monkeypatch.setattr(data_panel, "column_choices", on_the_gui_thread)
    window = make_main_window()
    confirmed = []
    # Thousands of columns fill the first 64 KiB with a few lines, so the options are a guess: confirmed as read.
    window.opener.confirm_import = lambda path, table: confirmed.append(path) or table
    series = open_data(qtbot, window, wide_csv)
    panel = series.data_panel
    assert panel.target_combo.count() == 2000 and panel.selection()["target"] == "c1999"
    assert series.series.target == "c1999" and series.series_view.preview.model.columnCount() == 2001
    assert confirmed in ([], [wide_csv])


def test_a_project_is_read_before_the_screen_changes(make_main_window, qtbot, tmp_path):
    source = make_main_window()
    open_data(qtbot, source, MACRO)
    project = tmp_path / "macro.swproj"
    assert source.files.save_project(str(project))
    window = make_main_window()
    series = open_data(qtbot, window, CO2)
    assert window.files.open_project(str(project))
    # Still reading: nothing has changed yet.
    assert window.progress.isVisible() and window.project_path is None and series.table.path == CO2
    with qtbot.waitSignal(window.files.project_opened, timeout=READ_TIMEOUT_MS):
        pass
    assert window.project_path == str(project) and series.table.path == MACRO


def test_cancelling_a_project_changes_nothing(make_main_window, qtbot, tmp_path):
    source = make_main_window()
    open_data(qtbot, source, MACRO)
    project = tmp_path / "macro.swproj"
    assert source.files.save_project(str(project))
    window = make_main_window()
    series = open_data(qtbot, window, CO2)
    with qtbot.waitSignal(window.files.project_failed, timeout=1000):
        assert window.files.open_project(str(project))
        window.progress.cancel_button.click()
    qtbot.waitUntil(lambda: not window.runner.is_running("reading"), timeout=READ_TIMEOUT_MS)
    qtbot.wait(50)  # the job's end, had it been kept, would arrive now
    assert window.project_path is None and series.table.path == CO2
    assert open_project(qtbot, window, project) and series.table.path == MACRO


def test_the_import_dialog_reads_in_the_background(qtbot, tmp_path):
    from workbench.core.data.sources import read_table
    from workbench.gui.panels.import_dialog import ImportDialog

    path = tmp_path / "export.csv"
    path.write_text("date;temp\n2024-01-01;1,5\n2024-01-02;2,25\n2024-01-03;3,0\n", encoding="utf-8")
    dialog = ImportDialog(path, read_table(path))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.options_form.decimal_combo.setCurrentIndex(dialog.options_form.decimal_combo.findData("."))
    dialog._on_reparse()  # as the debounce timer would
    assert dialog.is_reading() and not ok.isEnabled()
    assert dialog.preview.notes_label.text() == "Reading export.csv with these options..."
    qtbot.waitUntil(lambda: not dialog.is_reading(), timeout=READ_TIMEOUT_MS)
    assert ok.isEnabled() and dialog.table().options.decimal == "."
