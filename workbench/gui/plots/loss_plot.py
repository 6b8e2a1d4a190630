"""Training and validation loss per epoch, with the best epoch marked; curves are updated in place."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from workbench.gui.plots.guarded import GuardedPlotWidget, SafeAxisItem
from workbench.gui.plots.magnitude import power_of_ten, scaled, titled
from workbench.gui.theme import TRAIN_COLOR, VAL_COLOR

BEST_COLOR = "#555555"
SERIES_LOSS_LABEL = "loss (MSE, scaled units)"
SERIES_TIP = ("Loss after each epoch on the training windows (blue) and the validation windows (orange). The dashed "
              "line marks the epoch whose weights are kept.")
TEXT_TIP = ("Cross-entropy after each epoch on the training text (blue) and the held-out end of the file (orange), "
            "in nats per token; the right axis reads the same in bits. The dashed line marks the epoch whose weights "
            "are kept.")


class EpochAxis(SafeAxisItem):
    """An axis that only labels whole epochs: "2.5 epochs" means nothing to the user."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph override
        levels = super().tickValues(minVal, maxVal, size)
        return [(max(spacing, 1.0), [v for v in values if float(v).is_integer()]) for spacing, values in levels]


class LossPlot(GuardedPlotWidget):
    """Loss curves of one run. Feed it epoch logs with add_epochs(); clear() before the next run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": EpochAxis("bottom")})
        # PlotWidget copies PlotItem.clear (which removes every item) onto the instance; drop that copy so
        # clear() below, which only forgets the epochs, is the one callers get.
        del self.clear
        self._history: list[dict[str, Any]] = []
        self._labels = (SERIES_LOSS_LABEL, "")  # the loss axis and the bits axis, before any power of ten
        self.power = 0  # the losses are drawn divided by 10**power (magnitude.py)
        item = self.getPlotItem()
        item.setLabel("bottom", "epoch")
        item.setLabel("left", SERIES_LOSS_LABEL)
        # An SI factor such as "(x0.001)" tacked onto the label reads as part of the unit; plain ticks are clearer.
        item.getAxis("left").enableAutoSIPrefix(False)
        # No grid: pyqtgraph draws it with the axes and it tripled the cost of each repaint (5 -> 16 ms).
        item.setMenuEnabled(False)
        # Long runs: draw at most one point per pixel column (keeping peaks) and only what is in view.
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.getViewBox().setMouseEnabled(x=False, y=False)
        self.legend = item.addLegend(offset=(-10, 10), labelTextColor="#333333", brush=(255, 255, 255, 210))
        self.train_curve = item.plot([], [], name="training", pen=pg.mkPen(TRAIN_COLOR, width=2))
        self.val_curve = item.plot([], [], name="validation", pen=pg.mkPen(VAL_COLOR, width=2))
        # A one-point data item (not a bare ScatterPlotItem) so it follows the log-scale switch with the curves.
        self.best_point = item.plot([], [], pen=None, symbol="o", symbolSize=9,
                                    symbolBrush=VAL_COLOR, symbolPen=pg.mkPen("w", width=1.5))
        self.best_line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(BEST_COLOR, width=1, style=Qt.PenStyle.DashLine),
            label="best: epoch {value:.0f}",
            labelOpts={"position": 0.75, "color": BEST_COLOR, "fill": (255, 255, 255, 200)},
        )
        item.addItem(self.best_line, ignoreBounds=True)
        self.best_line.hide()
        self._bits_axis = False
        self.setToolTip(SERIES_TIP)

    def set_units(self, loss_label: str = SERIES_LOSS_LABEL, bits_label: str = "", epoch_label: str = "epoch") -> None:
        """Axis titles; a `bits_label` adds a right axis reading the loss (in nats) in bits."""
        item = self.getPlotItem()
        self._labels = (loss_label, bits_label)
        item.setLabel("left", titled(loss_label, self.power))
        item.setLabel("bottom", epoch_label)
        self._bits_axis = bool(bits_label)
        if bits_label:
            right = item.getAxis("right")
            right.setScale(1 / math.log(2))  # bits = nats / ln 2: the same curve read on a second scale
            right.enableAutoSIPrefix(False)
            item.setLabel("right", titled(bits_label, self.power))
        item.showAxis("right", self._bits_axis and not item.ctrl.logYCheck.isChecked())
        self.setToolTip(TEXT_TIP if bits_label else SERIES_TIP)

    def add_epochs(self, logs: list[dict[str, Any]]) -> None:
        """Append epoch logs (epoch, loss, val_loss, best_epoch, best_val_loss) and redraw."""
        if not logs:
            return
        self._history.extend(dict(entry) for entry in logs)
        self._draw()

    def clear(self) -> None:
        """Forget all epochs (keeps the curves, legend and scale)."""
        self._history = []
        for curve in (self.train_curve, self.val_curve, self.best_point):
            curve.setData([], [])
        self.best_line.hide()

    def history(self) -> list[dict[str, Any]]:
        """The epoch logs shown so far, oldest first."""
        return [dict(entry) for entry in self._history]

    def best_epoch(self) -> int | None:
        """The epoch marked as best, or None before any epoch has a validation loss."""
        return int(self.best_line.value()) if self.best_line.isVisible() else None

    def set_log_scale(self, on: bool) -> None:
        """Show the loss axis in powers of ten: early epochs then stop hiding the later improvement."""
        item = self.getPlotItem()
        item.setLogMode(x=False, y=on)
        # A scaled axis cannot follow a log axis (log bits = log nats - log ln 2 is a shift, not a scale).
        item.showAxis("right", self._bits_axis and not on)
        if self._history:
            self._draw()

    def _draw(self) -> None:
        """Draw the curves and the best epoch from the history, divided by a power of ten where the losses are
        too tiny or too huge to draw (not on a log axis, which takes any magnitude)."""
        item = self.getPlotItem()
        epochs = np.array([entry["epoch"] for entry in self._history], dtype=float)
        train, val = self._column("loss"), self._column("val_loss")
        power = 0 if item.ctrl.logYCheck.isChecked() else power_of_ten(train, val)
        if power != self.power:  # titles only when they change: each one lays the plot out again
            self.power = power
            loss_label, bits_label = self._labels
            item.setLabel("left", titled(loss_label, power))
            if bits_label:
                item.setLabel("right", titled(bits_label, power))
        self.train_curve.setData(epochs, scaled(train, power))
        self.val_curve.setData(epochs, scaled(val, power))
        # Epochs start at 1; auto-range would centre one point in a span of negative epochs.
        item.setXRange(1, max(2.0, float(epochs[-1])), padding=0.03)
        self._update_best()

    def _column(self, key: str) -> np.ndarray:
        return np.array([entry.get(key, np.nan) for entry in self._history], dtype=float)

    def _update_best(self) -> None:
        last = self._history[-1]
        epoch, loss = last.get("best_epoch"), last.get("best_val_loss")
        if epoch is None or loss is None:
            # Logs from elsewhere may lack the Trainer's running best: take the lowest validation loss.
            values = self._column("val_loss")
            if not np.isfinite(values).any():
                return
            index = int(np.nanargmin(values))
            epoch, loss = self._history[index]["epoch"], values[index]
        self.best_point.setData([float(epoch)], scaled(np.array([float(loss)]), self.power))
        # Put the label on the side of the line with more room, so it is not cut off at the plot's edge.
        first, last = self._history[0]["epoch"], self._history[-1]["epoch"]
        # With one or two epochs the line sits at the left edge: the label goes to its right.
        side = (0.0, 0.5) if epoch - first <= (last - first) / 2 else (1.0, 0.5)
        self.best_line.label.anchors = [side, side]
        # Shown before the move: a hidden line's label does not rewrite its text.
        self.best_line.show()
        self.best_line.setValue(float(epoch))
        self.best_line.label.updatePosition()
