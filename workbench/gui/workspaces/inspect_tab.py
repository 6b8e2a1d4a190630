"""A workspace's Inspect tab, kept on the right model: the model on screen with its data, or during a run the
best weights so far, each time they improve (copied on the training thread: core/training/snapshot.py).

The view is built when the tab is first shown (gui/lazy_page.py); until then the newest request waits and is
handed over then."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.gui.lazy_page import LazyPage

if TYPE_CHECKING:
    from workbench.core.training.snapshot import BestSnapshot
    from workbench.gui.panels.inspect.contexts import InspectContext
    from workbench.gui.panels.inspect.inspect_view import InspectView
    from workbench.gui.workspaces.base import Workspace


class InspectTab:
    """Follows `workspace`: its `model`, `inspect_context()`, `inspect_data()` and, during a run,
    `training_inspect_context()`."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self.page: LazyPage[InspectView] = LazyPage(self._make_view, self._hand_over)
        self._waiting: tuple[str, tuple[Any, ...]] | None = None  # the newest request made before the view was
        self._given: tuple[int, int] | None = None  # which model and data the view was given
        self._epoch: int | None = None  # the epoch of the best-so-far weights it shows during a run
        self._context: InspectContext | None = None  # their samples (one context per run)
        workspace.changed.connect(self.follow_model)

    @property
    def view(self) -> InspectView:
        return self.page.widget()

    def _make_view(self) -> InspectView:
        from workbench.gui.panels.inspect.inspect_view import InspectView

        return InspectView(self._workspace.services)

    def _hand_over(self, view: InspectView) -> None:
        if self._waiting is not None:
            name, arguments = self._waiting
            self._waiting = None
            getattr(view, name)(*arguments)

    def _call(self, name: str, *arguments: Any) -> None:
        if self.page.built:
            getattr(self.view, name)(*arguments)
        else:
            self._waiting = (name, arguments)

    def run_started(self) -> None:
        self._epoch = self._context = None

    def follow_model(self) -> None:
        """The model on screen, or the data it reads, changed: look inside it on that data (not during a run:
        then the best weights so far are shown)."""
        workspace = self._workspace
        if workspace.is_training():
            return
        key = (id(workspace.model), id(workspace.inspect_data()))
        if key == self._given:
            return
        self._given = key
        model = getattr(workspace.model, "model", None)
        self._call("set_model", workspace.model_kind, model, workspace.inspect_context() if model is not None else None)

    def epoch_ended(self, snapshot: BestSnapshot) -> None:
        """An epoch of the run was reported: new best weights go to the view (it computes only while shown)."""
        model, epoch = snapshot.latest()
        if model is None or epoch == self._epoch:
            return
        if self._context is None:
            self._context = self._workspace.training_inspect_context()
            if self._context is None:
                return
        self._epoch, self._given = epoch, None  # the run's model follows when it ends
        self._call("refresh_from", model, self._context, f"best so far (epoch {epoch})")

    def close(self) -> None:
        if self.page.built:
            self.view.close_jobs()
