"""Choosing the target transform and fitting the scaling, both on the training part only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scaling:
    mean: np.ndarray  # (n_features,)
    std: np.ndarray  # (n_features,)
    target_scale: float
    difference: bool
    note: str  # why this transform, in words


def trend_strength(train_target: np.ndarray) -> float:
    """How far a straight-line fit rises or falls over the training part, in units of the spread around it."""
    x = np.arange(len(train_target), dtype=np.float64)
    slope, intercept = np.polyfit(x, train_target, 1)
    spread = float(np.std(train_target - (slope * x + intercept)))
    rise = abs(slope) * (len(train_target) - 1)
    return rise / spread if spread > 0 else (np.inf if rise > 0 else 0.0)


def fit_scaling(train_values: np.ndarray, transform: str, horizon: int) -> Scaling:
    """Standardise each feature with training-part statistics; pick and scale the target transform.

    A plain standardised LSTM cannot output values outside the range it trained on, so on a trending series
    it loses to repeating the last value (1.9x worse RMSE on airline passengers; docs/decisions.md,
    "Forecasting by differencing"). Predicting the
    change from the window's last value removes that ceiling.
    """
    mean = train_values.mean(axis=0)
    std = train_values.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    target = train_values[:, 0]
    strength = trend_strength(target)
    if transform == "auto":
        difference = bool(strength > 1.0)
        why = (
            f"the training part trends (its straight-line rise is {strength:.1f}x the spread around it)"
            if difference
            else f"the training part has no strong trend (rise {strength:.1f}x the spread around it)"
        )
    else:
        difference = transform == "difference"
        why = "you chose it"
    if difference:
        # Scale by the typical size of the changes the model must predict (1..H steps ahead).
        changes = np.concatenate([target[k:] - target[:-k] for k in range(1, min(horizon, len(target) - 1) + 1)])
        scale = float(np.std(changes)) or 1.0
        note = f"Predicting the change from the last value, because {why}."
    else:
        scale = float(std[0])
        note = f"Predicting the standardised value, because {why}."
    return Scaling(mean.astype(np.float32), std.astype(np.float32), scale, difference, note)
