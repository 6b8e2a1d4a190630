"""Validation accuracy per epoch, for classifiers: the number a user reads beside the loss."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from workbench.gui.plots.guarded import GuardedPlotWidget
from workbench.gui.plots.loss_plot import EpochAxis
from workbench.gui.theme import VAL_COLOR


class AccuracyPlot(GuardedPlotWidget):
    """Share of validation examples classified right after each epoch; feed it epoch logs with val_accuracy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": EpochAxis("bottom")})
        # PlotWidget copies PlotItem.clear onto the instance; drop it so clear() below only forgets the epochs.
        del self.clear
        self._epochs: list[float] = []
        self._values: list[float] = []
        item = self.getPlotItem()
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "val. accuracy")
        item.setMenuEnabled(False)
        item.getViewBox().setMouseEnabled(x=False, y=False)
        item.setYRange(0, 1, padding=0.02)
        self.curve = item.plot([], [], pen=pg.mkPen(VAL_COLOR, width=2), symbol="o", symbolSize=5,
                               symbolBrush=VAL_COLOR, symbolPen=None)
        self.setToolTip("Share of the validation texts the model labels correctly after each epoch.")

    def add_epochs(self, logs: list[dict[str, Any]]) -> None:
        """Append the epochs that carry a validation accuracy and redraw."""
        for entry in logs:
            if entry.get("val_accuracy") is not None:
                self._epochs.append(float(entry["epoch"]))
                self._values.append(float(entry["val_accuracy"]))
        if not self._epochs:
            return
        self.curve.setData(np.array(self._epochs), np.array(self._values))
        self.getPlotItem().setXRange(1, max(2.0, self._epochs[-1]), padding=0.03)

    def clear(self) -> None:
        self._epochs, self._values = [], []
        self.curve.setData([], [])

    def values(self) -> list[float]:
        return list(self._values)
