"""What a workspace may use of the window: the runner, the message bar, the status line, settings and dialogs.

Workspaces get this object, never the window itself, so each one can be built and tested on its own and no
module under gui/ depends on main_window.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from workbench.gui.job_progress import JobProgress
from workbench.gui.messages import MessageBar, log_exception_text, show_exception_dialog
from workbench.gui.recent_files import remember_file
from workbench.gui.runner import Runner

if TYPE_CHECKING:
    from workbench.gui.workspaces.base import Workspace

SAMPLE_DATA = Path(__file__).resolve().parents[2] / "sample_data"


@dataclass
class Services:
    runner: Runner
    message_bar: MessageBar
    settings: QSettings
    dialog_parent: QWidget  # the parent of dialogs a workspace opens (file choosers, questions)
    show_status: Callable[[str], None]  # the one-line status at the bottom of the window
    files_changed: Callable[[], None]  # the recent-files list changed: the window refreshes its menu
    progress: JobProgress  # the status-bar line with Cancel for the file being read
    # Before a trained model that is not saved would be replaced or dropped (the workspace and what is about to
    # happen: "train", "model", "project", "close"): asks Save / Discard / Cancel; False means leave it be.
    model_may_go: Callable[[Workspace, str], bool]
    status_text: Callable[[], str] = str  # what the status line says now ("" by default: nothing known)

    @contextlib.contextmanager
    def busy(self, text: str) -> Iterator[None]:
        """A short wait in the GUI thread (a fraction of a second): a wait cursor and a status line."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.show_status(text)
        try:
            yield
        finally:
            QApplication.restoreOverrideCursor()

    def clear_status(self, text: str) -> None:
        """Empty the status line if it still says `text` (a newer message stays)."""
        if text and self.status_text() == text:
            self.show_status("")

    def report_bug(self, message: str, details: str) -> None:
        """A bug in a background job: the traceback goes to the log file, the user gets an apology with its path."""
        path = log_exception_text(details)
        show_exception_dialog(self.dialog_parent, message, details, str(path))
        self.show_status("")

    def show_error(self, message: str, hint: str = "") -> None:
        """A user error from the core: what is wrong and what to do, in the message bar."""
        self.message_bar.show_error(message, hint)
        self.show_status("")

    def remember_file(self, path: str) -> None:
        """An opened file goes to the top of File > Open Recent, and its folder becomes the dialogs' start."""
        self.remember_folder(path)
        remember_file(self.settings, path)
        self.files_changed()

    def last_folder(self) -> str:
        return str(self.settings.value("last_folder", str(SAMPLE_DATA)))

    def remember_folder(self, path: str) -> None:
        self.settings.setValue("last_folder", str(Path(path).resolve().parent))
