"""The Inspect tab's background work: one inspection at a time on the app's runner, the newest request winning.

The tab asks again whenever the sample, the model or (during training) the weights change, faster than an
inspection can finish. Like gui/latest_job.py, a result reaches the screen only while its request is still the
newest, and at most one job runs: a request made meanwhile waits, replacing any request already waiting. Unlike
it, it sets no busy cursor and no status line: a refresh each epoch must not make the window look busy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from workbench.core.errors import DataError
from workbench.gui.panels.inspect.contexts import ClassifyContext, InspectContext, SeriesContext, TextContext

if TYPE_CHECKING:
    from torch import nn

    from workbench.core.inspect.inspection import Inspection
    from workbench.core.inspect.samples import Sample
    from workbench.gui.panels.inspect.sample_picker import SampleChoice
    from workbench.gui.runner import Job, JobContext
    from workbench.gui.services import Services

JOB_NAME = "inspecting"


@dataclass(eq=False)  # compared by identity: two requests for the same thing are still two requests
class Request:
    function: Callable[[JobContext], Any]
    on_result: Callable[[Any], object]
    on_refused: Callable[[str, str], object]


class LatestInspection(QObject):
    """Runs the tab's inspections; see the module docstring."""

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._job: Job | None = None  # running now, whether or not its request is still the newest
        self._waiting: Request | None = None
        self._newest: Request | None = None

    def request(self, function: Callable[[JobContext], Any], on_result: Callable[[Any], object],
                on_refused: Callable[[str, str], object]) -> None:
        """Compute `function(context)` off the GUI thread; `on_result` gets its value unless a newer request (or
        `forget`) came first."""
        request = Request(function, on_result, on_refused)
        self._newest = request
        if self._job is None:
            self._start(request)
        else:
            self._waiting = request
            self._job.cancel()  # an inspection checks between its parts, so the newest starts sooner

    def forget(self) -> None:
        """Whatever is pending is never shown."""
        self._newest = self._waiting = None
        if self._job is not None:
            self._job.cancel()

    def is_pending(self) -> bool:
        return self._newest is not None

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the running job's thread has ended (closing: it must not outlive the model it reads)."""
        return self._job is None or self._job.wait(timeout_s)

    def _start(self, request: Request) -> None:
        self._waiting = None
        self._job = self._services.runner.start(
            JOB_NAME, request.function,
            succeeded=lambda job: self._settle(request, lambda: request.on_result(job.result)),
            refused=lambda message, hint: self._settle(request, lambda: request.on_refused(message, hint)),
            crashed=lambda message, details: self._settle(request, lambda: self._services.report_bug(
                f"Looking inside the model failed unexpectedly ({message}).", details)),
            ended=self._on_ended)

    def _settle(self, request: Request, show: Callable[[], object]) -> None:
        if request is not self._newest:
            return  # stale: a newer request replaced it while it ran
        self._newest = None
        show()

    def _on_ended(self) -> None:
        self._job = None
        if self._waiting is not None:
            self._start(self._waiting)


def inspection_function(model: nn.Module, context: InspectContext, choice: SampleChoice,
                        method: str = "integrated_gradients") -> Callable[[JobContext], Inspection | None]:
    """The job: make the chosen sample, then recompute its states and attribution by `method` (None when
    cancelled). The model is only read (the core's attribution works on its own copy), so it may be the one on
    screen."""

    def run(job: JobContext) -> Inspection | None:
        from workbench.core.inspect.inspection import inspect_sample

        sample = make_sample(model, context, choice)
        if job.should_stop():
            return None
        names: dict[str, Any] = {}
        if isinstance(context, ClassifyContext):
            names = {"classes": context.classes, "target": choice.target}
        elif isinstance(context, TextContext):
            names = {"vocabulary": context.vocabulary}
        return inspect_sample(model, sample, method=method, step=choice.step, **names)

    return run


def make_sample(model: nn.Module, context: InspectContext, choice: SampleChoice) -> Sample:
    """The sample `choice` names, made by the core as the model reads it."""
    from workbench.core.inspect import samples

    if isinstance(context, SeriesContext):
        origin = context.series.n_rows - 1 if choice.origin is None else choice.origin
        return samples.series_sample(model, context.series, origin, context.lookback)
    if isinstance(context, TextContext):
        return samples.text_sample(model, context.vocabulary, choice.text or "")
    text = choice.text if choice.text is not None else row_text(context, choice.row or 0)
    return samples.classifier_sample(model, context.vocabulary, context.settings, text)


def row_text(context: ClassifyContext, row: int) -> str:
    """The text of table row `row`; DataError where there is none."""
    if not 0 <= row < len(context.texts):
        raise DataError(f"The table has {len(context.texts)} rows; there is no row {row}.",
                        hint="Choose a row inside the table.")
    value = context.texts[row]
    text = "" if value is None or value != value else str(value)  # NaN is the one value unequal to itself
    if not text.strip():
        raise DataError(f"Row {row} has no text.", hint="Choose another row, or type a text of your own.")
    return text
