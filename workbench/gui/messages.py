"""How problems reach the user: an inline message bar for expected errors, a log file and dialog for bugs."""

from __future__ import annotations

import html
import os
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QToolButton, QWidget

APP_NAME = "sequence-workbench"
LOG_FILE = "workbench.log"

# (background, border, text) per level: pale fills so the bar reads as a note inside the panel, not an alarm.
_LEVEL_COLORS = {
    "error": ("#fdecea", "#e8a09a", "#6b1a14"),
    "warning": ("#fff4e0", "#f0c36d", "#5c3b00"),
    "info": ("#e8f1fb", "#9cc3ea", "#0d3a66"),
}


class MessageBar(QFrame):
    """A banner at the top of a panel: one message at a time, coloured by level, closed with its x button."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MessageBar")
        self._level = ""
        self._text = ""
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.RichText)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._close = QToolButton(self)
        self._close.setText("\u2715")
        self._close.setAutoRaise(True)
        self._close.setToolTip("Hide this message")
        self._close.setCursor(Qt.CursorShape.PointingHandCursor)
        self._close.clicked.connect(self._on_close_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 4, 6)
        layout.setSpacing(8)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_error(self, text: str, hint: str = "") -> None:
        """Show what went wrong in bold and, after it, what the user can do about it."""
        self._show("error", text, hint)

    def show_warning(self, text: str) -> None:
        self._show("warning", text)

    def show_info(self, text: str) -> None:
        self._show("info", text)

    def clear(self) -> None:
        """Hide the bar and forget its message."""
        self._level = ""
        self._text = ""
        self._label.clear()
        self.hide()

    def is_shown(self) -> bool:
        """Whether a message is up (true even while the panel itself is not on screen)."""
        return not self.isHidden()

    def text(self) -> str:
        """The message as plain text, hint included; empty when nothing is shown."""
        return self._text

    def level(self) -> str:
        """"error", "warning", "info", or "" when nothing is shown."""
        return self._level

    def _show(self, level: str, text: str, hint: str = "") -> None:
        background, border, color = _LEVEL_COLORS[level]
        self.setStyleSheet(
            f"#MessageBar {{ background: {background}; border: 1px solid {border}; border-radius: 4px; }}"
            f"#MessageBar QLabel {{ color: {color}; background: transparent; border: none; }}"
            f"#MessageBar QToolButton {{ color: {color}; border: none; padding: 0 4px; }}"
        )
        body = html.escape(text)
        if level == "error":
            body = f"<b>{body}</b>"
        if hint:
            body += f"<br>{html.escape(hint)}"
        self._label.setText(body)
        self._level = level
        self._text = f"{text} {hint}".strip()
        self.show()

    def _on_close_clicked(self) -> None:
        self.clear()
        self.closed.emit()


def log_dir() -> Path:
    """Where bug reports go: $WORKBENCH_LOG_DIR when set (tests use it), else the platform's log folder."""
    override = os.environ.get("WORKBENCH_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME))


def log_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> Path:
    """Append a timestamped traceback to the log file and return the file's path."""
    return log_exception_text("".join(traceback.format_exception(exc_type, exc, tb)))


def log_exception_text(text: str) -> Path:
    """Append an already formatted traceback (e.g. one sent by the training thread) to the log file."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    stamp = datetime.now().isoformat(sep=" ", timespec="seconds")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"=== {stamp} ===\n{text}\n")
    return path


def show_exception_dialog(parent: QWidget | None, summary: str, details: str, log_path: str) -> QMessageBox:
    """An apology for a bug, with the traceback under "Show Details"; opened window-modal, not blocking."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Something went wrong")
    box.setText(f"Sorry, Sequence Workbench hit an unexpected problem: {summary}")
    box.setInformativeText(
        f"This is a bug, not something you did. The details were saved to:\n{log_path}\n"
        "Your data and settings are unchanged; you can carry on or save your work."
    )
    box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # open() returns at once, so neither an excepthook inside a slot nor a test waits on the dialog.
    box.open()
    return box


def report_exception(
    parent: QWidget | None, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> QMessageBox:
    """Log an unexpected exception and show the apology dialog; fits `sys.excepthook` with a parent bound."""
    path = log_exception(exc_type, exc, tb)
    summary = f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    return show_exception_dialog(parent, summary, details, str(path))
