"""Text generation as a runner job: tokens stream back to the GUI thread in throttled chunks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.gui.runner import JobContext

# At most this often a chunk goes to the GUI thread: 20 inserts a second read as smooth streaming, and a fast
# model (tens of thousands of tokens a second) would otherwise flood the event queue with one signal per token
# (docs/decisions.md, "Throttling what the window shows").
CHUNK_INTERVAL_S = 0.05
TEXT = "text"  # the channel the chunks arrive on


def generation_function(model: Any, vocabulary: Any, prompt: str, length: int, temperature: float,
                        top_k: int | None, seed: int | None) -> Callable[[JobContext], dict[str, Any]]:
    """The runner function: generate `length` tokens, sending them on channel TEXT, and return how it went
    (reason "done" or "stopped", tokens, characters, seconds, chars_per_s).

    The job runs the model on its own thread, so give it a model nothing else is training (a copy of the best
    weights, say). It leaves torch's thread settings alone."""

    def run(context: JobContext) -> dict[str, Any]:
        # Imported here: the window imports this module, and torch adds seconds to its start.
        from workbench.core.text.generate import generate

        started = time.perf_counter()
        try:
            # generate() checks its arguments at the call, so a bad one is reported as the user's to fix.
            tokens = generate(model, vocabulary, prompt, length, temperature, top_k, seed)
        except ValueError as error:
            raise WorkbenchError(str(error)) from error
        count = characters = 0
        try:
            # Checked before each token, so a stop lands within one model step.
            while not context.should_stop():
                token = next(tokens, None)
                if token is None:
                    break
                count += 1
                characters += len(token)
                context.send(TEXT, token)
        finally:
            tokens.close()
        seconds = time.perf_counter() - started
        return {"reason": "stopped" if context.should_stop() and count < length else "done", "tokens": count,
                "characters": characters, "seconds": seconds,
                "chars_per_s": characters / seconds if seconds > 0 else 0.0}

    return run
