"""What the plots show and export: legends clear of the data, axis names, the best-epoch label, hover marks."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QEnterEvent, QImage

from tests.conftest import tiny_config
from tests.gui.conftest import open_data, set_form, train
from workbench.gui.plot_export import export_plot
from workbench.gui.plots.loss_plot import LossPlot


@pytest.fixture
def trained(make_main_window, qtbot, tmp_path, seasonal_frame):
    """A series workspace after a tiny run on 240 daily rows, with its Forecast tab on screen."""
    path = tmp_path / "load.csv"
    seasonal_frame.to_csv(path, index=False)
    window = make_main_window()
    series = open_data(qtbot, window, path)
    config = tiny_config(epochs=2)
    config.data.horizon = 3
    set_form(series, config)
    assert train(qtbot, series) == "finished"
    series.right_tabs.setCurrentWidget(series.forecast_view)
    return series


def test_the_legends_sit_above_the_data_and_the_part_labels(trained):
    for plot in (trained.series_view.plot, trained.forecast_view.plot):
        view = plot.getPlotItem().vb.sceneBoundingRect()
        legend = plot.legend.sceneBoundingRect()
        assert legend.height() > 0 and legend.bottom() <= view.top() + 1, type(plot).__name__


def test_the_value_axis_is_named_after_the_target_column(trained):
    for plot in (trained.series_view.plot, trained.forecast_view.plot):
        assert plot.getPlotItem().getAxis("left").labelText == "load"


def test_the_crosshair_goes_when_the_mouse_leaves_and_never_reaches_an_export(trained, qtbot, tmp_path):
    plot = trained.forecast_view.plot
    qtbot.waitUntil(lambda: plot.isVisible(), timeout=3000)
    readouts = []
    plot.hovered.connect(readouts.append)
    x = float(plot._shown[0][5])
    assert plot.readout_at(x) and plot.cursor_line.isVisible()
    clean = tmp_path / "clean.png"
    export_plot(plot, clean)
    assert plot.cursor_line.isVisible()  # the export hid it only while drawing
    plot.clear_hover()
    without = tmp_path / "without.png"
    export_plot(plot, without)
    assert QImage(str(clean)) == QImage(str(without))
    plot.readout_at(x)
    enter = QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5))
    plot.enterEvent(enter)
    plot.leaveEvent(QEvent(QEvent.Type.Leave))
    assert not plot.cursor_line.isVisible() and not plot.cursor_dot.isVisible()
    assert readouts[-1] == ""


def test_a_png_export_is_the_plot_as_seen_at_twice_the_size(trained, qtbot, tmp_path):
    plot = trained.forecast_view.plot
    qtbot.waitUntil(lambda: plot.isVisible(), timeout=3000)
    path = tmp_path / "forecast.png"
    export_plot(plot, path)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (2 * plot.width(), 2 * plot.height())
    # Halved, it matches what is on screen: the legend and labels grew with the picture, not only the view.
    halved = image.scaled(plot.width(), plot.height()).convertToFormat(QImage.Format.Format_RGB32)
    seen = plot.grab().toImage().scaled(plot.width(), plot.height()).convertToFormat(QImage.Format.Format_RGB32)
    a = np.frombuffer(halved.constBits(), np.uint8).astype(int)
    b = np.frombuffer(seen.constBits(), np.uint8).astype(int)
    assert np.abs(a - b).mean() < 6


@pytest.mark.parametrize("epochs", [1, 2, 30])
@pytest.mark.parametrize("best", ["first", "last"])
def test_the_best_epoch_label_stays_inside_the_plot(qtbot, epochs, best):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(600, 300)
    plot.show()
    best_epoch = 1 if best == "first" else epochs
    logs = [{"epoch": e, "loss": 1.0 / e, "val_loss": 1.0 / e, "best_epoch": best_epoch,
             "best_val_loss": 1.0 / best_epoch} for e in range(1, epochs + 1)]
    plot.add_epochs(logs)
    qtbot.wait(50)
    view = plot.getPlotItem().vb.sceneBoundingRect()
    label = plot.best_line.label.sceneBoundingRect()
    assert view.left() - 1 <= label.left() and label.right() <= view.right() + 1, (label, view)
