"""The series with its one-step-ahead interval shaded and the values outside it marked; a click on a marked point
names it, and one of them can be marked as chosen (the list beside the plot chooses it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from workbench.core.forecast.intervals import percent
from workbench.gui import theme
from workbench.gui.plots.dense import line_pen
from workbench.gui.plots.interval_band import IntervalBand
from workbench.gui.plots.magnitude import power_of_ten, scaled, titled
from workbench.gui.plots.time_plot import TimePlot, time_to_x

if TYPE_CHECKING:
    import pandas as pd

    from workbench.core.forecast.anomalies import Anomalies

ANOMALY_COLOR = "#d62728"
BAND_RGB = (120, 120, 120)  # grey: here the band is the yardstick, not a forecast to read
# When a chosen point is centred, the view spans at most this share of the series, so the point stands out.
ZOOM_SHARE = 0.2


class Ring(pg.ScatterPlotItem):
    """The mark around the chosen point; a click on it goes through to the point beneath."""

    def mouseClickEvent(self, ev: object) -> None:  # noqa: N802 - pyqtgraph override
        ev.ignore()


class AnomalyPlot(TimePlot):
    """Draws `Anomalies`: the actual values, the band, and the flagged points (numbered as in `flagged`)."""

    point_clicked = Signal(int)  # the position of the clicked point in the flagged rows

    def __init__(self, parent: QWidget | None = None, target: str = "value") -> None:
        super().__init__(parent)
        item = self.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        self.legend = self.add_header_legend()
        self.band = IntervalBand(self, BAND_RGB)
        self.actual_curve = self.plot(pen=pg.mkPen(theme.SERIES_COLOR, width=1.2))
        self.points = pg.ScatterPlotItem(size=9, pen=pg.mkPen("w", width=1), brush=pg.mkBrush(ANOMALY_COLOR),
                                         hoverable=True, hoverSize=12, tip=None)
        self.points.setZValue(10)
        self.addItem(self.points)
        # The chosen point: a dark ring around it, drawn over everything.
        self.chosen_ring = Ring(size=20, pen=pg.mkPen("#111111", width=2.5), brush=None)
        self.chosen_ring.setZValue(15)
        self.addItem(self.chosen_ring, ignoreBounds=True)
        self.points.sigClicked.connect(self._on_points_clicked)
        self.power = 0
        self.chosen: int | None = None
        self._flagged_x = np.empty(0)
        self._flagged_y = np.empty(0)
        self._x_all = np.empty(0)
        self._target = target

    def show_anomalies(self, anomalies: Anomalies, flagged: pd.DataFrame, target: str | None = None) -> None:
        """Draw every forecast row of `anomalies`, with `flagged` (its flagged rows, in the order the list numbers
        them) marked."""
        frame = anomalies.frame
        x, dates = time_to_x(frame["time"].to_numpy())
        self.set_time_axis(dates)
        actual = frame["actual"].to_numpy(dtype=float)
        # Tiny or huge values are drawn divided by a power of ten that the axis title states (magnitude.py).
        self.power = power_of_ten(actual)
        self._x_all = x
        self.actual_curve.setPen(line_pen(theme.SERIES_COLOR, 1.2, len(x)))
        self.actual_curve.setData(x, scaled(actual, self.power))
        self.band.set_data(x, scaled(frame["lower"].to_numpy(dtype=float), self.power),
                           scaled(frame["upper"].to_numpy(dtype=float), self.power))
        self._flagged_x = time_to_x(flagged["time"].to_numpy())[0]
        self._flagged_y = scaled(flagged["actual"].to_numpy(dtype=float), self.power)
        self.points.setData(self._flagged_x, self._flagged_y, data=np.arange(len(flagged)))
        self.choose(None)
        self.legend.clear()
        self.legend.addItem(self.actual_curve, "actual")
        self.legend.addItem(self.band.sample, f"{percent(anomalies.used_level)} one-step interval")
        self.legend.addItem(self.points, f"outside it ({len(flagged):,})")
        if target is not None:
            self._target = target
        self.getPlotItem().setLabel("left", titled(self._target, self.power))
        self.getPlotItem().enableAutoRange()

    def clear_anomalies(self) -> None:
        self.actual_curve.setData([], [])
        self.band.hide()
        self.points.setData([], [])
        self.choose(None)
        self.legend.clear()
        self._flagged_x = self._flagged_y = self._x_all = np.empty(0)

    def choose(self, position: int | None, centre: bool = False) -> None:
        """Ring the flagged point at `position` (None: none) and, with `centre`, bring it to the middle of the view."""
        self.chosen = position
        if position is None or not 0 <= position < len(self._flagged_x):
            self.chosen = None
            self.chosen_ring.setData([], [])
            return
        x, y = self._flagged_x[position], self._flagged_y[position]
        self.chosen_ring.setData([x], [y] if np.isfinite(y) else [])
        if centre:
            self._centre_on(x)

    def flagged_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of the marked points as drawn, in the list's numbering."""
        return self._flagged_x, self._flagged_y

    def _centre_on(self, x: float) -> None:
        first, last = (self._x_all[0], self._x_all[-1]) if len(self._x_all) else (x, x)
        whole = max(last - first, 1.0)
        (left, right), _ = self.getPlotItem().vb.viewRange()
        span = ZOOM_SHARE * whole
        # The user's own closer zoom is kept; a view not yet laid out (0..1) or wider than that is not.
        if first - whole <= left and right <= last + whole and whole / 1000 < right - left < span:
            span = right - left
        self.setXRange(x - span / 2, x + span / 2, padding=0)
        self.getPlotItem().enableAutoRange(axis=pg.ViewBox.YAxis)
        self.getPlotItem().setAutoVisible(y=True)

    def _on_points_clicked(self, _item: pg.ScatterPlotItem, points: list, _event: object = None) -> None:
        if len(points):
            self.point_clicked.emit(int(points[0].data()))
