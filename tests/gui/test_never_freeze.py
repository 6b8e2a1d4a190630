"""What the window computes for the screen runs off the GUI thread, and only the newest request reaches the screen:
the series for chosen columns, the settings checked against it, a model's forecasts on the open data, the token
counts of a text and the summary of a labelled table (gui/latest_job.py)."""

import shutil
import threading
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from PySide6.QtWidgets import QApplication

from tests.conftest import SHIP_TEXT, seasonal_table, tiny_config
from tests.gui.conftest import READ_TIMEOUT_MS, set_form, settle
from workbench.core.data.config import DataConfig
from workbench.core.data.sources import read_table
from workbench.core.errors import DataError
from workbench.gui.latest_job import LatestJob
from workbench.gui.reader import shared_reader


def stub_services(runner):
    """The parts of Services a LatestJob uses, recording what reaches the status line and the message bar."""
    said = {"status": [], "errors": [], "bugs": []}
    return said, SimpleNamespace(runner=runner, show_status=said["status"].append,
                                 clear_status=lambda text: said["status"].append(""),
                                 show_error=lambda message, hint: said["errors"].append((message, hint)),
                                 report_bug=lambda message, details: said["bugs"].append(message))


def test_only_the_newest_request_reaches_the_screen(qtbot, runner):
    said, services = stub_services(runner)
    latest = LatestJob(services, "test")
    gate, ran, shown = threading.Event(), [], []

    def work(value):
        def function(_context):
            ran.append(value)
            gate.wait(10)
            return value
        return function

    for value in "abc":
        latest.request("Working...", work(value), shown.append)
    assert latest.is_pending() and QApplication.overrideCursor() is not None
    with qtbot.waitSignal(latest.settled, timeout=10000):
        gate.set()
    # "a" ran and its result was dropped; "b" was replaced while it waited and never ran.
    assert shown == ["c"] and ran == ["a", "c"]
    assert not latest.is_pending() and QApplication.overrideCursor() is None
    assert said["status"] == ["Working..."] * 3 + [""]


def test_a_refusal_reaches_the_screen_only_for_the_newest_request(qtbot, runner):
    said, services = stub_services(runner)
    latest = LatestJob(services, "test")
    gate = threading.Event()

    def refuse(message):
        def function(_context):
            gate.wait(10)
            raise DataError(message, hint="Pick another column.")
        return function

    latest.request("", refuse("old"), lambda result: None)
    latest.request("", refuse("new"), lambda result: None)
    with qtbot.waitSignal(latest.settled, timeout=10000):
        gate.set()
    assert said["errors"] == [("new", "Pick another column.")] and not said["bugs"]


@pytest.fixture
def three_columns(tmp_path):
    """240 daily rows of three numeric columns."""
    frame = seasonal_table()
    frame["b"] = frame["load"] * 2 + 1
    frame["c"] = -frame["load"]
    path = tmp_path / "three.csv"
    frame.to_csv(path, index=False)
    return path


def show_table(window, path):
    """The workspace for the table at `path`, showing it as File > Open would, read by the same function in the
    reader process, without the opening's progress line and Cancel (tested elsewhere)."""
    read = shared_reader().run("read_data", str(path))
    workspace = window.workspace(read.kind)
    if read.kind == "series":
        workspace.open_table(read.data, read.series, read.columns)
    else:
        workspace.use_table(read.data)
    window.activate(read.kind)
    return workspace


def test_a_new_target_is_prepared_in_the_background_and_the_last_choice_wins(make_main_window, qtbot,
                                                                             three_columns):
    window = make_main_window()
    series = show_table(window, three_columns)
    settle(qtbot, series)
    panel = series.data_panel
    for target in ("b", "c"):  # twice, without waiting: "b" is dropped
        panel.set_selection(target=target)
        panel.selection_changed.emit()
    assert series.is_working() and not window.actions_.train.isEnabled()
    qtbot.waitUntil(window.actions_.train.isEnabled, timeout=READ_TIMEOUT_MS)
    assert series.series.target == "c" and panel.selection()["target"] == "c"
    _, shown = series.series_view.plot.target_curve.getData()
    np.testing.assert_array_equal(shown, -pd.read_csv(three_columns)["load"].to_numpy())


def test_the_settings_are_checked_in_the_background_and_the_last_edit_wins(make_main_window, qtbot,
                                                                           three_columns):
    window = make_main_window()
    series = show_table(window, three_columns)
    lookback = series.model_form.form("data").editor("lookback")
    config = tiny_config()
    config.data.lookback = 3000
    set_form(series, config)
    qtbot.waitUntil(lambda: (lookback.problem() or "").startswith("The series has 240 rows"),
                    timeout=READ_TIMEOUT_MS)
    assert not window.actions_.train.isEnabled() and series.series_view.plot.plan() is None
    config.data.lookback = 40
    set_form(series, config)
    config.data.lookback = 20
    set_form(series, config)  # 40, then 20, without waiting: the check of 40 is dropped
    qtbot.waitUntil(window.actions_.train.isEnabled, timeout=READ_TIMEOUT_MS)
    assert lookback.problem() is None and series.series_view.plot.plan().lookback == 20
    assert "reads 20 steps" in series.model_form.summary_text()


@pytest.fixture
def data_beside_model(forecast_bundle, tmp_path):
    """Two copies of the shared forecaster and the table it was trained on, in a folder of their own."""
    for name in ("first.swb", "second.swb"):
        shutil.copy(forecast_bundle, tmp_path / name)
    return forecast_bundle.parent / "load.csv", tmp_path / "first.swb", tmp_path / "second.swb"


