"""Time from starting a process to its first window being painted: the workbench's against a bare Qt window.

    python -m benchmarks.bench_startup            # 5 runs of each
    python -m benchmarks.bench_startup --quick    # 1 run of each (--smoke is the same: the test suite)

Each run is a new Python process (cold imports, as a user gets) that reports when the first paint event reaches
its window; the time counts from just before the process is started. The two kinds of process alternate, so a
change in the machine's load hits both alike:

- bare: a PySide6 QMainWindow holding one label, the least any Qt window costs on this machine;
- workbench: the window exactly as the `workbench` command builds it (`workbench.gui.app.create_window`).

It prints the median, min and max of each and the ratio of the medians, workbench/bare. Qt renders offscreen
unless the caller chose a platform (QT_QPA_PLATFORM), so it runs without a display.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

KINDS = {"bare": "bare QMainWindow and a label", "workbench": "workbench window"}


def child(kind: str) -> None:
    """Build a window of `kind`, print "painted" when its first paint event arrives, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    if kind == "bare":
        from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setCentralWidget(QLabel("Sequence Workbench"))
        window.show()
    else:
        from workbench.gui.app import create_window

        app, window = create_window()

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                print("painted", flush=True)
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    app.exec()


def time_one(kind: str) -> float:
    """Seconds from starting a fresh process of `kind` to its first paint."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_startup", "--child", kind],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = None
    for line in process.stdout:
        if line.strip() == "painted":
            seconds = time.perf_counter() - started
            break
    _, errors = process.communicate(timeout=60)
    if seconds is None:
        raise SystemExit(f"the {kind} window never painted (exit code {process.returncode}):\n{errors[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each instead of five")
    parser.add_argument("--smoke", action="store_true", help="the same as --quick")
    parser.add_argument("--child", choices=sorted(KINDS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.child:
        child(args.child)
        return
    runs: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for _ in range(1 if args.quick or args.smoke else 5):
        for kind in KINDS:
            runs[kind].append(time_one(kind))
    print(f"cold processes, platform {os.environ['QT_QPA_PLATFORM']}, {len(runs['bare'])} run(s) of each")
    for kind, label in KINDS.items():
        seconds = runs[kind]
        print(f"{label + ':':<30} start to first paint: median {statistics.median(seconds):.2f} s, "
              f"min {min(seconds):.2f} s, max {max(seconds):.2f} s")
    ratio = statistics.median(runs["workbench"]) / statistics.median(runs["bare"])
    print(f"ratio workbench/bare: {ratio:.2f}")


if __name__ == "__main__":
    main()
