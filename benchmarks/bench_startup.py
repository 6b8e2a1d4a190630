"""Time from starting `workbench` to its window being painted, over several fresh processes.

    python -m benchmarks.bench_startup            # 5 runs
    python -m benchmarks.bench_startup --quick    # 1 run

Each run is a new Python process (cold imports, as a user gets) that builds the window exactly as the
`workbench` command does and reports when the first paint event reaches it. Needs a display or
QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def child() -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    runs = []
    for _ in range(1 if args.quick else 5):
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_startup", "--child"],
                                   stdout=subprocess.PIPE, text=True)
        line = process.stdout.readline()
        runs.append(time.perf_counter() - started)
        process.wait(timeout=60)
        assert line.strip() == "painted", line
    print(f"start to first paint: median {statistics.median(runs):.2f} s, min {min(runs):.2f} s, "
          f"max {max(runs):.2f} s over {len(runs)} runs")


if __name__ == "__main__":
    main()
