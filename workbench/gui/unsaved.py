"""The one question asked before a trained model that is not saved would be replaced or dropped.

Closing the window, opening a model or a project into the workspace that holds it, and training again all ask
it: Save (then go on, unless saving fails or is cancelled), Discard (go on), or Cancel (nothing changes).
Opening data never asks: each workspace keeps its model when new data opens in it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from workbench.gui.workspaces.base import Workspace

# What is about to happen, for the question's text. "model" and "project" add the file's name.
CLOSE, MODEL, PROJECT, TRAIN = "close", "model", "project", "train"
TITLE = "Unsaved model"


def question(label: str, action: str, name: str = "") -> str:
    """The question's text: which model would be lost, by what, and what Save does."""
    lost = {
        CLOSE: "Closing the window discards it.",
        MODEL: f"Opening the model {name} replaces it.",
        PROJECT: f"Opening the project {name} replaces it.",
        TRAIN: "Training again replaces it when the new run ends.",
    }[action]
    return f"The trained {label} has not been saved. {lost}\n\nSave it first?"


class UnsavedModelGuard:
    """Asks before an unsaved trained model goes; `save(workspace)` saves it (asking where) and says whether
    it did."""

    def __init__(self, parent: QWidget, save: Callable[[Workspace], bool]) -> None:
        self._parent = parent
        self._save = save

    def ask(self, workspace: Workspace, text: str) -> QMessageBox.StandardButton:
        """The question itself; tests replace it with an answer."""
        buttons = QMessageBox.StandardButton
        return QMessageBox.question(self._parent, TITLE, text, buttons.Save | buttons.Discard | buttons.Cancel,
                                    buttons.Save)

    def may_go(self, workspace: Workspace, action: str, name: str = "") -> bool:
        """True when `action` may replace or drop the workspace's model: it is saved (or there is none), the user
        saved it now, or chose to discard it. False leaves everything as it is."""
        if not workspace.has_unsaved_model():
            return True
        answer = self.ask(workspace, question(workspace.model_label, action, name))
        if answer == QMessageBox.StandardButton.Save:
            return self._save(workspace)
        return answer == QMessageBox.StandardButton.Discard
