"""The text view: an opened text file's counts, notes, most frequent tokens and the text with its validation part."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.text.summary import TextSummary
from workbench.gui.theme import VAL_FILL

# Up to this many characters the whole text is shown: Qt lays out 300k characters in about 15 ms here.
FULL_LIMIT = 300_000
# Longer texts show the start, a window around the split and the start of the validation part.
HEAD_CHARS = 60_000
BEFORE_SPLIT = 20_000
AFTER_SPLIT = 60_000
# Cuts move to the nearest line end within this many characters, so shown lines stay whole.
LINE_SNAP = 2_000
EMPTY_TITLE = "No text file loaded"
EMPTY_HINT = "Open a plain-text file to train a character or word language model on it."
_SYMBOLS = {" ": "\u2420", "\n": "\u21b5", "\t": "\u21e5", "\r": "\u240d", "\u00a0": "\u237d"}
# Stand-ins for symbols a font may lack (DejaVu, common on Linux, has no U+2420 or U+240D).
_FALLBACKS = {"\u2420": "\u2423", "\u240d": "CR"}
_NAMES = {" ": "space", "\n": "newline", "\t": "tab", "\r": "carriage return", "\u00a0": "no-break space"}


def _blend(rgba: tuple[int, int, int, int]) -> QColor:
    """The theme's translucent fill as the opaque colour it gives on white (selections then stay readable)."""
    r, g, b, a = rgba
    return QColor(*(round(255 - (255 - c) * a / 255) for c in (r, g, b)))


VAL_BACKGROUND = _blend(VAL_FILL)


def _runs(token: str) -> list[tuple[str, int]]:
    runs: list[tuple[str, int]] = []
    for ch in token:
        if runs and runs[-1][0] == ch:
            runs[-1] = (ch, runs[-1][1] + 1)
        else:
            runs.append((ch, 1))
    return runs


def symbols_for(font: QFont) -> dict[str, str]:
    """The whitespace symbols `font` can draw: "␠" for a space, or "␣" where the font has no "␠"."""
    metrics = QFontMetrics(font)
    return {ch: symbol if metrics.inFontUcs4(ord(symbol)) else _FALLBACKS.get(symbol, symbol)
            for ch, symbol in _SYMBOLS.items()}


def visible_token(token: str, symbols: dict[str, str] | None = None) -> str:
    """A token with its invisible characters drawn: "␠", "↵", "⇥"; long runs as "␠×8"; others as U+XXXX."""
    symbols = _SYMBOLS if symbols is None else symbols
    if not token.isspace():
        return "".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in token)
    parts = []
    for ch, n in _runs(token):
        symbol = symbols.get(ch, f"U+{ord(ch):04X} ")
        parts.append(symbol * n if n <= 3 else f"{symbol}\u00d7{n}")
    return "".join(parts).strip()


def describe_token(token: str) -> str:
    """Whitespace in words ("a newline and 4 spaces"); other tokens in quotes."""
    if not token.isspace():
        return repr(token)
    words = []
    for ch, n in _runs(token):
        name = _NAMES.get(ch, f"U+{ord(ch):04X}")
        words.append(f"a {name}" if n == 1 else f"{n} {name}{'es' if name.endswith('s') else 's'}")
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _line_end_after(text: str, index: int) -> int:
    """`index`, or just past the first newline within LINE_SNAP after it."""
    found = text.find("\n", index, index + LINE_SNAP)
    return index if found < 0 else found + 1


def _line_start_before(text: str, index: int) -> int:
    found = text.rfind("\n", max(0, index - LINE_SNAP), index)
    return index if found < 0 else found + 1