def test_an_opened_model_is_shown_when_its_forecasts_are_made_and_the_last_one_wins(make_main_window, qtbot,
                                                                                  data_beside_model):
    data, first, second = data_beside_model
    window = make_main_window()
    series = show_table(window, data)
    said = []
    window.statusBar().messageChanged.connect(said.append)
    assert window.files.open_model(str(first)) and window.files.open_model(str(second))
    assert series.model is None  # nothing changes until the forecasts are made
    qtbot.waitUntil(lambda: series.inspection is not None, timeout=READ_TIMEOUT_MS)
    assert "Opened model second.swb." in series.training_panel.status_text()
    assert f"Opened the model {second}." in said and f"Opened the model {first}." not in said
    assert series.model_series.n_rows == len(pd.read_csv(data))


def test_new_data_under_a_model_is_forecast_in_the_background_and_the_last_table_wins(make_main_window, qtbot,
                                                                                     data_beside_model, tmp_path):
    data, first, _ = data_beside_model
    window = make_main_window()
    series = show_table(window, data)
    window.files.open_model(str(first))
    qtbot.waitUntil(lambda: series.inspection is not None, timeout=READ_TIMEOUT_MS)
    shorter = tmp_path / "shorter.csv"
    pd.read_csv(data).head(200).to_csv(shorter, index=False)
    for path in (data, shorter):  # twice, without waiting: the forecasts on the first are dropped
        show_table(window, path)
        assert series.inspection is None  # the last data's forecasts go at once
    settle(qtbot, series)
    assert series.inspection is not None and series.model_series.n_rows == 200


def test_tokens_are_counted_in_the_background_and_the_last_level_wins(make_main_window, qtbot, tmp_path):
    from workbench.core.text.source import read_text

    path = tmp_path / "log.txt"
    path.write_text(SHIP_TEXT, encoding="utf-8")
    window = make_main_window()
    text = window.workspace("text")
    text.use_source(read_text(path))
    window.activate("text")
    assert not window.actions_.train.isEnabled() and "Counting the tokens" in text.can_train[1]
    qtbot.waitUntil(window.actions_.train.isEnabled, timeout=READ_TIMEOUT_MS)
    assert text.summary.n_chars == len(SHIP_TEXT)
    level = text.form.form("text").editor("level")
    for value in ("word", "char"):  # twice, without waiting: the word count is dropped
        level.set_value(value)
        text.update_can_train()
    settle(qtbot, text)
    assert text.summary.level == "char" and "characters" in text.form.summary_text()


def test_a_labelled_table_is_summarized_in_the_background_and_the_last_column_wins(make_main_window, qtbot,
                                                                                   tmp_path, reviews_table):
    path = tmp_path / "reviews.csv"
    reviews_table.to_csv(path, index=False)
    window = make_main_window()
    classify = show_table(window, path)
    assert not window.actions_.train.isEnabled()
    qtbot.waitUntil(window.actions_.train.isEnabled, timeout=READ_TIMEOUT_MS)
    assert classify.summary.label_column == "sentiment"
    combo = classify.data_panel.label_combo
    for column in ("category", None):  # twice, without waiting: the summary by category is dropped
        combo.setCurrentIndex(combo.findData(column) if column else 0)
    settle(qtbot, classify)
    assert classify.summary.label_column == "sentiment" and window.actions_.train.isEnabled()
    assert {value for value, _ in classify.data_panel.shown_classes()} == set(reviews_table["sentiment"])


def test_the_reader_works_on_the_table_it_read_and_refuses_one_that_changed(tmp_path):
    from workbench.gui import kept_data

    path = tmp_path / "load.csv"
    seasonal_table().to_csv(path, index=False)
    table = read_table(path)
    kept_data.remember(table)
    series = kept_data.series_for_columns(table.path, table.options, table.frame.shape, DataConfig())
    assert series.target == "load" and series.n_rows == 240
    seasonal_table().head(100).to_csv(path, index=False)  # the file changes under the window
    kept_data._kept.clear()  # as after Cancel ended the process that had read it
    with pytest.raises(DataError) as refused:
        kept_data.series_for_columns(table.path, table.options, table.frame.shape, DataConfig())
    assert refused.value.message == ("load.csv has changed since it was opened: it now holds 100 rows and 2 columns, "
                                     "not 240 and 2.")


def test_the_reader_forecasts_a_table_as_the_window_would(forecast_bundle):
    # A large table's forecasts are made in the reader process (workspaces/series_jobs.py); the same function runs
    # here, on the shared model's own small table, with the bundle pickled as it travels there.
    from workbench.core.export.kinds import load_model
    from workbench.core.forecast.inspection import inspect_bundle
    from workbench.core.forecast.model_data import series_for_frame
    from workbench.gui import kept_data

    table = read_table(forecast_bundle.parent / "load.csv")
    kept_data.remember(table)
    bundle = load_model(forecast_bundle)
    series, inspection = kept_data.forecasts_on_table(table.path, table.options, table.frame.shape,
                                                      kept_data.bundle_bytes(bundle))
    expected = inspect_bundle(bundle, series_for_frame(bundle, table.frame, table.path))
    np.testing.assert_allclose(inspection.forecasts, expected.forecasts, rtol=1e-6)
    assert series.n_rows == len(table.frame)
