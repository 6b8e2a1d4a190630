"""Plots that never let an exception out of a paint or an event: a fault is logged once and the rest still drawn.

PySide does not contain an exception raised by a Python `paint` that Qt called while painting a view: the error
stays pending while Qt paints the next item, and the process crashes inside `QGraphicsView.paintEvent`
(PySide6 6.11, reproduced in tests/gui/test_paint_safety.py). With values near 1e-310, pyqtgraph's tick spacing
underflowed to zero and every repaint of the axis raised a ZeroDivisionError, until one crashed the window.

So, once this module is imported:
- `paint` and `boundingRect` of every pyqtgraph graphics item catch what they raise, log it once and draw
  nothing for that item (the others are drawn);
- the plots' axes (`SafeAxisItem`, `SafeDateAxisItem`) compute ticks defensively: no ticks, never an exception,
  and the axis line and title are still drawn;
- `GuardedPlotWidget`, the base of every plot in the workbench, catches what escapes its paint and event
  handlers (the scene's mouse handling runs inside them).
"""

from __future__ import annotations

import functools
import math
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

AXES = ("left", "bottom", "right", "top")
# Below this span pyqtgraph's tick spacing (a power of ten a little under span / number of ticks) underflows
# to zero; above, there are a few orders of magnitude to spare.
_MIN_SPAN = sys.float_info.min * 1e10
_reported: set[tuple[str, str, str, int]] = set()


def report_once(owner: object, exc: BaseException) -> None:
    """Log `exc` (raised while `owner` painted or handled an event) unless this fault was logged before.

    A fault is its owner's class, the exception's type and the line that raised it: a repaint that fails the
    same way 60 times a second writes one traceback, not a log file per minute."""
    frames = traceback.extract_tb(exc.__traceback__)
    filename, line = (frames[-1].filename, frames[-1].lineno or 0) if frames else ("", 0)
    key = (type(owner).__name__, type(exc).__name__, filename, line)
    if key in _reported:
        return
    _reported.add(key)
    from workbench.gui.messages import log_exception_text

    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    # Logging must not become the next exception out of a paint (a full disk, a folder without access).
    try:
        log_exception_text(f"Contained while drawing {type(owner).__name__} (drawing went on without it):\n{text}")
    except OSError:
        pass


def drawable_span(low: float, high: float) -> bool:
    """Whether ticks can be computed between `low` and `high`: finite, and neither too narrow nor too wide."""
    span = high - low
    return math.isfinite(low) and math.isfinite(high) and math.isfinite(span) and span >= _MIN_SPAN


class SafeTicks:
    """Tick generation that gives no ticks instead of an exception, for AxisItem subclasses (first base)."""

    _ticks_off = False

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803 - pyqtgraph override
        if self._ticks_off or size <= 0 or not drawable_span(min(minVal, maxVal), max(minVal, maxVal)):
            return []
        try:
            return super().tickValues(minVal, maxVal, size)
        except Exception as exc:  # any fault here costs the ticks, never the paint
            report_once(self, exc)
            return []

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:  # noqa: N802 - pyqtgraph override
        try:
            return super().tickStrings(values, scale, spacing)
        except Exception as exc:
            report_once(self, exc)
            return [""] * len(values)

    def generateDrawSpecs(self, p: Any) -> Any:  # noqa: N802 - pyqtgraph override
        try:
            return super().generateDrawSpecs(p)
        except Exception as exc:
            report_once(self, exc)
        # Once more without ticks, so the axis line and its title are still drawn.
        self._ticks_off = True
        try:
            return super().generateDrawSpecs(p)
        except Exception as exc:
            report_once(self, exc)
            return None
        finally:
            self._ticks_off = False


class SafeAxisItem(SafeTicks, pg.AxisItem):
    """pyqtgraph's AxisItem with SafeTicks."""


class SafeDateAxisItem(SafeTicks, pg.DateAxisItem):
    """pyqtgraph's DateAxisItem with SafeTicks."""


class GuardedPlotWidget(pg.PlotWidget):
    """A PlotWidget with safe axes on every side, and paint and event handlers no exception escapes.

    Pass `axisItems` as to PlotWidget (they should be SafeTicks axes too); the top and right axes stay hidden
    unless given, as in PlotWidget."""

    def __init__(self, parent: QWidget | None = None, axisItems: dict[str, pg.AxisItem] | None = None,  # noqa: N803
                 **kwargs: Any) -> None:
        given = dict(axisItems or {})
        axes = {name: given.get(name) or SafeAxisItem(name) for name in AXES}
        contain_item_paints()  # item classes defined since this module was imported
        super().__init__(parent, axisItems=axes, **kwargs)
        for name in ("top", "right"):
            if name not in given:
                self.getPlotItem().hideAxis(name)

    def add_header_legend(self) -> pg.LegendItem:
        """A legend in a row above the data: it never covers the curves or the part labels."""
        item = self.getPlotItem()
        legend = pg.LegendItem(offset=None, labelTextSize="9pt", colCount=4, horSpacing=16)
        # The plot's title cell (row 0, above the view box) holds the legend; the row grows to fit it.
        item.layout.removeItem(item.titleLabel)
        item.titleLabel.hide()
        item.layout.addItem(legend, 0, 1)
        return legend

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        # pyqtgraph's GraphicsView.paintEvent in two steps, so that a failure to lay out the scene (view ranges,
        # auto-range) still lets the items be drawn as they are.
        try:
            self.scene().prepareForPaint()
        except Exception as exc:
            report_once(self, exc)
        try:
            QGraphicsView.paintEvent(self, event)
        except Exception as exc:
            report_once(self, exc)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Paint, mouse, wheel and resize events of the drawing area, and the scene's handlers behind them.
        try:
            return super().viewportEvent(event)
        except Exception as exc:
            report_once(self, exc)
            return True

    def event(self, event: QEvent) -> bool:
        try:
            return super().event(event)
        except Exception as exc:
            report_once(self, exc)
            return True


def _contained(method: Callable[..., Any], fallback: Callable[[], Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            report_once(self, exc)
            return fallback()

    guarded.contained = True  # type: ignore[attr-defined]
    return guarded


def _item_classes(cls: type = QGraphicsItem) -> Iterator[type]:
    for sub in cls.__subclasses__():
        if sub.__module__.startswith(("pyqtgraph.", "workbench.")):
            yield sub
        yield from _item_classes(sub)


def contain_item_paints() -> None:
    """Wrap `paint` and `boundingRect` of every graphics item class of pyqtgraph and of the workbench (see the
    module docstring); classes already wrapped are left as they are, so calling it again is cheap."""
    fallbacks = {"paint": lambda: None, "boundingRect": QRectF}
    for cls in set(_item_classes()):
        for name, fallback in fallbacks.items():
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "contained", False):
                setattr(cls, name, _contained(method, fallback))


contain_item_paints()
