"""What every File-menu command shares: asking which file to read or write, and saying how it went, in words.

A command's failure shows the core's message in the message bar and changes nothing; its success clears the
bar and says what was done in the status line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QFileDialog

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.gui.services import Services
    from workbench.gui.workspaces.base import Workspace

MODEL_FILTER = "Sequence Workbench model (*.swb)"
PROJECT_FILTER = "Sequence Workbench project (*.swproj)"
ONNX_FILTER = "ONNX model (*.onnx)"
CSV_FILTER = "CSV table (*.csv)"
TEXT_FILTER = "Text file (*.txt)"
PLOT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg)"


class DialogHost(Protocol):
    """What the dialogs need of the window: the project's file and the workspace on screen (for names)."""

    project_path: str | None

    def active(self) -> Workspace | None: ...


class FileDialogs:
    """File choosers that start in the last folder and suggest a name, and the words a command ends with."""

    def __init__(self, services: Services, host: DialogHost) -> None:
        self._services = services
        self._host = host

    def ask_save(self, title: str, suggested: str, filters: str, suffix: str) -> str:
        """A path to write ("" when cancelled); a name without a suffix gets the one its filter implies."""
        path, chosen = QFileDialog.getSaveFileName(self._services.dialog_parent, title, suggested, filters)
        if not path:
            return ""
        if not Path(path).suffix:
            # The filter the user picked decides the suffix ("plot" + SVG filter -> plot.svg).
            path += ".svg" if "svg" in chosen.lower() else suffix
        self._services.remember_folder(path)
        return path

    def ask_open(self, title: str, filters: str) -> str:
        """A path to read ("" when cancelled)."""
        path, _ = QFileDialog.getOpenFileName(self._services.dialog_parent, title, self._services.last_folder(),
                                              f"{filters};;All files (*)")
        if path:
            self._services.remember_folder(path)
        return path

    def default_name(self, suffix: str) -> str:
        """The name a save dialog suggests: the project's or the data's name with `suffix`, in the last folder."""
        workspace = self._host.active()
        data_path = workspace.data_path() if workspace is not None else ""
        stem = Path(self._host.project_path or data_path or "model").stem
        return str(Path(self._services.last_folder()) / f"{stem}{suffix}")

    @contextlib.contextmanager
    def reporting(self, text: str) -> Iterator[None]:
        """Busy cursor while the core works; its errors become a message and the exception stops there."""
        with self._services.busy(text):
            try:
                yield
            except WorkbenchError as error:
                self._services.show_error(error.message, error.hint)

    def refuse(self, text: str, hint: str) -> bool:
        self._services.show_error(text, hint)
        return False

    def done(self, text: str) -> bool:
        self._services.message_bar.clear()
        self._services.show_status(text)
        return True
