"""The main window's menus and toolbar; the window connects them to its own slots."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from workbench.gui.export_actions import ExportActions
from workbench.gui.file_actions import FileActions
from workbench.gui.welcome import SAMPLE_REVIEWS, SAMPLE_SERIES, SAMPLE_TEXT


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


@dataclass
class MenuSlots:
    """What each menu entry calls; the window fills it in."""

    open_data: Callable[[], object]
    open_path: Callable[[str], object]
    import_options: Callable[[], object]
    train: Callable[[], object]
    stop: Callable[[], object]
    quit: Callable[[], object]
    about: Callable[[], object]


def build_menus(window: QMainWindow, slots: MenuSlots, files: FileActions, exports: ExportActions,
                sample_folder: Path) -> WindowActions:
    """File and Help menus plus the toolbar, wired to `slots`, the file commands and the exports."""
    file_menu = window.menuBar().addMenu("&File")
    open_action = action(window, "&Open Data...", slots.open_data, QKeySequence.StandardKey.Open)
    file_menu.addAction(open_action)
    recent_menu = file_menu.addMenu("Open &Recent")
    sample_menu = file_menu.addMenu("Open &Sample Data")
    samples = sorted([*sample_folder.glob("*.csv"), *sample_folder.glob("*.txt")])
    fill_menu(sample_menu, [str(p) for p in samples], slots.open_path, names_only=True)
    import_action = action(window, "&Import Options...", slots.import_options)
    file_menu.addAction(import_action)
    file_menu.addSeparator()
    open_project = action(window, "Open &Project...", files.open_project, "Ctrl+Shift+O")
    save_project = action(window, "Sa&ve Project", files.save_project, QKeySequence.StandardKey.Save)
    save_project_as = action(window, "Save Project &As...", files.save_project_as, "Ctrl+Shift+S")
    open_model = action(window, "Open &Model...", files.open_model)
    save_model = action(window, "Save Mo&del...", files.save_model)
    file_menu.addActions([open_project, save_project, save_project_as])
    file_menu.addSeparator()
    file_menu.addActions([open_model, save_model])
    export_menu = file_menu.addMenu("&Export")
    export_onnx = action(window, "Model as &ONNX...", exports.export_onnx)
    export_predictions = action(window, "&Predictions (CSV)...", exports.export_predictions)
    export_loss = action(window, "&Loss History (CSV)...", exports.export_loss_history)
    export_plot = action(window, "P&lot (PNG or SVG)...", exports.export_plot)
    export_text = action(window, "Generated &Text (TXT)...", exports.export_generated_text)
    export_menu.addActions([export_onnx, export_predictions, export_loss, export_plot, export_text])
    file_menu.addSeparator()
    file_menu.addAction(action(window, "&Quit", slots.quit, QKeySequence.StandardKey.Quit))
    train = action(window, "Train", slots.train, "Ctrl+T")
    train.setToolTip("Train the model on the open data (Ctrl+T)")
    stop = action(window, "Stop", slots.stop)
    stop.setEnabled(False)
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("main_toolbar")  # saveState() needs a name to restore it
    toolbar.setMovable(False)
    toolbar.addAction(open_action)
    toolbar.addSeparator()
    toolbar.addAction(train)
    toolbar.addAction(stop)
    help_menu = window.menuBar().addMenu("&Help")
    for text, name in (("Open &Sample Data (CO2)", SAMPLE_SERIES), ("Open Sample &Text (ship's log)", SAMPLE_TEXT),
                       ("Open Sample &Labelled Texts (reviews)", SAMPLE_REVIEWS)):
        help_menu.addAction(action(window, text, lambda n=name: slots.open_path(str(sample_folder / n))))
    help_menu.addAction(action(window, "&About", slots.about))
    return WindowActions(open_action, import_action, train, stop, recent_menu, sample_menu, open_project, save_project,
                         save_project_as, open_model, save_model, export_onnx, export_predictions, export_loss,
                         export_plot, export_text)


def fill_menu(menu: QMenu, paths: Sequence[str], open_path: Callable[[str], object], names_only: bool = False) -> None:
    """Replace `menu`'s entries with one per path; disabled when there are none."""
    menu.clear()
    for path in paths:
        menu.addAction(action(menu, Path(path).name if names_only else path, lambda p=path: open_path(p)))
    menu.setEnabled(bool(paths))
