"""The results side of the window: forecast, metrics and residual views, and every export, checked against the core."""

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage

from tests.conftest import tiny_config
from tests.gui.conftest import READ_TIMEOUT_MS, open_data, set_form, settle, train
from workbench.core.export.kinds import load_model
from workbench.core.forecast.diagnostics import residual_diagnostics
from workbench.gui.panels.metrics_view import COLUMN_LABELS

# The series workspace's right-hand tabs, in order.
SERIES_TAB, TRAINING_TAB, FORECAST_TAB, METRICS_TAB, RESIDUALS_TAB = range(5)

HORIZON = 3


@pytest.fixture
def data_csv(tmp_path, seasonal_frame):
    path = tmp_path / "load.csv"
    seasonal_frame.to_csv(path, index=False)
    return str(path)


def results_config():
    config = tiny_config(epochs=3)
    config.data.horizon = HORIZON
    return config


@pytest.fixture
def trained(make_main_window, qtbot, data_csv):
    """The series workspace of a window that has just trained a tiny 3-step model on 240 daily rows; the
    window is at `trained.window`."""
    window = make_main_window()
    series = open_data(qtbot, window, data_csv)
    set_form(series, results_config())
    assert train(qtbot, series) == "finished"
    assert series.inspection is not None
    series.window = window
    return series


def curve_data(curve):
    x, y = curve.getData()
    return np.asarray(x), np.asarray(y)


def test_forecast_tab_shows_the_test_forecasts_the_split_and_the_forecast_past_the_end(trained):
    view, inspection = trained.forecast_view, trained.inspection
    assert view.currentIndex() == 1  # the plot page, not the placeholder
    _, y = curve_data(view.plot.forecast_curve)
    np.testing.assert_allclose(y, inspection.step(1, "test").forecast)
    assert all(region.isVisible() for region in view.plot.part_regions.values())
    _, future = curve_data(view.plot.future_curve)
    assert len(future) == HORIZON + 1 and future[0] == inspection.actual[-1]
    np.testing.assert_allclose(future[1:], inspection.future)
    assert view.step.maximum() == HORIZON
    assert f"next {HORIZON} values past the end" in view.summary.text()


def test_choosing_the_step_and_the_whole_series_redraws(trained):
    view, inspection = trained.forecast_view, trained.inspection
    view.step.setValue(2)
    _, y = curve_data(view.plot.forecast_curve)
    np.testing.assert_allclose(y, inspection.step(2, "test").forecast)
    view.part.setCurrentIndex(view.part.findData("all"))
    x, y = curve_data(view.plot.forecast_curve)
    assert len(y) == len(inspection.step(2, "all").forecast) > len(inspection.step(2, "test").forecast)


def test_the_fan_shows_every_step_from_one_origin(trained):
    view, inspection = trained.forecast_view, trained.inspection
    view.mode.setCurrentIndex(view.mode.findData("fan"))
    assert not view.step.isEnabled() and not view.origin_row.isHidden()
    view.origin.setValue(0)
    origin = int(inspection.fan_origins()[0])
    _, y = curve_data(view.plot.fan_curve)
    assert y[0] == inspection.actual[origin]
    np.testing.assert_allclose(y[1:], inspection.fan(origin)[1][1:])
    view.origin.setValue(view.origin.maximum())
    assert view.origin_label.text().endswith("(end)")
    _, y = curve_data(view.plot.fan_curve)
    np.testing.assert_allclose(y[1:], inspection.future)
    # The caption follows the view: no "dashed" line is named where a solid fan is drawn.
    view.origin.setValue(0)
    caption = view.summary.text()
    assert "Dashed" not in caption and f"Purple: the next {HORIZON} values forecast from " in caption
    view.mode.setCurrentIndex(view.mode.findData("step"))
    assert "Dashed: the next" in view.summary.text()


