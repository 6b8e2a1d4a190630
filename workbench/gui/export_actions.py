"""File > Export: the model as ONNX, its predictions, its loss history, the plot on screen, generated text.

Every command takes an optional path (tests and scripts pass one; the menu passes none, so a dialog asks) and
returns whether it succeeded. The workspace on screen says which exports are possible now and why not
(`Workspace.export_state`); the core writes atomically, so a failed export leaves no half-written file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from workbench.gui.file_dialogs import CSV_FILTER, ONNX_FILTER, PLOT_FILTERS, TEXT_FILTER, DialogHost, FileDialogs

if TYPE_CHECKING:
    from workbench.gui.runner import Job
    from workbench.gui.services import Services
    from workbench.gui.workspaces.base import Workspace


class ExportActions(QObject):
    """The window's export commands."""

    def __init__(self, services: Services, host: DialogHost, dialogs: FileDialogs,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._host = host
        self.dialogs = dialogs
        self.onnx_job: Job | None = None

    def export_onnx(self, path: str | None = None) -> bool:
        """Start the export in the background (it takes seconds); `onnx_job` reports its end."""
        workspace = self._host.active()
        reason = self._refusal(workspace, "onnx")
        dialogs = self.dialogs
        if reason:
            return dialogs.refuse(f"This model cannot be exported to ONNX now: {reason}", "")
        if self.onnx_job is not None and self.onnx_job.is_running():
            return dialogs.refuse("An ONNX export is still running.", "Wait for it to finish.")
        path = path or dialogs.ask_save("Export ONNX", dialogs.default_name(".onnx"), ONNX_FILTER, ".onnx")
        if not path:
            return False
        from workbench.core.export.atomic import check_writable

        with dialogs.reporting(f"Checking {Path(path).name}..."):
            # Fail fast: a folder that cannot be written to is reported now, not after a long export.
            check_writable(path)
            export, described = workspace.onnx_export(path)
            self.onnx_job = self._services.runner.start(
                "export", lambda _context: export(),
                # job.result is the export's ParityCheck: how close onnxruntime came, and on what inputs.
                succeeded=lambda job: dialogs.done(f"Exported {Path(path).name}: {described}; "
                                                   f"{job.result.summary()}."),
                refused=self._services.show_error,
                crashed=lambda message, details: self._services.report_bug(
                    f"The export failed unexpectedly ({message}).", details))
            self._services.show_status(f"Exporting {Path(path).name} and checking it in onnxruntime...")
            return True
        return False

    def export_predictions(self, path: str | None = None) -> bool:
        workspace = self._host.active()
        reason = self._refusal(workspace, "predictions")
        dialogs = self.dialogs
        if reason:
            return dialogs.refuse("There are no predictions to export yet.", reason)
        path = path or dialogs.ask_save("Export predictions", dialogs.default_name("-predictions.csv"), CSV_FILTER,
                                        ".csv")
        if not path:
            return False
        with dialogs.reporting(f"Writing {Path(path).name}..."):
            return dialogs.done(workspace.write_predictions(path))
        return False

    def export_loss_history(self, path: str | None = None) -> bool:
        workspace = self._host.active()
        model = workspace.model if workspace is not None else None
        history = model.result.get("history", []) if model is not None else []
        dialogs = self.dialogs
        if not history:
            return dialogs.refuse("There is no loss history to export yet.", "Train a model first.")
        path = path or dialogs.ask_save("Export loss history", dialogs.default_name("-loss.csv"), CSV_FILTER, ".csv")
        if not path:
            return False
        from workbench.core.export.tables import loss_history_frame, write_csv

        with dialogs.reporting(f"Writing {Path(path).name}..."):
            write_csv(loss_history_frame(history), path, float_format="%.9g")
            return dialogs.done(f"Wrote {len(history):,} epochs of losses to {path}.")
        return False

    def export_plot(self, path: str | None = None) -> bool:
        """The plot on the tab the user is looking at, as PNG (twice the screen size) or SVG."""
        workspace = self._host.active()
        plot, name = workspace.current_plot() if workspace is not None else (None, "")
        dialogs = self.dialogs
        if plot is None:
            return dialogs.refuse("This tab has no plot to export.", "Switch to a tab with a plot, then export.")
        path = path or dialogs.ask_save("Export plot", dialogs.default_name(f"-{name}.png"), PLOT_FILTERS, ".png")
        if not path:
            return False
        from workbench.gui.plot_export import PLOT_SUFFIXES, export_plot

        if Path(path).suffix.lower() not in PLOT_SUFFIXES:
            return dialogs.refuse(f"{Path(path).name}: plots are exported as .png or .svg.",
                                  "Choose a file name ending in .png or .svg.")
        with dialogs.reporting(f"Exporting {Path(path).name}..."):
            export_plot(plot, path)
            return dialogs.done(f"Exported the {name} plot to {path}.")
        return False

    def export_generated_text(self, path: str | None = None) -> bool:
        """The generation panel's output and the sample timeline as a UTF-8 text file."""
        workspace = self._host.active()
        reason = self._refusal(workspace, "text")
        dialogs = self.dialogs
        if reason:
            return dialogs.refuse("There is no generated text to export yet.", reason)
        path = path or dialogs.ask_save("Export generated text", dialogs.default_name("-generated.txt"),
                                        TEXT_FILTER, ".txt")
        if not path:
            return False
        from workbench.core.export.atomic import atomic_write_text

        with dialogs.reporting(f"Writing {Path(path).name}..."):
            atomic_write_text(path, workspace.generated_text_export())
            return dialogs.done(f"Wrote the generated text to {path}.")
        return False

    @staticmethod
    def _refusal(workspace: Workspace | None, name: str) -> str:
        """Why export `name` is not possible now ("" when it is)."""
        if workspace is None:
            return "Open data and train or open a model first."
        return workspace.export_state().get(name, "")
