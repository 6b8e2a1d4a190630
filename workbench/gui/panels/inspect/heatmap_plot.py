"""Units x time: one quantity of one layer and direction as an image, with a colour bar and the chosen unit marked."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QWidget

from workbench.gui.panels.inspect.colors import ColorScale
from workbench.gui.panels.inspect.step_axis import StepAxis
from workbench.gui.plot_export import mark_transient
from workbench.gui.plots.guarded import GuardedPlotWidget

MARK_PEN = pg.mkPen("#202020", width=1.5)
HOVER_PEN = pg.mkPen((0, 0, 0, 90), width=1)
TIP = ("Each row is one unit of the chosen layer and direction, each column one step of the sample. Click a row to "
       "follow that unit below. Drag to pan, wheel to zoom.")


class HeatmapPlot(GuardedPlotWidget):
    """`set_values` draws an array (units, time); the mouse reports the cell under it and the row clicked."""

    hovered = Signal(int, int)  # unit, step under the mouse; -1, -1 when outside the image
    unit_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        self.axis = StepAxis()
        super().__init__(parent, axisItems={"bottom": self.axis})
        self.values = np.zeros((0, 0), dtype=np.float32)  # (units, time), as drawn
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("left", "unit")
        view = item.getViewBox()
        view.invertY(True)  # unit 0 at the top, as a table reads
        view.setDefaultPadding(0.0)
        self.image = pg.ImageItem(axisOrder="row-major")
        item.addItem(self.image)
        self.color_bar = pg.ColorBarItem(values=(0.0, 1.0), width=12, interactive=False, colorMapMenu=False)
        self.color_bar.setImageItem(self.image, insert_in=item)
        self._scale: ColorScale | None = None
        self._title = ""
        # The chosen unit: a frame around its row; the hovered cell: a faint one (never exported).
        self.mark = pg.QtWidgets.QGraphicsRectItem()
        self.mark.setPen(MARK_PEN)
        self.mark.setZValue(10)
        self.mark.hide()
        item.addItem(self.mark)
        self.hover_mark = pg.QtWidgets.QGraphicsRectItem()
        self.hover_mark.setPen(HOVER_PEN)
        self.hover_mark.setZValue(11)
        self.hover_mark.hide()
        mark_transient(self.hover_mark)
        item.addItem(self.hover_mark)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.setToolTip(TIP)

    def set_values(self, values: np.ndarray, scale: ColorScale, title: str = "") -> None:
        """Draw `values` (units, time) with `scale`; the view keeps its zoom while the shape stays the same."""
        shape_changed = values.shape != self.values.shape
        self.values = values
        if scale.colormap is not (self._scale.colormap if self._scale else None):
            self.color_bar.setColorMap(scale.colormap)
        if self._scale is None or (scale.low, scale.high) != (self._scale.low, self._scale.high):
            self.color_bar.setLevels(low=scale.low, high=scale.high)
        self._scale = scale
        self.image.setImage(values, autoLevels=False, levels=(scale.low, scale.high))
        units, steps = values.shape
        self.image.setRect(QRectF(0, 0, steps, units))
        if title != self._title:  # laying out a new title costs milliseconds
            self._title = title
            self.getPlotItem().setTitle(title or None, size="9pt", color="#555555")
        if shape_changed:
            view = self.getPlotItem().getViewBox()
            # The limits first: the old ones would clamp the new range to the last sample's length.
            view.setLimits(xMin=0, xMax=max(steps, 1), yMin=0, yMax=max(units, 1))
            view.setRange(xRange=(0, steps), yRange=(0, units), padding=0)

    def mark_unit(self, unit: int | None) -> None:
        """Frame the row of `unit` (None: no frame)."""
        steps = self.values.shape[1]
        if unit is None or not 0 <= unit < self.values.shape[0]:
            self.mark.hide()
            return
        self.mark.setRect(QRectF(0, unit, steps, 1))
        self.mark.show()

    def clear_values(self) -> None:
        self.values = np.zeros((0, 0), dtype=np.float32)
        self.image.clear()
        self.mark.hide()
        self.hover_mark.hide()
        self._title = ""
        self.getPlotItem().setTitle(None)

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int]:
        """(unit, step) under a point of the scene, or (-1, -1) outside the image."""
        view = self.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos) or not self.values.size:
            return -1, -1
        point = view.mapSceneToView(scene_pos)
        unit, step = math.floor(point.y()), math.floor(point.x())
        units, steps = self.values.shape
        return (unit, step) if 0 <= unit < units and 0 <= step < steps else (-1, -1)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        unit, step = self.cell_at(scene_pos)
        if unit < 0:
            self.hover_mark.hide()
        else:
            self.hover_mark.setRect(QRectF(step, unit, 1, 1))
            self.hover_mark.show()
        self.hovered.emit(unit, step)

    def _on_mouse_clicked(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        unit, _ = self.cell_at(event.scenePos())
        if unit >= 0:
            self.unit_clicked.emit(unit)