def test_the_crosshair_reads_out_time_actual_forecast_and_error(trained, qtbot):
    trained.right_tabs.setCurrentIndex(FORECAST_TAB)
    view, inspection = trained.forecast_view, trained.inspection
    step = inspection.step(1, "test")
    text = view.plot.readout_at(float(pd.Timestamp(step.times[5]).timestamp()))
    day = str(step.times[5])[:10]
    assert text.startswith(day)
    assert f"actual {step.actual[5]:.4g}" in text and f"forecast (t+1) {step.forecast[5]:.4g}" in text
    assert f"error {step.actual[5] - step.forecast[5]:.4g}" in text
    # A real mouse move over the plot fills the read-out under it.
    plot = view.plot
    centre = plot.mapFromScene(plot.getPlotItem().vb.sceneBoundingRect().center())
    qtbot.mouseMove(plot.viewport(), QPoint(centre.x(), centre.y()))
    qtbot.waitUntil(lambda: "actual" in view.readout.text(), timeout=3000)


def test_metrics_table_marks_the_best_and_says_the_verdict(trained):
    trained.right_tabs.setCurrentIndex(METRICS_TAB)
    view, inspection = trained.metrics_view, trained.inspection
    assert view.table.rowCount() == 5 and view.table.columnCount() == 4  # daily data: a weekly season, and ETS
    assert view.table.horizontalHeaderItem(3).text() == "ETS"
    expected = {row.label: " = ".join(COLUMN_LABELS[name] for name in row.best) for row in inspection.metric_rows()}
    assert view.best_cells() == expected
    mase_row = [row.label for row in inspection.metric_rows()].index("MASE")
    shown = view.table.item(mase_row, 0).text().rstrip(" \u2713")
    assert shown == f"{inspection.evaluation.metrics['mase']:.4g}"
    words = inspection.evaluation.words()
    assert view.verdict.text() == words.verdict.sentence == inspection.evaluation.summary()["verdict"]
    assert view.tone() == words.verdict.tone
    assert (view.scope.text(), view.mase_note.text(), view.steps_note.text()) == (words.scope, words.mase,
                                                                                 words.per_step)
    assert view.coverage.text() == "\n".join(words.coverage) and view.ets_note.text() == words.ets
    assert "over one season (7 days)" in view.mase_note.text()
    assert view.steps_table.rowCount() == HORIZON
    assert view.reading_box.title().startswith("Loss curves:")
    # What the curves show, without advice of its own: the one recommendation is on the Training tab.
    reading = inspection.curve_reading()
    assert view.reading.text() == f"{reading.message} What to change, if anything: see the Training tab."


def test_residual_diagnostics_match_the_core(trained):
    trained.right_tabs.setCurrentIndex(RESIDUALS_TAB)
    view, inspection = trained.residuals_view, trained.inspection
    expected = residual_diagnostics(inspection.step(1, "test").error, season=inspection.season, step=1)
    assert view.summary_text() == expected.summary
    np.testing.assert_allclose(view.diagnostics.acf, expected.acf)
    assert view.band_lines[0].value() == pytest.approx(expected.band)
    assert view.band_lines[1].value() == pytest.approx(-expected.band)
    view.step.setValue(3)
    np.testing.assert_allclose(view.diagnostics.residuals, inspection.step(3, "test").error[
        np.isfinite(inspection.step(3, "test").error)])


def test_the_training_tab_reads_the_loss_curves(trained):
    assert trained.training_panel.reading_text()
    reading = trained.inspection.curve_reading()
    assert reading.message[:30] in trained.training_panel.reading_text()


def test_a_model_saved_from_the_window_gives_the_same_forecast_via_the_cli(trained, tmp_path, data_csv):
    from workbench.cli import main

    model_path, gui_csv, cli_csv = tmp_path / "m.swb", tmp_path / "gui.csv", tmp_path / "cli.csv"
    assert trained.window.files.save_model(str(model_path))
    assert trained.window.exports.export_predictions(str(gui_csv))
    assert main(["predict", str(model_path), data_csv, "--out", str(cli_csv)]) == 0
    gui, cli = pd.read_csv(gui_csv), pd.read_csv(cli_csv)
    for k in range(1, HORIZON + 1):
        np.testing.assert_allclose(gui[f"forecast_{k}"], cli[f"forecast_{k}"], rtol=1e-5, equal_nan=True)
    # ... and the same numbers the Forecast tab draws.
    step = trained.inspection.step(1, "all")
    first = trained.inspection.plan.lookback  # row of the first one-step forecast
    np.testing.assert_allclose(gui["forecast_1"].to_numpy()[first:len(step.forecast) + first], step.forecast,
                               rtol=1e-5)
    assert {"residual_1", "actual", "time"} <= set(gui.columns)


