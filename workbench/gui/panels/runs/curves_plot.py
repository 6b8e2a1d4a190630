"""Loss curves of several runs overlaid, by epoch or by wall time; one colour per run, validation solid,
training dashed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from workbench.core.runs.records import RunRecord
from workbench.gui.plots.guarded import GuardedPlotWidget
from workbench.gui.plots.loss_plot import EpochAxis

# Ten colours a reader tells apart (matplotlib's "tab10"); runs beyond ten reuse them.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")
EPOCH, WALL_TIME = "epoch", "time"


class CurvesAxis(EpochAxis):
    """Whole epochs on the epoch scale; any tick on the wall-time scale."""

    whole = True

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph override
        if self.whole:
            return super().tickValues(minVal, maxVal, size)
        return super(EpochAxis, self).tickValues(minVal, maxVal, size)


def curve_points(record: RunRecord, key: str, scale: str) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of one loss of a run: x the epoch, or the seconds since it started at the end of each epoch."""
    epochs = [entry for entry in record.history if isinstance(entry.get(key), (int, float))]
    y = np.array([float(entry[key]) for entry in epochs], dtype=float)
    if scale == EPOCH:
        return np.array([float(entry.get("epoch", i + 1)) for i, entry in enumerate(epochs)]), y
    seconds = [entry.get("seconds") for entry in record.history]
    if all(isinstance(s, (int, float)) for s in seconds) and seconds:
        ends = np.cumsum(np.array(seconds, dtype=float))
    else:  # no per-epoch time: spread the run's duration evenly over its epochs
        total = record.seconds or float(len(record.history))
        ends = np.arange(1, len(record.history) + 1) * total / max(1, len(record.history))
    keep = [i for i, entry in enumerate(record.history) if isinstance(entry.get(key), (int, float))]
    return ends[keep], y


def run_label(record: RunRecord) -> str:
    return f"#{record.id} {record.name}".strip()


class CurvesPlot(GuardedPlotWidget):
    """Validation (solid) and training (dashed) loss of each run given to `set_runs`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.axis = CurvesAxis("bottom")
        super().__init__(parent, axisItems={"bottom": self.axis})
        item = self.getPlotItem()
        item.setLabel("left", "loss")
        item.getAxis("left").enableAutoSIPrefix(False)
        item.setMenuEnabled(False)
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        self.legend = self.add_header_legend()
        self.scale = EPOCH
        self.show_training = True
        self._records: list[RunRecord] = []
        self._curves: list[Any] = []
        self._drawn: set[int] = set()  # positions in _records of the runs with a curve
        self.setToolTip("Validation loss (solid) and training loss (dashed) of the selected runs.")

    def set_runs(self, records: Sequence[RunRecord]) -> None:
        self._records = list(records)
        self._draw()

    def set_scale(self, scale: str) -> None:
        """EPOCH or WALL_TIME."""
        self.scale = scale
        self._draw()

    def set_show_training(self, show: bool) -> None:
        self.show_training = show
        self._draw()

    def curve_count(self) -> int:
        """How many runs have a curve drawn."""
        return len(self._drawn)

    def _draw(self) -> None:
        item = self.getPlotItem()
        for curve in self._curves:
            item.removeItem(curve)
        self.legend.clear()
        self._curves, self._drawn = [], set()
        self.axis.whole = self.scale == EPOCH
        item.setLabel("bottom", "epoch" if self.scale == EPOCH else "seconds since the run started")
        for number, record in enumerate(self._records):
            color = PALETTE[number % len(PALETTE)]
            keys = (("val_loss", Qt.PenStyle.SolidLine, 2), ("loss", Qt.PenStyle.DashLine, 1))
            for key, style, width in keys if self.show_training else keys[:1]:
                x, y = curve_points(record, key, self.scale)
                if not len(x):
                    continue
                curve = item.plot(x, y, pen=pg.mkPen(color, width=width, style=style))
                if key == "val_loss":
                    self.legend.addItem(curve, run_label(record))
                self._curves.append(curve)
                self._drawn.add(number)
        item.enableAutoRange()
