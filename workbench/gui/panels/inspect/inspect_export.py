"""Exporting what the Inspect tab shows: its plots as pictures (the app's plot export) and the arrays (.npz)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from workbench.core.errors import WorkbenchError
from workbench.gui.plot_export import export_plot

if TYPE_CHECKING:
    import pyqtgraph as pg

    from workbench.core.inspect.inspection import Inspection
    from workbench.gui.services import Services

ARRAYS_FILTER = "NumPy arrays (*.npz)"
# The pictures by name, with their menu words; the arrays come last.
PICTURES = {"states": "Heatmap", "unit": "Unit plot", "attribution": "Attribution plot",
            "saturation": "Saturation plot"}


def ask_save(services: Services, title: str, name: str, filters: str, suffix: str) -> str:
    """A path to write, starting in the last folder ("" when cancelled); a bare name gets its filter's suffix."""
    suggested = str(Path(services.last_folder()) / name)
    path, chosen = QFileDialog.getSaveFileName(services.dialog_parent, title, suggested, filters)
    if not path:
        return ""
    if not Path(path).suffix:
        path += ".svg" if "svg" in chosen.lower() else suffix
    services.remember_folder(path)
    return path


def write_picture(services: Services, plot: pg.PlotWidget, path: str) -> bool:
    """Write `plot` to `path` (.png or .svg); a failure is told in the message bar."""
    try:
        export_plot(plot, path)
    except (OSError, ValueError) as error:
        services.show_error(f"Could not write {Path(path).name}: {error}.", "Choose another folder or name.")
        return False
    services.show_status(f"Wrote {Path(path).name}.")
    return True


def write_arrays(services: Services, inspection: Inspection, path: str) -> bool:
    """Write every array of `inspection` as `workbench inspect` does (one .npz, written whole or not at all)."""
    from workbench.core.inspect.inspection import inspection_arrays, save_arrays

    arrays = inspection_arrays(inspection)
    try:
        save_arrays(path, arrays)
    except WorkbenchError as error:
        services.show_error(error.message, error.hint)
        return False
    except OSError as error:
        services.show_error(f"Could not write {Path(path).name}: {error.strerror or error}.",
                            "Choose another folder or name.")
        return False
    services.show_status(f"Wrote {len(arrays)} arrays to {Path(path).name}.")
    return True


def export_button(parent: QWidget, picture: object, arrays: object) -> QToolButton:
    """"Export" with a menu: each picture, then the arrays; `picture(name)` and `arrays()` do the work."""
    button = QToolButton(parent)
    button.setText("Export")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setToolTip("Write a plot as PNG or SVG, or every gate and state of this sample as NumPy arrays (.npz).")
    menu = QMenu(button)
    for name, text in PICTURES.items():
        menu.addAction(f"{text} as a picture...", lambda name=name: picture(name)).setObjectName(name)
    menu.addSeparator()
    menu.addAction("Arrays (.npz)...", arrays).setObjectName("arrays")
    button.setMenu(menu)
    return button