# The first ONNX export in a process costs ~10 s of exporter set-up: every real export shares one worker.
def test_saved_model_round_trips_and_exports_onnx_and_loss_history(trained, tmp_path, qtbot, monkeypatch):
    import threading

    from workbench.core.export import onnx

    model_path = tmp_path / "m.swb"
    assert trained.window.files.save_model(str(model_path))
    bundle = load_model(model_path)
    for name, tensor in trained.model.model.state_dict().items():
        assert np.array_equal(tensor.numpy(), bundle.model.state_dict()[name].numpy())
    # The export itself is the core's, tested against onnxruntime in tests/core/export/test_onnx.py (each real
    # export costs 10-35 s); here: the window hands it the model, its lookback and the data's windows, off the
    # GUI thread, and says what the core's check found.
    calls = []

    def export(model, path, lookback, check_against=None):
        calls.append((model, lookback, check_against, threading.current_thread() is threading.main_thread()))
        with open(path, "wb") as file:
            file.write(b"graph")
        return onnx.ParityCheck(2.5e-05, 64, "windows of the data")

    monkeypatch.setattr(onnx, "export_onnx", export)
    onnx_path = tmp_path / "m.onnx"
    assert trained.window.exports.export_onnx(str(onnx_path))
    status = trained.window.statusBar()
    qtbot.waitUntil(lambda: "onnxruntime matches the model" in status.currentMessage(), timeout=30000)
    [(model, lookback, values, on_gui_thread)] = calls
    assert model is trained.model.model and lookback == bundle.schema["lookback"] and not on_gui_thread
    np.testing.assert_array_equal(values, trained.model_series.values)
    assert status.currentMessage() == (
        f"Exported m.onnx: input 'window' (batch, {lookback}, 1) raw values, output 'forecast' "
        f"(batch, {bundle.schema['horizon']}); onnxruntime matches the model to 2.5e-05 on 64 windows of the data.")
    assert onnx_path.read_bytes() == b"graph"
    loss_path = tmp_path / "loss.csv"
    assert trained.window.exports.export_loss_history(str(loss_path))
    losses = pd.read_csv(loss_path)
    history = trained.model.result["history"]
    assert list(losses.columns[:3]) == ["epoch", "loss", "val_loss"] and len(losses) == len(history)
    np.testing.assert_allclose(losses["loss"], [h["loss"] for h in history], rtol=1e-8)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_export_plot_writes_the_visible_plot(trained, tmp_path, suffix):
    for tab in (TRAINING_TAB, FORECAST_TAB, RESIDUALS_TAB):
        trained.right_tabs.setCurrentIndex(tab)
        path = tmp_path / f"plot{tab}{suffix}"
        assert trained.window.exports.export_plot(str(path))
        if suffix == ".png":
            image = QImage(str(path))
            assert image.width() >= 800 and image.height() > 100
        else:
            assert "<svg" in path.read_text()[:2000]
    trained.right_tabs.setCurrentIndex(METRICS_TAB)
    assert not trained.window.exports.export_plot(str(tmp_path / f"none{suffix}"))
    assert "no plot" in trained.window.message_bar.text()
    assert not list(tmp_path.glob(".*tmp*"))


