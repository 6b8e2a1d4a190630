"""Horizontal bars of a classifier's probabilities, one per class, the most likely class highlighted."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from workbench.gui import theme

TRACK_COLOR = QColor("#eeeeee")
BAR_COLOR = QColor("#9ab8d6")
WINNER_COLOR = QColor(theme.TRAIN_COLOR)
WRONG_COLOR = QColor("#d9822b")
MARK_STYLE = "color: #1b5e20; font-weight: bold;"


def format_share(value: float) -> str:
    """A probability as a percentage people read at a glance: "87%", "<1%", ">99%"."""
    if not math.isfinite(value):
        return "-"
    if 0 < value < 0.005:
        return "<1%"
    if 0.995 <= value < 1:
        return ">99%"
    return f"{value:.0%}"


class Bar(QWidget):
    """One bar: a grey track filled in proportion to the value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = 0.0
        self.color = BAR_COLOR
        self.setMinimumWidth(60)

    def set_value(self, value: float, color: QColor) -> None:
        self.value = min(1.0, max(0.0, value)) if math.isfinite(value) else 0.0
        self.color = color
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(160, 14)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        track = QRectF(self.rect()).adjusted(0, 2, 0, -2)
        painter.setBrush(TRACK_COLOR)
        painter.drawRoundedRect(track, 2, 2)
        if self.value > 0:
            painter.setBrush(self.color)
            painter.drawRoundedRect(QRectF(track.x(), track.y(), max(2.0, track.width() * self.value),
                                           track.height()), 2, 2)
        painter.end()


class ProbabilityBars(QWidget):
    """Class name, bar and percentage per class; the most likely class in bold, an optional class marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(3)
        self.grid.setColumnStretch(1, 1)
        self._rows: list[tuple[QLabel, Bar, QLabel]] = []
        self._winner = -1

    def set_probabilities(self, probabilities: list[float], classes: list[str], marked: str | None = None,
                          mark_text: str = "true") -> None:
        """One bar per class; the most likely class is highlighted and `marked` (a class name) gets `mark_text`.

        When a class is marked and is not the most likely one, the winning bar turns orange: a wrong guess.
        """
        if len(probabilities) != len(classes):
            raise ValueError(f"{len(probabilities)} probabilities for {len(classes)} classes; "
                             "pass one probability per class, in class order.")
        self._ensure_rows(len(classes))
        finite = [p if math.isfinite(p) else -1.0 for p in probabilities]
        self._winner = max(range(len(finite)), key=finite.__getitem__) if finite else -1
        wrong = marked is not None and marked in classes and classes.index(marked) != self._winner
        for index, (name, bar, share) in enumerate(self._rows):
            winner = index == self._winner
            is_marked = marked is not None and classes[index] == marked
            name.setText(f"{classes[index]}  \u2713 {mark_text}" if is_marked else classes[index])
            name.setStyleSheet(MARK_STYLE if is_marked else ("font-weight: bold;" if winner else ""))
            bar.set_value(probabilities[index], (WRONG_COLOR if wrong else WINNER_COLOR) if winner else BAR_COLOR)
            share.setText(format_share(probabilities[index]))
            share.setStyleSheet("font-weight: bold;" if winner else "")

    def clear(self) -> None:
        self._ensure_rows(0)
        self._winner = -1

    def rows(self) -> list[tuple[str, str, bool]]:
        """(class label, percentage, highlighted as most likely) per bar, as shown."""
        return [(name.text(), share.text(), index == self._winner)
                for index, (name, _, share) in enumerate(self._rows)]

    def winner(self) -> int:
        """Index of the highlighted class, -1 when no bars are shown."""
        return self._winner

    def _ensure_rows(self, count: int) -> None:
        while len(self._rows) > count:
            for widget in self._rows.pop():
                self.grid.removeWidget(widget)
                widget.deleteLater()
        while len(self._rows) < count:
            row = len(self._rows)
            name, bar, share = QLabel(), Bar(), QLabel()
            share.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            share.setMinimumWidth(share.fontMetrics().horizontalAdvance(">99%") + 4)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(bar, row, 1)
            self.grid.addWidget(share, row, 2)
            self._rows.append((name, bar, share))
