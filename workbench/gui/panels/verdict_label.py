"""A label for a verdict (how a model compares with its baselines), coloured by the tone its sentence was written
with: green only when the verdict's own function said "better"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from workbench.core.training.advice import Verdict

TONE_STYLES = {
    "better": "color: #1b5e20; font-weight: bold;",
    "worse": "color: #b34700; font-weight: bold;",
    "tie": "color: #333333; font-weight: bold;",
    "neutral": "color: #333333;",
}


class VerdictLabel(QLabel):
    """Shows a `Verdict`; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tone = ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def set_verdict(self, verdict: Verdict | None) -> None:
        self._tone = verdict.tone if verdict is not None else ""
        self.setText(verdict.text if verdict is not None else "")
        self.setStyleSheet(TONE_STYLES.get(self._tone, ""))
        self.setVisible(bool(verdict and verdict.text))

    def tone(self) -> str:
        """The tone shown ("" when no verdict is)."""
        return self._tone if not self.isHidden() else ""
