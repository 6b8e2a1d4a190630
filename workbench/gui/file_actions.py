"""File menu work on models and projects: ask for a path, call the core, report in words.

Every action takes an optional path (tests and scripts pass one; the menu passes none, so a dialog asks) and
returns whether it succeeded (or, for what finishes in the background, started). A failure shows the core's
message in the message bar and changes nothing: the core writes atomically, and opening reads everything
before the screen is touched. Which kind of model or project a file holds is read from the file and
dispatched through the registry (core/export/kinds.py). Exports are in gui/export_actions.py.

Opening a project reads it and its data in the background (`project_opened` or `project_failed` follows); so
does what an opened model needs of the open data (its forecasts), and the window shows the model when that is
done. Opening a model or a project into a workspace whose trained model is not saved asks first (gui/unsaved.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from workbench.gui.file_dialogs import MODEL_FILTER, PROJECT_FILTER, FileDialogs
from workbench.gui.unsaved import MODEL, PROJECT, UnsavedModelGuard

if TYPE_CHECKING:
    from workbench.gui.opening import DataOpener
    from workbench.gui.runner import JobContext
    from workbench.gui.services import Services
    from workbench.gui.workspaces.base import Workspace


class FileHost(Protocol):
    """What the file commands need of the window."""

    project_path: str | None

    def active(self) -> Workspace | None: ...

    def workspace_class(self, kind: str) -> type[Workspace]: ...

    def workspace(self, kind: str) -> Workspace: ...

    def activate(self, kind: str) -> None: ...

    def open_path(self, path: str, then: Callable[[], object] | None = None) -> None: ...

    def project_changed(self) -> None: ...


class FileActions(QObject):
    """The window's model and project commands."""

    project_opened = Signal(str)  # the project's path: it is on screen
    project_failed = Signal()  # refused, cancelled or kept back by the user: nothing changed

    def __init__(self, services: Services, host: FileHost, opener: DataOpener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._host = host
        self._opener = opener  # reads files in the background, one at a time, with Cancel
        self.dialogs = FileDialogs(services, host)
        self.guard = UnsavedModelGuard(services.dialog_parent, self.save_model_of)

    # ---- models

    def save_model(self, path: str | None = None) -> bool:
        workspace = self._host.active()
        if workspace is None or workspace.model is None:
            return self.dialogs.refuse("There is no model to save yet.", "Train one first (Ctrl+T).")
        return self.save_model_of(workspace, path)

    def save_model_of(self, workspace: Workspace, path: str | None = None) -> bool:
        path = path or self.dialogs.ask_save("Save model", self.dialogs.default_name(".swb"), MODEL_FILTER, ".swb")
        if not path:
            return False
        from workbench.core.export.kinds import save_model

        with self.dialogs.reporting(f"Saving {Path(path).name}..."):
            save_model(path, workspace.model)
            workspace.model_saved = True
            return self.dialogs.done(f"Saved the model to {path}.")
        return False

    def open_model(self, path: str | None = None) -> bool:
        path = path or self.dialogs.ask_open("Open model", MODEL_FILTER)
        if not path:
            return False
        from workbench.core.export.kinds import kind_of_file, load_model

        bundle = None
        with self.dialogs.reporting(f"Opening {Path(path).name}..."):
            kind = kind_of_file(path)
            bundle = load_model(path)
            workspace = self._host.workspace(kind.work)
        if bundle is None:
            return False
        if not self.guard.may_go(workspace, MODEL, Path(path).name):
            self._services.show_status(f"Kept the unsaved {workspace.model_label}; {Path(path).name} was not opened.")
            return False
        # Open the data it was trained on when it lies next to the model, as after `workbench train`.
        source = Path(path).parent / str(bundle.data.get("source") or "")
        if not workspace.data_path() and bundle.data.get("source") and source.is_file():
            self._host.open_path(str(source), then=lambda: self._use_model(workspace, bundle, path))
            return True
        return self._use_model(workspace, bundle, path)

    def _use_model(self, workspace: Workspace, bundle: object, path: str) -> bool:
        def shown() -> None:
            self._host.activate(workspace.kind)
            self._services.show_status(f"Opened the model {path}.")

        with self.dialogs.reporting(f"Opening {Path(path).name}..."):
            workspace.use_model(bundle, path, shown)
            return True
        return False

    # ---- projects

    def save_project(self, path: str | None = None) -> bool:
        """Save to `path`, or to the project's own file when it has one, else ask."""
        path = path or self._host.project_path or self._ask_project_path("Save project")
        return bool(path) and self._write_project(path)

    def save_project_as(self) -> bool:
        path = self._ask_project_path("Save project as")
        return bool(path) and self._write_project(path)

    def _ask_project_path(self, title: str) -> str:
        return self.dialogs.ask_save(title, self.dialogs.default_name(".swproj"), PROJECT_FILTER, ".swproj")

    def open_project(self, path: str | None = None) -> bool:
        """Read the project, its model and its data in the background; then `project_opened` (the screen shows
        the project) or `project_failed` (nothing changed). False when no reading started."""
        path = path or self.dialogs.ask_open("Open project", PROJECT_FILTER)
        if not path:
            return False
        return self._opener.read(path, lambda context: self._read_project(context, path),
                                 lambda read: self._show_project(path, read), self.project_failed.emit)

    def _read_project(self, context: JobContext, path: str) -> tuple[str, object, object] | None:
        """On the reading job's thread: everything the project needs, read and checked before the screen changes."""
        from workbench.core.project import open_project

        context.progress({"text": f"Reading the project {Path(path).name}..."})
        opened = open_project(path)
        kind = opened.project.kind
        workspace_class = self._host.workspace_class(kind)  # imports its modules here, off the GUI thread
        if context.should_stop():
            return None
        context.progress({"text": f"Reading the data of {Path(path).name}..."})
        return kind, opened, workspace_class.read_project_data(opened)

    def _show_project(self, path: str, read: tuple[str, object, object] | None) -> None:
        if read is None:
            self.project_failed.emit()
            return
        from workbench.core.project import model_path_for

        kind, opened, data = read
        name = Path(path).name
        workspace = self._host.workspace(kind)
        if workspace.is_training():
            self.dialogs.refuse(f"{name} was not opened: its {workspace.model_label} workspace is training.",
                         "Wait for the run to end, or stop it, then open the project again.")
            self.project_failed.emit()
            return
        if not self.guard.may_go(workspace, PROJECT, name):
            self._services.show_status(f"Kept the unsaved {workspace.model_label}; {name} was not opened.")
            self.project_failed.emit()
            return
        with self.dialogs.reporting(f"Opening {name}..."):
            workspace.use_project(opened, model_path_for(path).name, data)
            self._host.activate(kind)
            self._host.project_path = path
            self._host.project_changed()
            if opened.warnings:
                self._services.message_bar.show_warning(" ".join(opened.warnings))
            else:
                self._services.message_bar.clear()
            self._services.show_status(f"Opened the project {path}.")
            self.project_opened.emit(path)
            return
        self.project_failed.emit()

    def _write_project(self, path: str) -> bool:
        workspace = self._host.active()
        if workspace is None:
            return self.dialogs.refuse("There is nothing to save yet.", "Open data or a model first.")
        if workspace.project_config().problems():
            return self.dialogs.refuse("The project was not saved: some settings are not valid.",
                                "Fix the settings marked in the Model tab, then save again.")
        from workbench.core.project import save_project

        with self.dialogs.reporting(f"Saving {Path(path).name}..."):
            model = workspace.model
            save_project(path, workspace.project(), model)
            if model is not None:
                workspace.model_saved = True
            self._host.project_path = path
            self._host.project_changed()
            return self.dialogs.done(f"Saved the project to {path}" + (" with its model." if model else "."))
        return False
