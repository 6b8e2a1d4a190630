"""The Search tab: "Find a better model" (a search over settings), the cell race, and a shared study watched live,
as three pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from workbench.gui.latest_job import LatestJob
from workbench.gui.panels.runs.race_view import RaceView
from workbench.gui.panels.runs.search_view import SearchView
from workbench.gui.panels.runs.study_view import StudyView

if TYPE_CHECKING:
    from workbench.gui.panels.runs.work import Work
    from workbench.gui.services import Services


class SearchTab(QTabWidget):
    """Both ways of trying settings for a workspace of `kind` (a kind of model) on what `work_source()` returns,
    and a shared study's trials. `background(name)` is the workspace's background work (Workspace.background);
    without it the tab makes its own."""

    use_best = Signal(dict, str)  # SearchView.use_best: settings, and the best model's file
    use_settings = Signal(dict)  # StudyView.use_settings: a shared study's best settings
    runs_recorded = Signal()  # a search or a race recorded runs

    def __init__(self, services: Services, kind: str, work_source: Callable[[], Work | None],
                 folder_source: Callable[[], str | None] = lambda: None,
                 background: Callable[[str], LatestJob] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        jobs = background or (lambda name: LatestJob(services, name, self))
        self.search = SearchView(services, kind, work_source, folder_source)
        self.race = RaceView(services, work_source, folder_source)
        self.study = StudyView(services, kind, jobs("study-list"), jobs("study-read"), folder_source)
        self.addTab(self.search, "Find a better model")
        self.addTab(self.race, "Cell race")
        self.addTab(self.study, "Shared study")
        self.search.use_best.connect(self.use_best)
        self.study.use_settings.connect(self.use_settings)
        self.search.runs_recorded.connect(self.runs_recorded)
        self.race.runs_recorded.connect(self.runs_recorded)

    def is_running(self) -> bool:
        return self.search.is_running() or self.race.is_running()

    def stop(self) -> None:
        """Stop whichever runs (before the window closes), and stop watching the shared study."""
        self.search.stop()
        self.race.stop()
        self.study.stop_watching()
