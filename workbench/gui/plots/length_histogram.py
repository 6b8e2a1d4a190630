"""How long the training texts are, in tokens, and how many of them the chosen maximum length cuts short."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QWidget

from workbench.gui import theme
from workbench.gui.plots.guarded import GuardedPlotWidget


def _translucent(color: str, alpha: int) -> QBrush:
    qcolor = pg.mkColor(color)
    qcolor.setAlpha(alpha)
    return pg.mkBrush(qcolor)


# Kept texts in the training blue, cut ones in the validation orange: the plots elsewhere use the same pair.
KEPT_BRUSH = _translucent(theme.TRAIN_COLOR, 170)
CUT_BRUSH = _translucent(theme.VAL_COLOR, 190)
LINE_COLOR = "#b34700"
# About this many bars: enough to show the shape, few enough that each bar is more than a hairline.
TARGET_BINS = 40
# Past this many times the 99th percentile, a long tail is folded into the last bar so the bulk stays readable.
TAIL_FACTOR = 1.5
TIP = ("How many training texts have each length, in tokens. Texts longer than the maximum length (orange) are "
       "cut to it; shorter ones are padded up to it.")


def nice_width(span: float, bins: int = TARGET_BINS) -> int:
    """A whole bin width of 1, 2, 2.5 or 5 times a power of ten that gives about `bins` bins over `span`."""
    raw = max(1.0, span / bins)
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        width = step * power
        if width >= raw and width == int(width):
            return int(width)
    return int(10 * power)


def length_bins(lengths: np.ndarray, max_len: int) -> tuple[np.ndarray, float | None]:
    """Bin edges with one edge exactly between `max_len` and `max_len + 1`, so no bar mixes kept and cut texts.

    Returns the edges and, when a long tail is folded into the last bar, the length where that bar starts.
    """
    low = min(float(lengths.min()), float(max_len))
    high = max(float(lengths.max()), float(max_len))
    tail_start = None
    reach = max(float(np.percentile(lengths, 99)), float(max_len))
    if high > TAIL_FACTOR * reach:
        high, tail_start = reach, reach
    width = nice_width(high - low + 1)
    boundary = max_len + 0.5
    below = math.ceil((boundary - (low - 0.5)) / width)
    above = math.ceil(((high + 0.5) - boundary) / width)
    edges = boundary + width * np.arange(-below, above + 1, dtype=float)
    if tail_start is not None:
        tail_start = float(edges[-2]) + 0.5
    return edges, tail_start


class LengthHistogram(GuardedPlotWidget):
    """Bars of text lengths; orange bars and the dashed line show what the maximum length cuts off."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # PlotWidget copies PlotItem.clear (which removes every item) onto the instance; drop that copy so
        # clear() below, which only empties the bars, is the one callers get.
        del self.clear
        self._share = 0.0
        self._counts = np.zeros(0)
        self._edges = np.zeros(0)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=False, y=True, alpha=0.15)
        item.getAxis("left").enableAutoSIPrefix(False)
        item.getAxis("bottom").enableAutoSIPrefix(False)
        item.getViewBox().setMouseEnabled(x=False, y=False)
        self.kept_bars = pg.BarGraphItem(x0=[], x1=[], height=[], brush=KEPT_BRUSH, pen=pg.mkPen("w"))
        self.cut_bars = pg.BarGraphItem(x0=[], x1=[], height=[], brush=CUT_BRUSH, pen=pg.mkPen("w"))
        item.addItem(self.kept_bars)
        item.addItem(self.cut_bars)
        self.max_len_line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(LINE_COLOR, width=1.5, style=Qt.PenStyle.DashLine),
            label="", labelOpts={"position": 0.9, "color": LINE_COLOR, "fill": (255, 255, 255, 220)},
        )
        item.addItem(self.max_len_line, ignoreBounds=True)
        self.set_unit("words")
        self.setToolTip(TIP)
        self.clear()

    def set_unit(self, unit: str) -> None:
        """Axis titles for lengths counted in `unit` ("words", "characters", "subwords")."""
        item = self.getPlotItem()
        item.setLabel("bottom", f"text length ({unit})")
        item.setLabel("left", "training texts")

    def set_lengths(self, lengths: np.ndarray, max_len: int, unit: str = "words") -> None:
        """Draw the distribution of `lengths` (one token count per training text) and the line at `max_len`."""
        lengths = np.asarray(lengths, dtype=float).ravel()
        lengths = lengths[np.isfinite(lengths)]
        self.set_unit(unit)
        if lengths.size == 0:
            self.clear()
            return
        edges, tail_start = length_bins(lengths, max_len)
        counts, _ = np.histogram(np.clip(lengths, edges[0], edges[-1] - 0.5), bins=edges)
        self._edges, self._counts = edges, counts
        self._share = float(np.mean(lengths > max_len))
        cut = edges[:-1] > max_len
        self.kept_bars.setOpts(x0=edges[:-1][~cut], x1=edges[1:][~cut], height=counts[~cut])
        self.cut_bars.setOpts(x0=edges[:-1][cut], x1=edges[1:][cut], height=counts[cut])
        self._place_line(max_len, edges)
        title = f"{lengths.size:,} texts \u00b7 median {np.median(lengths):,.0f} {unit}"
        if tail_start is not None:
            longer = int(np.sum(lengths >= tail_start))
            title += f" \u00b7 last bar: all {longer:,} of {tail_start:,.0f}+"
        item = self.getPlotItem()
        item.setTitle(title, size="9pt", color="#555555")
        item.setXRange(edges[0], edges[-1], padding=0.02)
        item.setYRange(0, max(1, int(counts.max())), padding=0.05)

    def clear(self) -> None:
        """Remove the bars and the line (keeps the axes)."""
        self._share = 0.0
        self._counts, self._edges = np.zeros(0), np.zeros(0)
        for bars in (self.kept_bars, self.cut_bars):
            bars.setOpts(x0=[], x1=[], height=[])
        self.max_len_line.hide()
        self.getPlotItem().setTitle(None)

    def truncated_share(self) -> float:
        """The share of texts longer than the maximum length (0 before any lengths are set)."""
        return self._share

    def line_text(self) -> str:
        """The label on the maximum-length line, on one line ("" when hidden)."""
        return self.max_len_line.label.toPlainText().replace("\n", " ") if self.max_len_line.isVisible() else ""

    def bins(self) -> tuple[np.ndarray, np.ndarray]:
        """(edges, counts) of the bars drawn."""
        return self._edges.copy(), self._counts.copy()

    def _place_line(self, max_len: int, edges: np.ndarray) -> None:
        share = self._share
        amount = "no text" if share == 0 else ("<0.1%" if share < 0.001 else f"{share:.1%}") + " of texts"
        label = self.max_len_line.label
        # Two lines: one line is too wide for either side of the line in a narrow plot.
        text = f"max length {max_len:,}:\n{amount} truncated"
        # The label rewrites itself from `format` whenever the line moves; braces in the text stay literal.
        label.format = text.replace("{", "{{").replace("}", "}}")
        # On the side with more room, so the label is not cut off at the plot's edge.
        middle = (edges[0] + edges[-1]) / 2
        side = (0.0, 0.5) if max_len < middle else (1.0, 0.5)
        label.anchors = [side, side]
        label.setColor(LINE_COLOR)
        # Shown before the move: a hidden line's label does not rewrite its text.
        self.max_len_line.show()
        # The line sits on the boundary between kept lengths (<= max_len) and cut ones.
        self.max_len_line.setValue(max_len + 0.5)
        label.setText(text)
        label.updatePosition()

