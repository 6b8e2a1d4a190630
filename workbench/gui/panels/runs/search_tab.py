"""The Search tab: "Find a better model" (a search over settings) and the cell race, as two pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from workbench.gui.panels.runs.race_view import RaceView
from workbench.gui.panels.runs.search_view import SearchView

if TYPE_CHECKING:
    from workbench.gui.panels.runs.work import Work
    from workbench.gui.services import Services


class SearchTab(QTabWidget):
    """Both ways of trying settings for a workspace of `kind` (a kind of model) on what `work_source()` returns."""

    use_best = Signal(dict, str)  # SearchView.use_best: settings, and the best model's file
    runs_recorded = Signal()  # a search or a race recorded runs

    def __init__(self, services: Services, kind: str, work_source: Callable[[], Work | None],
                 folder_source: Callable[[], str | None] = lambda: None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.search = SearchView(services, kind, work_source, folder_source)
        self.race = RaceView(services, work_source, folder_source)
        self.addTab(self.search, "Find a better model")
        self.addTab(self.race, "Cell race")
        self.search.use_best.connect(self.use_best)
        self.search.runs_recorded.connect(self.runs_recorded)
        self.race.runs_recorded.connect(self.runs_recorded)

    def is_running(self) -> bool:
        return self.search.is_running() or self.race.is_running()

    def stop(self) -> None:
        """Stop whichever runs (before the window closes)."""
        self.search.stop()
        self.race.stop()
