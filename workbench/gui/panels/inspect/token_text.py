"""A passage with each token's background coloured by a value: a unit's activation, or the token's attribution.

The "quote detection cell" view of Karpathy, Johnson & Fei-Fei (2015): the text laid out as written, newlines
kept (and shown as "↵", so their colour shows too), one background per character or word.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QMouseEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QWidget

from workbench.gui.panels.inspect.colors import text_color
from workbench.gui.panels.text_view import visible_token

TIP = "Each token's background follows the chosen value: blue below 0, white at 0, red above (green for gates)."


def shown_token(token: str) -> str:
    """How a token is written: as it is, a newline as "↵" and a line break, other invisible characters named."""
    if "\n" in token:
        return token.replace("\r", "").replace("\n", "\u21b5\n")
    return token if token.isprintable() or token.isspace() else visible_token(token)


class TokenText(QTextEdit):
    """`set_tokens` writes the tokens once; `set_colors` recolours them; the mouse reports the token under it."""

    hovered = Signal(int)  # the token's index, -1 off the text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.viewport().setMouseTracking(True)
        self.setToolTip(TIP)
        self._starts: list[int] = []  # where each token's text begins in the document
        self._ends: list[int] = []
        # One format per colour, reused: a thousand tokens take 10 ms this way, 55 ms with a new format each.
        self._formats: dict[str, QTextCharFormat] = {}
        self._written: tuple[tuple[str, ...], str] = ((), "")

    def set_tokens(self, tokens: Sequence[str], separator: str = "") -> None:
        """Write `tokens`, `separator` between them (a classifier's words, read without their spaces); the same
        tokens again (a refresh during training) are left as they are."""
        if (tuple(tokens), separator) == self._written:
            return
        self._written = (tuple(tokens), separator)
        self.clear()
        self._starts, self._ends = [], []
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        plain = QTextCharFormat()
        for index, token in enumerate(tokens):
            if index and separator:
                cursor.insertText(separator, plain)
            self._starts.append(cursor.position())
            cursor.insertText(shown_token(token), plain)
            self._ends.append(cursor.position())
        cursor.endEditBlock()
        self.setTextCursor(QTextCursor(self.document()))  # the view starts at the passage's first line

    def set_colors(self, colors: Sequence[str]) -> None:
        """Give token i the background colors[i] ("#rrggbb"), and a text colour that reads on it."""
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for start, end, color in zip(self._starts, self._ends, colors):
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(self._format(color))
        cursor.endEditBlock()

    def _format(self, color: str) -> QTextCharFormat:
        found = self._formats.get(color)
        if found is None:
            found = self._formats[color] = QTextCharFormat()
            background = QColor(color)
            found.setBackground(background)
            found.setForeground(QColor(text_color(background)))
        return found

    def token_count(self) -> int:
        return len(self._starts)

    def token_backgrounds(self) -> list[str]:
        """The background each token shows now, as "#rrggbb" ("" where it has none): what the reader sees."""
        cursor = QTextCursor(self.document())
        shown = []
        for start in self._starts:
            cursor.setPosition(start + 1)  # the format of the character before the cursor: the token's first
            background = cursor.charFormat().background()
            shown.append(background.color().name() if background.style() != Qt.BrushStyle.NoBrush else "")
        return shown

    def token_at(self, pos: QPoint) -> int:
        """The index of the token under a point of the viewport, or -1."""
        offset = QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        position = self.document().documentLayout().hitTest(pos + offset, Qt.HitTestAccuracy.ExactHit)
        index = bisect.bisect_right(self._starts, position) - 1
        return index if position >= 0 and 0 <= index < len(self._ends) and position < self._ends[index] else -1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseMoveEvent(event)
        self.hovered.emit(self.token_at(event.position().toPoint()))

    def leaveEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().leaveEvent(event)
        self.hovered.emit(-1)
