"""The confusion matrix as a heat map: true classes down the left, predicted classes along the bottom."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

from workbench.gui.plots.guarded import GuardedPlotWidget

# Matplotlib's "Blues" ends: pale enough that dark text reads on empty cells, dark enough for white text on full ones.
COLOR_MAP = pg.ColorMap(pos=[0.0, 0.5, 1.0], color=[(247, 251, 255), (107, 174, 214), (8, 48, 107)])
DARK_TEXT = "#202020"
NAME_COLOR = "#333333"
LIGHT_TEXT = "#ffffff"
# Cell text size follows the cell: this share of the cell height per line, within these point sizes.
TEXT_SHARE = 0.2
MIN_POINTS, MAX_POINTS = 7, 12
# The left axis never takes more than this many pixels for class names; longer names are elided.
MAX_NAME_WIDTH = 110
TIP = ("Rows: the true class; columns: the class the model predicted. The diagonal holds the right answers. "
       "Each cell shows the number of test texts and their share of the row (of all texts of that true class).")


def text_color(rgb: tuple[int, int, int]) -> str:
    """White on dark cells, near-black on light ones (by perceived brightness)."""
    r, g, b = rgb[:3]
    return LIGHT_TEXT if 0.299 * r + 0.587 * g + 0.114 * b < 140 else DARK_TEXT


class ConfusionMatrixPlot(GuardedPlotWidget):
    """A heat map of counts with the count and row share written in each cell; `set_matrix` fills it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # PlotWidget copies PlotItem.clear (which removes every item) onto the instance; drop that copy so
        # clear() below, which keeps the image item and axes, is the one callers get.
        del self.clear
        self._matrix = np.zeros((0, 0))
        self._classes: list[str] = []
        self._normalise = False
        self._texts: list[list[pg.TextItem]] = []
        self._column_labels: list[str] = []
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setStyle(tickLength=0)
            # No axis line: the cells' edges are the axis. Setting the pen also sets the title colour, so
            # the titles below get theirs explicitly.
            axis.setPen(pg.mkPen(None))
            axis.setTextPen(pg.mkPen(NAME_COLOR))
        item.setLabel("left", "true", color=NAME_COLOR)
        item.setLabel("bottom", "predicted", color=NAME_COLOR)
        view = item.getViewBox()
        view.setMouseEnabled(x=False, y=False)
        view.invertY(True)
        view.setDefaultPadding(0.0)
        self.image = pg.ImageItem(axisOrder="row-major")
        item.addItem(self.image)
        view.sigResized.connect(self._on_view_resized)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.setToolTip(TIP)
        self.clear()

    def set_matrix(self, matrix: np.ndarray, classes: list[str], normalise: bool = False) -> None:
        """Show `matrix` (n x n counts; rows = true class, columns = predicted) for `classes`.

        With `normalise` the colour and the first line of each cell are the row share, the count comes second;
        otherwise the count leads and the colour follows the count.
        """
        matrix = np.asarray(matrix, dtype=float)
        n = len(classes)
        if matrix.shape != (n, n):
            raise ValueError(f"The confusion matrix has shape {matrix.shape} but there are {n} classes; "
                             f"pass an {n} x {n} matrix of counts (rows = true class).")
        self.clear()
        if n == 0:
            return
        self._matrix, self._classes, self._normalise = matrix, list(classes), normalise
        totals = matrix.sum(axis=1, keepdims=True)
        shares = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
        shown = shares if normalise else matrix / max(1.0, float(matrix.max()))
        # (n, n, 4) bytes; row-major, so row r is drawn at y in [r, r + 1].
        colors = COLOR_MAP.map(shown.ravel(), mode="byte").reshape(n, n, 4)
        self.image.setImage(colors, autoLevels=False)
        self.image.setRect(QRectF(0, 0, n, n))
        for row in range(n):
            texts = []
            for column in range(n):
                text = pg.TextItem(anchor=(0.5, 0.5), color=text_color(tuple(colors[row, column])))
                text.setPos(column + 0.5, row + 0.5)
                self.getPlotItem().addItem(text)
                texts.append(text)
            self._texts.append(texts)
        total = float(matrix.sum())
        accuracy = float(np.trace(matrix)) / total if total else float("nan")
        title = f"accuracy {accuracy:.1%} \u00b7 {total:,.0f} test texts" if total else "no test texts"
        self.getPlotItem().setTitle(title, size="9pt", color="#555555")
        self.getPlotItem().getViewBox().setRange(xRange=(0, n), yRange=(0, n), padding=0)
        self._fit()

    def clear(self) -> None:
        """Remove the cells, their texts and the class names."""
        for row in self._texts:
            for text in row:
                self.getPlotItem().removeItem(text)
        self._texts = []
        self._matrix, self._classes, self._column_labels = np.zeros((0, 0)), [], []
        self.image.clear()
        for name in ("left", "bottom"):
            self.getPlotItem().getAxis(name).setTicks([[]])
        self.getPlotItem().setTitle(None)

    def cell_texts(self) -> list[list[str]]:
        """The text of each cell as shown, row by row; the lines of a cell are joined by "\\n"."""
        return [[text.textItem.toPlainText().replace("\u2028", "\n") for text in row] for row in self._texts]

    def cell_text_colors(self) -> list[list[str]]:
        """The colour of each cell's text ("#rrggbb"), row by row."""
        return [[text.color.name() for text in row] for row in self._texts]

    def cell_tip(self, row: int, column: int) -> str:
        """A sentence for one cell: "12 texts of class positive were predicted neutral (10% of positive)"."""
        count = int(self._matrix[row, column])
        total = float(self._matrix[row].sum())
        share = count / total if total else 0.0
        true, predicted = self._classes[row], self._classes[column]
        verb = "right" if row == column else f"predicted {predicted}"
        return f"{count:,} texts of class {true} were {verb} ({share:.0%} of {true})"

    # ---- layout

    def _fit(self) -> None:
        """Size the cell text and the class names to the cells' size on screen."""
        n = len(self._classes)
        if n == 0:
            return
        view = self.getPlotItem().getViewBox()
        cell_width = max(1.0, view.width() / n)
        cell_height = max(1.0, view.height() / n)
        points = int(np.clip(min(cell_height, cell_width * 0.7) * TEXT_SHARE, MIN_POINTS, MAX_POINTS))
        font = QFont()
        font.setPointSize(points)
        # Two lines only where they fit; otherwise the leading number alone.
        two_lines = cell_height >= 2.6 * QFontMetrics(font).height()
        totals = self._matrix.sum(axis=1)
        for row, texts in enumerate(self._texts):
            for column, text in enumerate(texts):
                count = self._matrix[row, column]
                share = f"{count / totals[row]:.0%}" if totals[row] else "-"
                first, second = (share, f"({count:,.0f})") if self._normalise else (f"{count:,.0f}", share)
                text.setFont(font)
                body = html.escape(first)
                if two_lines:
                    body += f"<br><span style='font-size:{max(MIN_POINTS, points - 2)}pt'>{html.escape(second)}</span>"
                text.setHtml(f"<div style='text-align:center; color:{text.color.name()}'>{body}</div>")
        self._set_names(cell_width)

    def _set_names(self, cell_width: float) -> None:
        """Class names under the columns, or, where any would not fit, column numbers matched by the rows."""
        item = self.getPlotItem()
        metrics = QFontMetrics(item.getAxis("bottom").style.get("tickFont") or QFont())
        room = int(cell_width) - 6
        numbered = any(metrics.horizontalAdvance(name) > room for name in self._classes)
        if numbered:
            bottom = [str(i + 1) for i in range(len(self._classes))]
            left = [f"{metrics.elidedText(name, Qt.TextElideMode.ElideRight, MAX_NAME_WIDTH)} ({i + 1})"
                    for i, name in enumerate(self._classes)]
        else:
            bottom = list(self._classes)
            left = [metrics.elidedText(name, Qt.TextElideMode.ElideRight, MAX_NAME_WIDTH) for name in self._classes]
        self._column_labels = bottom
        item.getAxis("bottom").setTicks([[(i + 0.5, name) for i, name in enumerate(bottom)]])
        item.getAxis("left").setTicks([[(i + 0.5, name) for i, name in enumerate(left)]])
        item.getAxis("left").setWidth(max(metrics.horizontalAdvance(name) for name in left) + 30)
        item.setLabel("bottom", "predicted (numbered as the rows)" if numbered else "predicted", color=NAME_COLOR)

    def column_names(self) -> list[str]:
        """The labels under the columns, as shown (class names, or numbers when the names do not fit)."""
        return list(self._column_labels)

    # ---- slots

    def _on_view_resized(self) -> None:
        self._fit()

    def _on_mouse_moved(self, position: QPointF) -> None:
        n = len(self._classes)
        view = self.getPlotItem().getViewBox()
        if n == 0 or not view.sceneBoundingRect().contains(position):
            self.setToolTip(TIP)
            return
        point = view.mapSceneToView(position)
        row, column = int(point.y()), int(point.x())
        if 0 <= row < n and 0 <= column < n:
            self.setToolTip(self.cell_tip(row, column))
