"""No exception escapes a plot's paint or events: tiny, huge and mixed magnitudes draw (divided by a power of ten
the axis title states), degenerate ranges give no ticks instead of errors, and a fault inside a pyqtgraph item's
paint is logged once while the rest is drawn, instead of crashing the process."""

import dataclasses
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from workbench.core.data.config import DataConfig
from workbench.core.data.series import SeriesData, prepare_series
from workbench.core.data.splits import plan_windows
from workbench.core.forecast.inspection import inspect_run
from workbench.gui.panels.residuals_view import ResidualsView
from workbench.gui.plots.forecast_plot import ForecastPlot
from workbench.gui.plots.guarded import SafeAxisItem, SafeDateAxisItem
from workbench.gui.plots.loss_plot import LossPlot
from workbench.gui.plots.magnitude import power_of_ten, scaled, titled
from workbench.gui.plots.series_plot import SeriesPlot

# Hovering shows the plots' tooltips, and offscreen Qt warns that it cannot raise their windows: harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

# name -> what the values are multiplied by; "mixed" alternates the two extremes in one column.
MAGNITUDES = {"subnormal": 1e-310, "tiny": 1e-300, "huge": 1e300, "near the largest float": 1e304, "mixed": None}
POWERS = {"subnormal": -310, "tiny": -300, "huge": 300, "near the largest float": 304, "mixed": 300}


def at(values: np.ndarray, magnitude: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if magnitude == "mixed":
        rows = np.arange(values.shape[0]).reshape(-1, *[1] * (values.ndim - 1)) if values.ndim else 0
        return np.where(rows % 2 == 0, values * 1e-310, values * 1e300)
    # In two steps, as a file would hold them: 1e-310 * 1e-300 would underflow before the values were scaled.
    return values * MAGNITUDES[magnitude]


def contained_faults(tmp_path) -> int:
    log = tmp_path / "logs" / "workbench.log"
    return log.read_text(encoding="utf-8").count("Contained while drawing") if log.exists() else 0


def shake(qtbot, widget) -> None:
    """Show, repaint, grab, resize and hover: every path by which a plot paints or handles an event."""
    widget.resize(700, 420)
    widget.show()
    qtbot.waitExposed(widget)
    for size in ((700, 420), (333, 211), (900, 120), (60, 40), (700, 420)):
        widget.resize(*size)
        widget.repaint()
        assert not widget.grab().isNull()
        QTest.mouseMove(widget, QPoint(size[0] // 2, size[1] // 2))
        qtbot.wait(5)


def series_at(magnitude: str) -> SeriesData:
    """120 days of y (target) and x at `magnitude`: an ordinary series, its values multiplied afterwards."""
    t = np.arange(120)
    frame = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=120, freq="D"), "y": 2 + np.sin(t / 5),
                          "x": 1 + np.cos(t / 7)})
    series = prepare_series(frame, DataConfig(target="y", inputs=["x"]))
    return dataclasses.replace(series, values=at(series.values, magnitude))


@pytest.mark.parametrize("magnitude", MAGNITUDES)
def test_the_series_plot_draws_any_magnitude(qtbot, magnitude, tmp_path):
    plot = SeriesPlot()
    qtbot.addWidget(plot)
    series = series_at(magnitude)
    plot.set_series(series)
    plot.set_plan(plan_windows(series.n_rows, 8, 4, 0.15, 0.15))
    shake(qtbot, plot)
    assert plot.getPlotItem().getAxis("left").labelText == f"y (\u00d71e{POWERS[magnitude]})"
    _, y = plot.target_curve.getData()
    assert np.nanmax(np.abs(y)) < 10
    assert contained_faults(tmp_path) == 0


@pytest.fixture(scope="module")
def inspection(forecast_run):
    return inspect_run(forecast_run)


def inspection_at(inspection, magnitude):
    evaluation = dataclasses.replace(inspection.evaluation, actual=at(inspection.evaluation.actual, magnitude),
                                     forecast=at(inspection.evaluation.forecast, magnitude))
    return dataclasses.replace(inspection, actual=at(inspection.actual, magnitude),
                               forecasts=at(inspection.forecasts, magnitude), evaluation=evaluation)


@pytest.mark.parametrize("magnitude", MAGNITUDES)
def test_the_forecast_plot_draws_any_magnitude(qtbot, inspection, magnitude, tmp_path):
    plot = ForecastPlot()
    qtbot.addWidget(plot)
    shown = inspection_at(inspection, magnitude)
    plot.set_inspection(shown)
    plot.show_step(1, "test")
    shake(qtbot, plot)
    plot.show_fan(int(shown.fan_origins()[0]))
    shake(qtbot, plot)
    assert plot.getPlotItem().getAxis("left").labelText == f"load (\u00d71e{plot.power})"
    assert abs(plot.power - POWERS[magnitude]) <= 4  # the load runs to the hundreds or thousands
    x = float(plot._shown[0][0])
    assert "actual" in plot.readout_at(x)  # the read-out quotes real values; the crosshair is drawn scaled
    assert contained_faults(tmp_path) == 0


