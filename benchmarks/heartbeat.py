"""The benchmarks' probe of the event loop: a QTimer that ticks every few milliseconds and keeps the gaps between
its ticks. A gap much longer than the period is the time the GUI thread could not answer."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class Heartbeat:
    """`gaps`: milliseconds between ticks since `start()`; `beat()` adds one by hand (at a run's end)."""

    def __init__(self, interval_ms: int) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.beat)

    def beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> float:
        """Start ticking; returns the moment it started (time.perf_counter)."""
        self._last = time.perf_counter()
        self._timer.start()
        return self._last

    def stop(self) -> None:
        self._timer.stop()
