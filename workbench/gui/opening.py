"""Opening data files: read in the reader process, decide which kind of work they are for, hand them over.

A text file goes to the text workspace; a table of sentences and labels to classification; any other table to
the series workspace. A problem is shown in words and whatever was open before stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog

from workbench.core.text.source import TEXT_SUFFIXES
from workbench.gui.reader import Cancelled, shared_reader
from workbench.gui.reading import ReadData

if TYPE_CHECKING:
    from workbench.core.data.sources import Table
    from workbench.gui.runner import Job, JobContext
    from workbench.gui.services import Services
    from workbench.gui.workspaces.base import Workspace


class WorkspaceHost(Protocol):
    """What opening data needs of the window: the workspace of a kind of work, and showing it."""

    def workspace_class(self, kind: str) -> type[Workspace]: ...

    def workspace(self, kind: str) -> Workspace: ...

    def activate(self, kind: str) -> None: ...


class DataOpener(QObject):
    """File > Open, drops, recent files and samples all come here; so does any file read in the background.

    One file is read at a time, in a runner job, with its steps and a Cancel button in the status bar. Cancel
    frees the window at once and keeps what was open: a data file's reader process is ended on the spot; other
    reads (projects) finish in the background and their result is dropped.
    """

    opened = Signal(str)  # the kind of work the data opened in
    failed = Signal()  # refused or cancelled: what was open before stays

    def __init__(self, services: Services, host: WorkspaceHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._host = host
        self.job: Job | None = None  # the read under way (None once it ended or was cancelled)
        self._name = ""
        self._on_cancelled: Callable[[], object] | None = None
        self._then: Callable[[], object] | None = None  # what to do once the file being read is open (or not)

    def is_reading(self) -> bool:
        return self.job is not None

    def open_path(self, path: str, then: Callable[[], object] | None = None) -> None:
        """Read `path` in the background; `opened` or `failed` follows, and then `then()`, whichever it was."""
        self._then_after(then, self.read(path, lambda context: self._read_job(context, path), self._on_read,
                                         self._failed))

    def read(self, path: str, function: Callable[[JobContext], Any], on_read: Callable[[Any], object],
             on_failed: Callable[[], object]) -> bool:
        """Run `function(context)` as the one reading job, its steps and Cancel in the status bar.

        `on_read(result)` follows on the GUI thread; a refusal, a bug or Cancel is shown and `on_failed()`
        follows instead. False (with a message, and nothing else) when another file is still being read."""
        if self.job is not None:
            self._services.show_error(f"{self._name} is still being read.",
                                      "Wait for it, or press Cancel beside the progress bar at the bottom.")
            return False
        self._name, self._on_cancelled = Path(path).name, on_failed
        text = f"Reading {self._name}..."
        self._services.show_status("")  # the progress line beside it says what is happening
        job = self._services.runner.start(
            "reading", function,
            succeeded=lambda ended: self._ended(ended) and on_read(ended.result),
            refused=lambda message, hint: self._ended(job) and self._refused(message, hint, on_failed),
            crashed=lambda message, details: self._ended(job) and self._crashed(message, details, on_failed))
        self.job = job
        self._services.progress.track(job, text, self.cancel)
        return True

    def cancel(self) -> None:
        """Forget the file being read: its result is dropped when it arrives, and what was open stays."""
        job, self.job = self.job, None
        if job is None:
            return
        job.cancel()
        self._services.progress.finish(job)
        self._services.show_status(f"Stopped reading {self._name}; what was open stays open.")
        on_cancelled, self._on_cancelled = self._on_cancelled, None
        if on_cancelled is not None:
            on_cancelled()

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

    # ----- the reading job and its end -------------------------------------------------------------------------
    def _read_job(self, context: JobContext, path: str, options: Any = None) -> ReadData | None:
        """Read in the reader process (gui/reader.py), then import the workspace's modules here, off the GUI
        thread (pyqtgraph among them: over a second the first time); its widgets are made on the GUI thread."""
        try:
            read = shared_reader().run("read_data", path, options, step=lambda text: context.progress({"text": text}),
                                       should_stop=context.should_stop)
        except Cancelled:
            return None
        context.progress({"text": f"Opening {Path(path).name}..."})
        self._host.workspace_class(read.kind)
        if read.kind == "classify":
            # The classifier's training stack and scikit-learn (its baseline) take about a second to import: here,
            # rather than at the end of the first run where it stalled the window for 200 ms.
            import workbench.core.classify.pipeline  # noqa: F401
        return read

    def _ended(self, job: Job) -> bool:
        """True when `job` is still the read the user waits for (not cancelled); it is over now either way."""
        if job is not self.job:
            return False
        self.job = None
        self._on_cancelled = None
        self._services.progress.finish(job)
        return True

    def _on_read(self, read: ReadData | None) -> None:
        if read is None:
            return
        if read.needs_confirmation:
            table = self.confirm_import(read.path, read.data)
            if table is None:
                self._services.show_status("")
                self._failed()
                return
            self._open_confirmed(table)
            return
        self._apply(read)

    def _open_confirmed(self, table: Table) -> None:
        """Work out what a table the user confirmed is for, in the background (preparing it takes time too)."""
        self.read(table.path, lambda context: self._read_job(context, table.path, table.options), self._on_read,
                  self._failed)

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
            workspace.open_table(read.data, read.series, read.columns)
        self._host.activate(read.kind)
        services.remember_file(read.path)
        self.opened.emit(read.kind)
        self._run_then()

    def _then_after(self, then: Callable[[], object] | None, started: bool) -> None:
        if started:
            self._then = then
        else:
            self.failed.emit()
            if then is not None:
                then()

    def _run_then(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()

    def _failed(self) -> None:
        self.failed.emit()
        self._run_then()

    def _refused(self, message: str, hint: str, on_failed: Callable[[], object]) -> None:
        # The core's messages name the file already.
        self._services.show_error(message, hint)
        on_failed()

    def _crashed(self, message: str, details: str, on_failed: Callable[[], object]) -> None:
        self._services.report_bug(f"Reading the file failed unexpectedly ({message}).", details)
        on_failed()