@pytest.mark.parametrize("magnitude", MAGNITUDES)
def test_the_residual_plots_draw_any_magnitude(qtbot, inspection, magnitude, tmp_path):
    view = ResidualsView()
    qtbot.addWidget(view)
    view.set_inspection(inspection_at(inspection, magnitude))
    shake(qtbot, view)
    assert contained_faults(tmp_path) == 0


@pytest.mark.parametrize("magnitude", MAGNITUDES)
def test_the_loss_plot_draws_any_magnitude_on_both_scales(qtbot, magnitude, tmp_path):
    plot = LossPlot()
    qtbot.addWidget(plot)
    losses = at(np.array([4.0, 2.0, 1.0, 0.5, 0.6]), magnitude)
    plot.add_epochs([{"epoch": i + 1, "loss": float(v), "val_loss": float(v) * 1.1} for i, v in enumerate(losses)])
    shake(qtbot, plot)
    assert plot.getPlotItem().getAxis("left").labelText.endswith(f"(\u00d71e{POWERS[magnitude]})")
    plot.set_log_scale(True)
    shake(qtbot, plot)
    assert plot.getPlotItem().getAxis("left").labelText == "loss (MSE, scaled units)"
    assert contained_faults(tmp_path) == 0


@pytest.mark.parametrize("low,high", [(-5e-324, 5e-324), (1e-310, 1e-310 + 1e-320), (-1e300, 1.7e308),
                                      (-1.7e308, 1.7e308), (0.0, float("inf")), (float("nan"), 1.0), (3.0, 3.0),
                                      (1e18, 1e300)])
@pytest.mark.parametrize("axis_type", [SafeAxisItem, SafeDateAxisItem])
def test_degenerate_ranges_give_no_ticks_instead_of_an_error(qtbot, axis_type, low, high):
    axis = axis_type(orientation="bottom")
    levels = axis.tickValues(low, high, 300)
    labels = axis.tickStrings([v for _, values in levels for v in values][:5], 1.0, 1.0)
    assert isinstance(levels, list) and all(isinstance(text, str) for text in labels)


def test_magnitudes_are_taken_out_in_powers_of_ten():
    assert power_of_ten(np.array([2e-310, 3e-310])) == -310
    assert power_of_ten(np.array([1e-20, 5e23, np.inf, np.nan])) == 0  # SI prefixes read these well
    assert power_of_ten(np.array([1e-310, 4e300]), np.array([1.0])) == 300
    assert power_of_ten(np.array([np.nan]), np.empty(0)) == 0
    assert scaled(np.array([2e-310, 1.7e308]), -310)[0] == pytest.approx(2.0)
    assert np.array_equal(scaled(np.array([1.5, np.nan]), 0), np.array([1.5, np.nan]), equal_nan=True)
    assert titled("load", 300) == "load (\u00d71e300)" and titled("load", 0) == "load"


def test_a_fault_inside_an_items_paint_is_logged_once_and_the_process_lives(tmp_path):
    # In a separate process: were the fault not contained, PySide would crash the process mid-paint, and with it
    # the test run.
    script = textwrap.dedent("""
        import sys
        import pyqtgraph as pg
        from PySide6.QtWidgets import QApplication

        app = QApplication([])
        from workbench.gui.plots.loss_plot import LossPlot

        escaped = []
        sys.excepthook = lambda *info: escaped.append(info[0].__name__)

        def broken(self, *args):
            raise ZeroDivisionError("float division by zero")

        pg.AxisItem.drawPicture = broken  # inside AxisItem.paint
        pg.graphicsItems.PlotCurveItem.PlotCurveItem.getPath = broken  # inside PlotCurveItem.paint
        plot = LossPlot()
        plot.add_epochs([{"epoch": 1, "loss": 1.0, "val_loss": 1.2}, {"epoch": 2, "loss": 0.5, "val_loss": 0.7}])
        plot.resize(500, 300)
        plot.show()
        for size in range(20):
            app.processEvents()
            plot.resize(500 + size, 300)
            plot.repaint()
            plot.grab()
        print("alive", escaped)
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_LOG_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "alive []" in done.stdout
    log = (tmp_path / "workbench.log").read_text(encoding="utf-8")
    # One entry per fault (each axis class's), not one per repaint.
    assert log.count("Contained while drawing") == 2
    assert "Contained while drawing SafeAxisItem" in log and "Contained while drawing EpochAxis" in log
    assert "ZeroDivisionError: float division by zero" in log
