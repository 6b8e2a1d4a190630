"""The series plot: a date axis, split shading at the split times, one sample window, no item churn."""

from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest

from workbench.core.data.config import DataConfig
from workbench.core.data.series import prepare_series
from workbench.core.data.sources import read_table
from workbench.core.data.splits import plan_windows
from workbench.gui.plots.series_plot import SeriesPlot

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def macro():
    table = read_table(SAMPLES / "us_macro_quarterly.csv")
    return prepare_series(table.frame, DataConfig(target="realgdp", inputs=["realcons", "unemp"]))


def _epoch(series, row):
    return series.times[row].astype("datetime64[ns]").astype(np.int64) / 1e9


def test_regions_sit_at_the_split_times(qtbot, macro):
    plot = SeriesPlot()
    qtbot.addWidget(plot)
    plot.set_series(macro)
    assert isinstance(plot.getPlotItem().getAxis("bottom"), pg.DateAxisItem)
    x, y = plot.target_curve.getData()
    assert x[0] == pytest.approx(_epoch(macro, 0)) and y[-1] == macro.values[-1, 0]
    plan = plan_windows(macro.n_rows, 8, 4, 0.15, 0.15)
    plot.set_plan(plan)
    regions = plot.part_regions
    assert regions["train"].getRegion() == pytest.approx((_epoch(macro, 0), _epoch(macro, plan.train_end)))
    assert regions["val"].getRegion() == pytest.approx((_epoch(macro, plan.train_end), _epoch(macro, plan.val_end)))
    assert regions["test"].getRegion() == pytest.approx((_epoch(macro, plan.val_end), _epoch(macro, -1)))
    origin = plan.origins("train")[-1]
    assert plot.lookback_region.getRegion() == pytest.approx((_epoch(macro, origin - 7), _epoch(macro, origin)))
    assert plot.horizon_region.getRegion() == pytest.approx((_epoch(macro, origin), _epoch(macro, origin + 4)))
    assert plot._window_label.toPlainText() == "lookback 8 \u2192 horizon 4"
    # Shown on screen, the three parts and the sample window are drawn in the plot's scene, over the data.
    with qtbot.waitExposed(plot):
        plot.show()
    assert plot.isVisible()
    shown = [*regions.values(), plot.lookback_region, plot.horizon_region]
    assert all(item.isVisible() and item.scene() is plot.scene() for item in shown)
    (left, right), _ = plot.getPlotItem().vb.viewRange()
    assert left <= _epoch(macro, 0) and right >= _epoch(macro, -1)


def test_set_plan_twice_and_clear_add_no_items(qtbot, macro):
    plot = SeriesPlot()
    qtbot.addWidget(plot)
    plot.set_series(macro)
    plot.set_plan(plan_windows(macro.n_rows, 8, 4, 0.15, 0.15))
    count = len(plot.getPlotItem().items)
    plot.set_plan(plan_windows(macro.n_rows, 12, 2, 0.2, 0.1))
    plot.set_series(macro)
    assert len(plot.getPlotItem().items) == count
    assert plot.lookback_region.getRegion()[1] - plot.lookback_region.getRegion()[0] > 0
    plot.clear_plan()
    assert len(plot.getPlotItem().items) == count
    assert plot.plan() is None and not any(r.isVisible() for r in plot.part_regions.values())


def test_row_order_series_uses_row_numbers(qtbot):
    frame = read_table(SAMPLES / "co2_mauna_loa_weekly.csv").frame.drop(columns="date")
    series = prepare_series(frame, DataConfig())
    assert series.time_axis.kind == "index"
    plot = SeriesPlot()
    qtbot.addWidget(plot)
    plot.set_series(series)
    assert not isinstance(plot.getPlotItem().getAxis("bottom"), pg.DateAxisItem)
    x, _ = plot.target_curve.getData()
    assert x[0] == 0 and x[-1] == series.n_rows - 1
    plot.set_plan(plan_windows(series.n_rows, 52, 4, 0.15, 0.15))
    assert plot.part_regions["test"].getRegion()[1] == series.n_rows - 1


def test_fewer_inputs_hide_extra_curves(qtbot, macro):
    plot = SeriesPlot()
    qtbot.addWidget(plot)
    plot.set_series(macro)
    table = read_table(SAMPLES / "us_macro_quarterly.csv")
    plot.set_series(prepare_series(table.frame, DataConfig(target="realgdp")))
    assert [c.isVisible() for c in plot._input_curves] == [False, False]
    assert len(plot.legend.items) == 1


def test_inputs_sit_on_the_right_axis(qtbot, macro):
    plot = SeriesPlot()
    qtbot.addWidget(plot)
    plot.set_series(macro)
    item = plot.getPlotItem()
    assert len(plot._input_curves) == 2
    assert all(c.getViewBox() is plot.input_view for c in plot._input_curves)
    assert all(c not in item.items for c in plot._input_curves)
    assert plot.target_curve.getViewBox() is item.vb
    right = item.getAxis("right")
    assert right.isVisible() and right.linkedView() is plot.input_view
    # realcons (~thousands) and unemp (~5) differ wildly: the inputs are standardised and the axis says so.
    assert plot.inputs_standardised and "standardised" in right.labelText
    unemp = plot._input_curves[1].yData  # the full data; getData() is clipped to the view
    assert abs(np.nanmean(unemp)) < 1e-9 and np.nanstd(unemp) == pytest.approx(1.0)
    assert len(plot.legend.items) == 3
    count, view_count = len(item.items), len(plot.input_view.addedItems)
    plot.set_series(macro)
    assert len(item.items) == count and len(plot.input_view.addedItems) == view_count
    assert len(plot.legend.items) == 3

    table = read_table(SAMPLES / "us_macro_quarterly.csv")
    plot.set_series(prepare_series(table.frame, DataConfig(target="realgdp")))
    assert not right.isVisible()
    assert len(plot.input_view.addedItems) == view_count
