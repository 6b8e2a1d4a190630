"""The one background runner: training, generation, exports and file reading run here, off the GUI thread.

A job is a plain function of a `JobContext`. It reports through the context, which throttles at the source,
and its end arrives as exactly one of three signals: `succeeded` (with the job; its return value is in `result`),
`refused` (the core's typed error: a message and a hint for the user) or `crashed` (anything else: a bug,
with its traceback). A user error is told from a bug by the exception's type, never by reading text.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from workbench.core.errors import WorkbenchError

# At most ten progress updates a second: updating on every batch cost ~10% of training speed
# (docs/decisions.md, "Throttling what the window shows").
PROGRESS_INTERVAL_S = 0.1
# Batched items (epoch logs, samples) go out at most four times a second by default: each batch repaints a plot,
# and that paint runs Python in the GUI thread, which holds the GIL the job also needs (measured: 10/s cost about
# 30% of training speed on 2 cores, 4/s about half of that; docs/decisions.md, "Throttling what the window shows").
BATCH_INTERVAL_S = 0.25


class JobContext:
    """What a job's function receives, on the job's thread: a stop flag and two throttled ways to report.

    `progress(payload)` keeps only the newest payload (a progress bar needs no history); `send(channel, item)`
    never drops an item: items wait per channel and go out together. Both let the first report through at
    once and deliver whatever is pending before the job's final signal.
    """

    def __init__(self, job: Job, progress_interval: float, batch_interval: float) -> None:
        self._job = job
        self._progress_interval = progress_interval
        self._batch_interval = batch_interval
        # -inf lets the first report of each kind through at once (the leading edge of the throttle).
        self._last_progress = float("-inf")
        self._last_batch = float("-inf")
        self._progress: dict[str, Any] | None = None
        self._pending: dict[str, list[Any]] = {}

    def should_stop(self) -> bool:
        """True once the user (or the window closing) asked the job to stop; jobs poll it between steps."""
        return self._job.cancel_requested()

    def progress(self, payload: dict[str, Any]) -> None:
        now = time.perf_counter()
        if now - self._last_progress >= self._progress_interval:
            self._last_progress = now
            self._progress = None
            self._job.progressed.emit(payload)
        else:
            self._progress = payload  # the trailing edge: sent at the next chance, or before the end
        self._flush_if_due(now)

    def send(self, channel: str, item: Any) -> None:
        self._pending.setdefault(channel, []).append(item)
        self._flush_if_due(time.perf_counter())

    def flush(self) -> None:
        """Deliver everything still pending, in the order the channels first received items."""
        if self._progress is not None:
            self._job.progressed.emit(self._progress)
            self._progress = None
        pending, self._pending = self._pending, {}
        for channel, items in pending.items():
            self._job.delivered.emit(channel, items)
        self._last_batch = time.perf_counter()

    def _flush_if_due(self, now: float) -> None:
        if self._pending and now - self._last_batch >= self._batch_interval:
            self.flush()


class Job(QObject):
    """One function on its own thread; see the module docstring for the signals. Lives in the GUI thread, so
    the signals it emits from the job's thread are queued there, in order."""

    progressed = Signal(object)  # the newest progress payload (a dict)
    delivered = Signal(str, object)  # a channel's name and the list of items sent on it since the last delivery
    succeeded = Signal(object)  # this job: its return value is in `result`
    refused = Signal(str, str)  # a user error: the core's message and hint
    crashed = Signal(str, str)  # a bug: a short message and the traceback
    ended = Signal()  # after the one final signal above

    def __init__(self, name: str, function: Callable[[JobContext], Any], *, progress_interval: float,
                 batch_interval: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.result: Any = None
        self._function = function
        self._context = JobContext(self, progress_interval, batch_interval)
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        """Ask the job to stop at its next check; safe from any thread, and more than once."""
        self._cancel.set()

    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        """True from start() until the final signal has been sent."""
        return self._thread.ident is not None and not self._done.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the thread has ended (or `timeout_s` passed); True when it has ended."""
        if self._thread.ident is not None:
            self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            result = self._function(self._context)
        except WorkbenchError as error:
            self._finish(self.refused, error.message, error.hint)
        except Exception as error:  # a bug: the user gets a short text, the log gets the traceback
            self._finish(self.crashed, f"{type(error).__name__}: {error}", traceback.format_exc())
        else:
            self.result = result
            self._finish(self.succeeded, self)

    def _finish(self, signal: Any, *args: Any) -> None:
        self._context.flush()
        # Marked done before the emit, so a slot connected to the final signal may start the next job.
        self._done.set()
        signal.emit(*args)
        self.ended.emit()


class Runner(QObject):
    """Starts jobs and keeps track of them, so the window can tell what is running and stop it all on close."""

    job_started = Signal(object)  # the Job
    job_ended = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[Job] = []

    def start(self, name: str, function: Callable[[JobContext], Any], *,
              progress_interval: float = PROGRESS_INTERVAL_S, batch_interval: float = BATCH_INTERVAL_S,
              **slots: Callable[..., Any]) -> Job:
        """Run `function(context)` on a new thread now.

        `slots` connect the job's signals by name (succeeded=..., refused=..., delivered=...) before the thread
        starts: a signal emitted before its slot is connected reaches no one, and a quick job can end at once."""
        job = Job(name, function, progress_interval=progress_interval, batch_interval=batch_interval, parent=self)
        for signal_name, slot in slots.items():
            getattr(job, signal_name).connect(slot)
        self._jobs.append(job)
        job.ended.connect(lambda: self._on_ended(job))
        job.start()
        self.job_started.emit(job)
        return job

    def running(self, name: str | None = None) -> list[Job]:
        """The jobs still running (of that name, when given)."""
        return [job for job in self._jobs if job.is_running() and (name is None or job.name == name)]

    def is_running(self, name: str | None = None) -> bool:
        return bool(self.running(name))

    def cancel_all(self) -> None:
        for job in self.running():
            job.cancel()

    def wait_all(self, timeout_s: float | None = None) -> bool:
        """Block until every job's thread has ended; True when they all have."""
        return all([job.wait(timeout_s) for job in list(self._jobs)])

    def _on_ended(self, job: Job) -> None:
        if job in self._jobs:
            self._jobs.remove(job)
        self.job_ended.emit(job)
        # Let Python own it now: it goes when the last holder lets go (a workspace may still read its result).
        job.setParent(None)