def excerpt(text: str, split: int) -> tuple[str, int, list[tuple[int, int, int]]]:
    """What to show of `text`: (shown text, index of `split` in it, (start, end, hidden) per "not shown" marker).

    Texts up to FULL_LIMIT come back whole. Longer ones keep the start, then a window from a little before
    the split into the validation part, with a marker line wherever characters were left out.
    """
    if len(text) <= FULL_LIMIT:
        return text, split, []
    head_end = _line_end_after(text, HEAD_CHARS)
    start = max(head_end, _line_start_before(text, max(0, split - BEFORE_SPLIT)))
    end = min(len(text), _line_end_after(text, max(split, head_end) + AFTER_SPLIT))
    pieces = [text[:head_end]]
    markers: list[tuple[int, int, int]] = []

    def add_marker(hidden: int) -> None:
        if not pieces[-1].endswith("\n"):
            pieces.append("\n")
        offset = sum(map(len, pieces))
        marker = f"\u2026 {hidden:,} characters not shown \u2026"
        markers.append((offset, offset + len(marker), hidden))
        pieces.append(marker + "\n")

    if start > head_end:
        add_marker(start - head_end)
    # A split inside the head (a huge validation share) is shown where it is.
    shown_split = split if split < head_end else sum(map(len, pieces)) + split - start
    pieces.append(text[start:end])
    if end < len(text):
        add_marker(len(text) - end)
    return "".join(pieces), shown_split, markers


def qt_position(text: str, index: int) -> int:
    """Qt counts UTF-16 units: a character beyond U+FFFF (an emoji) takes two document positions."""
    head = text[:index]
    return index if head.isascii() else len(head.encode("utf-16-le")) // 2


def _legend_swatch(color: str, tip: str) -> QLabel:
    swatch = QLabel()
    swatch.setFixedSize(12, 12)
    swatch.setStyleSheet(f"background: {color}; border: 1px solid #9e9e9e;")
    swatch.setToolTip(tip)
    return swatch


