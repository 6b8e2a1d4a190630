"""A status-bar line for the file being read in the background: what is happening, a busy bar and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

if TYPE_CHECKING:
    from workbench.gui.runner import Job


class JobProgress(QWidget):
    """Shown while one cancellable job runs (reading a file or a project), hidden otherwise.

    The readers report no fraction done, so the bar only says "busy"; the label follows the job's steps (a
    progress payload's "text"). Cancel calls the function given to `track`, which drops the job's result.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # busy: no fraction is known
        self.bar.setFixedWidth(120)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop reading; whatever was open stays open.")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self._on_cancel)
        self._job: Job | None = None
        self._on_cancel_requested: Callable[[], object] | None = None
        self.hide()

    def track(self, job: Job, text: str, on_cancel: Callable[[], object]) -> None:
        """Show `text` until `job` ends (or `finish` is called); Cancel calls `on_cancel`."""
        self._job, self._on_cancel_requested = job, on_cancel
        self.label.setText(text)
        job.progressed.connect(lambda payload, j=job: self._on_progress(j, payload))
        job.ended.connect(lambda j=job: self.finish(j))
        self.show()
        if not job.is_running():  # it ended before `ended` was connected
            self.finish(job)

    def finish(self, job: Job | None = None) -> None:
        """Hide the line (for `job` only when given: a newer job keeps it)."""
        if job is None or job is self._job:
            self._job, self._on_cancel_requested = None, None
            self.hide()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _on_progress(self, job: Job, payload: dict[str, Any]) -> None:
        if job is self._job and payload.get("text"):
            self.label.setText(str(payload["text"]))

    def _on_cancel(self) -> None:
        on_cancel = self._on_cancel_requested
        self.finish()
        if on_cancel is not None:
            on_cancel()
