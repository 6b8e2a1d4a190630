"""A box to type a text into and see what the classifier makes of it, class by class."""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from workbench.gui.panels.probability_bars import ProbabilityBars

# Long enough that a typist's next key restarts the wait, short enough that the answer feels live.
DEBOUNCE_MS = 250
PROMPT = "Type or paste a text, for example a review, to see which class the model gives it."


class TryItBox(QWidget):
    """A text box that reports what the user typed once typing pauses, and bars for the model's answer."""

    text_changed = Signal(str)  # the text, after a 250 ms pause in typing; only when it differs from the last one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last_sent = ""
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(PROMPT)
        # A few lines: room for a review without pushing the bars out of view.
        self.editor.setFixedHeight(self.editor.fontMetrics().lineSpacing() * 5 + 12)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._on_pause)
        self.editor.textChanged.connect(self._on_text_edited)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #666666; font-style: italic;")
        self.message.hide()
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.bars = ProbabilityBars()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        layout.addWidget(self.message)
        layout.addWidget(self.answer)
        layout.addWidget(self.bars)
        layout.addStretch(1)
        self.clear()

    def set_probabilities(self, probabilities: list[float], classes: list[str]) -> None:
        """Show the model's probabilities for the current text (one per class, in class order)."""
        self.bars.set_probabilities(probabilities, classes)
        winner = self.bars.winner()
        if winner >= 0:
            self.answer.setText(f"The model says <b>{html.escape(classes[winner])}</b> "
                                f"({self.bars.rows()[winner][1]} sure).")

    def set_message(self, text: str) -> None:
        """Show why there is nothing to try ("Train or open a classifier first") and disable the box;
        an empty `text` enables it again and sends the text already typed, if any, for the new model."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.editor.setEnabled(not text)
        if text:
            self.timer.stop()
            self._clear_answer()
            return
        self._last_sent = ""
        if self.editor.toPlainText().strip():
            self.timer.start()

    def clear(self) -> None:
        """Empty the box and the bars without sending anything."""
        self.editor.blockSignals(True)
        self.editor.clear()
        self.editor.blockSignals(False)
        self.timer.stop()
        self._last_sent = ""
        self._clear_answer()

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Put `text` in the box as if typed (it is sent after the pause)."""
        self.editor.setPlainText(text)

    def _clear_answer(self) -> None:
        self.bars.clear()
        self.answer.setText("")

    # ---- slots

    def _on_text_edited(self) -> None:
        # Each key restarts the wait, so one signal follows a burst of typing.
        self.timer.start()
        if not self.editor.toPlainText().strip():
            self._clear_answer()

    def _on_pause(self) -> None:
        text = self.editor.toPlainText()
        # Nothing to classify in an empty box; the bars were cleared as it emptied.
        if not text.strip():
            self._last_sent = ""
            return
        if text != self._last_sent:
            self._last_sent = text
            self.text_changed.emit(text)