class TextView(QWidget):
    """What the user sees of an opened text file; `set_summary` fills it, `clear` empties it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._validation_position = -1
        self._build()
        self.clear()

    # ---- public

    def set_summary(self, summary: TextSummary, text: str) -> None:
        """Show `text` (the whole decoded file) as `summary` describes it."""
        unit = summary.unit
        level = "character" if summary.level == "char" else "word"
        val_share = summary.n_val_tokens / max(1, summary.n_tokens)
        self.title.setText(Path(summary.path).name)
        self.title.setToolTip(summary.path)
        self.counts.setText(f"{summary.n_chars:,} characters \u00b7 {summary.n_lines:,} lines \u00b7 "
                            f"{summary.n_tokens:,} {level} tokens \u00b7 vocabulary {summary.vocab_size:,}")
        self.counts.setToolTip(f"The vocabulary holds {summary.vocab_size - 1:,} of the "
                               f"{summary.distinct_train_tokens:,} distinct {unit} of the training part, plus the "
                               "unknown token \u2047 for everything else.")
        self.split.setText(f"Training {summary.n_train_tokens:,} {unit} \u00b7 validation "
                           f"{summary.n_val_tokens:,} {unit} ({val_share:.0%}), from character "
                           f"{summary.split_char:,}")
        self.notes.setText("<br>".join(f"\u2022 {html.escape(note)}" for note in summary.notes))
        self.notes.setVisible(bool(summary.notes))
        self._fill_tokens(summary)
        self._fill_text(text, summary.split_char)

    def clear(self) -> None:
        self.title.setText(EMPTY_TITLE)
        self.title.setToolTip("")
        self.counts.setText(EMPTY_HINT)
        self.counts.setToolTip("")
        self.split.setText("")
        self.notes.setText("")
        self.notes.hide()
        self.tokens.setRowCount(0)
        self.text.clear()
        self.shown_label.setText("")
        self._validation_position = -1
        self.go_button.setEnabled(False)

    def header_text(self) -> str:
        """The file name and the count lines, as plain text."""
        return "\n".join(label.text() for label in (self.title, self.counts, self.split) if label.text())

    def notes_text(self) -> str:
        return "" if self.notes.isHidden() else html.unescape(self.notes.text().replace("<br>", "\n"))

    def shown_text(self) -> str:
        return self.text.toPlainText()

    def top_tokens_rows(self) -> list[tuple[str, str, str]]:
        """(token, count, share) per row, as shown."""
        return [tuple(self.tokens.item(row, col).text() for col in range(3))
                for row in range(self.tokens.rowCount())]

    def validation_position(self) -> int:
        """Document position where the shaded validation part begins; -1 when nothing is shown."""
        return self._validation_position

    def is_shaded(self, position: int) -> bool:
        """Whether the character at document `position` has the validation background (line ends never do)."""
        block = self.text.document().findBlock(position)
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.contains(position):
                return fragment.charFormat().background().color() == VAL_BACKGROUND
            iterator += 1
        return False

    # ---- layout

    def _build(self) -> None:
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.counts = QLabel()
        self.split = QLabel()
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        for label in (self.counts, self.split, self.notes):
            label.setWordWrap(True)  # long lines wrap rather than widen the whole tab
            label.setStyleSheet("color: #555555;")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_text_side())
        splitter.addWidget(self._build_tokens())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        for label in (self.title, self.counts, self.split, self.notes):
            layout.addWidget(label)
        layout.addWidget(splitter, 1)

    def _build_text_side(self) -> QWidget:
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlaceholderText(EMPTY_HINT)
        self.go_button = QPushButton("Go to validation")
        self.go_button.setToolTip("Scroll to the first character the model is scored on, not trained on.")
        self.go_button.clicked.connect(self._on_go_clicked)
        self.shown_label = QLabel()
        self.shown_label.setStyleSheet("color: #555555;")
        self.shown_label.setWordWrap(True)
        legend = QHBoxLayout()
        legend.setSpacing(4)
        legend.addWidget(_legend_swatch("#ffffff", "The model learns from this part."))
        legend.addWidget(QLabel("training"))
        legend.addSpacing(10)
        legend.addWidget(_legend_swatch(VAL_BACKGROUND.name(), "Held out: the model is scored on this part."))
        legend.addWidget(QLabel("validation"))
        legend.addStretch(1)
        legend.addWidget(self.go_button)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(legend)
        column.addWidget(self.shown_label)
        column.addWidget(self.text, 1)
        return side

    def _build_tokens(self) -> QGroupBox:
        self.tokens = QTableWidget(0, 3)
        self.tokens.setHorizontalHeaderLabels(["Token", "Count", "Share"])
        self.tokens.horizontalHeaderItem(2).setToolTip("Share of all tokens in the training part.")
        self.tokens.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tokens.verticalHeader().hide()
        self.tokens.verticalHeader().setDefaultSectionSize(self.tokens.fontMetrics().height() + 6)
        self.tokens.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        box = QGroupBox("Top tokens (training)")
        QVBoxLayout(box).addWidget(self.tokens)
        return box

    def _fill_tokens(self, summary: TextSummary) -> None:
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        symbols = symbols_for(fixed)
        self.tokens.setRowCount(len(summary.top_tokens))
        for row, (token, count) in enumerate(summary.top_tokens):
            shown = QTableWidgetItem(visible_token(token, symbols))
            shown.setFont(fixed)
            shown.setToolTip(describe_token(token))
            cells = (shown, QTableWidgetItem(f"{count:,}"),
                     QTableWidgetItem(f"{count / max(1, summary.n_train_tokens):.1%}"))
            for col, item in enumerate(cells):
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.tokens.setItem(row, col, item)

    def _fill_text(self, text: str, split: int) -> None:
        shown, shown_split, markers = excerpt(text, split)
        self.text.setPlainText(shown)
        document = self.text.document()
        # One format over the whole validation range: a single change however long the text is.
        cursor = QTextCursor(document)
        self._validation_position = qt_position(shown, shown_split)
        cursor.setPosition(self._validation_position)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        shade = QTextCharFormat()
        shade.setBackground(VAL_BACKGROUND)
        cursor.setCharFormat(shade)
        marker_format = QTextCharFormat()
        marker_format.setForeground(QColor("#555555"))
        marker_format.setBackground(QColor("#e6e6e6"))
        marker_format.setFontItalic(True)
        marker_format.setFontWeight(QFont.Weight.Bold)
        for start, end, _hidden in markers:
            cursor.setPosition(qt_position(shown, start))
            cursor.setPosition(qt_position(shown, end), QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(marker_format)
        self.go_button.setEnabled(True)
        hidden = sum(marker[2] for marker in markers)
        self.shown_label.setText(f"Showing {len(text) - hidden:,} of {len(text):,} characters" if hidden else "")

    # ---- slots

    def _on_go_clicked(self) -> None:
        # Jumping to the end first makes the scroll back land with the split on the top line.
        self.text.moveCursor(QTextCursor.MoveOperation.End)
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self._validation_position)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()
        self.text.setFocus()
