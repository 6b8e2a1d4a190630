"""Shared look: plot colours and pyqtgraph options, set once before any plot exists."""

from __future__ import annotations

import pyqtgraph as pg

TRAIN_COLOR = "#1f77b4"
VAL_COLOR = "#ff7f0e"
TEST_COLOR = "#2ca02c"
FORECAST_COLOR = "#d62728"
SERIES_COLOR = "#303030"
# Split shading: translucent so the series stays readable on top.
TRAIN_FILL = (31, 119, 180, 28)
VAL_FILL = (255, 127, 14, 40)
TEST_FILL = (44, 160, 44, 40)
LOOKBACK_FILL = (120, 120, 120, 60)
HORIZON_FILL = (214, 39, 40, 80)


def configure_pyqtgraph() -> None:
    """White plots with antialiasing, like a report rather than an oscilloscope.

    Qt draws a 2-px antialiased path very slowly (13 ms for a 1,500-point loss curve); drawn as separate
    segments the same curve costs 2.6 ms, which keeps live plots from starving the training (docs/decisions.md,
    "Drawing curves").
    """
    pg.setConfigOptions(background="w", foreground="#333333", antialias=True, segmentedLineMode="on")
