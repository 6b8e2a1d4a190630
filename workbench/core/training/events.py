"""What a training run reports: plain numbers and words, safe to send across threads or save as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FINISHED = "finished"
EARLY_STOPPED = "early_stopped"
USER_STOPPED = "user_stopped"
DIVERGED = "diverged"


@dataclass(frozen=True)
class TrainResult:
    """How a run ended. `history` holds one `logs` dict per completed epoch."""

    stopped_reason: str  # one of FINISHED, EARLY_STOPPED, USER_STOPPED, DIVERGED
    message: str  # the same in words, with what to try when it went wrong
    epochs_run: int
    best_epoch: int | None  # 1-based; None when no epoch completed with a finite validation loss
    best_val_loss: float | None
    seconds: float
    history: list[dict[str, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainResult:
        return cls(**data)
