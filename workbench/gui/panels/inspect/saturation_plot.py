"""Gate saturation as in Karpathy, Johnson & Fei-Fei (2015): one dot per unit and gate, the share of steps the gate
is nearly shut (below 0.1) against the share it is nearly open (above 0.9)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from workbench.gui.panels.inspect.unit_plot import COLORS, words
from workbench.gui.plots.guarded import GuardedPlotWidget

if TYPE_CHECKING:
    from workbench.core.inspect.summaries import GateSaturation

TIP = ("One dot per unit and gate. Right: the gate is nearly shut (below 0.1) on that share of the steps; up: nearly "
       "open (above 0.9). A forget gate high up remembers over long stretches; dots near the bottom left never "
       "decide. Click a dot to follow its unit.")
RING_PEN = pg.mkPen("#202020", width=1.5)


class SaturationPlot(GuardedPlotWidget):
    """`set_saturation` draws each gate's dots; clicking one reports its unit."""

    unit_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("bottom", "share of steps below 0.1")
        item.setLabel("left", "share above 0.9")
        item.getViewBox().setMouseEnabled(x=False, y=False)
        item.getViewBox().setRange(xRange=(0, 1), yRange=(0, 1), padding=0.04)
        item.getViewBox().disableAutoRange()
        # Left and right shares add up to at most 1: the points lie under this diagonal.
        item.addItem(pg.PlotDataItem([0, 1], [1, 0], pen=pg.mkPen((170, 170, 170), width=1, dash=[4, 4])))
        self.legend = item.addLegend(offset=(-4, 4), labelTextSize="8pt")
        self.ring = pg.ScatterPlotItem(size=13, pen=RING_PEN, brush=None)
        item.addItem(self.ring)
        self.scatters: dict[str, pg.ScatterPlotItem] = {}
        self.message = pg.TextItem(anchor=(0.5, 0.5), color="#666666")
        self.message.setPos(0.5, 0.5)
        item.addItem(self.message)
        self._gates: list[GateSaturation] = []
        self._title = ""
        self.setToolTip(TIP)

    def set_saturation(self, gates: Sequence[GateSaturation], title: str = "") -> None:
        """One scatter per gate, in the cell's order; none (and a note) for a cell without gates."""
        item = self.getPlotItem()
        names = [gate.gate for gate in gates]
        if names != list(self.scatters):
            for scatter in self.scatters.values():
                item.removeItem(scatter)
            self.legend.clear()
            self.scatters = {}
            for name in names:
                color = COLORS.get(name, "#555555")
                scatter = pg.ScatterPlotItem(size=7, pen=pg.mkPen(None), brush=pg.mkBrush(color + "b0"))
                scatter.sigClicked.connect(self._on_clicked)
                item.addItem(scatter)
                self.legend.addItem(scatter, words(name))
                self.scatters[name] = scatter
        for gate in gates:
            units = np.arange(len(gate.left))
            self.scatters[gate.gate].setData(x=gate.left, y=gate.right, data=units)
        self._gates = list(gates)
        self.message.setText("" if gates else "A plain RNN has no gates.")
        if title != self._title:
            self._title = title
            item.setTitle(title or None, size="9pt", color="#555555")

    def mark_unit(self, unit: int | None) -> None:
        """Ring the chosen unit's dot in each gate."""
        if unit is None or not self._gates or not 0 <= unit < len(self._gates[0].left):
            self.ring.setData([], [])
            return
        self.ring.setData([g.left[unit] for g in self._gates], [g.right[unit] for g in self._gates])

    def clear_saturation(self) -> None:
        self.set_saturation([])
        self.message.setText("")
        self.ring.setData([], [])

    def _on_clicked(self, _scatter: pg.ScatterPlotItem, points: Sequence, _event: object = None) -> None:
        if len(points):
            self.unit_clicked.emit(int(points[0].data()))
