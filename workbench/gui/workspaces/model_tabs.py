"""The tabs every workspace shares around its model: Inspect (the gates and states of the model on screen, or of
the best weights so far while it trains) and Runs and Search (every run recorded, races and searches), with the
hooks each kind of work fills in for them. A mixin of Workspace (base.py), which owns the state it uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.gui.unsaved import MODEL

if TYPE_CHECKING:
    from workbench.core.training.snapshot import BestSnapshot
    from workbench.gui.panels.inspect.contexts import InspectContext
    from workbench.gui.panels.inspect.inspect_view import InspectView
    from workbench.gui.panels.runs.work import Work


class ModelTabs:
    """The Inspect, Runs and Search tabs of a Workspace, and what each kind of work tells them."""

    # ----- what each kind of work provides --------------------------------------------------------------------------
    def work(self) -> Work | None:
        """The open data and the form's settings, for recording a run, a race or a search (None: no data)."""
        raise NotImplementedError

    def set_form_config(self, config: Any) -> None:
        """Put a run configuration (a recorded run's, a search's best) into the forms."""
        raise NotImplementedError

    def inspect_context(self) -> InspectContext | None:
        """What the Inspect tab takes its samples from for the model on screen (None: nothing to look at)."""
        return None

    def inspect_data(self) -> object:
        """The data `inspect_context` is made from: a change of it gives the Inspect tab a new context."""
        return None

    def training_inspect_context(self) -> InspectContext | None:
        """The samples for the best-so-far weights of the run in progress (None: not during this run)."""
        return None

    def new_snapshot(self) -> BestSnapshot:
        """The callback that keeps the best weights so far of a run, for the Inspect tab (and generation)."""
        from workbench.core.training.snapshot import BestSnapshot

        return BestSnapshot()

    def run_of(self, result: Any) -> Any:
        """The kind's run object in what the training call returns (a series run comes with its forecasts)."""
        return result


    # ----- the Inspect tab ----------------------------------------------------------------------------------------
    def add_inspect_tab(self) -> None:
        """The Inspect tab: the gates and states of the model on screen, or of the best weights while training."""
        from workbench.gui.workspaces.inspect_tab import InspectTab

        self.inspect_tab = InspectTab(self)
        self.right_tabs.addTab(self.inspect_tab.page, "Inspect")


    # ----- runs and searches --------------------------------------------------------------------------------------
    def add_experiment_tabs(self) -> None:
        """The Runs and Search tabs, after the kind's own tabs: every run recorded, races and searches."""
        from workbench.gui.panels.runs.experiments import ExperimentTabs

        self.experiments = ExperimentTabs(
            self.services, self.model_kind, self.work, self.set_form_config, self.use_model,
            lambda: self.services.model_may_go(self, MODEL), self.background, self)
        for widget, title in self.experiments.tabs():
            self.right_tabs.addTab(widget, title)

    @property
    def inspect_view(self) -> InspectView | None:
        """The Inspect tab's view (built now if it was not yet), or None without the tab."""
        return self.inspect_tab.view if self.inspect_tab is not None else None

    def _run_recorded(self) -> None:
        """A run ended (the training job recorded it before it ended): the Runs tab lists it."""
        if self.experiments is not None:
            self.experiments.run_ended()

    def data_changed_for_runs(self) -> None:
        """New data is open: the Runs tab shows the runs on it."""
        if self.experiments is not None:
            self.experiments.data_changed(self.data_path())
