"""Pens for curves with more points than the screen has pixels.

pyqtgraph draws such a curve as its min/max envelope ("peak" downsampling), a zigzag of near-vertical segments.
Qt strokes those in 2-px antialiased lines very slowly: 0.25 s a paint for 1,000,000 noisy points in a 900-px
plot on this machine, against 7 ms in 1 px (Qt's cosmetic hairline path). At that density the envelope looks
the same in either width, so dense curves are drawn 1 px wide and the window stays responsive.
"""

from __future__ import annotations

import pyqtgraph as pg

DENSE_POINTS = 20_000  # beyond this, any plot on a normal screen has several points per pixel column


def line_pen(color: str, width: float, n_points: int, **style) -> pg.QtGui.QPen:
    """The pen for a curve of `n_points`: `width` when sparse, a 1-px hairline when dense."""
    return pg.mkPen(color, width=1 if n_points > DENSE_POINTS else width, **style)