def test_opening_a_model_shows_its_settings_curve_and_the_same_forecasts(trained, make_main_window, qtbot,
                                                                           tmp_path, data_csv):
    model_path = tmp_path / "m.swb"
    trained.window.files.save_model(str(model_path))
    window = make_main_window(tiny=False)
    fresh = open_data(qtbot, window, data_csv)
    assert window.files.open_model(str(model_path))
    # Shown once its forecasts on the open data are made, in the background.
    qtbot.waitUntil(lambda: fresh.right_tabs.currentIndex() == FORECAST_TAB, timeout=READ_TIMEOUT_MS)
    assert window.statusBar().currentMessage() == f"Opened the model {model_path}."
    settle(qtbot, fresh)  # the results tabs fill one a turn
    assert fresh.current_config().model == trained.model.config.model
    assert fresh.current_config().data.horizon == HORIZON
    assert len(fresh.training_panel.plot.history()) == len(trained.model.result["history"])
    np.testing.assert_allclose(fresh.inspection.forecasts, trained.inspection.forecasts, rtol=1e-6)
    assert fresh.metrics_view.best_cells() == trained.metrics_view.best_cells()


def test_opening_a_model_without_data_opens_its_data_from_beside_it(trained, make_main_window, qtbot, tmp_path):
    model_path = tmp_path / "m.swb"  # load.csv lies in the same folder
    trained.window.files.save_model(str(model_path))
    window = make_main_window(tiny=False)
    with qtbot.waitSignal(window.opener.opened, timeout=60000):
        assert window.files.open_model(str(model_path))
    fresh = window.active()
    qtbot.waitUntil(lambda: fresh.inspection is not None, timeout=READ_TIMEOUT_MS)
    assert fresh.table is not None and fresh.model is not None


def test_a_model_for_other_columns_is_refused_and_nothing_changes(trained, make_main_window, qtbot, tmp_path):
    model_path = tmp_path / "m.swb"
    trained.window.files.save_model(str(model_path))
    other = tmp_path / "other" / "sales.csv"
    other.parent.mkdir()
    pd.DataFrame({"month": pd.date_range("2020-01", periods=60, freq="MS").strftime("%Y-%m"),
                  "sales": np.arange(60.0)}).to_csv(other, index=False)
    window = make_main_window()
    fresh = open_data(qtbot, window, other)
    assert window.files.open_model(str(model_path))  # read; its forecasts on the open data are made next
    qtbot.waitUntil(lambda: "reads the column 'load'" in window.message_bar.text(), timeout=READ_TIMEOUT_MS)
    assert not fresh.is_working() and window.message_bar.level() == "error"
    assert fresh.model is None and fresh.forecast_view.currentIndex() == 0
    assert fresh.data_panel.selection()["target"] == "sales"


def test_a_failed_onnx_export_is_refused_before_it_starts(trained, tmp_path):
    target = tmp_path / "missing-folder" / "m.onnx"
    # Checked before the seconds-long export starts: the folder is missing, so nothing runs.
    assert not trained.window.exports.export_onnx(str(target))
    assert trained.window.exports.onnx_job is None
    bar = trained.window.message_bar
    assert bar.level() == "error" and "m.onnx" in bar.text() and "does not exist" in bar.text()
    assert not target.exists()


def test_a_disguised_pickle_is_refused_as_a_model_and_never_runs(make_main_window, disguised_pickle):
    fake, marker = disguised_pickle
    window = make_main_window()
    assert not window.files.open_model(str(fake))
    assert "not a Sequence Workbench model bundle" in window.message_bar.text()
    assert window.active() is None
    assert not marker.exists()  # unpickling it would have created this file


def test_closing_with_an_unsaved_model_asks_first(trained, monkeypatch):
    asked = []
    window = trained.window
    monkeypatch.setattr(window, "ask_save_model_on_close", lambda workspace: asked.append(workspace) or False)
    assert not window.close()
    assert asked == [trained] and window.isVisible()


@pytest.fixture(scope="module")
def monthly_inspection():
    """An untrained forecaster (seeded initial weights) on 150 months at horizon 12: 22 test months, MASE above 1."""
    from workbench.core.data.series import prepare_series
    from workbench.core.forecast.inspection import inspect_model
    from workbench.core.forecast.pipeline import build_model
    from workbench.core.forecast.setup import resolve_setup

    t = np.arange(150)
    frame = pd.DataFrame({"month": pd.date_range("2000-01", periods=150, freq="MS").strftime("%Y-%m"),
                          "sales": 50 + 0.3 * t + 8 * np.sin(2 * np.pi * t / 12)})
    config = tiny_config()
    config.data.horizon = 12
    series = prepare_series(frame, config.data)
    setup = resolve_setup(series, config.data)
    history = [{"epoch": 1, "loss": 1.0, "val_loss": 1.1}]
    return inspect_model(build_model(config, setup, 1), series, setup.plan, setup.season, history)


