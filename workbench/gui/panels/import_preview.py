"""The import dialog's preview: the table the chosen options parse to, read in the reader process (gui/reader.py)
so a large file never freezes the dialog, with what was found or what went wrong in words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from workbench.core.data.sources import ReadOptions, Table
from workbench.gui.messages import MessageBar
from workbench.gui.reader import Cancelled, shared_reader
from workbench.gui.runner import PROGRESS_INTERVAL_S, Job, JobContext
from workbench.gui.table_model import FrameModel


class ImportPreview(QGroupBox):
    """The parsed table, a line of notes above it, and the message bar for options that fail."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Preview", parent)
        self.message_bar = MessageBar(self)
        self.notes_label = QLabel(self)
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = FrameModel(parent=self)
        self.table_view = QTableView(self)
        self.table_view.setModel(self.model)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table_view.horizontalHeader().setDefaultSectionSize(110)
        self.table_view.verticalHeader().setDefaultSectionSize(22)
        self.table_view.setToolTip("The table as it will be loaded. Row numbers are line numbers in the file.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.table_view, 1)

    def show_table(self, table: Table) -> None:
        self.message_bar.clear()
        self.model.set_frame(table.frame)
        rows, cols = table.frame.shape
        summary = f"{cols} column{'s' * (cols != 1)}, {rows:,} rows."
        self._set_notes(" ".join([summary, *table.notes]))

    def show_reading(self, name: str) -> None:
        self._set_notes(f"Reading {name} with these options...")

    def show_error(self, text: str, hint: str) -> None:
        self.message_bar.show_error(text, hint)
        # An empty preview, so a stale table is never mistaken for what these options give.
        self.model.set_frame(None)
        self.notes_label.hide()

    def _set_notes(self, text: str) -> None:
        self.notes_label.setText(text)
        self.notes_label.show()


def read_preview(path: str, options: ReadOptions) -> Job:
    """Start reading `path` with `options` in the reader process; the job's result is the Table (None when it was
    cancelled), and a refusal carries the core's message. Connect to it, then call `start()`."""
    # Not parented to the dialog: the dialog may close while the job runs, and a QObject deleted under its thread
    # would crash. The job ends on its own; `_jobs` keeps it alive until then.
    job = Job("import-preview", lambda context: _read(context, path, options),
              progress_interval=PROGRESS_INTERVAL_S, batch_interval=PROGRESS_INTERVAL_S)
    _jobs.add(job)
    job.ended.connect(lambda: _jobs.discard(job))
    return job


_jobs: set[Job] = set()  # preview reads still running, kept alive until they end


def _read(context: JobContext, path: str, options: ReadOptions) -> Table | None:
    """On the preview job's thread: the table read with `options` in the reader process."""
    try:
        return shared_reader().run("read_table", path, options, should_stop=context.should_stop)
    except Cancelled:
        return None
