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
        self.runs = RunsTab(services, kind, loader=background("runs"), fetcher=background("runs-compare"))
        self.search = SearchTab(services, kind, work, self.folder, background=background)
        self.warnings = RunWarnings(self)  # a recording problem, sent from the training job's thread
        self.warnings.warned.connect(services.message_bar.show_warning)
        self.runs.use_settings.connect(self.use_settings)
        self.runs.open_model.connect(self.open_model)
        self.search.use_best.connect(self.use_best)
        self.search.use_settings.connect(self.use_settings)  # a shared study's best trial
        self.search.runs_recorded.connect(self.runs.reload)

    def tabs(self) -> list[tuple[QWidget, str]]:
        return [(self.runs, "Runs"), (self.search, "Search")]

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
        self.runs.set_data(data_path)

    def run_ended(self) -> None:
        """A run of the workspace ended (and was recorded): the Runs tab lists it."""
        self.runs.reload()

    def current_plot(self, tab: QWidget | None) -> tuple[Any, str]:
        """The plot on `tab` when it is one of these tabs, and a short name for it; else (None, "")."""
        if tab is self.runs:
            return self.runs.compare.plot, "runs"
        if tab is self.search:
            page = self.search.currentWidget()
            if page is self.search.race:
                return self.search.race.plot, "race"
            if page is self.search.study:
                return self.search.study.best_plot, "study"
            return self.search.search.best_plot, "search"
        return None, ""

    def stop(self) -> None:
        """Before the window closes: the race or search ends (the runner waits for its thread)."""
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
