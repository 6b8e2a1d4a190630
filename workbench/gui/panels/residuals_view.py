"""The Residuals tab: test errors over time, their histogram, and their autocorrelation with the 95% band."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.forecast.diagnostics import ResidualDiagnostics
from workbench.gui import theme
from workbench.gui.panels.forecast_view import NO_MODEL_TEXT, placeholder
from workbench.gui.plots.dense import DENSE_POINTS
from workbench.gui.plots.guarded import GuardedPlotWidget
from workbench.gui.plots.magnitude import power_of_ten, scaled, titled
from workbench.gui.plots.time_plot import TimePlot, time_to_x

if TYPE_CHECKING:
    from workbench.core.forecast.inspection import ForecastInspection

BAR_BRUSH = pg.mkBrush(31, 119, 180, 160)
# At most this many labelled lags: more would overlap on a plot a third of the window wide.
MAX_LAG_LABELS = 15


def lag_ticks(max_lag: int, season: int | None) -> list[int]:
    """Whole-number lags to label: every lag when few, else a spacing that divides the season (so the season and
    twice the season get a label) or, without one, a round spacing."""
    if season and season >= 2:
        spacings = [d for d in range(1, season + 1) if season % d == 0]
    else:
        spacings = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
    spacing = next((d for d in spacings if max_lag / d <= MAX_LAG_LABELS), spacings[-1])
    return list(range(spacing, max_lag + 1, spacing))


def small_plot(title: str, x_label: str, y_label: str) -> GuardedPlotWidget:
    plot = GuardedPlotWidget()
    item = plot.getPlotItem()
    item.setTitle(title, size="10pt")
    item.setLabel("bottom", x_label)
    item.setLabel("left", y_label)
    item.showGrid(x=False, y=True, alpha=0.15)
    item.setMenuEnabled(False)
    item.getAxis("left").enableAutoSIPrefix(False)  # "correlation (x0.001)" reads worse than 0.1
    return plot


class ResidualsView(QStackedWidget):
    """A placeholder until `set_inspection`; then the three diagnostics for the chosen step ahead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._inspection: ForecastInspection | None = None
        self.diagnostics: ResidualDiagnostics | None = None
        self.lag_ticks: list[int] = []  # the labelled lags of the autocorrelation plot
        self.addWidget(placeholder(NO_MODEL_TEXT))

        self.step = QSpinBox()
        self.step.setPrefix("t+")
        self.step.setToolTip("The residuals of the forecasts made this many rows ahead, on the test part.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Step ahead"))
        controls.addWidget(self.step)
        controls.addWidget(self.summary, 1)

        self.time_plot = TimePlot()
        self.time_plot.getPlotItem().setTitle("Residual (actual - forecast) over the test part", size="10pt")
        self.time_curve = self.time_plot.plot(pen=pg.mkPen(theme.TRAIN_COLOR, width=1), symbol="o", symbolSize=3,
                                              symbolBrush=theme.TRAIN_COLOR, symbolPen=None)
        self.time_plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen("#555555", width=1)))
        # A long test part has more residuals than the plot has pixels: draw what the screen can show.
        self.time_plot.getPlotItem().setDownsampling(auto=True, mode="peak")
        self.time_plot.getPlotItem().setClipToView(True)
        self.histogram = small_plot("Histogram", "residual", "count")
        self.histogram_bars = pg.BarGraphItem(x0=[], x1=[], height=[], brush=BAR_BRUSH, pen=pg.mkPen("w"))
        self.histogram.addItem(self.histogram_bars)
        self.acf_plot = small_plot("Autocorrelation", "lag", "correlation")
        self.acf_bars = pg.BarGraphItem(x=[], height=[], width=0.4, brush=BAR_BRUSH, pen=pg.mkPen(None))
        self.acf_plot.addItem(self.acf_bars)
        band_pen = pg.mkPen(theme.FORECAST_COLOR, width=1, style=Qt.PenStyle.DashLine)
        self.band_lines = [pg.InfiniteLine(angle=0, pen=band_pen) for _ in range(2)]
        for line in self.band_lines:
            self.acf_plot.addItem(line)
        self.acf_plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen("#555555", width=1)))

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.histogram)
        bottom.addWidget(self.acf_plot)
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.time_plot)
        plots.addWidget(bottom)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(plots, 1)
        self.addWidget(page)
        self.step.valueChanged.connect(self._redraw)

    def set_inspection(self, inspection: ForecastInspection | None) -> None:
        self._inspection = inspection
        if inspection is None:
            self.setCurrentIndex(0)
            return
        self.step.blockSignals(True)
        self.step.setRange(1, inspection.horizon)
        self.step.blockSignals(False)
        self.step.setEnabled(inspection.horizon > 1)
        x, dates = time_to_x(inspection.times)
        self.time_plot.set_time_axis(dates)
        self.setCurrentIndex(1)
        self._redraw()

    def summary_text(self) -> str:
        return self.summary.text()

    def _redraw(self) -> None:
        inspection = self._inspection
        if inspection is None:
            return
        view = inspection.step(self.step.value(), "test")
        x, _ = time_to_x(view.times)
        # Residuals of tiny or huge values are drawn divided by a power of ten that the titles state.
        power = power_of_ten(view.error)
        # Dots for each residual when they can be told apart; beyond that they are one smear that took seconds to
        # place (150,000 of them: 2.7 s), so the line alone.
        self.time_curve.setSymbol("o" if len(x) <= DENSE_POINTS else None)
        self.time_curve.setData(x, scaled(view.error, power))
        # The time plot's title names the values; its axis gets a title only to state a power of ten.
        self.time_plot.getPlotItem().getAxis("left").setLabel(titled("residual", power) if power else None)
        self.histogram.getPlotItem().setLabel("bottom", titled("residual", power))
        try:
            diagnostics = inspection.residuals(self.step.value())
        except WorkbenchError as error:
            self.diagnostics = None
            self.summary.setText(f"{error.message} {error.hint}".strip())
            self.histogram_bars.setOpts(x0=[], x1=[], height=[])
            self.acf_bars.setOpts(x=[], height=[])
            self.lag_ticks = []
            return
        self.diagnostics = diagnostics
        self.summary.setText(diagnostics.summary)
        edges = diagnostics.bin_edges
        edges = scaled(edges, power)
        self.histogram_bars.setOpts(x0=edges[:-1], x1=edges[1:], height=diagnostics.counts)
        self.acf_bars.setOpts(x=diagnostics.lags, height=diagnostics.acf)
        max_lag = int(diagnostics.lags[-1])
        self.lag_ticks = lag_ticks(max_lag, inspection.season)
        self.acf_plot.getAxis("bottom").setTicks([[(lag, str(lag)) for lag in self.lag_ticks]])
        self.acf_plot.setXRange(0.5, max_lag + 0.5, padding=0.02)
        self.band_lines[0].setValue(diagnostics.band)
        self.band_lines[1].setValue(-diagnostics.band)
        # Tall enough for the band and every bar, so bars inside the band read as small.
        reach = max(2 * diagnostics.band, float(np.max(np.abs(diagnostics.acf))) if diagnostics.acf.size else 0.0)
        self.acf_plot.setYRange(-reach, reach, padding=0.08)
        for plot in (self.time_plot, self.histogram):
            plot.getPlotItem().enableAutoRange()
