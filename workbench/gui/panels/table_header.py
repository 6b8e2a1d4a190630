"""A column header for small read-only tables: labels that wrap instead of being cut, and columns that share the
table's width without cutting what they hold."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView, QWidget

WORD_SPACE = 4  # px beside the longest word of a label, so it never touches the section's edges


def share_width(needs: list[int], space: int) -> list[int]:
    """Widths for columns that need `needs` pixels, together `space` wide: as equal as the needs allow (the narrow
    ones widen first, a wide one keeps its need); just the needs when they do not fit (the table scrolls)."""
    if not needs or sum(needs) >= space:
        return list(needs)
    # The common width w of the columns that need less: sum(max(need, w)) == space.
    left, count = space, len(needs)
    for need in sorted(needs, reverse=True):
        if need * count <= left:
            break
        left, count = left - need, count - 1
    level = left // count
    widths = [max(need, level) for need in needs]
    spare = space - sum(widths)  # the pixels the division left: one more for the last columns at the level
    for index in reversed(range(len(widths))):
        if spare == 0:
            break
        if needs[index] < level:
            widths[index] += 1
            spare -= 1
    return widths


class FittingHeader(QHeaderView):
    """A table's column header whose labels wrap onto more lines instead of being cut ("Seasonal naive MASE" in a
    narrow column), as tall as its longest label needs at the columns' widths.

    Each column left in Interactive mode (the default here) gets at least the width of its widest cell and of the
    longest word of its label, and the width left over is shared so the columns are as equal as that allows. A
    column given another mode (ResizeToContents, Stretch) keeps Qt's sizing; the others share what it leaves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._height = 0  # the height the last layout gave; a change lays the table out again
        self._pending = False  # a new layout is due on the next turn of the event loop
        self.sectionResized.connect(self.settle_later)

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 - Qt override
        super().setModel(model)
        if model is not None:  # the labels and cells are set after the table is made, and again on each refill
            for signal in (model.headerDataChanged, model.dataChanged, model.columnsInserted, model.rowsInserted,
                           model.modelReset, model.layoutChanged):
                signal.connect(self.settle_later)

    def label(self, section: int) -> str:
        model = self.model()
        text = model.headerData(section, self.orientation(), Qt.ItemDataRole.DisplayRole) if model else None
        return str(text) if text is not None else ""

    def sectionSizeFromContents(self, logical_index: int) -> QSize:  # noqa: N802 - Qt override
        size = super().sectionSizeFromContents(logical_index)
        margins = 2 * self._margin()  # the style draws the label inside the section less its margins
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        bounds = QRect(0, 0, max(1, self.sectionSize(logical_index) - margins), 100_000)
        lines = self.fontMetrics().boundingRect(bounds, flags, self.label(logical_index))
        size.setHeight(max(size.height(), lines.height() + margins + 2))
        return size

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Qt's own hint measures a few sections once and keeps it; the wrapped height changes with the widths.
        hint = super().sizeHint()
        heights = [self.sectionSizeFromContents(i).height() for i in range(self.count()) if not self.isSectionHidden(i)]
        hint.setHeight(max([hint.height(), *heights]))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.settle_later()

    def settle_later(self) -> None:
        """Fit the columns, the rows and the header's height once the current change is complete (a refill sets
        every cell, a resize moves every column: one layout for all of it, not one each)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._settle)

    def word_width(self, section: int) -> int:
        """The width of the longest word of a column's label, with the section's margins."""
        widest = max((self.fontMetrics().horizontalAdvance(word) for word in self.label(section).split()), default=0)
        return widest + 2 * self._margin() + WORD_SPACE

    def _margin(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)

    def _settle(self) -> None:
        self._pending = False
        table = self.parentWidget()
        if not isinstance(table, QTableView):
            return
        self._fit_columns(table)
        # Rows measured while the columns were narrower would keep the height of the text wrapped there.
        table.resizeRowsToContents()
        height = self.sizeHint().height()
        if height != self._height:
            self._height = height
            self.updateGeometry()
            table.updateGeometries()  # places the header at its new height and the rows under it
            table.updateGeometry()  # a table as tall as its contents grows with it

    def _fit_columns(self, table: QTableView) -> None:
        shown = [c for c in range(self.count()) if not self.isSectionHidden(c)]
        fitted = [c for c in shown if self.sectionResizeMode(c) == QHeaderView.ResizeMode.Interactive]
        if not fitted:
            return
        taken = sum(self.sectionSize(c) for c in shown if c not in fitted)
        needs = [max(table.sizeHintForColumn(c), self.word_width(c)) for c in fitted]
        for column, width in zip(fitted, share_width(needs, table.viewport().width() - taken)):
            if self.sectionSize(column) != width:
                self.resizeSection(column, width)
