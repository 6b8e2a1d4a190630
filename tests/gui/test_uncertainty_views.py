"""What the user sees of honest uncertainty: the interval band on the forecast plot, coverage and ETS on the Metrics
tab, the Anomalies tab (list, plot, selection both ways, CSV) and the Backtest tab, each checked against the core."""

import dataclasses
import json
import math
import threading
import time

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QMainWindow, QStyle

from tests.conftest import tiny_config
from workbench.core.forecast.anomalies import DEFAULT_ANOMALY_LEVEL, detect_anomalies
from workbench.core.forecast.inspection import inspect_run
from workbench.core.forecast.intervals import NO_INTERVALS
from workbench.gui.job_progress import JobProgress
from workbench.gui.messages import MessageBar
from workbench.gui.panels.anomalies_view import COLUMNS, DEFAULT_LEVEL, AnomaliesView
from workbench.gui.panels.backtest_view import DEFAULT_FOLDS, MAX_FOLDS, MODE_WORDS, BacktestView
from workbench.gui.panels.forecast_view import ForecastView
from workbench.gui.panels.metrics_view import MetricsView
from workbench.gui.panels.table_header import share_width
from workbench.gui.plots.time_plot import time_to_x
from workbench.gui.runner import Runner
from workbench.gui.services import Services
from workbench.gui.workspaces.series_uncertainty import BACKTEST_RUNNING, TRAINING_RUNNING, SeriesUncertainty

TIMEOUT_MS = 30000


@pytest.fixture(scope="module")
def inspection(forecast_run):
    return inspect_run(forecast_run)


@pytest.fixture(scope="module")
def anomalies(forecast_run, inspection):
    # At 90% the tiny model's band leaves several values outside it (at 99% only a handful).
    return detect_anomalies(forecast_run.model, forecast_run.series, forecast_run.setup.plan.lookback,
                            inspection.calibration, 0.9)


def without_intervals(inspection):
    """The inspection of a model saved before intervals were stored."""
    return dataclasses.replace(inspection, evaluation=dataclasses.replace(inspection.evaluation, calibration=None))


