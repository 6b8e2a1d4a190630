"""A tab page whose widget is built the first time it is shown (or asked for).

A workspace has tabs most sessions never open (Inspect, Runs, Search); their plots cost 20-40 ms each to build,
which every opened workspace would pay up front, on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)


class LazyPage(QWidget, Generic[W]):
    """Holds `build()`'s widget once it is made; `built` tells whether it is."""

    def __init__(self, build: Callable[[], W], on_built: Callable[[W], object] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build, self._on_built = build, on_built
        self._widget: W | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._widget is not None

    def widget(self) -> W:
        """The page's widget, built now if it was not yet; `on_built(widget)` follows its making."""
        if self._widget is None:
            self._widget = self._build()
            self._layout.addWidget(self._widget)
            if self._on_built is not None:
                self._on_built(self._widget)
        return self._widget

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.widget()
        super().showEvent(event)
