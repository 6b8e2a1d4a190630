"""The main window's menus and toolbar; the window connects them to its own slots."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget


@dataclass
class WindowActions:
    open: QAction
    import_options: QAction
    train: QAction
    stop: QAction
    recent_menu: QMenu
    sample_menu: QMenu
    open_project: QAction
    save_project: QAction
    save_project_as: QAction
    open_model: QAction
    save_model: QAction
    export_onnx: QAction
    export_predictions: QAction
    export_loss: QAction
    export_plot: QAction
    export_text: QAction


def action(parent: QWidget, text: str, slot: Callable[[], object], shortcut=None) -> QAction:
    """A QAction calling `slot` with no arguments (Qt passes `checked`, which slots here don't take)."""
    made = QAction(text, parent)
    if shortcut is not None:
        made.setShortcut(shortcut)
    made.triggered.connect(lambda checked=False: slot())
    return made


def build_menus(window: QMainWindow, sample_folder: Path) -> WindowActions:
    """File and Help menus plus the toolbar, wired to `window`'s slots and its `files` (FileActions)."""
    file_menu = window.menuBar().addMenu("&File")
    open_action = action(window, "&Open Data...", window._on_open_clicked, QKeySequence.StandardKey.Open)
    file_menu.addAction(open_action)
    recent_menu = file_menu.addMenu("Open &Recent")
    sample_menu = file_menu.addMenu("Open &Sample Data")
    samples = sorted([*sample_folder.glob("*.csv"), *sample_folder.glob("*.txt")])
    fill_menu(sample_menu, [str(p) for p in samples], window.open_path, names_only=True)
    import_action = action(window, "&Import Options...", window._on_import_options)
    file_menu.addAction(import_action)
    file_menu.addSeparator()
    files = window.files
    open_project = action(window, "Open &Project...", files.open_project, "Ctrl+Shift+O")
    save_project = action(window, "Sa&ve Project", files.save_project, QKeySequence.StandardKey.Save)
    save_project_as = action(window, "Save Project &As...", files.save_project_as, "Ctrl+Shift+S")
    open_model = action(window, "Open &Model...", files.open_model)
    save_model = action(window, "Save Mo&del...", files.save_model)
    file_menu.addActions([open_project, save_project, save_project_as])
    file_menu.addSeparator()
    file_menu.addActions([open_model, save_model])
    export_menu = file_menu.addMenu("&Export")
    export_onnx = action(window, "Model as &ONNX...", files.export_onnx)
    export_predictions = action(window, "&Predictions (CSV)...", files.export_predictions)
    export_loss = action(window, "&Loss History (CSV)...", files.export_loss_history)
    export_plot = action(window, "P&lot (PNG or SVG)...", files.export_plot)
    export_text = action(window, "Generated &Text (TXT)...", files.export_generated_text)
    export_menu.addActions([export_onnx, export_predictions, export_loss, export_plot, export_text])
    file_menu.addSeparator()
    file_menu.addAction(action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit))
    train = action(window, "Train", window.start_training, "Ctrl+T")
    train.setToolTip("Train the model on the open data (Ctrl+T)")
    stop = action(window, "Stop", window.worker.request_stop)
    stop.setEnabled(False)
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("main_toolbar")  # saveState() needs a name to restore it
    toolbar.setMovable(False)
    toolbar.addAction(open_action)
    toolbar.addSeparator()
    toolbar.addAction(train)
    toolbar.addAction(stop)
    help_menu = window.menuBar().addMenu("&Help")
    help_menu.addAction(action(window, "Open &Sample Data (CO2)", window.open_sample))
    help_menu.addAction(action(window, "Open Sample &Text (ship's log)", window.open_sample_text))
    help_menu.addAction(action(window, "Open Sample &Labelled Texts (reviews)", window.open_sample_reviews))
    help_menu.addAction(action(window, "&About", window._on_about))
    return WindowActions(open_action, import_action, train, stop, recent_menu, sample_menu, open_project, save_project,
                         save_project_as, open_model, save_model, export_onnx, export_predictions, export_loss,
                         export_plot, export_text)


def fill_menu(menu: QMenu, paths: Sequence[str], open_path: Callable[[str], object], names_only: bool = False) -> None:
    """Replace `menu`'s entries with one per path; disabled when there are none."""
    menu.clear()
    for path in paths:
        menu.addAction(action(menu, Path(path).name if names_only else path, lambda p=path: open_path(p)))
    menu.setEnabled(bool(paths))
