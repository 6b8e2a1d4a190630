"""Text generation on a plain thread, streamed back to the GUI thread in throttled chunks."""

from __future__ import annotations

import threading
import time
import traceback
from typing import Any

from PySide6.QtCore import QObject, Signal

# At most this often a chunk goes to the GUI thread: 20 inserts a second read as smooth streaming, and a fast
# model (tens of thousands of tokens a second) would otherwise flood the event queue with one signal per token.
CHUNK_INTERVAL_S = 0.05


class GenerationJob(QObject):
    """Runs core `generate()` off the GUI thread; chunks of text, then exactly one of `finished` or `failed`.

    The signals are emitted from the job's thread; because this object lives in the GUI thread, Qt queues them
    there, in order, so the last chunk always arrives before `finished`. `finished` carries a dict with
    reason ("done" or "stopped"), tokens, characters, seconds and chars_per_s. `failed` carries (message,
    details): the core's message for a bad argument with empty details, a traceback for a bug.

    The job calls `model.eval()` and runs the model on its own thread, so give it a model nothing else is
    training (a copy of the best weights, say). It leaves torch's thread settings alone.
    """

    text_generated = Signal(str)
    finished = Signal(object)
    failed = Signal(str, str)

    def __init__(self, model: Any, vocabulary: Any, prompt: str, length: int, temperature: float,
                 top_k: int | None, seed: int | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._arguments = (model, vocabulary, prompt, length, temperature, top_k, seed)
        self._length = length
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="text-generation", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the job to end after the current token; safe to call from any thread, and more than once."""
        self._stop.set()

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the thread has ended (or `timeout_s` passed); True when it has ended."""
        if self._thread.ident is not None:
            self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _run(self) -> None:
        # Imported here, not at the top: the window imports this module, and torch adds seconds to its start.
        # By now the caller holds a model, so torch is already loaded.
        from workbench.core.text.generate import generate

        started = time.perf_counter()
        try:
            # generate() checks its arguments at the call, so a bad one is reported here, off the GUI thread.
            tokens = generate(*self._arguments)
        except ValueError as error:
            self.failed.emit(str(error), "")
            return
        except Exception as error:  # a bug: the window logs the traceback and apologises
            self._fail(error)
            return
        count, characters, pending, last_emit = 0, 0, [], started
        try:
            # Checked before each token, so a stop lands within one model step.
            while not self._stop.is_set():
                token = next(tokens, None)
                if token is None:
                    break
                count += 1
                characters += len(token)
                pending.append(token)
                now = time.perf_counter()
                if now - last_emit >= CHUNK_INTERVAL_S:
                    self.text_generated.emit("".join(pending))
                    pending, last_emit = [], now
        except Exception as error:
            self._flush(pending)
            self._fail(error)
            return
        finally:
            tokens.close()
        self._flush(pending)
        seconds = time.perf_counter() - started
        stopped = self._stop.is_set() and count < self._length
        self.finished.emit({
            "reason": "stopped" if stopped else "done",
            "tokens": count,
            "characters": characters,
            "seconds": seconds,
            "chars_per_s": characters / seconds if seconds > 0 else 0.0,
        })

    def _flush(self, pending: list[str]) -> None:
        if pending:
            self.text_generated.emit("".join(pending))

    def _fail(self, error: Exception) -> None:
        self.failed.emit(f"Generating text failed unexpectedly ({type(error).__name__}: {error}).",
                         traceback.format_exc())
