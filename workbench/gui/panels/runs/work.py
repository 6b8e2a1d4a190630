"""What a workspace hands the experiment tabs: plain data about its kind of model, its data and its settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QSettings

# The QSettings key of the runs folder the user chose ("" or absent: the default folder of core/runs/store.py).
RUNS_FOLDER_KEY = "runs/folder"


@dataclass(frozen=True)
class Work:
    """The data and settings a race or a search starts from, as the workspace shows them now."""

    kind: str  # the kind of model: forecaster, language_model or classifier
    data_path: str
    config: Any  # the form's settings: RunConfig, TextRunConfig or ClassifyRunConfig
    content: Any = None  # the data as the window read it (a DataFrame or a TextSource): used as is, not read again
    read_options: dict[str, Any] = field(default_factory=dict)  # how it was read, for the run records


def runs_folder(settings: QSettings) -> str | None:
    """The runs folder the user chose in the window, or None for the default one."""
    value = settings.value(RUNS_FOLDER_KEY, "")
    return str(value) if value else None
