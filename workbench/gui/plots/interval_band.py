"""The shaded prediction interval of a forecast plot: what is drawn and what is said about it come from one function
(`interval_choice`), so the band, its legend entry and the sentence under the plot can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg

from workbench.core.forecast.intervals import coverage, coverage_sentence, percent
from workbench.gui.plots.dense import DENSE_POINTS, line_pen

if TYPE_CHECKING:
    from workbench.core.forecast.inspection import ForecastInspection

# Light enough that the forecast and the actual values read clearly through the band.
FILL_ALPHA, EDGE_ALPHA = 45, 110


@dataclass(frozen=True)
class IntervalChoice:
    """The band at one level for one model: its half-width per step, its legend name and its sentence."""

    level: float
    half_width: np.ndarray | None  # (H,) the band's half-width at each step ahead; None: no band is drawn
    legend: str  # "80% interval"; "" when there is no band
    note: str  # what the band is and how often it held on the test part, or why there is none


def interval_choice(inspection: ForecastInspection, level: float) -> IntervalChoice:
    """The band of `inspection`'s model at `level`, with its words: none for a model saved before intervals were
    stored, nor for a level the validation part is too short for (each says so)."""
    calibration = inspection.calibration
    if calibration is None:
        return IntervalChoice(level, None, "", inspection.intervals_note)
    limit = calibration.limit_note(level)
    if limit:
        return IntervalChoice(level, None, "", limit)
    width = calibration.half_width(level)
    # The same count the Metrics tab gives for the stored levels (core/forecast/evaluation.py `score`).
    share, points = coverage(inspection.evaluation.actual, inspection.evaluation.forecast, width)
    note = (f"Shaded: the {percent(level)} prediction interval, calibrated on the {calibration.count:,} validation "
            f"forecasts of each step. {coverage_sentence(level, share, points)}")
    return IntervalChoice(level, width, f"{percent(level)} interval", note)


BAND_BINS = 4_000  # a dense band is drawn as this many bins: about two per pixel column on a wide screen


def envelope(x: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A band of more than DENSE_POINTS points as BAND_BINS bins, each from its lowest lower to its highest upper
    bound: the same picture, where filling between 1,000,000 points took seconds of the window's time."""
    if len(x) <= DENSE_POINTS:
        return x, lower, upper
    edges = np.linspace(0, len(x), BAND_BINS + 1).astype(np.int64)[:-1]
    with np.errstate(invalid="ignore"):
        low = np.fmin.reduceat(np.where(np.isfinite(lower), lower, np.nan), edges)
        high = np.fmax.reduceat(np.where(np.isfinite(upper), upper, np.nan), edges)
    return x[edges], low, high


class IntervalBand:
    """A filled band between two faint edge curves on a plot, and a square to stand for it in a legend."""

    def __init__(self, plot: pg.PlotWidget, rgb: tuple[int, int, int]) -> None:
        item = plot.getPlotItem()
        # Edges drawn (faintly): pyqtgraph gives a curve without a pen no path, and the fill follows the paths.
        # As plot items they are downsampled and clipped to the view like the forecast they surround.
        self.lower = item.plot(connect="finite")
        self.upper = item.plot(connect="finite")
        # Between the curves' own line items: they change whenever the view clips or downsamples them anew, so the
        # fill follows a pan or zoom (the plot items signal only a change of their whole data).
        self.fill = pg.FillBetweenItem(self.lower.curve, self.upper.curve)
        item.addItem(self.fill)
        self.sample = pg.BarGraphItem(x=[0], height=[0], width=0, pen=None)
        self._rgb = rgb
        self.set_color(rgb)
        self.hide()

    def set_color(self, rgb: tuple[int, int, int]) -> None:
        """The band's colour: a light fill, slightly darker edges."""
        self._rgb = rgb
        fill = pg.mkBrush(*rgb, FILL_ALPHA)
        self.fill.setBrush(fill)
        self.sample.setOpts(brush=fill)
        for curve in (self.lower, self.upper):
            curve.setPen(pg.mkPen((*rgb, EDGE_ALPHA), width=1))

    def set_data(self, x: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Draw the band over `x`; a bound that is not finite leaves a gap instead of an edge at infinity."""
        for part in (self.lower, self.upper, self.fill):
            part.show()
        x, lower, upper = envelope(np.asarray(x, dtype=np.float64), np.asarray(lower, dtype=np.float64),
                                   np.asarray(upper, dtype=np.float64))
        for curve, values in ((self.lower, lower), (self.upper, upper)):
            values = np.asarray(values, dtype=np.float64)
            curve.setPen(line_pen((*self._rgb, EDGE_ALPHA), 1, len(x)))
            curve.setData(x, np.where(np.isfinite(values), values, np.nan))
        self.fill.updatePath()  # both edges are new now (each edge's own signal came with the other one stale)

    def hide(self) -> None:
        for curve in (self.lower, self.upper):
            curve.setData([], [])
        for part in (self.lower, self.upper, self.fill):
            part.hide()

    def is_shown(self) -> bool:
        return self.fill.isVisible()

    def data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, lower, upper) as drawn."""
        x, lower = self.lower.getData()
        _, upper = self.upper.getData()
        empty = np.empty(0)
        return (np.asarray(x) if x is not None else empty, np.asarray(lower) if lower is not None else empty,
                np.asarray(upper) if upper is not None else empty)