def shown(qtbot, widget, size=(1000, 700)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def legend_names(plot) -> list[str]:
    return [label.text for _, label in plot.legend.items]


# ---- the forecast plot's band

def test_the_band_is_the_calibrated_interval_at_the_chosen_level(qtbot, inspection):
    view = shown(qtbot, ForecastView())
    view.set_inspection(inspection)
    plot, width = view.plot, inspection.calibration.half_width(0.8)
    assert view.level.level() == 0.8 and "80% interval" in legend_names(plot)
    for step in (1, 3):
        view.step.setValue(step)
        x, lower, upper = plot.band.data()
        _, forecast = plot.forecast_curve.getData()
        assert len(x) == len(inspection.step(step, "test").forecast)
        np.testing.assert_allclose(upper - forecast, width[step - 1])
        np.testing.assert_allclose(forecast - lower, width[step - 1])
    # Past the end: the band around the forecast from the last row, from the last actual value on.
    _, lower, upper = plot.end_band.data()
    _, core_lower, core_upper = inspection.fan_band(len(inspection.actual) - 1, 0.8)
    np.testing.assert_allclose(lower, core_lower)
    np.testing.assert_allclose(upper, core_upper)
    # The words come with the band: the Metrics tab's coverage sentence for the same level.
    assert view.band_note.text().endswith(inspection.evaluation.words().coverage[0])
    view.level.combo.setCurrentIndex(view.level.combo.findData(0.95))
    _, lower, upper = plot.band.data()
    np.testing.assert_allclose((upper - lower) / 2, inspection.calibration.half_width(0.95)[2])
    assert "95% interval" in legend_names(plot) and "80% interval" not in legend_names(plot)
    # The read-out gives the band's bounds at the point under the cursor.
    x, lower, upper = plot.band.data()
    assert plot.readout_at(float(x[3])).endswith(f"95% interval {lower[3]:.4g} to {upper[3]:.4g}")


def test_the_fan_has_its_band_and_a_level_too_high_for_the_validation_part_has_none(qtbot, inspection):
    view = shown(qtbot, ForecastView())
    view.set_inspection(inspection)
    view.mode.setCurrentIndex(view.mode.findData("fan"))
    view.origin.setValue(4)
    origin = int(inspection.fan_origins()[4])
    _, lower, upper = view.plot.band.data()
    _, core_lower, core_upper = inspection.fan_band(origin, 0.8)
    np.testing.assert_allclose(lower, core_lower)
    np.testing.assert_allclose(upper, core_upper)
    assert not view.plot.end_band.is_shown()
    # 36 validation rows hold a band of at most 97.3%: at 99% there is none, and the note says why.
    view.level.combo.setCurrentIndex(view.level.combo.count() - 1)  # "Other..."
    assert view.level.other.isVisibleTo(view)
    view.level.other.setValue(99.0)
    assert view.level.level() == 0.99
    assert not view.plot.band.is_shown() and view.plot.interval_legend() == ""
    assert view.band_note.text() == inspection.calibration.limit_note(0.99)
    assert not any("interval" in name for name in legend_names(view.plot))
    assert view.state()["level"] == 0.99


def test_a_model_without_intervals_shows_no_band_and_says_why(qtbot, inspection):
    view, metrics = shown(qtbot, ForecastView()), shown(qtbot, MetricsView())
    view.set_inspection(inspection)
    assert view.plot.band.is_shown()
    old = without_intervals(inspection)
    view.set_inspection(old)  # the model changed: the last model's band goes
    metrics.set_inspection(old)
    assert not view.plot.band.is_shown() and not view.plot.end_band.is_shown()
    assert view.band_note.text() == NO_INTERVALS and not view.level.isEnabled()
    assert metrics.coverage.text() == NO_INTERVALS


# ---- the Metrics tab

def test_the_metrics_tab_shows_ets_coverage_and_the_verdict_that_names_ets(qtbot, inspection):
    view = shown(qtbot, MetricsView())
    view.set_inspection(inspection)
    words = inspection.evaluation.words()
    headers = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]
    assert headers == ["Model", "Naive (last value)", "Seasonal naive", "ETS"]
    mae = view.table.item(0, 3).text().rstrip(" \u2713")
    assert mae == f"{inspection.evaluation.baselines['ets']['mae']:.4g}"
    assert view.coverage.text().splitlines() == list(words.coverage)
    assert view.coverage.text().startswith("80% interval: ") and " test points inside." in view.coverage.text()
    assert view.ets_note.text() == words.ets and view.ets_note.text().startswith("ETS(")
    steps = [view.steps_table.horizontalHeaderItem(c).text() for c in range(view.steps_table.columnCount())]
    assert steps[-1] == "ETS MASE"
    # The tiny model loses to exponential smoothing, and the verdict says so by name.
    assert "exponential smoothing (ETS)" in view.verdict.text() and view.tone() == "worse"


# ---- the Anomalies tab

def test_the_anomalies_tab_lists_and_marks_the_flagged_rows(qtbot, anomalies):
    assert DEFAULT_LEVEL == DEFAULT_ANOMALY_LEVEL
    view = shown(qtbot, AnomaliesView(), (1000, 800))
    assert view.currentIndex() == 0  # nothing to show yet
    view.show_anomalies(anomalies, "load")
    flagged = anomalies.flagged()
    assert view.table_model.rowCount() == len(flagged) == anomalies.count >= 3
    assert view.note.text() == anomalies.note and view.level.level() == 0.9
    x, y = view.plot.flagged_positions()
    np.testing.assert_allclose(x, time_to_x(flagged["time"].to_numpy())[0])
    np.testing.assert_allclose(y, flagged["actual"])
    assert legend_names(view.plot)[-1] == f"outside it ({len(flagged)})"
    # Highest score first, as the core lists them.
    shown_scores = [float(view.table_model.data(view.table_model.index(r, 5))) for r in range(len(flagged))]
    assert shown_scores == sorted(shown_scores, reverse=True)


