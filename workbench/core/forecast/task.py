"""The forecasting TrainingTask: shuffled window batches for training, ordered ones for validation."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch
from torch import nn

from workbench.core.data.splits import WindowPlan
from workbench.core.data.windowing import WindowSource
from workbench.core.models.recurrent import ForecastModel


class ForecastTask:
    """Feeds a ForecastModel raw windows; the model scales them itself (see ForecastModel)."""

    def __init__(self, values: np.ndarray, plan: WindowPlan) -> None:
        self.plan = plan
        self._values = values
        self.source = WindowSource(values, plan.lookback, plan.horizon)
        self._train = torch.as_tensor(plan.origins("train"))
        self._val = torch.as_tensor(plan.origins("val"))

    def to(self, device: torch.device) -> None:
        if self.source.values.device != device:
            self.source = WindowSource(self._values, self.plan.lookback, self.plan.horizon, device)
            self._train, self._val = self._train.to(device), self._val.to(device)

    def n_train_batches(self, batch_size: int) -> int:
        return -(-len(self._train) // batch_size)

    def train_batches(self, batch_size: int, generator: torch.Generator) -> Iterator[torch.Tensor]:
        order = self._train[torch.randperm(len(self._train), generator=generator).to(self._train.device)]
        yield from order.split(batch_size)

    def val_batches(self, batch_size: int) -> Iterator[torch.Tensor]:
        # Validation needs no gradients, so larger batches only save time.
        yield from self._val.split(max(batch_size, 1024))

    def loss(self, model: nn.Module, origins: torch.Tensor) -> torch.Tensor:
        assert isinstance(model, ForecastModel)
        return model.loss(self.source.inputs(origins), self.source.targets(origins))


@torch.no_grad()
def predict_windows(model: ForecastModel, values: np.ndarray, origins: np.ndarray, lookback: int,
                    chunk: int = 4096) -> np.ndarray:
    """Forecasts from the windows ending at `origins`, in original units: (len(origins), horizon)."""
    model.eval()
    device = next(model.parameters()).device
    source = WindowSource(values, lookback, 1, device)
    index = torch.as_tensor(origins, device=device)
    parts = [model(source.inputs(part)).cpu().numpy() for part in index.split(chunk)]
    horizon = model.net.head.out_features
    return np.concatenate(parts).astype(np.float64) if parts else np.empty((0, horizon))
