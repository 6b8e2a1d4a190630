"""The main window: menus, the message bar, one background runner and a stack of workspaces, one per kind of work.

The window knows no kind of work itself. It opens on a welcome page, creates a workspace the first time its
kind of data, model or project is opened (each imports its heavy modules then, not at start-up), and asks the
active one for what the menus need.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from workbench.gui.export_actions import ExportActions
from workbench.gui.file_actions import FileActions
from workbench.gui.job_progress import JobProgress
from workbench.gui.menus import MenuSlots, build_menus, fill_menu
from workbench.gui.messages import MessageBar
from workbench.gui.opening import DataOpener
from workbench.gui.recent_files import recent_files
from workbench.gui.runner import Runner
from workbench.gui.services import SAMPLE_DATA, Services
from workbench.gui.unsaved import CLOSE
from workbench.gui.welcome import WelcomePage

if TYPE_CHECKING:
    from workbench.gui.workspaces.base import Workspace

# Where each kind of work's workspace lives; imported on first use.
WORKSPACES = {
    "series": "workbench.gui.workspaces.series:SeriesWorkspace",
    "text": "workbench.gui.workspaces.text:TextWorkspace",
    "classify": "workbench.gui.workspaces.classify:ClassifyWorkspace",
}
START_MESSAGE = ("Open a table (CSV, TSV, Parquet, Excel) of numbers or of labelled texts, or a text file (.txt), "
                 "to begin.")


class MainWindow(QMainWindow):
    workspace_created = Signal(object)  # a Workspace, the first time its kind of work is opened

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self._settings = settings or QSettings()
        self.project_path: str | None = None
        self.workspaces: dict[str, Workspace] = {}
        self._active: str | None = None
        self.runner = Runner(self)
        self.message_bar = MessageBar(self)
        self.progress = JobProgress(self)
        self.statusBar().addPermanentWidget(self.progress)
        # Room for it from the start: a status bar that grows as reading starts resizes (and repaints) everything.
        self.statusBar().setMinimumHeight(self.progress.sizeHint().height() + 2)
        self.services = Services(self.runner, self.message_bar, self._settings, self, self.statusBar().showMessage,
                                 self._update_recent_menu, self.progress,
                                 lambda workspace, action: self.files.guard.may_go(workspace, action),
                                 self.statusBar().currentMessage)
        self.opener = DataOpener(self.services, self, self)
        self.opener.opened.connect(lambda _kind: self._update_title())
        self.files = FileActions(self.services, self, self.opener, self)
        self.exports = ExportActions(self.services, self, self.files.dialogs, self)
        self.welcome = WelcomePage(self)
        self.welcome.open_requested.connect(self.opener.ask_and_open)
        self.welcome.sample_requested.connect(lambda name: self.open_path(str(SAMPLE_DATA / name)))
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.welcome)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        slots = MenuSlots(open_data=self.opener.ask_and_open, open_path=self.open_path,
                          import_options=self._on_import_options, train=self.start_training, stop=self.stop_training,
                          quit=self.close, about=self._on_about)
        self.actions_ = build_menus(self, slots, self.files, self.exports, SAMPLE_DATA)
        self._update_recent_menu()
        self._update_actions()
        self.setAcceptDrops(True)
        self.setWindowTitle("Sequence Workbench")
        self.statusBar().showMessage(START_MESSAGE)
        self._restore_settings()

    # ----- workspaces ---------------------------------------------------------------------------------------------
    @staticmethod
    def workspace_class(kind: str) -> type[Workspace]:
        """The class of `kind`'s workspace, its modules imported (safe on a reading job's thread: no widget is made)."""
        module_name, class_name = WORKSPACES[kind].split(":")
        return getattr(importlib.import_module(module_name), class_name)

    def workspace(self, kind: str) -> Workspace:
        """The workspace of `kind` ("series", "text", "classify"), made the first time it is needed."""
        if kind not in self.workspaces:
            workspace = self.workspace_class(kind)(self.services, self)
            workspace.changed.connect(self._on_workspace_changed)
            workspace.can_train_changed.connect(lambda _can, _why, w=workspace: self._on_workspace_changed(w))
            self.stack.addWidget(workspace.widget)
            self.workspaces[kind] = workspace
            workspace.restore_state(self._settings)
            self.workspace_created.emit(workspace)
        return self.workspaces[kind]

    def activate(self, kind: str) -> None:
        """Show the workspace of `kind`; the others keep their data, models and runs, hidden."""
        self._active = kind
        self.stack.setCurrentWidget(self.workspace(kind).widget)
        self._update_actions()
        self._update_title()

    def active(self) -> Workspace | None:
        return self.workspaces.get(self._active) if self._active else None

    def project_changed(self) -> None:
        self._update_title()

    def _on_workspace_changed(self, workspace: Workspace | None = None) -> None:
        self._update_actions()
        self._update_title()

    # ----- opening, training --------------------------------------------------------------------------------------
    def open_path(self, path: str, then: Callable[[], object] | None = None) -> None:
        """Open a file in the background; a problem is shown and what was open stays. `then()` runs after a data
        file. A model (.swb) or project (.swproj) file, dropped or named on the command line, opens as one."""
        suffix = Path(path).suffix.lower()
        if suffix in (".swb", ".swproj"):
            (self.files.open_model if suffix == ".swb" else self.files.open_project)(path)
            if then is not None:
                then()
            return
        self.opener.open_path(path, then)

    def _on_import_options(self) -> None:
        workspace = self.active()
        table = getattr(workspace, "table", None)
        if table is not None:
            self.opener.reimport(table)

    def start_training(self) -> None:
        workspace = self.active()
        if workspace is not None:
            workspace.start_training()

    def stop_training(self) -> None:
        for workspace in self.workspaces.values():
            workspace.stop_training()
        self.actions_.stop.setEnabled(False)

    def training_workspace(self) -> Workspace | None:
        return next((w for w in self.workspaces.values() if w.is_training()), None)

    # ----- menus and title ----------------------------------------------------------------------------------------
    def _update_actions(self) -> None:
        a, workspace = self.actions_, self.active()
        busy = self.training_workspace() is not None
        can, reason = workspace.can_train if workspace is not None else (False, "Open data first.")
        can_train = can and not busy
        a.train.setEnabled(can_train)
        a.train.setToolTip("Train the model on the open data (Ctrl+T)" if can_train else
                           reason or "Wait for the training to end.")
        a.stop.setEnabled(busy and workspace is not None and workspace.is_training())
        for action in (a.open, a.recent_menu.menuAction(), a.sample_menu.menuAction(), a.open_project, a.open_model,
                       a.save_project, a.save_project_as):
            action.setEnabled(not busy)
        a.import_options.setEnabled(not busy and getattr(workspace, "table", None) is not None)
        self.setAcceptDrops(not busy)
        reasons = workspace.export_state() if workspace is not None else {}
        has_model = workspace is not None and workspace.model is not None and not busy
        a.save_model.setEnabled(has_model)
        for name, export in (("onnx", a.export_onnx), ("predictions", a.export_predictions),
                             ("loss", a.export_loss), ("text", a.export_text)):
            possible = workspace is not None and name not in reasons
            export.setEnabled(possible)
            export.setToolTip("" if possible else reasons.get(name, "Open data first."))

    def _update_recent_menu(self) -> None:
        fill_menu(self.actions_.recent_menu, recent_files(self._settings), self.open_path)

    def _update_title(self) -> None:
        workspace = self.active()
        data_path = workspace.data_path() if workspace is not None else ""
        name = Path(self.project_path or data_path).name if (self.project_path or data_path) else ""
        self.setWindowTitle(f"{name} - Sequence Workbench" if name else "Sequence Workbench")

    def _on_about(self) -> None:
        from workbench import __version__

        QMessageBox.about(self, "About Sequence Workbench", f"Sequence Workbench {__version__}\nTrain and inspect "
                          "LSTM, GRU and RNN models on series, texts and labelled texts.")

    # ----- drops, closing, settings ---------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            self.open_path(files[0])

    def ask_stop_on_close(self) -> bool:
        answer = QMessageBox.question(self, "Training is running",
                                      "A model is still training. Stop the training and close the window?")
        return answer == QMessageBox.StandardButton.Yes

    def ask_save_model_on_close(self, workspace: Workspace) -> bool:
        """Offer to save a trained model that would be lost; False cancels the close."""
        return self.files.guard.may_go(workspace, CLOSE)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.training_workspace() is not None and not self.ask_stop_on_close():
            event.ignore()
            return
        for workspace in self.workspaces.values():
            workspace.close()
        for workspace in self.workspaces.values():
            if workspace.has_unsaved_model() and not self.ask_save_model_on_close(workspace):
                event.ignore()
                return
        # Exports and reads end within seconds; one cut off would leave a temp file behind.
        self.runner.cancel_all()
        self.runner.wait_all()
        self._save_settings()
        event.accept()

    def warm_up(self, wait: bool = False) -> None:
        """Load the training stack and start the reader process on a background thread while the user looks at
        the window.

        Importing torch takes about a second, and the first optimiser step imports more of it lazily; done
        when Train is pressed, both would freeze the window (docs/decisions.md, "Start-up")."""
        thread = threading.Thread(target=_warm_up_torch, name="warm-up", daemon=True)
        thread.start()
        if wait:
            thread.join()

    def _save_settings(self) -> None:
        self._settings.setValue("geometry", self.saveGeometry())
        self._settings.setValue("window_state", self.saveState())
        for workspace in self.workspaces.values():
            workspace.save_state(self._settings)

    def _restore_settings(self) -> None:
        for key, restore in (("geometry", self.restoreGeometry), ("window_state", self.restoreState)):
            value = self._settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        if not isinstance(self._settings.value("geometry"), QByteArray):
            self.resize(1320, 820)


def _warm_up_torch() -> None:
    from workbench.core.training.engine import warm_up
    from workbench.gui.reader import shared_reader

    shared_reader().start()  # the reader process imports pandas meanwhile (gui/reader.py)
    warm_up()