def test_a_row_and_its_point_choose_each_other(qtbot, anomalies):
    view = shown(qtbot, AnomaliesView(), (1000, 800))
    view.show_anomalies(anomalies, "load")
    qtbot.wait(20)
    table, plot = view.table, view.plot
    # Clicking the third row rings its point and brings it to the middle of the plot.
    rect = table.visualRect(view.table_model.index(2, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    position = view.table_model.position(2)
    assert view.chosen() == position
    x, y = plot.flagged_positions()
    ring_x, ring_y = plot.chosen_ring.getData()
    assert (ring_x[0], ring_y[0]) == (x[position], y[position])
    (left, right), _ = plot.getPlotItem().vb.viewRange()
    assert left < x[position] < right and right - left < (plot._x_all[-1] - plot._x_all[0]) / 2
    # Clicking another marked point on the plot selects its row.
    other = 0 if position != 0 else 1
    qtbot.wait(20)
    scene = plot.getPlotItem().vb.mapViewToScene(QPointF(x[other], y[other]))
    if not left < x[other] < right:
        plot.choose(other, centre=True)
        qtbot.wait(20)
        scene = plot.getPlotItem().vb.mapViewToScene(QPointF(x[other], y[other]))
    point = plot.mapFromScene(scene)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))
    assert table.selectionModel().currentIndex().row() == view.table_model.row_of(other)
    assert view.chosen() == other


def test_sorting_keeps_the_chosen_row_and_the_export_writes_the_list_as_shown(qtbot, anomalies, tmp_path):
    view = shown(qtbot, AnomaliesView())
    view.show_anomalies(anomalies, "load")
    view.choose(1)
    view.table.sortByColumn(COLUMNS.index("time"), Qt.SortOrder.AscendingOrder)
    times = [view.table_model.data(view.table_model.index(r, 0)) for r in range(view.table_model.rowCount())]
    assert times == sorted(times)
    assert view.table_model.position(view.table.selectionModel().currentIndex().row()) == 1
    path = tmp_path / "anomalies.csv"
    view.ask_path = lambda: str(path)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    written = pd.read_csv(path)
    expected = anomalies.flagged().sort_values("time")
    assert list(written.columns) == list(COLUMNS) and len(written) == anomalies.count
    assert list(written["time"]) == [str(t)[:10] for t in expected["time"]]
    np.testing.assert_allclose(written["score"], expected["score"], rtol=1e-5)
    assert view.status.text() == f"Wrote {anomalies.count:,} anomalies to {path}."
    assert not list(tmp_path.glob(".*tmp*"))  # written atomically: no temp file left
    # A file that cannot be written is refused in words, in the tab.
    view.ask_path = lambda: str(tmp_path / "missing" / "a.csv")
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.status.text().startswith("Could not write") and not view.status.isHidden()


def test_choosing_a_level_asks_for_the_anomalies_again(qtbot, anomalies):
    view = shown(qtbot, AnomaliesView())
    view.show_anomalies(anomalies, "load")
    with qtbot.waitSignal(view.level_changed) as asked:
        view.level.combo.setCurrentIndex(view.level.combo.findData(0.95))
    assert asked.args == [0.95]
    view.clear("Nothing here.")
    assert view.currentIndex() == 0 and view.empty.text() == "Nothing here." and view.table_model.rowCount() == 0


# ---- the Backtest tab

def fold(number, first_test_day, mae, naive, ets, beats=False):
    day = pd.Timestamp("2024-01-01")

    def stamp(offset):
        return (day + pd.Timedelta(days=offset)).isoformat()

    return {"fold": number, "train_rows": [0, first_test_day - 30], "validation_rows": [first_test_day - 30,
                                                                                          first_test_day],
            "test_rows": [first_test_day, first_test_day + 10],
            "train_times": [stamp(0), stamp(first_test_day - 31)],
            "validation_times": [stamp(first_test_day - 30), stamp(first_test_day - 1)],
            "test_times": [stamp(first_test_day), stamp(first_test_day + 9)],
            "scores": {"mae": mae, "mase": mae / 2}, "beats_baselines": beats,
            "baselines": {"naive": {"mae": naive, "mase": naive / 2}, "ets": {"mae": ets, "mase": ets / 2}}}


