"""A plot over a series' own time axis (dates, or row numbers) with the train/validation/test parts shaded."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from workbench.core.data.splits import WindowPlan
from workbench.gui import theme
from workbench.gui.plots.guarded import GuardedPlotWidget, SafeAxisItem, SafeDateAxisItem

SPLIT_PARTS = (("train", "train", theme.TRAIN_FILL, theme.TRAIN_COLOR),
               ("val", "validation", theme.VAL_FILL, theme.VAL_COLOR),
               ("test", "test", theme.TEST_FILL, theme.TEST_COLOR))


def time_to_x(times: np.ndarray) -> tuple[np.ndarray, bool]:
    """Plot x values and whether they are dates: datetime64 becomes epoch seconds, row numbers stay numbers."""
    if np.issubdtype(times.dtype, np.datetime64):
        return times.astype("datetime64[ns]").astype(np.int64) / 1e9, True
    return times.astype(np.float64), False


class TimePlot(GuardedPlotWidget):
    """Base of the plots drawn against the series' time: the bottom axis switches between a date axis and
    plain row numbers, and `shade_parts` marks where training, validation and test lie."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._date_axis = SafeDateAxisItem(orientation="bottom")
        super().__init__(parent, axisItems={"bottom": self._date_axis})
        self._row_axis = SafeAxisItem(orientation="bottom")
        self._dates = True
        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setMenuEnabled(False)
        self.part_regions = {part: self.make_region(fill, line) for part, _, fill, line in SPLIT_PARTS}
        self._part_labels = {part: self.make_label(self.part_regions[part], name, line)
                             for part, name, _, line in SPLIT_PARTS}
        self.hide_parts()

    def set_time_axis(self, dates: bool) -> None:
        if dates == self._dates:
            return
        self._dates = dates
        self.getPlotItem().setAxisItems({"bottom": self._date_axis if dates else self._row_axis})

    def shade_parts(self, x: np.ndarray, plan: WindowPlan) -> None:
        """Shade the parts of `plan` over the row positions `x` (one per row of the series)."""
        bounds = {"train": (x[0], x[plan.train_end]), "val": (x[plan.train_end], x[plan.val_end]),
                  "test": (x[plan.val_end], x[-1])}
        for part, (start, end) in bounds.items():
            self.part_regions[part].setRegion((start, end))
            self.part_regions[part].show()

    def hide_parts(self) -> None:
        for region in self.part_regions.values():
            region.hide()

    def make_region(self, fill: tuple, line: str | None, z: float = -10) -> pg.LinearRegionItem:
        edge = pg.mkPen(line, width=1, style=Qt.PenStyle.DashLine) if line else pg.mkPen(None)
        region = pg.LinearRegionItem(values=(0, 1), movable=False, brush=pg.mkBrush(fill), pen=edge)
        region.setZValue(z)
        self.addItem(region, ignoreBounds=True)
        return region

    @staticmethod
    def make_label(region: pg.LinearRegionItem, text: str, color: str, position: float = 0.96) -> pg.InfLineLabel:
        # Attached to the region's left edge, so the label follows the region and stays inside the view.
        label = pg.InfLineLabel(region.lines[0], text=text, position=position, anchors=[(0, 0.5)] * 2, color=color)
        label.setMovable(False)
        return label
