"""A workspace's Inspect tab, kept on the right model: the model on screen with its data, or during a run the
best weights so far, each time they improve (copied on the training thread: core/training/snapshot.py).

The view is built when the tab is first shown (gui/lazy_page.py); until then the newest request waits and is
handed over then."""

from __future__ import annotations

from collections.abc import Callable
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
        # The newest request made before the view was: its name, and what makes its arguments (a classifier's
        # context lists the table's texts: not made for a tab never opened).
        self._waiting: tuple[str, Callable[[], tuple[Any, ...] | None]] | None = None
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
            self._send(view, name, arguments)

    def _call(self, name: str, arguments: Callable[[], tuple[Any, ...] | None]) -> None:
        if self.page.built:
            self._send(self.view, name, arguments)
        else:
            self._waiting = (name, arguments)

    @staticmethod
    def _send(view: InspectView, name: str, arguments: Callable[[], tuple[Any, ...] | None]) -> None:
        made = arguments()
        if made is not None:  # None: nothing to look at (a run whose samples are not known)
            getattr(view, name)(*made)

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
        self._call("set_model", lambda: (workspace.model_kind, model,
                                         workspace.inspect_context() if model is not None else None))

    def epoch_ended(self, snapshot: BestSnapshot) -> None:
        """An epoch of the run was reported: new best weights go to the view (it computes only while shown)."""
        model, epoch = snapshot.latest()
        if model is None or epoch == self._epoch:
            return
        self._epoch, self._given = epoch, None  # the run's model follows when it ends
        self._call("refresh_from", lambda: self._refresh_arguments(model, epoch))

    def _refresh_arguments(self, model: Any, epoch: int) -> tuple[Any, ...] | None:
        if self._context is None:  # one context per run, made when first needed
            self._context = self._workspace.training_inspect_context()
        return None if self._context is None else (model, self._context, f"best so far (epoch {epoch})")

    def close(self) -> None:
        if self.page.built:
            self.view.close_jobs()
