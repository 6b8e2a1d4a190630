"""The Inspect tab's colours: one scale per quantity, shared by the heatmap, the colour bar and the coloured text.

States (hidden, cell, candidates) and attribution use a diverging map centred on 0: blue below, white at 0, red
above, symmetric so that equal magnitudes get equal strength. Gates lie in (0, 1) and use a sequential map from
white (shut) to dark green (open), with the fixed levels 0..1 so that two samples or two epochs compare.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

# ColorBrewer's RdBu ends (reversed: negative blue) and Greens; both pale in the middle or at the start, so
# dark text stays readable on the tokens coloured with them.
DIVERGING = pg.ColorMap(pos=[0.0, 0.25, 0.5, 0.75, 1.0],
                        color=[(33, 102, 172), (146, 197, 222), (247, 247, 247), (244, 165, 130), (178, 24, 43)])
SEQUENTIAL = pg.ColorMap(pos=[0.0, 0.5, 1.0], color=[(247, 252, 245), (116, 196, 118), (0, 68, 27)])
LUT_SIZE = 256
_LUTS = {id(DIVERGING): DIVERGING.getLookupTable(nPts=LUT_SIZE, mode="byte", alpha=False),
         id(SEQUENTIAL): SEQUENTIAL.getLookupTable(nPts=LUT_SIZE, mode="byte", alpha=False)}
# Each level's colour as "#rrggbb", made once: the coloured text asks for a thousand at a time.
_NAMES = {key: [QColor(*(int(c) for c in rgb)).name() for rgb in lut] for key, lut in _LUTS.items()}
# Quantities squashed by tanh: their scale stays -1..1 (comparable between samples) unless a value lies outside.
BOUNDED = ("hidden", "candidate", "cell_candidate")
DARK_TEXT, LIGHT_TEXT = "#202020", "#ffffff"


@dataclass(frozen=True)
class ColorScale:
    """A colour map and the values at its two ends."""

    colormap: pg.ColorMap
    low: float
    high: float

    @property
    def lut(self) -> np.ndarray:
        """(LUT_SIZE, 3) bytes: the colour of each level, low to high."""
        return _LUTS[id(self.colormap)]

    def indices(self, values: np.ndarray) -> np.ndarray:
        """Each value's row of `lut` (NaN gets the middle, the colour of "nothing")."""
        span = self.high - self.low
        scaled = (np.nan_to_num(np.asarray(values, dtype=np.float64), nan=(self.low + self.high) / 2) - self.low)
        return np.clip(scaled / span * (LUT_SIZE - 1), 0, LUT_SIZE - 1).round().astype(np.int64)

    def names(self, values: np.ndarray) -> list[str]:
        """The colour of each value, as "#rrggbb"."""
        names = _NAMES[id(self.colormap)]
        return [names[i] for i in self.indices(values)]


def symmetric_scale(values: np.ndarray, at_least: float = 0.0) -> ColorScale:
    """The diverging map from -m to m, m the largest magnitude (at least `at_least`, never 0)."""
    finite = np.abs(np.asarray(values, dtype=np.float64))
    finite = finite[np.isfinite(finite)]
    largest = float(finite.max()) if finite.size else 0.0
    bound = max(largest, at_least) or 1.0
    return ColorScale(DIVERGING, -bound, bound)


def scale_for(quantity: str, gates: tuple[str, ...], values: np.ndarray) -> ColorScale:
    """The scale a quantity is drawn with: 0..1 for the cell's gates, -1..1 for tanh states, else symmetric."""
    if quantity in gates:
        return ColorScale(SEQUENTIAL, 0.0, 1.0)
    return symmetric_scale(values, 1.0 if quantity in BOUNDED else 0.0)


def text_color(color: QColor) -> str:
    """White text on dark backgrounds, near-black on light ones (by perceived brightness): the text reads on both."""
    brightness = 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()
    return LIGHT_TEXT if brightness < 140 else DARK_TEXT
