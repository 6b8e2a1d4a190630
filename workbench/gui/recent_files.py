"""The File > Open Recent list, kept in QSettings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

KEY = "recent_files"
LIMIT = 10


def recent_files(settings: QSettings) -> list[str]:
    """Remembered files that still exist, newest first."""
    stored = settings.value(KEY, []) or []
    if isinstance(stored, str):  # QSettings returns a bare string for a one-item list
        stored = [stored]
    return [path for path in stored if Path(path).is_file()]


def remember_file(settings: QSettings, path: str) -> list[str]:
    path = str(Path(path).resolve())
    files = [path, *[p for p in recent_files(settings) if p != path]][:LIMIT]
    settings.setValue(KEY, files)
    return files
