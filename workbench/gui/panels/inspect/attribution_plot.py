"""A forecast's attribution on its window: each step's (and column's) share as bars, under the window's values."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from workbench.gui.panels.inspect.overlay import InputOverlay
from workbench.gui.panels.inspect.step_axis import StepAxis, step_plot
from workbench.gui.plots.guarded import GuardedPlotWidget

# One colour per input column, the target's first (pyqtgraph's default order would start at red).
COLUMN_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
GROUP_WIDTH = 0.8  # of a step: the bars of one step's columns share it
TIP = ("Bars: each step's share of the forecast (integrated gradients): how much of the difference between the "
       "forecast and the forecast from a flat window at the training means that value accounts for, in the "
       "target's units. Grey: the window's target values, against the right-hand axis.")


class AttributionPlot(GuardedPlotWidget):
    """`set_attribution` draws the shares (time, columns) as grouped bars and the target over them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.axis = StepAxis()
        super().__init__(parent, axisItems={"bottom": self.axis})
        item = self.getPlotItem()
        self.legend = step_plot(item)
        item.addLine(y=0, pen=pg.mkPen((150, 150, 150), width=1))
        self.overlay = InputOverlay(item)
        self.bars: list[pg.BarGraphItem] = []
        self.values = np.zeros((0, 0))
        self.setToolTip(TIP)

    def set_attribution(self, values: np.ndarray, columns: Sequence[str], target_values: np.ndarray,
                        target: str, unit_label: str = "share of the forecast") -> None:
        """Draw `values` (time, columns) and the window's target values (time,) in the data's units."""
        item = self.getPlotItem()
        self.values = np.asarray(values, dtype=np.float64)
        steps, n = self.values.shape
        for bar in self.bars:
            item.removeItem(bar)
        self.legend.clear()
        width = GROUP_WIDTH / max(n, 1)
        self.bars = []
        for k, column in enumerate(columns):
            color = COLUMN_COLORS[k % len(COLUMN_COLORS)]
            # Each step's group is centred on the step's centre; column k sits at its place in the group.
            x = np.arange(steps) + 0.5 - GROUP_WIDTH / 2 + (k + 0.5) * width
            bar = pg.BarGraphItem(x=x, height=self.values[:, k], width=width, brush=color, pen=pg.mkPen(None))
            item.addItem(bar)
            self.legend.addItem(bar, column)
            self.bars.append(bar)
        item.setLabel("left", unit_label)
        self.overlay.set_input(target_values, target)
        item.getViewBox().enableAutoRange(axis=pg.ViewBox.YAxis)

    def clear_attribution(self) -> None:
        for bar in self.bars:
            self.getPlotItem().removeItem(bar)
        self.bars = []
        self.legend.clear()
        self.values = np.zeros((0, 0))
        self.overlay.set_input(None)