FAKE = {"folds": [fold(1, 100, 1.0, 2.0, 1.5, beats=True), fold(2, 110, 3.0, 2.0, 2.5)],
        "summary": {"folds": 2, "folds_planned": 3, "stopped": True, "mode": "expanding",
                    "model": {"mae": {"mean": 2.0, "std": 1.4142, "folds": 2}, "mase": {"mean": 1.0, "std": 0.7071}},
                    "baselines": {"naive": {"mae": {"mean": 2.0, "std": 0.0}, "mase": {"mean": 1.0, "std": 0.0}},
                                  "ets": {"mae": {"mean": 2.0, "std": 0.7071}, "mase": {"mean": 1.0, "std": 0.35}}},
                    "folds_beating_baselines": 1, "sentence": "Over 2 folds (expanding window), the model beat "
                    "every baseline in 1."}}


def test_the_backtest_tab_shows_the_folds_their_scores_and_the_mean(qtbot):
    from workbench.core.forecast import backtest

    assert (DEFAULT_FOLDS, MAX_FOLDS, tuple(MODE_WORDS)) == (backtest.DEFAULT_FOLDS, backtest.MAX_FOLDS,
                                                             backtest.MODES)
    view = shown(qtbot, BacktestView(), (1100, 800))
    view.show_result(FAKE)
    table = view.table
    assert table.rowCount() == 3 and table.verticalHeaderItem(2).text() == "Mean \u00b1 spread"
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Test part", "Model", "Naive (last value)", "ETS", "Beats every baseline"]
    assert table.item(0, 0).text() == "2024-04-10 to 2024-04-19"
    assert table.item(0, 1).text() == "1 \u2713" and table.item(1, 2).text() == "2 \u2713"
    # The three means tie (2.0 each), so each is marked best.
    assert table.item(2, 1).text() == "2 \u00b1 1.414 \u2713" and table.item(2, 4).text() == "1 of 2"
    assert view.sentence.text() == FAKE["summary"]["sentence"] + " Stopped: 2 of 3 folds finished."
    np.testing.assert_allclose(view.scores_plot.heights("model"), [1.0, 3.0])
    np.testing.assert_allclose(view.scores_plot.heights("ets"), [1.5, 2.5])
    start, end = view.spans_plot.span(2, "test")
    assert (start, end) == tuple(time_to_x(np.array(["2024-04-20", "2024-04-29"], dtype="datetime64[ns]"))[0])
    view.score_choice.setCurrentIndex(view.score_choice.findData("mase"))
    assert table.item(0, 1).text() == "0.5 \u2713" and view.scores_plot.getPlotItem().getAxis("left").labelText == \
        "MASE"
    view.clear()
    assert view.pages.currentIndex() == 0 and view.result is None


def test_run_and_stop_are_asked_for_and_progress_is_shown(qtbot):
    view = shown(qtbot, BacktestView())
    assert view.folds.value() == 3 and not view.stop_button.isEnabled()
    view.folds.setValue(4)
    view.mode.setCurrentIndex(view.mode.findData("sliding"))
    with qtbot.waitSignal(view.run_requested) as asked:
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert asked.args == [4, "sliding"]
    view.show_progress(1, 4, 0.5)
    assert view.progress.value() == 375 and view.progress.format() == "fold 2 of 4"
    assert view.stop_button.isEnabled() and not view.run_button.isEnabled()
    with qtbot.waitSignal(view.stop_requested):
        qtbot.mouseClick(view.stop_button, Qt.MouseButton.LeftButton)


