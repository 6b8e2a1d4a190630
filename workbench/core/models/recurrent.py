"""Recurrent forecasters: a torch LSTM/GRU/RNN with a direct multi-step head, and the scaling around it."""

from __future__ import annotations

import torch
from torch import nn

from workbench.core.models.config import ModelConfig

_CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


def recurrent_layers(config: ModelConfig, input_size: int) -> nn.RNNBase:
    """The torch LSTM/GRU/RNN stack a ModelConfig describes, batch first."""
    return _CELLS[config.cell](
        input_size=input_size,
        hidden_size=config.hidden,
        num_layers=config.layers,
        batch_first=True,
        # torch warns about dropout on a single layer, where it would do nothing.
        dropout=config.dropout if config.layers > 1 else 0.0,
        bidirectional=config.bidirectional,
    )


class RecurrentNet(nn.Module):
    """Stacked recurrent layers whose final state feeds a linear head with one output per horizon step."""

    def __init__(self, config: ModelConfig, n_features: int, n_outputs: int) -> None:
        super().__init__()
        self.cell = config.cell
        self.directions = 2 if config.bidirectional else 1
        self.rnn = recurrent_layers(config, n_features)
        self.head = nn.Linear(config.hidden * self.directions, n_outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: (batch, lookback, n_features)
        _, state = self.rnn(x)
        hidden = state[0] if self.cell == "lstm" else state  # (layers * directions, batch, hidden)
        # The last layer's final state in each direction: the backward direction's final state has read
        # the whole window too, which the last time step of `output` would not give it.
        last = hidden[-self.directions :].transpose(0, 1).reshape(x.shape[0], -1)  # (batch, directions * hidden)
        return self.head(last)  # (batch, n_outputs)


class ForecastModel(nn.Module):
    """Raw values in, raw forecasts out: the scaling and target transform live in buffers of the model.

    Keeping them inside the module means training, prediction, the saved bundle and the ONNX graph all
    run the same arithmetic, so none of them can drift from the others.
    """

    def __init__(self, config: ModelConfig, n_features: int, horizon: int) -> None:
        super().__init__()
        self.net = RecurrentNet(config, n_features, horizon)
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("std", torch.ones(n_features))
        self.register_buffer("target_scale", torch.ones(1))
        # 1.0 predicts the change from the window's last target value; 0.0 the standardised value.
        self.register_buffer("difference", torch.zeros(1))

    def set_scaling(self, mean: torch.Tensor, std: torch.Tensor, target_scale: float, difference: bool) -> None:
        self.mean.copy_(torch.as_tensor(mean, dtype=torch.float32))
        self.std.copy_(torch.as_tensor(std, dtype=torch.float32))
        self.target_scale.fill_(target_scale)
        self.difference.fill_(1.0 if difference else 0.0)

    def encode(self, x_raw: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Scaled network inputs and the per-window offset of the target: ((B, L, F), (B, 1))."""
        offset = self.difference * x_raw[:, -1, 0:1] + (1.0 - self.difference) * self.mean[0]  # (B, 1)
        scaled = (x_raw - self.mean) / self.std  # (B, L, F)
        target_in = ((x_raw[:, :, 0] - offset) / self.target_scale).unsqueeze(-1)  # (B, L, 1)
        return torch.cat([target_in, scaled[:, :, 1:]], dim=-1), offset

    def forward(self, x_raw: torch.Tensor) -> torch.Tensor:
        x, offset = self.encode(x_raw)
        return self.net(x) * self.target_scale + offset  # (B, H) in original units

    def loss(self, x_raw: torch.Tensor, y_raw: torch.Tensor) -> torch.Tensor:
        """Mean squared error in scaled units, so the learning rate means the same on every series."""
        x, offset = self.encode(x_raw)
        target = (y_raw - offset) / self.target_scale  # (B, H)
        return nn.functional.mse_loss(self.net(x), target)
