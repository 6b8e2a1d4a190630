"""Parameter counts and one-line model summaries, computed without training anything."""

from __future__ import annotations

from workbench.core.models.config import ModelConfig

_GATES = {"lstm": 4, "gru": 3, "rnn": 1}


def recurrent_parameter_count(config: ModelConfig, n_features: int) -> int:
    """Weights of the LSTM/GRU/RNN layers alone, for `n_features` inputs per step."""
    gates, dirs, hidden = _GATES[config.cell], 2 if config.bidirectional else 1, config.hidden
    total = 0
    for layer in range(config.layers):
        layer_in = n_features if layer == 0 else hidden * dirs
        # torch keeps two bias vectors per gate set (b_ih and b_hh).
        total += dirs * gates * hidden * (layer_in + hidden + 2)
    return total


def parameter_count(config: ModelConfig, n_features: int, n_outputs: int) -> int:
    """Trainable parameters of RecurrentNet, by formula so the form can update it on every keystroke."""
    dirs = 2 if config.bidirectional else 1
    return recurrent_parameter_count(config, n_features) + config.hidden * dirs * n_outputs + n_outputs


def language_model_parameter_count(config: ModelConfig, vocab_size: int, embedding: int) -> int:
    """Trainable parameters of LanguageModel: embedding table, recurrent layers, output layer over the vocabulary."""
    return vocab_size * embedding + recurrent_parameter_count(config, embedding) + (config.hidden + 1) * vocab_size


def describe_language_model(config: ModelConfig, vocab_size: int, embedding: int, level: str) -> str:
    """E.g. "2-layer LSTM, 128 units, over 65 characters (embedding 64): 220,481 parameters"."""
    layers = f"{config.layers}-layer " if config.layers > 1 else ""
    unit = "characters" if level == "char" else "words"
    count = language_model_parameter_count(config, vocab_size, embedding)
    return (f"{layers}{config.cell.upper()}, {config.hidden} units, over {vocab_size:,} {unit} (embedding "
            f"{embedding}): {count:,} parameters")


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
