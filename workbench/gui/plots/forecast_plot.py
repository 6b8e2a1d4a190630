"""Forecast against actual over the series' time, with the parts shaded, the forecast past the end, the prediction
interval shaded around the forecasts, and a crosshair that reads out time, actual, forecast and error under the
cursor."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QWidget

from workbench.gui import theme
from workbench.gui.plot_export import mark_transient
from workbench.gui.plots.dense import line_pen
from workbench.gui.plots.interval_band import IntervalBand, IntervalChoice
from workbench.gui.plots.magnitude import power_of_ten, scaled, titled
from workbench.gui.plots.time_plot import TimePlot, time_to_x

if TYPE_CHECKING:
    from workbench.core.forecast.inspection import ForecastInspection

FAN_COLOR = "#9467bd"
FORECAST_RGB = (214, 39, 40)  # theme.FORECAST_COLOR, for the light band around the forecasts
FAN_RGB = (148, 103, 189)  # FAN_COLOR


def format_time(value: np.generic, dates: bool) -> str:
    """A readable time stamp: the date alone at midnight, else date and time; row numbers as integers."""
    if not dates:
        return f"row {int(value)}"
    stamp = np.datetime64(value, "s")
    text = np.datetime_as_string(stamp, unit="s").replace("T", " ")
    return text[:10] if text.endswith("00:00:00") else text


def format_value(value: float) -> str:
    return "-" if not np.isfinite(value) else f"{value:.4g}"


class ForecastPlot(TimePlot):
    """Draws what a ForecastView chooses: one step ahead over a part, or the fan of all steps from one origin."""

    hovered = Signal(str)  # the crosshair read-out, "" when the cursor leaves the data

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = self.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        # Above the data, so it never covers the validation and test labels or the forecasts.
        self.legend = self.add_header_legend()
        self.actual_curve = self.plot(pen=pg.mkPen(theme.SERIES_COLOR, width=1.5))
        self.forecast_curve = self.plot(pen=pg.mkPen(theme.FORECAST_COLOR, width=1.5))
        self.future_curve = self.plot(pen=pg.mkPen(theme.FORECAST_COLOR, width=2, style=Qt.PenStyle.DashLine),
                                      symbol="o", symbolSize=4, symbolBrush=theme.FORECAST_COLOR, symbolPen=None)
        self.fan_curve = self.plot(pen=pg.mkPen(FAN_COLOR, width=2), symbol="o", symbolSize=6,
                                   symbolBrush=FAN_COLOR, symbolPen=None)
        # The interval around the step-k forecasts (or the fan), and around the forecast past the end.
        self.band = IntervalBand(self, FORECAST_RGB)
        self.end_band = IntervalBand(self, FORECAST_RGB)
        self._interval: IntervalChoice | None = None
        self.end_line = pg.InfiniteLine(angle=90, movable=False,
                                        pen=pg.mkPen("#777777", width=1, style=Qt.PenStyle.DotLine),
                                        label="end of data", labelOpts={"position": 0.08, "color": "#555555"})
        self.addItem(self.end_line, ignoreBounds=True)
        self.cursor_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#555555", width=1))
        self.cursor_dot = pg.ScatterPlotItem(size=9, pen=pg.mkPen("w", width=1), brush=pg.mkBrush(theme.FORECAST_COLOR))
        for marker in (self.cursor_line, self.cursor_dot):
            marker.setZValue(20)
            self.addItem(marker, ignoreBounds=True)
            marker.hide()
            mark_transient(marker)
        self._x_all = np.empty(0)
        self.power = 0  # values are drawn divided by 10**power
        # (x, actual, forecast, label) of what is drawn now, for the read-out, and the band's (lower, upper).
        self._shown: tuple[np.ndarray, np.ndarray, np.ndarray, list[str]] | None = None
        self._shown_band: tuple[np.ndarray, np.ndarray] | None = None
        self._inspection: ForecastInspection | None = None
        # Mouse moves come in faster than a read-out is useful; 30 per second keeps the GUI thread idle.
        self._mouse_proxy = pg.SignalProxy(self.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved)

    # ---- public

    def set_inspection(self, inspection: ForecastInspection) -> None:
        """New model or data: draw the actual series, the split and the forecast past the end. The last model's
        band goes until `set_interval` gives this one's."""
        self._inspection = inspection
        self._interval = None
        x, dates = time_to_x(inspection.times)
        self.set_time_axis(dates)
        self._x_all = x
        # Tiny or huge values are drawn divided by a power of ten that the axis title states (magnitude.py);
        # the read-out quotes the real values.
        self.power = power_of_ten(inspection.actual, inspection.future)
        self.actual_curve.setPen(line_pen(theme.SERIES_COLOR, 1.5, len(x)))
        self.actual_curve.setData(x, self._drawn(inspection.actual))
        self.shade_parts(x, inspection.plan)
        self.end_line.setValue(x[-1])
        future_x, _ = time_to_x(inspection.future_times)
        self.future_curve.setData(np.append(x[-1], future_x),
                                  self._drawn(np.append(inspection.actual[-1], inspection.future)))
        self.getPlotItem().setLabel("left", titled(inspection.target, self.power))

    def set_interval(self, choice: IntervalChoice | None) -> None:
        """The band drawn from the next `show_step` or `show_fan` on (None: no band)."""
        self._interval = choice

    def interval_legend(self) -> str:
        """The band's name in the legend now ("" when no band is drawn)."""
        return self._interval.legend if self.band.is_shown() else ""

    def show_step(self, step: int, part: str) -> None:
        """Forecasts made `step` rows ahead, over the test part or the whole series."""
        view = self._inspection.step(step, part)
        x, _ = time_to_x(view.times)
        self.forecast_curve.setPen(line_pen(theme.FORECAST_COLOR, 1.5, len(x)))
        self.forecast_curve.setData(x, self._drawn(view.forecast))
        self.forecast_curve.show()
        self.fan_curve.hide()
        self.future_curve.show()
        bounds = None
        width = self._width()
        if width is not None:
            bounds = (view.forecast - width[step - 1], view.forecast + width[step - 1])
            self._draw_band(self.band, x, *bounds, FORECAST_RGB)
            # Past the end: the band around the forecast from the last row, widening from the last actual value.
            times, lower, upper = self._inspection.fan_band(len(self._inspection.actual) - 1, self._interval.level)
            self._draw_band(self.end_band, time_to_x(times)[0], lower, upper, FORECAST_RGB)
        else:
            self._hide_bands()
        self._set_legend((self.forecast_curve, f"forecast t+{step}"), (self.future_curve, "forecast past the end"))
        labels = [f"t+{step}"] * len(x)
        self._shown, self._shown_band = (x, view.actual, view.forecast, labels), bounds
        self._zoom(part)

    def show_fan(self, origin: int) -> None:
        """All H forecasts made at row `origin`, joined to the actual value there."""
        times, values = self._inspection.fan(origin)
        x, _ = time_to_x(times)
        self.fan_curve.setData(x, self._drawn(values))
        self.fan_curve.show()
        self.forecast_curve.hide()
        self.future_curve.hide()
        self._hide_bands()
        bounds = None
        if self._width() is not None:
            _, lower, upper = self._inspection.fan_band(origin, self._interval.level)
            self._draw_band(self.band, x, lower, upper, FAN_RGB)
            bounds = (lower[1:], upper[1:])
        self._set_legend((self.fan_curve, "all steps from this origin"))
        n = len(self._inspection.actual)
        rows = origin + np.arange(1, len(values))
        actual = np.array([self._inspection.actual[r] if r < n else np.nan for r in rows])
        self._shown = (x[1:], actual, values[1:], [f"t+{k}" for k in range(1, len(values))])
        self._shown_band = bounds
        lookback = self._inspection.plan.lookback
        start = self._x_all[max(0, origin - lookback + 1)]
        self.setXRange(start, x[-1], padding=0.05)

    def readout_at(self, x: float) -> str:
        """The read-out for the drawn point nearest to `x`: time, step, actual, forecast and error."""
        if self._shown is None or len(self._shown[0]) == 0:
            return ""
        xs, actual, forecast, labels = self._shown
        i = int(np.clip(np.searchsorted(xs, x), 1, len(xs) - 1)) if len(xs) > 1 else 0
        if len(xs) > 1 and abs(xs[i - 1] - x) <= abs(xs[i] - x):
            i -= 1
        when = format_time(self._time_at(xs[i]), self._dates)
        error = actual[i] - forecast[i]
        self._place_cursor(xs[i], forecast[i])
        text = (f"{when}   actual {format_value(actual[i])}   forecast ({labels[i]}) {format_value(forecast[i])}   "
                f"error {format_value(error)}")
        if self._shown_band is not None:
            lower, upper = self._shown_band
            text += f"   {self._interval.legend} {format_value(lower[i])} to {format_value(upper[i])}"
        return text

    # ---- helpers

    def _drawn(self, values: np.ndarray) -> np.ndarray:
        return scaled(values, self.power)

    def _width(self) -> np.ndarray | None:
        """The band's half-width per step, when one is to be drawn."""
        return self._interval.half_width if self._interval is not None else None

    def _draw_band(self, band: IntervalBand, x: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                   rgb: tuple[int, int, int]) -> None:
        band.set_color(rgb)
        band.set_data(x, self._drawn(lower), self._drawn(upper))

    def _hide_bands(self) -> None:
        self.band.hide()
        self.end_band.hide()

    def _set_legend(self, *entries: tuple[pg.PlotDataItem, str]) -> None:
        # Only what is drawn: a hidden curve in the legend would show pyqtgraph's "hidden" icon.
        self.legend.clear()
        self.legend.addItem(self.actual_curve, "actual")
        for curve, name in entries:
            self.legend.addItem(curve, name)
        if self.band.is_shown():
            self.legend.addItem(self.band.sample, self._interval.legend)

    def _time_at(self, x: float) -> np.generic:
        if not self._dates:
            return np.float64(x)
        return np.datetime64(int(round(x * 1e9)), "ns")

    def _zoom(self, part: str) -> None:
        x, plan = self._x_all, self._inspection.plan
        future_end = time_to_x(self._inspection.future_times)[0][-1]
        if part == "test":
            # A lookback of context before the test part, so the first forecasts are read against their input.
            start = x[max(0, plan.val_end - plan.lookback)]
            self.setXRange(start, future_end, padding=0.02)
        else:
            self.setXRange(x[0], future_end, padding=0.02)
        self.getPlotItem().enableAutoRange(axis=pg.ViewBox.YAxis)
        self.getPlotItem().setAutoVisible(y=True)

    def _place_cursor(self, x: float, y: float) -> None:
        self.cursor_line.setValue(x)
        y = float(self._drawn(np.array([y]))[0])
        self.cursor_dot.setData([x], [y] if np.isfinite(y) else [])
        self.cursor_line.show()
        self.cursor_dot.show()

    def clear_hover(self) -> None:
        """Hide the crosshair and empty the read-out."""
        self.cursor_line.hide()
        self.cursor_dot.hide()
        self.hovered.emit("")

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        # The scene stops reporting moves when the mouse leaves the widget, so the crosshair would stay.
        self.clear_hover()
        super().leaveEvent(event)

    def _on_mouse_moved(self, event: tuple) -> None:
        position = event[0]
        view = self.getPlotItem().vb
        if not view.sceneBoundingRect().contains(position):
            self.clear_hover()
            return
        self.hovered.emit(self.readout_at(view.mapSceneToView(position).x()))