# ---- the jobs behind the two tabs (workspaces/series_uncertainty.py)

@pytest.fixture
def uncertainty(qtbot, isolated_settings, forecast_run):
    window = QMainWindow()
    qtbot.addWidget(window)
    runner = Runner(window)
    services = Services(runner, MessageBar(window), isolated_settings, window, window.statusBar().showMessage,
                        lambda: None, JobProgress(window), lambda *_: True, window.statusBar().currentMessage)
    config = tiny_config(epochs=1)
    config.data.horizon = 3
    on_screen = {"model": (None, None)}  # what the workspace would answer: its model and that model's series
    tabs = SeriesUncertainty(services, lambda: (forecast_run.series, config), lambda: on_screen["model"], window)
    tabs.on_screen, tabs.runner = on_screen, runner
    for widget, _ in tabs.tabs():
        qtbot.addWidget(widget)
    yield tabs
    runner.cancel_all()
    assert runner.wait_all(20)


def test_the_anomalies_are_found_in_the_background_when_their_tab_shows(qtbot, uncertainty, forecast_run):
    from workbench.core.export.forecaster_bundle import bundle_from_forecast_run

    bundle, view = bundle_from_forecast_run(forecast_run), uncertainty.anomalies_view
    # The workspace says something changed (several times in one turn); the model on screen is looked at once.
    uncertainty.on_screen["model"] = (bundle, forecast_run.series)
    uncertainty.follow()
    uncertainty.follow()
    qtbot.waitUntil(lambda: view.empty.text().startswith("Finding anomalies when this tab is shown"), timeout=2000)
    assert uncertainty.anomalies_job is None  # hidden: nothing computed yet
    view.show()
    qtbot.waitUntil(lambda: view.anomalies is not None, timeout=TIMEOUT_MS)
    expected = detect_anomalies(forecast_run.model, forecast_run.series, forecast_run.setup.plan.lookback,
                                bundle.calibration, 0.99)
    assert view.note.text() == expected.note and view.table_model.rowCount() == expected.count
    view.level.combo.setCurrentIndex(view.level.combo.findData(0.9))
    qtbot.waitUntil(lambda: view.anomalies.level == 0.9, timeout=TIMEOUT_MS)
    assert view.table_model.rowCount() == view.anomalies.count > expected.count
    uncertainty.show_model(dataclasses.replace(bundle, calibration=None), forecast_run.series)
    assert view.currentIndex() == 0 and view.empty.text() == NO_INTERVALS


def test_a_backtest_runs_on_the_runner_and_can_be_stopped(qtbot, uncertainty):
    view = uncertainty.backtest_view
    view.folds.setValue(2)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert uncertainty.backtest_job is not None and view.stop_button.isEnabled()
    qtbot.waitUntil(lambda: view.result is not None, timeout=TIMEOUT_MS)
    summary = view.result["summary"]
    assert summary["folds"] == 2 and not summary["stopped"] and view.table.rowCount() == 3
    assert view.sentence.text() == summary["sentence"] and not view.stop_button.isEnabled()
    assert math.isfinite(float(view.table.item(2, 1).text().split(" \u00b1 ")[0]))
    # Stopped at once: no fold finishes, and the tab says so.
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.result is not None, timeout=TIMEOUT_MS)
    assert view.result["summary"]["stopped"] and view.sentence.text().startswith("No fold finished")


@pytest.mark.parametrize("factor", [1e-310, 1e300])
def test_a_band_at_any_magnitude_draws_without_a_fault(qtbot, inspection, factor, tmp_path):
    from workbench.gui.plots.interval_band import interval_choice

    # Forecasts scaled, the calibration not: bands whose bounds overflow once drawn scaled (1e-310 +- 3 is drawn
    # as 3e310) leave a gap instead of an edge at infinity.
    scaled = dataclasses.replace(inspection, actual=inspection.actual * factor,
                                 forecasts=inspection.forecasts * factor)
    view = shown(qtbot, ForecastView())
    view.set_inspection(scaled)
    view.plot.set_interval(interval_choice(scaled, 0.8))
    view.plot.show_step(1, "all")
    assert not view.grab().isNull()
    log = tmp_path / "logs" / "workbench.log"
    assert not log.exists() or "Contained while drawing" not in log.read_text(encoding="utf-8")


