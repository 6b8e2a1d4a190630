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
        # The lag of the reference each target is predicted as a change from: 0 none (the standardised value),
        # 1 the window's last value, m >= 2 the value one season of m steps before the target (the seasonal-naive
        # forecast). Files saved before seasons hold 0 or 1 here, which keeps meaning what it meant.
        self.register_buffer("difference", torch.zeros(1))
        self.register_buffer("steps", torch.arange(horizon, dtype=torch.float32), persistent=False)  # k - 1

    def set_scaling(self, mean: torch.Tensor, std: torch.Tensor, target_scale: float, difference: bool | int) -> None:
        """`difference`: False/0 none, True/1 the change from the last value, m >= 2 the change over a season of m."""
        self.mean.copy_(torch.as_tensor(mean, dtype=torch.float32))
        self.std.copy_(torch.as_tensor(std, dtype=torch.float32))
        self.target_scale.fill_(target_scale)
        self.difference.fill_(float(difference))

    def references(self, target: torch.Tensor) -> torch.Tensor:
        """What each step is predicted as a change from, (B, H), given the window's target column (B, L).

        Step k refers to row t + k - m*ceil(k/m) of the series (the last row of the window when m = 1), or to
        the training mean when the model predicts the standardised value. Written without branches on the
        buffer, so the ONNX graph holds the same arithmetic for every kind.
        """
        lag = self.difference.clamp(min=1.0)
        rows = (target.shape[1] - lag + torch.remainder(self.steps, lag)).long()  # (H,) window positions
        changes = self.difference.clamp(max=1.0)  # 1 when predicting a change, 0 for the standardised value
        return changes * target[:, rows] + (1.0 - changes) * self.mean[0]

    def target_inputs(self, target: torch.Tensor) -> torch.Tensor:
        """The target channel the network reads, (B, L): the seasonal change over m steps (0 in the first m
        steps, which have no row a season back), else the value less the window's reference."""
        lag = self.difference.clamp(min=1.0)
        positions = torch.arange(target.shape[1], device=target.device, dtype=torch.float32)  # (L,)
        back = positions - lag
        earlier = target[:, back.clamp(min=0.0).long()]  # (B, L)
        seasonal_change = torch.where(back >= 0, target - earlier, torch.zeros_like(target))
        changes = self.difference.clamp(max=1.0)
        reference = changes * target[:, -1:] + (1.0 - changes) * self.mean[0]  # (B, 1)
        seasonal = (self.difference >= 2.0).float()
        return seasonal * seasonal_change + (1.0 - seasonal) * (target - reference)

    def encode(self, x_raw: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Scaled network inputs and each step's reference ((B, L, F), (B, H)): see `references`."""
        target = x_raw[:, :, 0]  # (B, L)
        scaled = (x_raw - self.mean) / self.std  # (B, L, F)
        target_in = (self.target_inputs(target) / self.target_scale).unsqueeze(-1)  # (B, L, 1)
        return torch.cat([target_in, scaled[:, :, 1:]], dim=-1), self.references(target)

    def forward(self, x_raw: torch.Tensor) -> torch.Tensor:
        x, offset = self.encode(x_raw)
        return self.net(x) * self.target_scale + offset  # (B, H) in original units

    def loss(self, x_raw: torch.Tensor, y_raw: torch.Tensor) -> torch.Tensor:
        """Mean squared error in scaled units, so the learning rate means the same on every series."""
        x, offset = self.encode(x_raw)
        target = (y_raw - offset) / self.target_scale  # (B, H)
        return nn.functional.mse_loss(self.net(x), target)
