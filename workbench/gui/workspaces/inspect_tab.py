"""A workspace's Inspect tab, kept on the right model: the model on screen with its data, or during a run the
best weights so far, each time they improve (copied on the training thread: core/training/snapshot.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.gui.panels.inspect.inspect_view import InspectView

if TYPE_CHECKING:
    from workbench.core.training.snapshot import BestSnapshot
    from workbench.gui.panels.inspect.contexts import InspectContext
    from workbench.gui.workspaces.base import Workspace


class InspectTab:
    """Follows `workspace`: its `model`, `inspect_context()`, `inspect_data()` and, during a run,
    `training_inspect_context()`."""

    def __init__(self, workspace: Workspace) -> None:
        self.view = InspectView(workspace.services)
        self._workspace = workspace
        self._given: tuple[int, int] | None = None  # which model and data the view was given
        self._epoch: int | None = None  # the epoch of the best-so-far weights it shows during a run
        self._context: InspectContext | None = None  # their samples (one context per run)
        workspace.changed.connect(self.follow_model)

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
        self.view.set_model(workspace.model_kind, model, workspace.inspect_context() if model is not None else None)

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
        self.view.refresh_from(model, self._context, f"best so far (epoch {epoch})")

    def close(self) -> None:
        self.view.close_jobs()
