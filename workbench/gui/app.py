"""Start the window: one QApplication, one error handler, and torch imported only after the window shows."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

ORGANIZATION = "SequenceWorkbench"
APPLICATION = "Sequence Workbench"


def install_error_handler(window) -> None:
    """Any exception that escapes a slot (GUI thread or a Python thread) is logged and shown; the window lives on.

    The dialog opens on the next turn of the event loop, never inside the paint or event handler that raised:
    opening a window there re-enters Qt halfway through a paint. And each fault (its type and the line that
    raised it) is reported once: one that recurs on every repaint would otherwise log and open a dialog per frame.
    """
    from workbench.gui.messages import report_exception

    reported: set[tuple[str, str, int]] = set()

    def handle(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        fault = _fault(exc_type, tb)
        if fault in reported:
            return
        reported.add(fault)
        QTimer.singleShot(0, window, lambda: report_exception(window, exc_type, exc, tb))

    sys.excepthook = handle
    # Threads other than Qt's report here; the dialog must be made in the GUI thread.
    threading.excepthook = lambda args: QTimer.singleShot(
        0, window, lambda: handle(args.exc_type, args.exc_value, args.exc_traceback))


def _fault(exc_type: type[BaseException], tb: TracebackType | None) -> tuple[str, str, int]:
    """What makes two reports the same fault: the exception's type and the line that raised it."""
    frames = traceback.extract_tb(tb) if tb is not None else []
    last = frames[-1] if frames else None
    return exc_type.__name__, last.filename if last else "", (last.lineno or 0) if last else 0


def create_window(files: Sequence[str] = ()):
    """The QApplication and a shown main window, as `workbench` starts them (benchmarks reuse this)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    from workbench.gui.main_window import MainWindow

    window = MainWindow()
    install_error_handler(window)
    window.show()
    if files:
        QTimer.singleShot(0, lambda: window.open_path(files[0]))
    # torch takes about a second to import: do it once the window is on screen, not before.
    QTimer.singleShot(300, window.warm_up)
    return app, window


def run_app(files: Sequence[str] = ()) -> int:
    """Open the main window (on the first of `files`, if given) and run the event loop."""
    app, _window = create_window(files)
    return app.exec()
