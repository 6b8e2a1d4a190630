"""Sliding windows as zero-copy views over one series tensor."""

from __future__ import annotations

import numpy as np
import torch


class WindowSource:
    """Batches of (inputs, targets) gathered from strided views, never materialising all windows.

    Views cost no memory; stacking every window of a million rows took 543 MB (docs/decisions.md, "Sliding
    windows without copies").
    """

    def __init__(self, values: np.ndarray, lookback: int, horizon: int, device: str | torch.device = "cpu") -> None:
        self.lookback = lookback
        self.horizon = horizon
        self.values = torch.as_tensor(np.ascontiguousarray(values), dtype=torch.float32, device=device)  # (n, f)
        self._inputs = self.values.unfold(0, lookback, 1)  # (n - L + 1, f, L), a view
        self._targets = self.values[:, 0].unfold(0, horizon, 1)  # (n - H + 1, H), a view

    def inputs(self, origins: torch.Tensor) -> torch.Tensor:
        """Input windows ending at `origins`: (batch, lookback, n_features)."""
        return self._inputs[origins - (self.lookback - 1)].transpose(1, 2)

    def targets(self, origins: torch.Tensor) -> torch.Tensor:
        """Target rows after `origins`: (batch, horizon); origins must leave H rows after them."""
        return self._targets[origins + 1]
