"""Save Project / Open Project in the window: the screen comes back, changed or missing data is reported."""

import os

import numpy as np
import pytest

from tests.conftest import SAMPLE_DATA, tiny_config
from tests.gui.conftest import open_data, open_project, set_form, train

MACRO = os.path.join(SAMPLE_DATA, "us_macro_quarterly.csv")
SERIES_TAB, METRICS_TAB = 0, 3  # of the series workspace's right-hand tabs


@pytest.fixture
def data_csv(tmp_path, seasonal_frame):
    path = tmp_path / "load.csv"
    seasonal_frame.to_csv(path, index=False)
    return str(path)


@pytest.fixture
def saved_project(make_main_window, qtbot, data_csv, tmp_path):
    """A project saved after training, on the Metrics tab, with a non-default lookback and horizon."""
    window = make_main_window()
    series = open_data(qtbot, window, data_csv)
    config = tiny_config()
    config.data.lookback, config.data.horizon = 10, 2
    set_form(series, config)
    assert train(qtbot, series) == "finished"
    series.right_tabs.setCurrentIndex(METRICS_TAB)
    path = tmp_path / "study.swproj"
    assert window.files.save_project(str(path))
    return window, str(path)


def test_reopening_a_project_restores_data_settings_model_and_tab(saved_project, make_main_window, qtbot):
    window, path = saved_project
    series = window.workspaces["series"]
    assert os.path.isfile(path) and os.path.isfile(path.replace(".swproj", ".swb"))
    assert window.windowTitle().startswith("study.swproj")
    assert not series.has_unsaved_model()  # the project saved it
    again = make_main_window(tiny=False)
    assert open_project(qtbot, again, path)
    fresh = again.active()
    assert fresh.kind == "series"
    assert fresh.table.path == series.table.path
    assert fresh.data_panel.selection() == series.data_panel.selection()
    assert fresh.current_config().to_dict() == series.current_config().to_dict()
    assert fresh.right_tabs.currentIndex() == METRICS_TAB
    np.testing.assert_allclose(fresh.inspection.forecasts, series.inspection.forecasts, rtol=1e-6)
    assert fresh.metrics_view.best_cells() == series.metrics_view.best_cells()
    assert again.windowTitle().startswith("study.swproj")
    assert not again.message_bar.is_shown()
    # Ctrl+S now saves to the same file without asking.
    assert again.files.save_project()


def test_changed_data_opens_with_a_warning(saved_project, make_main_window, qtbot, data_csv):
    _, path = saved_project
    with open(data_csv, "a") as handle:
        handle.write("2024-08-28,12.5\n")
    fresh = make_main_window(tiny=False)
    assert open_project(qtbot, fresh, path)
    assert fresh.message_bar.level() == "warning"
    assert "has changed since the project was saved" in fresh.message_bar.text()


def test_missing_data_is_reported_and_the_current_state_is_kept(saved_project, make_main_window, qtbot, data_csv):
    _, path = saved_project
    os.remove(data_csv)
    window = make_main_window()
    fresh = open_data(qtbot, window, MACRO)
    before = (fresh.table.path, fresh.current_config().to_dict(), window.windowTitle())
    assert not open_project(qtbot, window, path)
    assert "data file" in window.message_bar.text() and "missing" in window.message_bar.text()
    assert (fresh.table.path, fresh.current_config().to_dict(), window.windowTitle()) == before
    assert fresh.model is None


def test_a_project_without_a_model_reopens_its_data_and_settings(make_main_window, qtbot, data_csv, tmp_path):
    window = make_main_window()
    series = open_data(qtbot, window, data_csv)
    series.model_form.form("model").editor("hidden").set_value(17)
    path = tmp_path / "plain.swproj"
    assert window.files.save_project(str(path))
    again = make_main_window(tiny=False)
    assert open_project(qtbot, again, str(path))
    fresh = again.active()
    assert fresh.current_config().model.hidden == 17
    assert fresh.model is None and fresh.forecast_view.currentIndex() == 0
    assert fresh.right_tabs.currentIndex() == SERIES_TAB


def test_invalid_settings_are_not_saved_into_a_project(make_main_window, qtbot, data_csv, tmp_path):
    window = make_main_window()
    series = open_data(qtbot, window, data_csv)
    editor = series.model_form.form("model").editor("layers")
    editor.editor.setText("0")
    editor._on_edited()
    path = tmp_path / "bad.swproj"
    assert not window.files.save_project(str(path))
    assert "settings are not valid" in window.message_bar.text()
    assert not path.exists()


def test_a_damaged_project_file_is_refused(make_main_window, qtbot, tmp_path):
    path = tmp_path / "broken.swproj"
    path.write_text("{ not json")
    window = make_main_window()
    assert not open_project(qtbot, window, str(path))
    assert "broken.swproj" in window.message_bar.text()
