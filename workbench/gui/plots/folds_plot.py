"""A backtest's folds: where each fold trains, validates and tests over the series' time (one bar per part), and
each fold's score for the model beside every baseline (grouped bars)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from workbench.gui import theme
from workbench.gui.plots.guarded import GuardedPlotWidget
from workbench.gui.plots.time_plot import TimePlot, time_to_x

PARTS = (("train", "train", theme.TRAIN_COLOR), ("validation", "validation", theme.VAL_COLOR),
         ("test", "test", theme.TEST_COLOR))
# The model in the forecast colour; the baselines in quieter ones, always the same per baseline.
SCORE_COLORS = {"model": theme.FORECAST_COLOR, "naive": "#8c8c8c", "seasonal_naive": "#bcbd22", "ets": "#17becf"}
BAR_HEIGHT = 0.6  # of a fold's row


def fold_times(fold: dict[str, Any], part: str) -> np.ndarray:
    """The times of a part's first and last rows as a fold records them (ISO text, or row numbers)."""
    first, last = fold[f"{part}_times"]
    if isinstance(first, str):
        return np.array([pd.Timestamp(first).to_datetime64(), pd.Timestamp(last).to_datetime64()],
                        dtype="datetime64[ns]")
    return np.array([first, last], dtype=np.int64)


def fold_label(number: int) -> str:
    return f"fold {number}"


class FoldSpansPlot(TimePlot):
    """Each fold a row (fold 1 at the top), its parts as bars from their first row to the next part's first row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.legend = self.add_header_legend()
        self.bars = {part: pg.BarGraphItem(x0=[], x1=[], y=[], height=BAR_HEIGHT, brush=pg.mkBrush(color), pen=None)
                     for part, _, color in PARTS}
        for part, name, _ in PARTS:
            self.addItem(self.bars[part])
            self.legend.addItem(self.bars[part], name)
        item = self.getPlotItem()
        item.invertY(True)
        item.showGrid(x=True, y=False, alpha=0.15)
        item.setMouseEnabled(y=False)

    def show_folds(self, folds: list[dict[str, Any]]) -> None:
        if not folds:
            self.clear_folds()
            return
        spans = {part: [time_to_x(fold_times(fold, part)) for fold in folds] for part, _, _ in PARTS}
        self.set_time_axis(spans["train"][0][1])
        rows = [fold["fold"] for fold in folds]
        for i, (part, _, _) in enumerate(PARTS):
            starts = [x[0] for x, _ in spans[part]]
            # A part runs up to where the next one starts (the test part to its last row), so the bars meet.
            ends = ([x[0] for x, _ in spans[PARTS[i + 1][0]]] if i + 1 < len(PARTS)
                    else [x[1] for x, _ in spans[part]])
            self.bars[part].setOpts(x0=starts, x1=ends, y=rows, height=BAR_HEIGHT)
        self.getPlotItem().getAxis("left").setTicks([[(row, fold_label(row)) for row in rows]])
        self.getPlotItem().autoRange()

    def clear_folds(self) -> None:
        for bar in self.bars.values():
            bar.setOpts(x0=[], x1=[], y=[])

    def span(self, fold: int, part: str) -> tuple[float, float]:
        """(start, end) of a drawn bar, for tests: the `fold`-th row (1-based) of `part`."""
        opts = self.bars[part].opts
        return float(opts["x0"][fold - 1]), float(opts["x1"][fold - 1])


class FoldScoresPlot(GuardedPlotWidget):
    """One group of bars per fold: the model's score and each baseline's, side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = self.getPlotItem()
        item.showGrid(x=False, y=True, alpha=0.15)
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False)
        # In a row above the bars (the plot's title cell), as the time plots have theirs: it never covers a bar.
        self.legend = pg.LegendItem(offset=None, labelTextSize="9pt", colCount=4, horSpacing=16)
        item.layout.removeItem(item.titleLabel)
        item.titleLabel.hide()
        item.layout.addItem(self.legend, 0, 1)
        self.bars: dict[str, pg.BarGraphItem] = {}

    def show_scores(self, folds: list[int], values: dict[str, list[float]], labels: dict[str, str],
                    metric: str) -> None:
        """`values[name]` holds one score per fold of `folds` (NaN where undefined), `labels[name]` its name."""
        self.clear_scores()
        names = list(values)
        width = 0.8 / max(len(names), 1)
        for i, name in enumerate(names):
            x = np.asarray(folds, dtype=float) - 0.4 + width * (i + 0.5)
            height = np.asarray(values[name], dtype=float)
            shown = np.isfinite(height)
            bar = pg.BarGraphItem(x=x[shown], height=height[shown], width=width * 0.9,
                                  brush=pg.mkBrush(SCORE_COLORS.get(name, "#555555")), pen=None)
            self.addItem(bar)
            self.legend.addItem(bar, labels[name])
            self.bars[name] = bar
        item = self.getPlotItem()
        item.getAxis("bottom").setTicks([[(number, fold_label(number)) for number in folds]])
        item.setLabel("left", metric)
        item.autoRange()

    def clear_scores(self) -> None:
        for bar in self.bars.values():
            self.removeItem(bar)
        self.legend.clear()
        self.bars = {}

    def heights(self, name: str) -> np.ndarray:
        """The drawn bar heights of `name`, for tests."""
        return np.asarray(self.bars[name].opts["height"], dtype=float)
