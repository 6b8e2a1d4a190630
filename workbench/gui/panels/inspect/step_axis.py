"""The bottom axis shared by the Inspect tab's plots: steps of the sample, labelled by their time or token.

Step t is drawn over x in [t, t + 1] (a heatmap column), so ticks sit at the centres t + 0.5 and only at whole
steps; each tick reads the step's label ("2024-04-30", "e", "↵") rather than its number.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QFont

from workbench.gui.panels.text_view import symbols_for, visible_token
from workbench.gui.plots.guarded import SafeAxisItem


class StepAxis(SafeAxisItem):
    """A bottom axis whose ticks are the sample's steps, named by `set_labels`."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self._labels: tuple[str, ...] = ()
        self._symbols: dict[str, str] | None = None  # for tokens: how their whitespace is drawn

    def set_labels(self, labels: Sequence[str], tokens: bool = False) -> None:
        """Name the steps: times as they are; tokens with their whitespace drawn ("␠", "↵") when shown."""
        self._labels = tuple(labels)
        self._symbols = symbols_for(self.style.get("tickFont") or QFont()) if tokens else None
        self.picture = None  # pyqtgraph's cached drawing of the axis
        self.update()

    def label_of(self, step: int) -> str:
        """The step's label; nothing past the sample's ends (a linked plot may show more than the sample)."""
        if not self._labels:
            return str(step)
        if not 0 <= step < len(self._labels):
            return ""
        label = self._labels[step]
        return label if self._symbols is None else visible_token(label, self._symbols)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803 - pyqtgraph override
        levels = super().tickValues(minVal - 0.5, maxVal - 0.5, size)
        # Whole steps only, moved to the centres of their columns.
        return [(spacing, [value + 0.5 for value in values if float(value).is_integer()])
                for spacing, values in levels if spacing >= 1]

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:  # noqa: N802 - pyqtgraph override
        return [self.label_of(round(value - 0.5)) for value in values]


def step_plot(item: pg.PlotItem) -> pg.LegendItem:
    """Set up a plot over the sample's steps as the inspector draws them (no menu, fixed y, plain numbers) and
    return its legend, placed in the title's row above the data so it never covers the curves."""
    item.setMenuEnabled(False)
    item.hideButtons()
    item.showGrid(x=False, y=True, alpha=0.15)
    item.getViewBox().setMouseEnabled(y=False)
    item.getAxis("left").enableAutoSIPrefix(False)  # "0.5", not "500 (x0.001)"
    legend = pg.LegendItem(offset=None, labelTextSize="8pt", colCount=3, horSpacing=12)
    item.layout.removeItem(item.titleLabel)
    item.titleLabel.hide()
    item.layout.addItem(legend, 0, 1)
    return legend
