"""The loaded series against real time, with the train/validation/test split and one sample window shaded."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from workbench.core.data.series import SeriesData
from workbench.core.data.splits import WindowPlan
from workbench.gui import theme
from workbench.gui.plots.dense import line_pen
from workbench.gui.plots.magnitude import power_of_ten, scaled, titled
from workbench.gui.plots.time_plot import TimePlot, time_to_x

INPUT_COLORS = ("#8c564b", "#9467bd", "#17becf", "#bcbd22", "#e377c2", "#7f7f7f")


def _scales_differ(values: np.ndarray, ratio: float = 10.0) -> bool:
    """Whether the input columns' spreads differ so much that one axis would flatten some of them."""
    if values.shape[1] < 2:
        return False
    spread = np.nanmax(values, axis=0) - np.nanmin(values, axis=0)
    level = np.nanmax(np.abs(values), axis=0)
    size = np.maximum(spread, 1e-12 * np.maximum(level, 1.0))
    return bool(np.nanmax(size) > ratio * np.nanmin(size))


def _zscores(values: np.ndarray) -> np.ndarray:
    std = np.nanstd(values, axis=0)
    return (values - np.nanmean(values, axis=0)) / np.where(std > 0, std, 1.0)


class SeriesPlot(TimePlot):
    """Target (bold) and inputs (thin) over time; `set_plan` shades the split parts and one sample window.

    Every curve, region and label is made once and then moved or re-filled, so changing the lookback
    or the split shares while the user types costs no item churn.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._x = np.empty(0)
        self._y = np.empty(0)  # the target as drawn: divided by 10**power
        self.power = self.input_power = 0
        self._plan: WindowPlan | None = None
        item = self.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        # Above the data: the split labels sit along the top of the view and the sample-window label at its foot.
        self.legend = self.add_header_legend()
        self.target_curve = self.plot(pen=pg.mkPen(theme.SERIES_COLOR, width=2))
        item.setLabel("left", "target")
        # Inputs live in a second view box on the right axis, so unemp (~5) is readable next to realgdp (~10,000).
        self.input_view = pg.ViewBox(enableMenu=False)
        item.scene().addItem(self.input_view)
        item.getAxis("right").linkToView(self.input_view)
        self.input_view.setXLink(item)
        self.input_view.setZValue(item.vb.zValue() - 1)  # never steals the main view's mouse
        item.vb.sigResized.connect(self._sync_input_view)
        self._input_curves: list[pg.PlotDataItem] = []
        self.inputs_standardised = False
        self.lookback_region = self.make_region(theme.LOOKBACK_FILL, None, z=-5)
        self.horizon_region = self.make_region(theme.HORIZON_FILL, None, z=-4)
        self._window_label = self.make_label(self.lookback_region, "", "#333333", position=0.06)
        # The horizon's target points, so a horizon of a few steps stays visible on a long series.
        self.horizon_points = pg.ScatterPlotItem(size=6, pen=pg.mkPen(None), brush=pg.mkBrush(theme.FORECAST_COLOR))
        self.horizon_points.setZValue(1)
        self.addItem(self.horizon_points)
        self.clear_plan()

    # ---- public

    def set_series(self, series: SeriesData) -> None:
        """Show `series`: column 0 as the bold target, the others as thin inputs; keeps a plan that still fits."""
        x, dates = time_to_x(series.times)
        self._x = x
        self.set_time_axis(dates)
        self.legend.clear()
        # Tiny or huge values are drawn divided by a power of ten that the axis title states (magnitude.py).
        self.power = power_of_ten(series.values[:, 0])
        self._y = scaled(series.values[:, 0], self.power)
        self.target_curve.setPen(line_pen(theme.SERIES_COLOR, 2, len(x)))
        self.target_curve.setData(x, self._y)
        self.legend.addItem(self.target_curve, f"{series.target} (target)")
        self.getPlotItem().setLabel("left", titled(series.target, self.power))
        while len(self._input_curves) < len(series.inputs):
            color = INPUT_COLORS[len(self._input_curves) % len(INPUT_COLORS)]
            curve = pg.PlotDataItem(pen=pg.mkPen(color, width=1))
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.input_view.addItem(curve)
            self._input_curves.append(curve)
        raw = series.values[:, 1:1 + len(series.inputs)].astype(np.float64)
        self.input_power = power_of_ten(raw)
        inputs = scaled(raw, self.input_power)
        self.inputs_standardised = _scales_differ(inputs)
        if self.inputs_standardised:
            # Each column at its own magnitude first: a spread near 1e300 overflows the standard deviation.
            inputs = _zscores(np.column_stack([scaled(column, power_of_ten(column)) for column in raw.T]))
        self._show_input_axis(bool(series.inputs))
        for j, curve in enumerate(self._input_curves):
            if j < len(series.inputs):
                curve.setData(x, inputs[:, j])
                curve.show()
                self.legend.addItem(curve, series.inputs[j])
            else:
                curve.setData([], [])
                curve.hide()
        if self._plan is not None and self._plan.n_rows == len(x):
            self.set_plan(self._plan)
        else:
            self.clear_plan()
        self.getPlotItem().enableAutoRange()
        self.input_view.enableAutoRange(axis=pg.ViewBox.YAxis)

    def set_plan(self, plan: WindowPlan | None) -> None:
        """Shade train/validation/test and the last training window; None (or a plan for other data) clears."""
        if plan is None or plan.n_rows != len(self._x) or plan.n_rows < 2:
            self.clear_plan()
            return
        self._plan = plan
        x = self._x
        self.shade_parts(x, plan)
        origins = plan.origins("train")
        if origins.size == 0:
            for item in (self.lookback_region, self.horizon_region, self.horizon_points):
                item.hide()
            return
        origin = int(origins[-1])
        self.lookback_region.setRegion((x[origin - plan.lookback + 1], x[origin]))
        self.horizon_region.setRegion((x[origin], x[origin + plan.horizon]))
        text = f"lookback {plan.lookback} \u2192 horizon {plan.horizon}"
        self._window_label.setFormat(text)
        self._window_label.setText(text)  # setFormat alone skips a label that is hidden
        ahead = slice(origin + 1, origin + plan.horizon + 1)
        self.horizon_points.setData(x[ahead], self._y[ahead])
        for item in (self.lookback_region, self.horizon_region, self.horizon_points):
            item.show()

    def clear_plan(self) -> None:
        """Hide the split shading and the sample window."""
        self._plan = None
        self.hide_parts()
        for item in (self.lookback_region, self.horizon_region, self.horizon_points):
            item.hide()

    def plan(self) -> WindowPlan | None:
        return self._plan

    # ---- helpers

    def _sync_input_view(self) -> None:
        main = self.getPlotItem().vb
        self.input_view.setGeometry(main.sceneBoundingRect())
        self.input_view.linkedViewChanged(main, self.input_view.XAxis)

    def _show_input_axis(self, show: bool) -> None:
        item = self.getPlotItem()
        if show:
            item.showAxis("right")
            item.setLabel("right", "inputs (standardised)" if self.inputs_standardised
                          else titled("inputs", self.input_power))
        else:
            item.hideAxis("right")
        self.input_view.setVisible(show)