def test_other_data_stops_a_backtest_and_its_result_never_arrives(qtbot, uncertainty):
    view = uncertainty.backtest_view
    view.folds.setValue(2)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    # `ended` comes after the job's last report, so once it is in, a stale result would have been shown.
    with qtbot.waitSignal(uncertainty.backtest_job.ended, timeout=TIMEOUT_MS):
        uncertainty.data_changed()
    assert view.result is None and view.pages.currentIndex() == 0 and view.run_button.isEnabled()


# ---- one model trains at a time: a backtest and any other training keep each other waiting, in words

class FinishedBacktest:
    def to_json(self):
        return FAKE


@pytest.fixture
def waiting_backtest(monkeypatch):
    """The core's backtest replaced by one that trains nothing and runs until it is stopped."""
    def backtest(series, config, folds, mode, callbacks, should_stop, progress):
        while not should_stop():
            time.sleep(0.01)
        return FinishedBacktest()

    monkeypatch.setattr("workbench.core.forecast.backtest.backtest", backtest)


def test_a_backtest_keeps_train_waiting_and_a_training_keeps_run_waiting(qtbot, uncertainty, waiting_backtest):
    view = uncertainty.backtest_view
    assert uncertainty.busy_reason() == "" and view.can_run() == (True, "") and view.blocked.isHidden()
    with qtbot.waitSignal(uncertainty.busy_changed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    # What the workspace shows beside Train while the backtest runs; the tab's own backtest is no reason here.
    assert uncertainty.busy_reason() == BACKTEST_RUNNING and view.blocked.isHidden()
    with qtbot.waitSignal(uncertainty.busy_changed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(view.stop_button, Qt.MouseButton.LeftButton)
    assert uncertainty.busy_reason() == "" and view.run_button.isEnabled() and view.result == FAKE
    # Another training (the Training tab's, a race, a search): Run is off and says why, until it ends.
    release = threading.Event()
    uncertainty.runner.start("training", lambda _context: release.wait(TIMEOUT_MS / 1000))
    assert view.can_run() == (False, TRAINING_RUNNING) and not view.run_button.isEnabled()
    assert view.blocked.text() == view.run_button.toolTip() == TRAINING_RUNNING and not view.blocked.isHidden()
    assert uncertainty.busy_reason() == ""  # not the backtest's: the workspace's own training blocks Train
    release.set()
    qtbot.waitUntil(view.run_button.isEnabled, timeout=TIMEOUT_MS)
    assert view.blocked.isHidden() and view.can_run() == (True, "")


# ---- column titles wrap instead of being cut

def wrapped_lines(metrics, text: str, width: int) -> int:
    """How many lines `text` takes when broken between words at `width` pixels."""
    lines, line = 0, ""
    for word in text.split():
        longer = f"{line} {word}".strip()
        if line and metrics.horizontalAdvance(longer) > width:
            lines, line = lines + 1, word
        else:
            line = longer
    return lines + 1


def titles_readable(table) -> bool:
    """Every word of every column title fits its column, and the header is tall enough for the lines."""
    header = table.horizontalHeader()
    metrics, margin = header.fontMetrics(), header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
    for column in range(table.columnCount()):
        text, width = table.horizontalHeaderItem(column).text(), header.sectionSize(column) - 2 * margin
        if any(metrics.horizontalAdvance(word) > width for word in text.split()):
            return False
        if wrapped_lines(metrics, text, width) * metrics.lineSpacing() > header.height():
            return False
    return True


def rows_shown(table) -> bool:
    last = table.rowCount() - 1
    return table.rowViewportPosition(last) + table.rowHeight(last) <= table.viewport().height()


def test_columns_share_the_width_as_equally_as_their_contents_allow():
    assert share_width([50, 50, 50], 300) == [100, 100, 100]
    assert share_width([200, 40, 40], 400) == [200, 100, 100]  # the wide one keeps its need, the others share
    assert share_width([30, 30, 30], 100) == [33, 33, 34]  # every pixel used
    assert share_width([200, 150], 300) == [200, 150]  # too wide: the needs, and the table scrolls


def test_the_metrics_titles_wrap_in_a_narrow_tab(qtbot, inspection):
    view = shown(qtbot, MetricsView(), (560, 900))
    view.set_inspection(inspection)
    table = view.steps_table
    assert table.horizontalHeaderItem(5).text() == "Seasonal naive MASE"
    # The tables grow with their headers: every row still shows.
    qtbot.waitUntil(lambda: all(titles_readable(t) and rows_shown(t) for t in (table, view.table)), timeout=2000)
    assert table.horizontalHeader().height() >= 2 * table.horizontalHeader().fontMetrics().lineSpacing()
    assert table.rowHeight(0) <= table.fontMetrics().lineSpacing() + 12  # one line of numbers per row
    # Wider, the titles take fewer lines and the header shrinks back.
    tall = table.horizontalHeader().height()
    view.resize(1600, 900)
    qtbot.waitUntil(lambda: table.horizontalHeader().height() < tall and titles_readable(table), timeout=2000)


def test_the_backtest_titles_wrap_and_the_test_part_keeps_its_dates_on_one_line(qtbot):
    view = shown(qtbot, BacktestView(), (520, 800))
    view.show_result(FAKE)
    table = view.table
    dates = table.fontMetrics().horizontalAdvance(table.item(0, 0).text())
    qtbot.waitUntil(lambda: titles_readable(table) and table.columnWidth(0) >= dates, timeout=2000)
    # The tab is narrower than the columns need: they keep their needs, and the table scrolls sideways.
    assert table.horizontalScrollBar().maximum() > 0


# ---- the tabs' choices go into a project and come back

def test_the_anomalies_and_backtest_choices_come_back_from_a_project(qtbot, anomalies):
    view = shown(qtbot, AnomaliesView())
    view.show_anomalies(anomalies, "load")
    view.level.combo.setCurrentIndex(view.level.combo.count() - 1)  # "Other..."
    view.level.other.setValue(97.5)
    view.table.sortByColumn(COLUMNS.index("time"), Qt.SortOrder.AscendingOrder)
    saved = json.loads(json.dumps(view.state()))  # as a project file holds it
    assert saved == {"level": 0.975, "sort": "time", "order": "ascending"}
    again = shown(qtbot, AnomaliesView())
    with qtbot.assertNotEmitted(again.level_changed):  # nothing on screen to find again
        again.restore_state(saved)
    assert again.state() == saved and not again.level.other.isHidden()
    # Anomalies on screen at another level are asked for at the level put back.
    with qtbot.waitSignal(view.level_changed) as asked:
        view.restore_state({"level": 0.99})
    assert asked.args == [0.99]
    for edited in (None, [], {"level": "high", "sort": "nope", "order": 1}, {"level": 2.0}):
        again.restore_state(edited)
        assert again.state() == saved

    backtest = shown(qtbot, BacktestView())
    backtest.folds.setValue(5)
    backtest.mode.setCurrentIndex(backtest.mode.findData("sliding"))
    backtest.score_choice.setCurrentIndex(backtest.score_choice.findData("mase"))
    saved = json.loads(json.dumps(backtest.state()))
    assert saved == {"folds": 5, "mode": "sliding", "score": "mase"}
    other = shown(qtbot, BacktestView())
    other.restore_state(saved)
    assert other.state() == saved
    for edited in (None, {"folds": 0, "mode": "weird"}, {"folds": MAX_FOLDS + 1}, {"folds": True, "score": 3}):
        other.restore_state(edited)
        assert other.state() == saved
