"""Background work where only the newest request counts: a column choice, a setting, an opened model.

The user can change a column or a setting faster than the work it starts can finish (preparing a million rows
takes 0.2 s). Each request replaces the one before; a result reaches the screen only while its request is still
the newest, so the screen always ends on the last choice, never on an older one that finished later. At most
one job of each kind runs: a request made meanwhile waits (replacing any request already waiting) and starts
when the running job ends, since two stale computations would only share the cores with the newest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from workbench.gui.reader import Cancelled, shared_reader

if TYPE_CHECKING:
    from workbench.gui.runner import Job, JobContext
    from workbench.gui.services import Services


def in_reader(context: JobContext, function: str, *args: Any) -> Any:
    """For a request's function: `function` of the reader process (gui/kept_data.py) on `args`, its result or its
    error raised here; None when the job is asked to stop (the window is closing)."""
    try:
        return shared_reader().run(function, *args, should_stop=context.should_stop)
    except Cancelled:
        return None


@dataclass(eq=False)  # compared by identity: two requests for the same thing are still two requests
class Request:
    status: str  # what the status line says while it runs ("" says nothing)
    function: Callable[[JobContext], Any]  # runs on the job's thread: plain data in, plain data out
    on_result: Callable[[Any], object]
    on_refused: Callable[[str, str], object] | None  # the core's message and hint; None: the message bar


class LatestJob(QObject):
    """Runs one kind of background work for a workspace; see the module docstring.

    While a request is pending the cursor shows that the window is busy (the window stays usable) and the status
    line says what is happening. A refusal (the core's `WorkbenchError`) goes to `on_refused`, a bug to the log
    and the apology dialog; both only for the newest request.
    """

    settled = Signal()  # the newest request's outcome has been shown (or it was forgotten): nothing is pending

    def __init__(self, services: Services, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._name = name  # the runner's name for these jobs
        self._job: Job | None = None  # the job running now, whether or not its request is still the newest
        self._waiting: Request | None = None  # the newest request, waiting for the running job to end
        self._newest: Request | None = None  # the request whose outcome the screen waits for
        self._cursor = False  # whether this object has set the busy cursor

    def request(self, status: str, function: Callable[[JobContext], Any], on_result: Callable[[Any], object],
                on_refused: Callable[[str, str], object] | None = None) -> None:
        """Compute `function(context)` in the background and pass its result to `on_result` on the GUI thread,
        unless a newer request (or `forget`) came first."""
        request = Request(status, function, on_result, on_refused)
        self._newest = request
        self._show_busy(status)
        if self._job is None:
            self._start(request)
        else:
            self._waiting = request

    def forget(self) -> None:
        """Drop the pending request: whatever it computes is never shown (the screen moved on without it)."""
        request, self._newest, self._waiting = self._newest, None, None
        if request is not None:
            self._show_idle(request.status)
            self.settled.emit()

    def is_pending(self) -> bool:
        """True from a request until its outcome is shown (or it is forgotten)."""
        return self._newest is not None

    def _start(self, request: Request) -> None:
        self._waiting = None
        self._job = self._services.runner.start(
            self._name, request.function,
            succeeded=lambda job: self._settle(request, lambda: request.on_result(job.result)),
            refused=lambda message, hint: self._settle(request, lambda: self._refused(request, message, hint)),
            crashed=lambda message, details: self._settle(request, lambda: self._services.report_bug(
                f"{request.status.rstrip('.') or 'A background step'} failed unexpectedly ({message}).", details)),
            ended=self._on_ended)

    def _settle(self, request: Request, show: Callable[[], object]) -> None:
        if request is not self._newest:
            return  # stale: a newer request (or forget) replaced it while it ran
        self._newest = None
        self._show_idle(request.status)
        show()
        if self._newest is None:  # `show` may have asked for more (a new choice while this one was shown)
            self.settled.emit()

    def _refused(self, request: Request, message: str, hint: str) -> None:
        if request.on_refused is not None:
            request.on_refused(message, hint)
        else:
            self._services.show_error(message, hint)

    def _on_ended(self) -> None:
        self._job = None
        if self._waiting is not None:
            self._start(self._waiting)

    def _show_busy(self, status: str) -> None:
        if not self._cursor:
            # The arrow with a busy mark, not the wait cursor: the window still answers while this runs.
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self._cursor = True
        if status:
            self._services.show_status(status)

    def _show_idle(self, status: str) -> None:
        if self._cursor:
            QApplication.restoreOverrideCursor()
            self._cursor = False
        self._services.clear_status(status)
