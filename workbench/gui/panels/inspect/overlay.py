"""The sample's input drawn behind a plot's own curves, against an axis of its own on the right.

A unit's gates (0..1) and an attribution's shares (the forecast's units) have scales of their own; the window's
values (the data's units) get the right-hand axis, so both read true without one squashing the other.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

INPUT_PEN = pg.mkPen((120, 120, 120), width=1.5)
DENSE_PEN = pg.mkPen((120, 120, 120), width=1)
DENSE_STEPS = 200  # as unit_plot.DENSE_STEPS: above it, 1 px and no antialiasing (far quicker to draw)


class InputOverlay:
    """A grey curve of the input on a second view box that follows the plot's x range."""

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self._plot_item = plot_item
        self.view = pg.ViewBox()
        self.view.setMouseEnabled(x=False, y=False)
        plot_item.scene().addItem(self.view)
        axis = plot_item.getAxis("right")
        axis.linkToView(self.view)
        axis.setTextPen(pg.mkPen((110, 110, 110)))
        axis.enableAutoSIPrefix(False)
        self.view.setXLink(plot_item)
        self.view.setZValue(-100)  # behind the plot's own curves
        self.curve = pg.PlotDataItem(pen=INPUT_PEN)
        self.view.addItem(self.curve)
        plot_item.getViewBox().sigResized.connect(self._follow)
        self._follow()

    def set_input(self, values: np.ndarray | None, name: str = "") -> None:
        """Draw `values` (time,) at the step centres, labelled `name` on the right axis; None hides the axis."""
        item = self._plot_item
        if values is None:
            self.curve.setData([], [])
            item.hideAxis("right")
            return
        values = np.asarray(values, dtype=np.float64)
        dense = len(values) > DENSE_STEPS
        self.curve.setData(np.arange(len(values)) + 0.5, values, pen=DENSE_PEN if dense else INPUT_PEN,
                           antialias=not dense)
        item.showAxis("right")
        item.setLabel("right", name, color="#6e6e6e")
        self.view.enableAutoRange(axis=pg.ViewBox.YAxis)

    def _follow(self) -> None:
        self.view.setGeometry(self._plot_item.getViewBox().sceneBoundingRect())