def test_a_monthly_model_at_horizon_12_with_mase_above_1_is_not_called_a_winner(qtbot, monthly_inspection):
    from workbench.gui.panels.forecast_view import ForecastView
    from workbench.gui.panels.metrics_view import MetricsView
    from workbench.gui.panels.verdict_label import TONE_STYLES

    evaluation = monthly_inspection.evaluation
    words = evaluation.words()
    assert evaluation.metrics["mase"] > 1 and evaluation.targets == 22
    metrics, forecast = MetricsView(), ForecastView()
    for view in (metrics, forecast):
        qtbot.addWidget(view)
        view.set_inspection(monthly_inspection)
    assert metrics.verdict.text() == words.verdict.sentence
    # Exponential smoothing is the strongest baseline here, and the verdict names it.
    assert metrics.verdict.text().startswith("On the test part the model does not beat the exponential smoothing "
                                             "(ETS) forecast on MASE: ")
    assert metrics.tone() == "worse" and metrics.verdict.styleSheet() == TONE_STYLES["worse"]
    assert metrics.mase_note.text() == ("MASE divides the error by the mean absolute change over one season (12 "
                                        "months) in the training part; below 1 beats that in-sample seasonal-naive "
                                        "error.")
    assert metrics.scope.text() == ("Scored on the test part: its 22 targets, each forecast 1 to 12 steps ahead (264 "
                                    "forecasts), in the target's own units. The baselines forecast the same targets "
                                    "from the same origins.")
    assert metrics.steps_note.text() == ("Every step is scored on the same 22 test targets, each forecast that many "
                                         "rows before it, so the rows compare like with like: a later step is a "
                                         "longer forecast of the same values.")
    headers = [metrics.steps_table.horizontalHeaderItem(c).text() for c in range(metrics.steps_table.columnCount())]
    assert headers == ["MAE", "RMSE", "sMAPE (%)", "MASE", "Naive MASE", "Seasonal naive MASE", "ETS MASE"]
    assert metrics.steps_table.rowCount() == 12
    # The Forecast tab leads with the very same sentence.
    assert forecast.summary.text().startswith(words.verdict.sentence + " Dashed: the next 12 values")


def test_the_residuals_of_22_months_are_too_few_to_judge_the_season(qtbot, monthly_inspection):
    from workbench.gui.panels.residuals_view import ResidualsView

    view = ResidualsView()
    qtbot.addWidget(view)
    view.set_inspection(monthly_inspection)
    for step in (1, 12):
        view.step.setValue(step)
        expected = monthly_inspection.residuals(step)
        assert view.summary_text() == expected.summary and not expected.judged
        assert view.summary_text().endswith("There are too few residuals to judge their autocorrelation: 22, fewer "
                                            "than two seasons (24), so the season's lag (12) cannot be tested.")
        assert "noise" not in view.summary_text()
    assert view.lag_ticks == list(range(1, 12))  # whole lags, as many as 22 residuals can pair


def test_the_lag_axis_labels_whole_lags_and_the_season():
    from workbench.gui.panels.residuals_view import lag_ticks

    assert lag_ticks(24, 12) == list(range(2, 25, 2))
    assert lag_ticks(104, 52) == list(range(13, 105, 13))
    assert lag_ticks(10, None) == list(range(1, 11))
    assert lag_ticks(48, None) == list(range(5, 46, 5))


@pytest.mark.parametrize("state", ["fan", ["step"], 3, None, {"mode": 7, "step": "x", "part": None}])
def test_an_edited_projects_forecast_view_state_is_ignored_not_fatal(trained, state):
    view = trained.forecast_view
    before = view.state()
    view.restore_state(state)
    assert view.state() == before
