"""Parameter counts and one-line model summaries, computed without training anything."""

from __future__ import annotations

from workbench.core.models.config import ModelConfig

_GATES = {"lstm": 4, "gru": 3, "rnn": 1}


def parameter_count(config: ModelConfig, n_features: int, n_outputs: int) -> int:
    """Trainable parameters of RecurrentNet, by formula so the form can update it on every keystroke."""
    gates, dirs, hidden = _GATES[config.cell], 2 if config.bidirectional else 1, config.hidden
    total = 0
    for layer in range(config.layers):
        layer_in = n_features if layer == 0 else hidden * dirs
        # torch keeps two bias vectors per gate set (b_ih and b_hh).
        total += dirs * gates * hidden * (layer_in + hidden + 2)
    return total + hidden * dirs * n_outputs + n_outputs


def describe(config: ModelConfig, n_features: int, lookback: int, horizon: int) -> str:
    """E.g. "2-layer LSTM, 64 units, reads 52 steps of 1 feature, predicts 4 steps: 50,692 parameters"."""
    layers = f"{config.layers}-layer " if config.layers > 1 else ""
    bi = "bidirectional " if config.bidirectional else ""
    features = f"{n_features} feature{'s' if n_features != 1 else ''}"
    steps = f"{horizon} step{'s' if horizon != 1 else ''}"
    count = parameter_count(config, n_features, horizon)
    return (
        f"{layers}{bi}{config.cell.upper()}, {config.hidden} units, reads {lookback} steps of {features}, "
        f"predicts {steps}: {count:,} parameters"
    )
