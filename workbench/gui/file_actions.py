"""File menu work on models, projects and exports: ask for a path, call the core, report in words.

Every action takes an optional path (tests and scripts pass one; the menu passes none, so a dialog asks) and
returns whether it succeeded. A failure shows the core's message in the message bar and changes nothing: the
core writes atomically, and opening reads everything before the screen is touched. Which kind of model or
project a file holds is read from the file and dispatched through the registry (core/export/kinds.py).

Opening a project reads it and its data in the background (`project_opened` or `project_failed` follows).
Opening a model or a project into a workspace whose trained model is not saved asks first (gui/unsaved.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from workbench.core.errors import WorkbenchError
from workbench.gui.unsaved import MODEL, PROJECT, UnsavedModelGuard

if TYPE_CHECKING:
    from workbench.gui.opening import DataOpener
    from workbench.gui.runner import Job, JobContext
    from workbench.gui.services import Services
    from workbench.gui.workspaces.base import Workspace

MODEL_FILTER = "Sequence Workbench model (*.swb)"
PROJECT_FILTER = "Sequence Workbench project (*.swproj)"
ONNX_FILTER = "ONNX model (*.onnx)"
CSV_FILTER = "CSV table (*.csv)"
TEXT_FILTER = "Text file (*.txt)"
PLOT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg)"


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
    """The window's model, project and export commands."""

    project_opened = Signal(str)  # the project's path: it is on screen
    project_failed = Signal()  # refused, cancelled or kept back by the user: nothing changed

    def __init__(self, services: Services, host: FileHost, opener: DataOpener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._host = host
        self._opener = opener  # reads files in the background, one at a time, with Cancel
        self.guard = UnsavedModelGuard(services.dialog_parent, self.save_model_of)
        self.onnx_job: Job | None = None

    # ---- models

    def save_model(self, path: str | None = None) -> bool:
        workspace = self._host.active()
        if workspace is None or workspace.model is None:
            return self._refuse("There is no model to save yet.", "Train one first (Ctrl+T).")
        return self.save_model_of(workspace, path)

    def save_model_of(self, workspace: Workspace, path: str | None = None) -> bool:
        path = path or self._ask_save("Save model", self._default_name(".swb"), MODEL_FILTER, ".swb")
        if not path:
            return False
        from workbench.core.export.kinds import save_model

        with self._reporting(f"Saving {Path(path).name}..."):
            save_model(path, workspace.model)
            workspace.model_saved = True
            return self._done(f"Saved the model to {path}.")
        return False

    def open_model(self, path: str | None = None) -> bool:
        path = path or self._ask_open("Open model", MODEL_FILTER)
        if not path:
            return False
        from workbench.core.export.kinds import kind_of_file, load_model

        bundle = None
        with self._reporting(f"Opening {Path(path).name}..."):
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
        with self._reporting(f"Opening {Path(path).name}..."):
            workspace.use_model(bundle, path)
            self._host.activate(workspace.kind)
            self._services.show_status(f"Opened the model {path}.")
            return True
        return False

    # ---- projects

    def save_project(self, path: str | None = None) -> bool:
        """Save to `path`, or to the project's own file when it has one, else ask."""
        path = path or self._host.project_path or self._ask_save("Save project", self._default_name(".swproj"),
                                                                  PROJECT_FILTER, ".swproj")
        return bool(path) and self._write_project(path)

    def save_project_as(self) -> bool:
        path = self._ask_save("Save project as", self._default_name(".swproj"), PROJECT_FILTER, ".swproj")
        return bool(path) and self._write_project(path)

    def open_project(self, path: str | None = None) -> bool:
        """Read the project, its model and its data in the background; then `project_opened` (the screen shows
        the project) or `project_failed` (nothing changed). False when no reading started."""
        path = path or self._ask_open("Open project", PROJECT_FILTER)
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
            self._refuse(f"{name} was not opened: its {workspace.model_label} workspace is training.",
                         "Wait for the run to end, or stop it, then open the project again.")
            self.project_failed.emit()
            return
        if not self.guard.may_go(workspace, PROJECT, name):
            self._services.show_status(f"Kept the unsaved {workspace.model_label}; {name} was not opened.")
            self.project_failed.emit()
            return
        with self._reporting(f"Opening {name}..."):
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
            return self._refuse("There is nothing to save yet.", "Open data or a model first.")
        if workspace.project_config().problems():
            return self._refuse("The project was not saved: some settings are not valid.",
                                "Fix the settings marked in the Model tab, then save again.")
        from workbench.core.project import save_project

        with self._reporting(f"Saving {Path(path).name}..."):
            model = workspace.model
            save_project(path, workspace.project(), model)
            if model is not None:
                workspace.model_saved = True
            self._host.project_path = path
            self._host.project_changed()
            return self._done(f"Saved the project to {path}" + (" with its model." if model else "."))
        return False

    # ---- exports

    def export_onnx(self, path: str | None = None) -> bool:
        """Start the export in the background (it takes seconds); `onnx_job` reports its end."""
        workspace = self._host.active()
        reason = self._export_refusal(workspace, "onnx")
        if reason:
            return self._refuse(f"This model cannot be exported to ONNX now: {reason}", "")
        if self.onnx_job is not None and self.onnx_job.is_running():
            return self._refuse("An ONNX export is still running.", "Wait for it to finish.")
        path = path or self._ask_save("Export ONNX", self._default_name(".onnx"), ONNX_FILTER, ".onnx")
        if not path:
            return False
        from workbench.core.export.atomic import check_writable

        with self._reporting(f"Checking {Path(path).name}..."):
            # Fail fast: a folder that cannot be written to is reported now, not after a long export.
            check_writable(path)
            export, described = workspace.onnx_export(path)
            self.onnx_job = self._services.runner.start(
                "export", lambda _context: export(),
                # job.result is the export's ParityCheck: how close onnxruntime came, and on what inputs.
                succeeded=lambda job: self._done(f"Exported {Path(path).name}: {described}; "
                                                 f"{job.result.summary()}."),
                refused=self._services.show_error,
                crashed=lambda message, details: self._services.report_bug(
                    f"The export failed unexpectedly ({message}).", details))
            self._services.show_status(f"Exporting {Path(path).name} and checking it in onnxruntime...")
            return True
        return False

    def export_predictions(self, path: str | None = None) -> bool:
        workspace = self._host.active()
        reason = self._export_refusal(workspace, "predictions")
        if reason:
            return self._refuse("There are no predictions to export yet.", reason)
        path = path or self._ask_save("Export predictions", self._default_name("-predictions.csv"), CSV_FILTER,
                                      ".csv")
        if not path:
            return False
        with self._reporting(f"Writing {Path(path).name}..."):
            return self._done(workspace.write_predictions(path))
        return False

    def export_loss_history(self, path: str | None = None) -> bool:
        workspace = self._host.active()
        model = workspace.model if workspace is not None else None
        history = model.result.get("history", []) if model is not None else []
        if not history:
            return self._refuse("There is no loss history to export yet.", "Train a model first.")
        path = path or self._ask_save("Export loss history", self._default_name("-loss.csv"), CSV_FILTER, ".csv")
        if not path:
            return False
        from workbench.core.export.tables import loss_history_frame, write_csv

        with self._reporting(f"Writing {Path(path).name}..."):
            write_csv(loss_history_frame(history), path, float_format="%.9g")
            return self._done(f"Wrote {len(history):,} epochs of losses to {path}.")
        return False

    def export_plot(self, path: str | None = None) -> bool:
        """The plot on the tab the user is looking at, as PNG (twice the screen size) or SVG."""
        workspace = self._host.active()
        plot, name = workspace.current_plot() if workspace is not None else (None, "")
        if plot is None:
            return self._refuse("This tab has no plot to export.", "Switch to a tab with a plot, then export.")
        path = path or self._ask_save("Export plot", self._default_name(f"-{name}.png"), PLOT_FILTERS, ".png")
        if not path:
            return False
        from workbench.gui.plot_export import PLOT_SUFFIXES, export_plot

        if Path(path).suffix.lower() not in PLOT_SUFFIXES:
            return self._refuse(f"{Path(path).name}: plots are exported as .png or .svg.",
                                "Choose a file name ending in .png or .svg.")
        with self._reporting(f"Exporting {Path(path).name}..."):
            export_plot(plot, path)
            return self._done(f"Exported the {name} plot to {path}.")
        return False

    def export_generated_text(self, path: str | None = None) -> bool:
        """The generation panel's output and the sample timeline as a UTF-8 text file."""
        workspace = self._host.active()
        reason = self._export_refusal(workspace, "text")
        if reason:
            return self._refuse("There is no generated text to export yet.", reason)
        path = path or self._ask_save("Export generated text", self._default_name("-generated.txt"), TEXT_FILTER,
                                      ".txt")
        if not path:
            return False
        from workbench.core.export.atomic import atomic_write_text

        with self._reporting(f"Writing {Path(path).name}..."):
            atomic_write_text(path, workspace.generated_text_export())
            return self._done(f"Wrote the generated text to {path}.")
        return False

    # ---- helpers

    @staticmethod
    def _export_refusal(workspace: Workspace | None, name: str) -> str:
        if workspace is None:
            return "Open data and train or open a model first."
        return workspace.export_state().get(name, "")

    @contextlib.contextmanager
    def _reporting(self, text: str) -> Iterator[None]:
        """Busy cursor while the core works; its errors become a message and the exception stops there."""
        with self._services.busy(text):
            try:
                yield
            except WorkbenchError as error:
                self._services.show_error(error.message, error.hint)

    def _refuse(self, text: str, hint: str) -> bool:
        self._services.show_error(text, hint)
        return False

    def _done(self, text: str) -> bool:
        self._services.message_bar.clear()
        self._services.show_status(text)
        return True

    def _default_name(self, suffix: str) -> str:
        workspace = self._host.active()
        data_path = workspace.data_path() if workspace is not None else ""
        stem = Path(self._host.project_path or data_path or "model").stem
        return str(Path(self._services.last_folder()) / f"{stem}{suffix}")

    def _ask_save(self, title: str, suggested: str, filters: str, suffix: str) -> str:
        path, chosen = QFileDialog.getSaveFileName(self._services.dialog_parent, title, suggested, filters)
        if not path:
            return ""
        if not Path(path).suffix:
            # The filter the user picked decides the suffix ("plot" + SVG filter -> plot.svg).
            path += ".svg" if "svg" in chosen.lower() else suffix
        self._services.remember_folder(path)
        return path

    def _ask_open(self, title: str, filters: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self._services.dialog_parent, title, self._services.last_folder(),
                                              f"{filters};;All files (*)")
        if path:
            self._services.remember_folder(path)
        return path
