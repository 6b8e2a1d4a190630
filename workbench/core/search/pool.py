"""Running a search's workers: one in this process, several in spawned processes, and Stop for all of them."""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Callable
from typing import Any

from workbench.core.runs.record import error_message
from workbench.core.search.stages import LoadedData
from workbench.core.search.worker import WorkerPlan, work, worker_process

# After Stop, how long the workers get to end their batch and report before they are ended: Trainer checks
# for Stop between batches, and a small network's batch takes milliseconds, so this is only reached by a
# worker stuck reading data or scoring.
STOP_GRACE_SECONDS = 10.0
# How often the parent looks at the events and at Stop (also the longest an event waits to be passed on).
POLL_SECONDS = 0.1

Emit = Callable[[dict[str, Any]], None]
# What the fork server imports once, so each worker starts without importing torch (about 2 s here) and
# torch._dynamo (another 2-2.5 s, imported by the first optimiser: docs/decisions.md "Start-up") again.
PRELOAD = ["torch", "torch._dynamo", "pandas", "optuna", "workbench.core.search.worker",
           "workbench.core.forecast.pipeline", "workbench.core.forecast.evaluation", "workbench.core.text.pipeline",
           "workbench.core.classify.pipeline"]


def worker_context() -> Any:
    """Worker processes come from a fork server where there is one (Linux, macOS), else are spawned.

    Never a plain fork: a child forked from this process would inherit torch's thread pools (and, in the
    window, Qt) mid-flight. The fork server is a fresh process that only imports PRELOAD and forks clean
    children from that state, so every worker after the first imports starts in a fraction of a second, and
    the server stays for the next search in this process."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start_early(workers: int | None, trials: int | None = None) -> None:
    """Start the fork server now when a search will use worker processes (`workers` None: one per CPU), so it
    imports torch and the rest (seconds) while this process is still importing, reading the data and opening
    the study. Called again, it does nothing."""
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if min(workers, trials or 2) > 1 and worker_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def run_workers(plan: WorkerPlan, workers: int, trials: int | None, should_stop: Callable[[], bool],
                emit: Emit, loaded: LoadedData | None = None) -> bool:
    """Run the search's trials (`trials` in all, or until the plan's deadline); returns whether Stop ended it.
    `loaded`: the data, already read, for a worker in this process."""
    if workers == 1:
        return _in_this_process(plan, trials, should_stop, emit, loaded)
    return _in_processes(plan, workers, trials, should_stop, emit)


def _in_this_process(plan: WorkerPlan, trials: int | None, should_stop: Callable[[], bool], emit: Emit,
                     loaded: LoadedData | None) -> bool:
    left = trials if trials is not None else -1
    stopped = False

    def take() -> bool:
        nonlocal left
        if left == 0:
            return False
        left -= 1
        return True

    def stop() -> bool:
        nonlocal stopped
        stopped = stopped or should_stop()
        return stopped

    try:
        work(plan, take, stop, emit, loaded=loaded)
    except Exception as error:  # noqa: BLE001 - said in words by the caller
        emit({"event": "worker_failed", "worker": 0, "message": error_message(error)})
    return stopped


def _in_processes(plan: WorkerPlan, workers: int, trials: int | None, should_stop: Callable[[], bool],
                  emit: Emit) -> bool:
    context = worker_context()
    remaining = context.Value("i", trials if trials is not None else -1)
    stop = context.Event()
    events = context.Queue()
    processes = [context.Process(target=worker_process, args=(plan, k, remaining, stop, events),
                                 name=f"workbench-search-{k}", daemon=True) for k in range(workers)]
    for process in processes:
        process.start()
    asked: float | None = None
    try:
        # Keep reading while they run: a child cannot exit while its queued events wait to be read.
        while any(process.is_alive() for process in processes):
            _drain(events, emit, POLL_SECONDS)
            if asked is None and should_stop():
                stop.set()
                asked = time.monotonic()
            if asked is not None and time.monotonic() - asked > STOP_GRACE_SECONDS:
                break
    finally:
        stop.set()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join(timeout=5)
        _drain(events, emit, 0.0)
    for k, process in enumerate(processes):
        if process.exitcode not in (0, None, -15):  # -15: ended above, after Stop
            emit({"event": "worker_failed", "worker": k,
                  "message": f"search worker {k} ended with exit code {process.exitcode} (its error is on stderr)."})
    return asked is not None


def _drain(events: Any, emit: Emit, wait: float) -> None:
    """Pass on every queued event, waiting up to `wait` seconds for the first."""
    try:
        event = events.get(timeout=wait) if wait > 0 else events.get_nowait()
        while True:
            emit(event)
            event = events.get_nowait()
    except queue.Empty:
        return
