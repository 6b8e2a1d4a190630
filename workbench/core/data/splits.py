"""Chronological train/validation/test splits and the windows that belong to each part (no torch)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.core.errors import DataError


@dataclass(frozen=True)
class WindowPlan:
    """Where the splits fall and which windows belong to each part.

    A window is named by its origin t, the index of its last input row: inputs are rows t-L+1..t and
    targets are rows t+1..t+H. A window belongs to a part when all its targets lie inside that part, so
    every target is scored exactly once per horizon step and the test targets are never trained on.
    """

    n_rows: int
    lookback: int
    horizon: int
    train_end: int  # rows [0, train_end) train the model and fit the scaling
    val_end: int  # rows [train_end, val_end) validate; rows [val_end, n_rows) test

    def origins(self, part: str) -> np.ndarray:
        """Origins of the windows whose targets all lie in `part` ("train", "val", "test" or "all")."""
        first_row, end_row = {
            "train": (0, self.train_end),
            "val": (self.train_end, self.val_end),
            "test": (self.val_end, self.n_rows),
            "all": (0, self.n_rows),
        }[part]
        start = max(first_row - 1, self.lookback - 1)
        stop = end_row - 1 - self.horizon  # last origin whose final target is row end_row - 1
        return np.arange(start, stop + 1, dtype=np.int64)

    def forecast_origins(self) -> np.ndarray:
        """Every origin with a full lookback, including those whose targets run past the data."""
        return np.arange(self.lookback - 1, self.n_rows, dtype=np.int64)

    def counts(self) -> dict[str, int]:
        return {part: len(self.origins(part)) for part in ("train", "val", "test")}


def split_rows(n_rows: int, horizon: int, val_fraction: float, test_fraction: float) -> tuple[int, int]:
    """Where the parts end: (train_end, val_end). Each later part holds at least `horizon` rows; train_end may
    be zero or below when the series is too short to split (plan_windows then says so)."""
    test_rows = max(horizon, round(n_rows * test_fraction))
    val_rows = max(horizon, round(n_rows * val_fraction))
    return n_rows - test_rows - val_rows, n_rows - test_rows


def plan_windows(n_rows: int, lookback: int, horizon: int, val_fraction: float, test_fraction: float) -> WindowPlan:
    """Split `n_rows` chronologically and check every part has at least one window."""
    train_end, val_end = split_rows(n_rows, horizon, val_fraction, test_fraction)
    val_rows, test_rows = val_end - train_end, n_rows - val_end
    needed = lookback + horizon
    if n_rows < needed + val_rows + test_rows or train_end < needed:
        shortest = needed + 2 * horizon
        raise DataError(
            f"The series has {n_rows} rows but the lookback window is {lookback} and the horizon {horizon}: "
            f"after setting aside {val_rows} rows for validation and {test_rows} for testing, the training part "
            f"({max(train_end, 0)} rows) holds no complete window ({needed} rows).",
            hint=f"Shorten the lookback or horizon, lower the validation/test shares, or load more data "
            f"(at least about {int(shortest / (1 - val_fraction - test_fraction)) + 1} rows for these settings).",
        )
    return WindowPlan(n_rows, lookback, horizon, train_end, val_end)
