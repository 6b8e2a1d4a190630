"""RunRecord: everything the store keeps about one training run, as plain data (no torch, no Qt)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

FINISHED = "finished"
STOPPED = "stopped"
FAILED = "failed"
STATUSES = (FINISHED, STOPPED, FAILED)


@dataclass
class RunRecord:
    """One run. `id` is None until the store has added it; `history` is empty when listed without curves."""

    kind: str  # core/export/kinds.py: forecaster, language_model or classifier
    status: str  # one of STATUSES
    message: str = ""  # how it ended, in words (the training message, or the error)
    started: float | None = None  # Unix seconds
    ended: float | None = None
    data_path: str = ""
    data_sha256: str | None = None  # of the file's bytes; None when it could not be read
    read_options: dict[str, Any] = field(default_factory=dict)  # how the file was read
    settings: dict[str, Any] = field(default_factory=dict)  # the run configuration's to_dict()
    seed: int | None = None
    environment: dict[str, Any] = field(default_factory=dict)  # versions, device, threads, parameters
    history: list[dict[str, float]] = field(default_factory=list)  # one logs dict per completed epoch
    metrics: dict[str, Any] = field(default_factory=dict)  # "validation", and "test"/"baselines" when scored
    verdict: str = ""
    bundle: str | None = None  # the model file kept in the store folder
    name: str = ""
    starred: bool = False
    notes: str = ""
    study: str | None = None  # the search that ran it, if any
    trial: int | None = None  # its trial number in that search
    epochs: int = 0  # completed epochs (kept beside the history so a listing without curves still has it)
    best_val_loss: float | None = None
    id: int | None = None

    @property
    def seconds(self) -> float | None:
        if self.started is None or self.ended is None:
            return None
        return self.ended - self.started

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as `workbench runs list --json` prints it: times as ISO text, the data file as one object."""
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "status": self.status, "message": self.message,
            "started": iso_time(self.started), "ended": iso_time(self.ended), "seconds": self.seconds,
            "data": {"path": self.data_path, "sha256": self.data_sha256, "read_options": self.read_options},
            "settings": self.settings, "seed": self.seed, "environment": self.environment,
            "epochs": self.epochs, "best_val_loss": self.best_val_loss, "history": self.history,
            "metrics": self.metrics, "verdict": self.verdict, "bundle": self.bundle, "starred": self.starred,
            "notes": self.notes, "study": self.study, "trial": self.trial,
        }


def iso_time(seconds: float | None) -> str | None:
    """Local time with its UTC offset, to the second: "2026-12-01T14:03:22+01:00"."""
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds).astimezone().isoformat(timespec="seconds")


def dumps(value: Any) -> str:
    """Compact JSON in which NaN and infinities become null: SQLite's JSON and other readers refuse them."""
    return json.dumps(_finite(value), separators=(",", ":"), allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return _finite(value.item())
    return value
