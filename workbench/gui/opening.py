"""Opening data files: read off the GUI thread, decide which kind of work they are for, hand them over.

A text file goes to the text workspace; a table of sentences and labels to classification; any other table to
the series workspace. A problem is shown in words and whatever was open before stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog

from workbench.core.text.source import TEXT_SUFFIXES

if TYPE_CHECKING:
    from workbench.core.data.sources import Table
    from workbench.gui.runner import Job
    from workbench.gui.services import Services
    from workbench.gui.workspaces.base import Workspace


class WorkspaceHost(Protocol):
    """What opening data needs of the window: the workspace of a kind of work, and showing it."""

    def workspace(self, kind: str) -> Workspace: ...

    def activate(self, kind: str) -> None: ...


@dataclass
class ReadData:
    kind: str  # "series", "text" or "classify"
    path: str
    data: Any  # a TextSource or a Table
    series: Any = None  # the series prepared with the detected columns ("series" only)
    needs_confirmation: bool = False  # sniffing had to guess: let the user check the import options


def read_data(path: str, table: Table | None = None) -> ReadData:
    """Read `path` (or use an already read `table`) and work out what it is for; raises the core's errors."""
    if table is None and Path(path).suffix.lower() in TEXT_SUFFIXES:
        from workbench.core.text.source import read_text

        return ReadData("text", path, read_text(path))
    from workbench.core.classify.report import looks_like_labelled_texts
    from workbench.core.data.config import DataConfig
    from workbench.core.data.series import prepare_series
    from workbench.core.data.sources import read_table

    if table is None:
        table = read_table(path)
        if table.ambiguous:
            return ReadData("series", path, table, needs_confirmation=True)
    if looks_like_labelled_texts(table.frame):
        # The classifier's training stack and scikit-learn (its baseline) take about a second to import: here,
        # in the reading job, rather than at the end of the first run where it stalled the window for 200 ms.
        import workbench.core.classify.pipeline  # noqa: F401

        return ReadData("classify", path, table)
    return ReadData("series", path, table, prepare_series(table.frame, DataConfig(), source=path))


class DataOpener(QObject):
    """File > Open, drops, recent files and samples all come here."""

    opened = Signal(str)  # the kind of work the data opened in
    failed = Signal()  # refused or cancelled: what was open before stays

    def __init__(self, services: Services, host: WorkspaceHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._host = host
        self.job: Job | None = None
        self._then: Callable[[], object] | None = None  # what to do once the file being read is open (or not)

    def open_path(self, path: str, then: Callable[[], object] | None = None) -> None:
        """Read `path` in the background; `opened` or `failed` follows, and then `then()`, whichever it was."""
        if self.job is not None and self.job.is_running():
            self._services.show_error("Another file is still being read.", "Wait for it, then open this one.")
            self.failed.emit()
            return
        self._then = then
        self._services.show_status(f"Reading {Path(path).name}...")
        self.job = self._services.runner.start("reading", lambda _context: read_data(path),
                                               succeeded=self._on_read, refused=self._on_refused,
                                               crashed=self._on_crashed)

    def cancel(self) -> None:
        """Forget the file being read: its result is dropped when it arrives."""
        if self.job is not None:
            self.job.cancel()

    def ask_and_open(self) -> None:
        """File > Open: a file dialog, then open_path."""
        from workbench.core.data.sources import SUPPORTED_SUFFIXES

        tables = " ".join(f"*{s}" for s in SUPPORTED_SUFFIXES)
        texts = " ".join(f"*{s}" for s in TEXT_SUFFIXES)
        pattern = f"Tables and texts ({tables} {texts});;Tables ({tables});;Texts ({texts});;All files (*)"
        path, _ = QFileDialog.getOpenFileName(self._services.dialog_parent, "Open data",
                                              self._services.last_folder(), pattern)
        if path:
            self.open_path(path)

    def reimport(self, table: Table) -> None:
        """File > Import Options on the open table: let the user change how it is parsed, then open it again."""
        confirmed = self.confirm_import(table.path, table)
        if confirmed is not None:
            self._open_confirmed(confirmed)

    def confirm_import(self, path: str, table: Table | None) -> Table | None:
        """Let the user check the parsing options of an awkward file; None when cancelled."""
        from workbench.gui.panels.import_dialog import ImportDialog

        dialog = ImportDialog(path, table, self._services.dialog_parent)
        return dialog.table() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _on_read(self, job: Job) -> None:
        read: ReadData = job.result
        if job.cancel_requested():
            self._services.show_status(f"Stopped reading {Path(read.path).name}.")
            self.failed.emit()
            self._run_then()
            return
        if read.needs_confirmation:
            table = self.confirm_import(read.path, read.data)
            if table is None:
                self._services.show_status("")
                self.failed.emit()
                self._run_then()
                return
            self._open_confirmed(table)
            return
        self._apply(read)

    def _open_confirmed(self, table: Table) -> None:
        from workbench.core.errors import WorkbenchError

        try:
            with self._services.busy(f"Preparing {Path(table.path).name}..."):
                read = read_data(table.path, table)
        except WorkbenchError as error:
            self._on_refused(error.message, error.hint)
            return
        self._apply(read)

    def _apply(self, read: ReadData) -> None:
        services = self._services
        services.message_bar.clear()
        workspace = self._host.workspace(read.kind)
        if read.kind == "text":
            workspace.use_source(read.data)
            notes = read.data.notes
            services.show_status(notes[0] if notes else "")
        elif read.kind == "classify":
            workspace.use_table(read.data)
            services.show_status(f"{Path(read.path).name}: labelled texts, opened for classification.")
        else:
            workspace.open_table(read.data, read.series)
        self._host.activate(read.kind)
        services.remember_file(read.path)
        self.opened.emit(read.kind)
        self._run_then()

    def _run_then(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()

    def _on_refused(self, message: str, hint: str) -> None:
        # The core's messages name the file already.
        self._services.show_error(message, hint)
        self.failed.emit()
        self._run_then()

    def _on_crashed(self, message: str, details: str) -> None:
        self._services.report_bug(f"Reading the file failed unexpectedly ({message}).", details)
        self.failed.emit()
        self._run_then()

