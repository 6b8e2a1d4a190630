"""One training text as the model receives it: its tokens cell by cell, the padding, and what truncation cut."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.flow_layout import FlowLayout
from workbench.gui.panels.text_view import describe_token, symbols_for, visible_token

PAD_TEXT = "\u00b7pad\u00b7"
TOKEN_STYLE = "QLabel { background: #e3eefa; color: #0d3a66; border: 1px solid #b7cde6; border-radius: 3px; " \
              "padding: 1px 4px; }"
PAD_STYLE = "QLabel { background: #e0e0e0; color: #757575; border: 1px dashed #bdbdbd; border-radius: 3px; " \
            "padding: 1px 4px; }"
CUT_STYLE = "QLabel { background: #fff3e0; color: #b34700; border: 1px dashed #e6a15c; border-radius: 3px; " \
            "padding: 1px 4px; }"
# A long run of padding is shown as its first few cells and one "× n" cell: hundreds of grey cells say nothing more.
PAD_RUN_SHOWN = 6
PAD_RUN_LIMIT = 12
EMPTY_TEXT = "No example to show. Load labelled texts to see how one is encoded."
_SIDES = {"end": "end", "post": "end", "right": "end", "start": "start", "pre": "start", "left": "start"}


def truncation_sentence(truncated_tokens: int, side: str) -> str:
    """ "12 tokens cut from the end (truncation keeps the start)", or a note that nothing was cut."""
    cut_side = _SIDES.get(side.lower())
    if cut_side is None:
        raise ValueError(f"Truncation side {side!r} is not one of 'end' or 'start' (or 'post' / 'pre').")
    kept = "start" if cut_side == "end" else "end"
    if truncated_tokens <= 0:
        return "Nothing cut: the whole text fits in the maximum length."
    noun = "token" if truncated_tokens == 1 else "tokens"
    return f"{truncated_tokens:,} {noun} cut from the {cut_side} (truncation keeps the {kept})"


def _pad_runs(mask: list[bool]) -> list[tuple[bool, int, int]]:
    """(is_real, start, length) for each run of real tokens or padding in `mask`."""
    runs: list[tuple[bool, int, int]] = []
    for index, real in enumerate(mask):
        if runs and runs[-1][0] == bool(real):
            runs[-1] = (runs[-1][0], runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((bool(real), index, 1))
    return runs


class PaddedExample(QWidget):
    """Cells for one encoded example (blue: tokens, grey: padding), the truncation note and Previous/Next."""

    example_requested = Signal(int)  # the index of the example the user asked for (Previous / Next)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._index, self._count = 0, 0
        self._mask: list[bool] = []
        self._font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        # The brief's symbols: "␣" for a space (drawn by every common font, unlike "␠"), "↵" for a newline.
        self._symbols = {**symbols_for(self._font), " ": "\u2423", "\n": "\u21b5"}
        self.label = QLabel()
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.truncation = QLabel()
        self.truncation.setWordWrap(True)
        self.truncation.setStyleSheet("color: #555555;")
        self.position = QLabel()
        self.previous_button = QPushButton("\u2039 Previous example")
        self.next_button = QPushButton("Next example \u203a")
        self.previous_button.clicked.connect(self._on_previous_clicked)
        self.next_button.clicked.connect(self._on_next_clicked)
        self._build()
        self.clear()

    # ---- public

    def set_example(self, tokens: list[str], mask: list[bool], truncated_tokens: int, side: str,
                    label: str | None = None) -> None:
        """Show one encoded example.

        Parameters
        ----------
        tokens
            One string per position, padding included (its text is ignored: padding shows as "·pad·").
        mask
            True where the position holds a real token, False where it holds padding; as long as `tokens`.
        truncated_tokens
            How many tokens of the original text did not fit in the maximum length.
        side
            The side they were cut from: "end" (or "post") or "start" (or "pre").
        label
            The example's class, shown above the cells.
        """
        if len(tokens) != len(mask):
            raise ValueError(f"The example has {len(tokens)} tokens but {len(mask)} mask values; "
                             "pass one mask value per token.")
        sentence = truncation_sentence(truncated_tokens, side)
        self._mask = [bool(real) for real in mask]
        self.cells.clear()
        cut_first = _SIDES[side.lower()] == "start"
        if truncated_tokens > 0 and cut_first:
            self._add_cut_cell(truncated_tokens)
        for real, start, length in _pad_runs(self._mask):
            if real:
                for position in range(start, start + length):
                    self._add_token(tokens[position], position)
            else:
                self._add_padding(start, length)
        if truncated_tokens > 0 and not cut_first:
            self._add_cut_cell(truncated_tokens)
        real_count = sum(self._mask)
        pad_count = len(self._mask) - real_count
        self.label.setText(f"Label: <b>{html.escape(label)}</b>" if label is not None else "")
        self.label.setVisible(label is not None)
        self.counts.setText(f"{len(self._mask):,} positions: {real_count:,} "
                            f"{'token' if real_count == 1 else 'tokens'}, {pad_count:,} padding")
        self.truncation.setText(sentence)
        self.truncation.setStyleSheet(f"color: {'#b34700' if truncated_tokens > 0 else '#555555'};")
        self.empty_hint.hide()
        self.scroll.show()

    def set_position(self, index: int, count: int, noun: str = "Example", where: str = "") -> None:
        """Which example this is (0-based `index`) of `count`, e.g. "Training text 3 of 2,100 (table row 7)";
        Previous/Next go one step from here."""
        self._index, self._count = index, count
        place = f" ({where})" if where else ""
        self.position.setText(f"{noun} {index + 1:,} of {count:,}{place}" if count else "")
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < count - 1)

    def clear(self) -> None:
        """Show no example (and keep the position)."""
        self._mask = []
        self.cells.clear()
        self.label.hide()
        self.counts.setText("")
        self.truncation.setText("")
        self.scroll.hide()
        self.empty_hint.show()
        self.set_position(0, 0)

    def cell_texts(self) -> list[str]:
        """The text of each cell as shown, in order: a collapsed padding run is one "·pad· × n more" cell and
        the tokens cut by truncation one "✂ n cut" cell at the side they were cut from."""
        return [self.cells.itemAt(i).widget().text() for i in range(self.cells.count())]

    def padding_cells(self) -> int:
        """How many cells are shown as padding (a collapsed run counts once)."""
        return sum(text.startswith(PAD_TEXT) for text in self.cell_texts())

    def padding_count(self) -> int:
        """How many positions hold padding, whether shown one by one or collapsed."""
        return len(self._mask) - sum(self._mask)

    def truncation_text(self) -> str:
        return self.truncation.text()

    def position_text(self) -> str:
        return self.position.text()

    # ---- building

    def _build(self) -> None:
        holder = QWidget()
        self.cells = FlowLayout(holder, spacing=3)
        self.cells.setContentsMargins(4, 4, 4, 4)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(holder)
        holder.setStyleSheet("background: white;")
        self.empty_hint = QLabel(EMPTY_TEXT)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("color: #666666;")
        legend = QLabel(f"<span style='background:#e3eefa; color:#0d3a66'>&nbsp;token&nbsp;</span> the model "
                        f"reads &nbsp; <span style='background:#e0e0e0; color:#757575'>&nbsp;{PAD_TEXT}&nbsp;</span>"
                        " padding, masked out")
        legend.setStyleSheet("color: #555555;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.position)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.label)
        layout.addWidget(self.counts)
        layout.addWidget(self.truncation)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.empty_hint, 1)
        layout.addWidget(legend)

    def _add_token(self, token: str, position: int) -> None:
        # Plain text: a token such as "<br>" must show as itself, not as markup. "∅" marks an empty token.
        cell = QLabel(visible_token(token, self._symbols) or "\u2205")
        cell.setTextFormat(Qt.TextFormat.PlainText)
        cell.setFont(self._font)
        cell.setStyleSheet(TOKEN_STYLE)
        cell.setToolTip(f"Position {position + 1}: {describe_token(token)}")
        self.cells.addWidget(cell)

    def _add_padding(self, start: int, length: int) -> None:
        shown = length if length <= PAD_RUN_LIMIT else PAD_RUN_SHOWN
        for position in range(start, start + shown):
            self._add_pad_cell(PAD_TEXT, f"Position {position + 1}: padding. The mask tells the model to skip it.")
        if shown < length:
            rest = length - shown
            self._add_pad_cell(f"{PAD_TEXT} \u00d7 {rest:,} more",
                               f"Positions {start + shown + 1}-{start + length}: {rest:,} more padding cells.")

    def _add_pad_cell(self, text: str, tip: str) -> None:
        cell = QLabel(text)
        cell.setTextFormat(Qt.TextFormat.PlainText)
        cell.setFont(self._font)
        cell.setStyleSheet(PAD_STYLE)
        cell.setToolTip(tip)
        self.cells.addWidget(cell)

    def _add_cut_cell(self, count: int) -> None:
        cell = QLabel(f"\u2702 {count:,} cut")
        cell.setFont(self._font)
        cell.setStyleSheet(CUT_STYLE)
        cell.setToolTip(f"{count:,} more {'token' if count == 1 else 'tokens'} of the text did not fit in the "
                        "maximum length; the model never sees them.")
        self.cells.addWidget(cell)

    # ---- slots

    def _on_previous_clicked(self) -> None:
        if self._index > 0:
            self.example_requested.emit(self._index - 1)

    def _on_next_clicked(self) -> None:
        if self._index < self._count - 1:
            self.example_requested.emit(self._index + 1)
