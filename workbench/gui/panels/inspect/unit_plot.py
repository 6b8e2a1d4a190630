"""One unit over the sample: each of its gates and states as a curve, drawn over the input."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from workbench.gui.panels.inspect.overlay import InputOverlay
from workbench.gui.panels.inspect.step_axis import StepAxis, step_plot
from workbench.gui.plots.guarded import GuardedPlotWidget

# A colour per quantity, the same in every cell: gates in cool colours, states in warm ones.
COLORS = {
    "input_gate": "#1f77b4", "forget_gate": "#2ca02c", "output_gate": "#9467bd", "reset_gate": "#1f77b4",
    "update_gate": "#2ca02c", "cell_candidate": "#ff7f0e", "candidate": "#ff7f0e", "cell": "#d62728",
    "hidden": "#303030",
}
# Above this many steps the curves are drawn 1 px wide without antialiasing: Qt's raster engine draws a jagged
# 1,000-point curve antialiased in about 60 ms, aliased at 1 px in about 2 (measured for bench_inspect_view), and
# at several steps per pixel antialiasing shows nothing anyway.
DENSE_STEPS = 200
TIP = ("The chosen unit at every step: its gates (0 shut, 1 open) and states, with the sample's input in grey "
       "against the right-hand axis. Drag to pan, wheel to zoom (the heatmap follows).")


def words(quantity: str) -> str:
    """"forget_gate" -> "forget gate"."""
    return quantity.replace("_", " ")


class UnitPlot(GuardedPlotWidget):
    """`set_unit` draws one unit's quantities; curves are made once per cell and then only get new data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.axis = StepAxis()
        super().__init__(parent, axisItems={"bottom": self.axis})
        item = self.getPlotItem()
        self.legend = step_plot(item)
        self.overlay = InputOverlay(item)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._dense = False
        self.setToolTip(TIP)

    def set_unit(self, unit: int, series: dict[str, np.ndarray]) -> None:
        """Draw `series` (quantity -> (time,)) of `unit`, in the cell's order."""
        dense = len(next(iter(series.values()), ())) > DENSE_STEPS
        if list(series) != list(self.curves) or dense != self._dense:
            self._make_curves(list(series), dense)
        for name, values in series.items():
            values = np.asarray(values, dtype=np.float64)
            self.curves[name].setData(np.arange(len(values)) + 0.5, values)
        label = f"unit {unit}"
        if self.getPlotItem().getAxis("left").labelText != label:  # laying out a new label costs milliseconds
            self.getPlotItem().setLabel("left", label)

    def set_input(self, values: np.ndarray | None, name: str = "") -> None:
        self.overlay.set_input(values, name)

    def clear_unit(self) -> None:
        for curve in self.curves.values():
            curve.setData([], [])
        self.overlay.set_input(None)
        self.getPlotItem().setLabel("left", "")

    def _make_curves(self, names: list[str], dense: bool) -> None:
        item = self.getPlotItem()
        for curve in self.curves.values():
            item.removeItem(curve)
        self.legend.clear()
        self.curves, self._dense = {}, dense
        for name in names:
            width = 1.0 if dense else 2.0 if name in ("cell", "hidden") else 1.3
            curve = pg.PlotDataItem(pen=pg.mkPen(COLORS.get(name, "#555555"), width=width), antialias=not dense)
            # More steps than pixels: drawn as each pixel column's peaks, and only what is in view.
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            item.addItem(curve)
            self.legend.addItem(curve, words(name))
            self.curves[name] = curve
