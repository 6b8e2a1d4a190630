"""Writing a plot to PNG or SVG, atomically, as it looks on screen (without hover marks)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph import exporters
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QWidget

from workbench.core.export.atomic import atomic_path

PLOT_SUFFIXES = (".png", ".svg")
PNG_SCALE = 2  # twice the on-screen size, sharp enough for a slide or a report
# QGraphicsItem data key marking an item that follows the mouse (a crosshair): never part of an exported picture.
TRANSIENT_KEY = 0x5742


def mark_transient(item: QGraphicsItem) -> None:
    """Leave `item` out of every export: it shows where the mouse is, not the data."""
    # QGraphicsItem's own setData: pyqtgraph's items override setData for their points.
    QGraphicsItem.setData(item, TRANSIENT_KEY, True)


def export_plot(plot: pg.PlotWidget, path: str | Path) -> None:
    """Write `plot` to `path`; the suffix (.png or .svg) picks the format. The file appears whole or not at all."""
    suffix = Path(path).suffix.lower()
    if suffix not in PLOT_SUFFIXES:
        raise ValueError(f"Plots are exported as {' or '.join(PLOT_SUFFIXES)}, not {suffix!r}.")
    with atomic_path(path) as tmp, _without_transients(plot):
        if suffix == ".svg":
            _export_svg(plot, str(tmp))
        else:
            _render_png(plot, str(tmp))


@contextlib.contextmanager
def _without_transients(plot: pg.PlotWidget) -> Iterator[None]:
    shown = [item for item in plot.scene().items()
             if QGraphicsItem.data(item, TRANSIENT_KEY) and item.isVisible()]
    for item in shown:
        item.hide()
    try:
        yield
    finally:
        for item in shown:
            item.show()


def _render_png(plot: pg.PlotWidget, path: str) -> None:
    # The widget drawn at PNG_SCALE times its size: text, legend and lines grow with it, so the picture reads
    # as it does on screen (pyqtgraph's image exporter enlarges the view but keeps the fonts at screen size).
    width, height = max(plot.width(), 400), max(plot.height(), 250)
    image = QImage(width * PNG_SCALE, height * PNG_SCALE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(PNG_SCALE, PNG_SCALE)
        plot.scene().prepareForPaint()
        # QWidget's render (the widget as shown), not QGraphicsView's (the scene stretched over the device).
        QWidget.render(plot, painter, QPoint(0, 0))
    finally:
        painter.end()
    if not image.save(path, "PNG"):
        raise OSError(f"could not write the PNG image {path}")


def _export_svg(plot: pg.PlotWidget, path: str) -> None:
    try:
        exporters.SVGExporter(plot.getPlotItem()).export(path)
    except ValueError:
        # pyqtgraph 0.14 cannot parse the "Z" (close path) that Qt 6.11 writes for every view box outline, so its
        # exporter fails on any plot; Qt's own SVG generator draws the same widget as vectors instead.
        _render_svg(plot, path)


def _render_svg(plot: pg.PlotWidget, path: str) -> None:
    size = QSize(plot.width(), plot.height())
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(plot.getPlotItem().titleLabel.text or "Sequence Workbench plot")
    painter = QPainter(generator)
    try:
        plot.render(painter)
    finally:
        painter.end()
