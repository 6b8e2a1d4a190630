"""The Runs tab at 10,000 runs: how long the event loop waits while they are listed, shown, sorted and filtered.

    python -m benchmarks.bench_runs_view            # 10,000 runs of 30 epochs each
    python -m benchmarks.bench_runs_view --smoke    # 200 runs: proves the script runs (the figures mean nothing)

A store of forecaster runs shaped like real ones (benchmarks/bench_runs.py) is made first (not timed). Then a
10 ms QTimer heartbeat runs in the GUI thread while the tab lists the store through the window's runner, shows
it, is sorted by five columns (each sort as a header click makes it), filtered by a typed word and by the star,
and two runs are selected for comparing. Each gap between beats beyond 10 ms is time the window could not answer
the user. Qt renders offscreen unless the caller chose a platform (QT_QPA_PLATFORM).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

COLUMNS_SORTED = ("best_val_loss", "score", "name", "started", "network")


def make_store(folder: str, count: int) -> None:
    from benchmarks.bench_runs import a_run
    from workbench.core.runs.store import RunStore

    rng = random.Random(0)
    with RunStore(folder) as store:
        for k in range(count):
            run = a_run(k, rng)
            run.starred = k % 50 == 0
            run.name = f"run {k}" if k % 3 == 0 else ""
            store.add_run(run)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(folder: str, count: int) -> None:
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    from workbench.gui.job_progress import JobProgress
    from workbench.gui.messages import MessageBar
    from workbench.gui.panels.runs.rows import COLUMN_INDEX
    from workbench.gui.panels.runs.runs_tab import RunsTab
    from workbench.gui.runner import Runner
    from workbench.gui.services import Services
    from workbench.gui.theme import configure_pyqtgraph

    configure_pyqtgraph()
    window = QMainWindow()
    window.resize(1300, 850)
    settings = QSettings(os.path.join(folder, "settings.ini"), QSettings.Format.IniFormat)
    services = Services(Runner(), MessageBar(), settings, window, lambda _text: None, lambda: None, JobProgress(),
                        lambda _workspace, _action: True)
    tab = RunsTab(services, "forecaster", folder=folder)
    window.setCentralWidget(tab)
    gaps: dict[str, list[float]] = {}  # by phase
    phase = ["idle"]
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.setdefault(phase[0], []).append((now - last[0]) * 1000)
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(beat)

    def wait(condition, seconds: float = 120.0) -> None:
        end = time.perf_counter() + seconds
        while not condition():
            if time.perf_counter() > end:
                raise SystemExit("the Runs tab did not finish in time")
            app.processEvents()
            time.sleep(0.001)

    def settle(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)

    heartbeat.start()
    settle(0.3)
    phase[0] = "list and show"
    started = time.perf_counter()
    window.show()  # the first show lists the store
    wait(lambda: tab.model.rowCount() == count and not tab.is_loading())
    shown = time.perf_counter() - started
    settle(0.2)
    phase[0] = "sort"
    sorts = []
    for key in COLUMNS_SORTED:
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            settle(0.1)
            begun = time.perf_counter()
            tab.view.sortByColumn(COLUMN_INDEX[key], order)
            app.processEvents()  # the repaint of the rows on screen
            sorts.append((time.perf_counter() - begun) * 1000)
    phase[0] = "filter"
    filtered = []
    for text in ("r", "ru", "run", "run 1", ""):
        settle(0.1)
        begun = time.perf_counter()
        tab.filter_bar.text.setText(text)
        app.processEvents()
        filtered.append((time.perf_counter() - begun) * 1000)
    tab.filter_bar.starred_only.setChecked(True)
    settle(0.1)
    tab.filter_bar.starred_only.setChecked(False)
    phase[0] = "compare"
    tab.select_runs([1, 2])
    wait(lambda: tab.compare.currentIndex() == 1)
    settle(0.5)
    heartbeat.stop()
    services.runner.wait_all(10)
    print(f"runs: {count:,}, platform {app.platformName()}")
    print(f"listed and shown in {shown:.2f} s (listing off the GUI thread)")
    print(f"sort, {len(sorts)} header clicks: median {statistics.median(sorts):.0f} ms, max {max(sorts):.0f} ms")
    print(f"filter, {len(filtered)} texts typed: median {statistics.median(filtered):.0f} ms, "
          f"max {max(filtered):.0f} ms")
    for name in ("list and show", "sort", "filter", "compare"):
        print(f"heartbeat gaps, {name}: {describe(gaps.get(name, [10.0]))}")
    print(f"heartbeat gaps, all: {describe([g for name, values in gaps.items() if name != 'idle' for g in values])}")


def describe(values: list[float]) -> str:
    return (f"{len(values)} beats, median {statistics.median(values):.1f} ms, p99 {percentile(values, 0.99):.1f} ms, "
            f"max {max(values):.1f} ms, {sum(v > 100 for v in values)} late by 100 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="200 runs, to prove the script runs")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    count = 200 if args.smoke else 10_000
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        make_store(folder, count)
        print(f"store of {count:,} runs made in {time.perf_counter() - began:.1f} s (not timed below)")
        measure(folder, count)


if __name__ == "__main__":
    main()
