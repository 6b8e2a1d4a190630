"""The reader process: data files are read in a spawned process, so reading never stalls the window.

A thread is not enough. pandas spends long stretches in C with the GIL held (parsing a million dates, building
a frame of thousands of columns): read on a thread, a 1,000,000-row CSV stalled the window's event loop for
100-360 ms at a time (docs/decisions.md, "Reading large files"). The process holds no lock the window needs;
its result comes back pickled through a pipe, which costs the receiving thread 50-140 ms once.

One process serves every window of this program, one request at a time, and stays for the next (starting it
and importing pandas takes a second or two, so `warm_up` starts it early). Cancel ends the process at once.
No Qt here: the process imports only this module, `gui/reading.py`, `gui/kept_data.py` and the core.

It is started as `python -m workbench.gui.reader`, not with multiprocessing's spawn, which imports the
caller's main script again in the child: a script that opens the window without an `if __name__ ==
"__main__":` guard would then start a second window, which starts a reader of its own, and so on. The process
listens on a local socket (a named pipe on Windows) whose address it prints; a random key known only to the two
processes authenticates the connection.
"""

from __future__ import annotations

import atexit
import os
import secrets
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Client, Listener
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError

POLL_S = 0.05  # how often the waiting thread checks for Cancel and for a process that died


class Cancelled(Exception):
    """The user cancelled: the reader process was ended and its work dropped."""


class ReaderStopped(WorkbenchError):
    """The reader process ended without an answer (killed for memory, or it crashed)."""


class _RemoteTraceback(Exception):
    """The reader process's traceback, chained under the error it raised, so the log shows where it failed."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


class ReaderCrashed(Exception):
    """A bug in the reader process: the message names the original error; its traceback is the cause."""


class ReaderProcess:
    """A spawned process that runs `gui/reading.py`'s FUNCTIONS; safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # one request at a time, and one start
        self._process: Any = None
        self._connection: Any = None

    def start(self) -> None:
        """Start the process now (it imports pandas and the readers), unless it runs already."""
        with self._lock:
            self._ensure_started()

    def run(self, function: str, *args: Any, step: Callable[[str], None] | None = None,
            should_stop: Callable[[], bool] = lambda: False) -> Any:
        """`FUNCTIONS[function](*args, step=...)` in the process; its result, or its error raised here.

        The core's errors arrive as WorkbenchError (message and hint); `should_stop()` turning true ends the
        process and raises Cancelled; a bug raises ReaderCrashed with the process's traceback as its cause."""
        with self._lock:
            self._ensure_started()
            self._connection.send((function, args))
            while True:
                if should_stop():
                    self._stop()
                    raise Cancelled
                if not self._connection.poll(POLL_S):
                    if not self._alive():
                        self._died()
                    continue
                try:
                    message, *payload = self._connection.recv()
                except (EOFError, OSError):
                    self._died()  # the connection closed: the process ended mid-answer
                if message == "step":
                    if step is not None:
                        step(payload[0])
                    continue
                return _answer(message, payload)

    def _died(self) -> None:
        process = self._process
        try:
            code = process.wait(5)
        except subprocess.TimeoutExpired:
            code = None
        self._stop()
        raise ReaderStopped(f"Reading stopped: the reading process ended unexpectedly (exit code {code}).",
                            hint="The file may need more memory than is free. Close other programs, or open a "
                                 "smaller part of the file.")

    def close(self) -> None:
        """End the process (the next `run` starts another)."""
        with self._lock:
            self._stop()

    def kill(self) -> None:
        """End the process without waiting for the request under way (at exit: its thread may never return)."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._stop()
        key = secrets.token_bytes(32)
        # The package's folder goes first on the child's path, so it imports this same code however the parent
        # found it (installed, or a checkout on sys.path).
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen([sys.executable, "-m", "workbench.gui.reader"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, env=env)
        process.stdin.write(key.hex().encode() + b"\n")
        process.stdin.close()
        # The child prints the address it listens on; EOF (an empty line) means it died before it could.
        address = process.stdout.readline().decode().strip()
        process.stdout.close()
        if not address:
            process.wait()
            raise ReaderStopped(f"The reading process could not start (exit code {process.returncode}).",
                                hint="Check that the workbench is installed completely, then try again.")
        self._process, self._connection = process, Client(address, authkey=key)

    def _alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _stop(self) -> None:
        process, connection, self._process, self._connection = self._process, self._connection, None, None
        if connection is not None:
            connection.close()
        if process is not None and process.poll() is None:
            process.kill()
        if process is not None:
            process.wait(5)


def _answer(message: str, payload: list[Any]) -> Any:
    if message == "done":
        return payload[0]
    if message == "refused":
        raise WorkbenchError(payload[0], hint=payload[1])
    name, text, remote = payload
    raise ReaderCrashed(f"{name}: {text}") from _RemoteTraceback(remote)


def serve(connection: Any) -> None:
    """The process's loop: answer each (function, args) with steps, then "done", "refused" or "crashed"."""
    from workbench.gui.reading import FUNCTIONS, preload

    preload()
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            result = FUNCTIONS[function](*args, step=lambda text: connection.send(("step", text)))
        except WorkbenchError as error:
            connection.send(("refused", error.message, error.hint))
        except Exception as error:  # a bug: the window reports it with this traceback
            connection.send(("crashed", type(error).__name__, str(error), traceback.format_exc()))
        else:
            try:
                connection.send(("done", result))
            except Exception as error:  # a result that cannot travel is a bug too
                connection.send(("crashed", type(error).__name__, str(error), traceback.format_exc()))


def main() -> None:
    """`python -m workbench.gui.reader`: read the key, listen, print the address, serve one window program."""
    key = bytes.fromhex(sys.stdin.readline().strip())
    with Listener(authkey=key) as listener:
        print(listener.address, flush=True)
        # Anything printed later (a library's warning) must not reach the parent's pipe, now closed.
        sys.stdout = sys.stderr
        with listener.accept() as connection:
            serve(connection)


_shared = ReaderProcess()
atexit.register(_shared.kill)


def shared_reader() -> ReaderProcess:
    """The one reader process of this program."""
    return _shared


if __name__ == "__main__":
    main()
