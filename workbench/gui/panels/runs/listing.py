"""Listing the run store for the Runs tab, on a job's thread: the store opened (or refused in words) and a row
made per run. No Qt here."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.gui.panels.runs.rows import RunRow, make_row

FREED_AT_ONCE = 250  # records freed in one call (about 2 ms)
_pause_lock = threading.Lock()
_pausing = 0  # listings running now (collections_paused)
_was_enabled = True


@dataclass
class Listing:
    """What one listing of the run store gives the tab."""

    folder: str
    rows: list[RunRow]
    this_data: set[int]  # ids of the runs on the data file now open (the same bytes, or the same path)
    store: Any = None  # the RunStore, for edits and for reading whole runs; None when it was refused
    refusal: tuple[str, str] | None = None  # the store's refusal in words: (message, hint)


def list_rows(folder: str | None, data_path: str) -> Listing:
    """Open the run store in `folder` (None: the default folder) and make every run's row. A store that cannot
    be used gives an empty listing with its refusal."""
    from workbench.core.runs.files import file_sha256
    from workbench.core.runs.store import RunStore, default_runs_folder

    path = str(Path(data_path).resolve()) if data_path else ""
    digest = file_sha256(path) if path else None
    with collections_paused():
        try:
            store = RunStore(folder)
            records = store.list_runs()
        except WorkbenchError as error:
            return Listing(str(folder or default_runs_folder()), [], set(), None, (error.message, error.hint))
        rows = [make_row(record) for record in records]
        # The same rule as RunStore.list_runs(data=...): the same bytes, or the same path.
        this_data = {r.id for r in records if path and (r.data_path == path or (digest and r.data_sha256 == digest))}
        # The whole records go now, before the collector runs again, a slice at a time: freeing 10,000 at once is
        # one 50-80 ms call that never lets go of the GIL.
        while records:
            del records[-FREED_AT_ONCE:]
    store.close()  # this thread's connection; the window's thread opens its own on the first edit
    return Listing(str(store.folder), rows, this_data, store)


@contextlib.contextmanager
def collections_paused() -> Iterator[None]:
    """No garbage collection while a listing builds its objects.

    Each full collection walks every object of the process with the GIL held; while 10,000 runs were listed on
    a job's thread, collections held the window's event loop for 260-450 ms at a time. The listing makes no
    reference cycles, and what it makes and drops is freed by reference counting, so the collector waits until
    it is done (until the last of several listings at once is done)."""
    global _pausing, _was_enabled
    with _pause_lock:
        if _pausing == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pausing -= 1
            if _pausing == 0 and _was_enabled:
                gc.enable()
