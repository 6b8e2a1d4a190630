"""Writing a plot to PNG or SVG with pyqtgraph's exporters, atomically."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from pyqtgraph import exporters
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from workbench.core.export.atomic import atomic_path

PLOT_SUFFIXES = (".png", ".svg")
PNG_SCALE = 2  # twice the on-screen size, sharp enough for a slide or a report


def export_plot(plot: pg.PlotWidget, path: str | Path) -> None:
    """Write `plot` to `path`; the suffix (.png or .svg) picks the format. The file appears whole or not at all."""
    suffix = Path(path).suffix.lower()
    if suffix not in PLOT_SUFFIXES:
        raise ValueError(f"Plots are exported as {' or '.join(PLOT_SUFFIXES)}, not {suffix!r}.")
    with atomic_path(path) as tmp:
        if suffix == ".svg":
            _export_svg(plot, str(tmp))
        else:
            exporter = exporters.ImageExporter(plot.getPlotItem())
            exporter.parameters()["width"] = int(PNG_SCALE * max(plot.width(), 400))
            exporter.export(str(tmp))


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
