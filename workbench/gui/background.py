"""One slow call (an ONNX export takes seconds) on a plain thread, reported back to the GUI thread by signals."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from workbench.core.errors import WorkbenchError


class BackgroundJob(QObject):
    """Runs `call` off the GUI thread; exactly one of `succeeded` or `failed` follows, on the GUI thread.

    The signals are emitted from the worker thread; because this object lives in the GUI thread, Qt queues them
    there. `failed` carries (message, details): the core's hint for a WorkbenchError, a traceback for a bug.
    """

    succeeded = Signal(object)
    failed = Signal(str, str)

    def __init__(self, call: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call = call
        self._thread = threading.Thread(target=self._run, name="background-job", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout_s: float | None = None) -> None:
        self._thread.join(timeout_s)

    def _run(self) -> None:
        try:
            result = self._call()
        except WorkbenchError as error:
            self.failed.emit(error.message, error.hint)
        except Exception as error:  # a bug: the window logs the traceback and apologises
            self.failed.emit(f"The export failed unexpectedly ({type(error).__name__}: {error}).",
                             traceback.format_exc())
        else:
            self.succeeded.emit(result)
