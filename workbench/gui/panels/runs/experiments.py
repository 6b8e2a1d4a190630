"""The experiment tabs of one workspace, wired to what the workspace gives them: the Runs tab and the Search tab,
its runs recorded, a run's settings and model taken back into it.

The workspace hands over plain callables (its work, how to fill its forms, how to show a model, whether its
model may be replaced, its background jobs), so this part knows nothing else of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from workbench.core.errors import WorkbenchError
from workbench.gui.lazy_page import LazyPage
from workbench.gui.panels.runs.recording import RunWarnings, recorded_training
from workbench.gui.panels.runs.runs_tab import RunsTab
from workbench.gui.panels.runs.search_tab import SearchTab
from workbench.gui.panels.runs.work import Work, runs_folder

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from workbench.gui.latest_job import LatestJob
    from workbench.gui.services import Services
    from workbench.gui.training_job import TrainCall


class ExperimentTabs(QObject):
    """The Runs and Search tabs for a workspace training models of `kind`.

    `work()`: its data and settings now (None: no data); `set_form_config(config)`: put a run configuration in
    its forms; `use_model(bundle, path, shown)`: its Workspace.use_model; `may_replace_model()`: asks about an
    unsaved model (False: keep it); `background(name)`: its Workspace.background."""

    def __init__(self, services: Services, kind: str, work: Callable[[], Work | None],
                 set_form_config: Callable[[Any], object], use_model: Callable[..., object],
                 may_replace_model: Callable[[], bool], background: Callable[[str], LatestJob],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services, self.kind, self.work = services, kind, work
        self._set_form_config, self._use_model, self._may_replace_model = set_form_config, use_model, may_replace_model
        self._background = background
        self._data_path = ""  # the workspace's data: the Runs tab lists the runs on it
        # Built when first shown (gui/lazy_page.py): most sessions never open them.
        self.runs_page: LazyPage[RunsTab] = LazyPage(self._make_runs)
        self.search_page: LazyPage[SearchTab] = LazyPage(self._make_search)
        self.warnings = RunWarnings(self)  # a recording problem, sent from the training job's thread
        self.warnings.warned.connect(services.message_bar.show_warning)

    @property
    def runs(self) -> RunsTab:
        return self.runs_page.widget()

    @property
    def search(self) -> SearchTab:
        return self.search_page.widget()

    def _make_runs(self) -> RunsTab:
        background = self._background
        runs = RunsTab(self.services, self.kind, loader=background("runs"), fetcher=background("runs-compare"))
        runs.use_settings.connect(self.use_settings)
        runs.open_model.connect(self.open_model)
        runs.set_data(self._data_path)
        return runs

    def _make_search(self) -> SearchTab:
        search = SearchTab(self.services, self.kind, self.work, self.folder, background=self._background)
        search.use_best.connect(self.use_best)
        search.use_settings.connect(self.use_settings)  # a shared study's best trial
        search.runs_recorded.connect(self.run_ended)
        return search

    def tabs(self) -> list[tuple[QWidget, str]]:
        return [(self.runs_page, "Runs"), (self.search_page, "Search")]

    def folder(self) -> str | None:
        """The runs folder chosen in the window (None: the default one)."""
        return runs_folder(self.services.settings)

    # ----- what the workspace tells it
    def recorded(self, train: TrainCall, run_of: Callable[[Any], Any] = lambda result: result) -> TrainCall:
        """The workspace's training call, its run recorded in the run store however it ends (recording.py)."""
        work = self.work()
        if work is None:
            return train
        return recorded_training(train, work, self.folder(), self.warnings.warned.emit, run_of)

    def data_changed(self, data_path: str) -> None:
        self._data_path = data_path
        if self.runs_page.built:
            self.runs.set_data(data_path)

    def run_ended(self) -> None:
        """A run of the workspace (or a race's, a search's) was recorded: the Runs tab lists it (when it is first
        shown, it lists the store anyway)."""
        if self.runs_page.built:
            self.runs.reload()

    def current_plot(self, tab: QWidget | None) -> tuple[Any, str]:
        """The plot on `tab` when it is one of these tabs, and a short name for it; else (None, "")."""
        if tab is self.runs_page:
            return self.runs.compare.plot, "runs"
        if tab is self.search_page:
            page = self.search.currentWidget()
            if page is self.search.race:
                return self.search.race.plot, "race"
            if page is self.search.study:
                return self.search.study.best_plot, "study"
            return self.search.search.best_plot, "search"
        return None, ""

    def stop(self) -> None:
        """Before the window closes: the race or search ends (the runner waits for its thread)."""
        if self.search_page.built:
            self.search.stop()

    # ----- what the tabs ask of the workspace
    def use_settings(self, settings: dict[str, Any]) -> bool:
        """Put a recorded run's settings into the forms; False, said in words, when they cannot be read."""
        from workbench.core.search.stages import config_class

        try:
            config = config_class(self.kind).from_dict(settings)
        except WorkbenchError as error:
            self.services.show_error(error.message, error.hint)
            return False
        self._set_form_config(config)
        self.services.show_status("The run's settings are in the Model tab.")
        return True

    def open_model(self, path: str) -> None:
        """Open a model the run store kept, as File > Open Model would (asking first about an unsaved model)."""
        from workbench.core.export.kinds import load_model

        if not self._may_replace_model():
            return
        try:
            with self.services.busy("Opening the run's model..."):
                bundle = load_model(path, expect=self.kind)
            self._use_model(bundle, path, lambda: self.services.show_status(f"Opened the model kept at {path}."))
        except WorkbenchError as error:
            self.services.show_error(error.message, error.hint)

    def use_best(self, settings: dict[str, Any], path: str) -> None:
        """"Use best": the best trial's settings in the forms, and its model in the workspace."""
        if self.use_settings(settings) and path:
            self.open_model(path)
