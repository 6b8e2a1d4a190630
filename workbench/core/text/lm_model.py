"""LanguageModel: token embedding, stacked LSTM/GRU/RNN layers and a linear layer over the vocabulary."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from workbench.core.models.config import ModelConfig
from workbench.core.models.recurrent import recurrent_layers
from workbench.core.text.config import BIDIRECTIONAL_MESSAGE

# One time step of each cell, with the same weights and arithmetic as the layers above. On the CPU a
# one-step call of nn.LSTM goes through oneDNN and costs several times more than these.
_STEPS = {"lstm": torch.lstm_cell, "gru": torch.gru_cell, "rnn": torch.rnn_tanh_cell}



class LanguageModel(nn.Module):
    """Embedding -> LSTM/GRU/RNN layers -> linear over the vocabulary."""

    def __init__(self, config: ModelConfig, vocab_size: int, embedding: int = 64) -> None:
        super().__init__()
        if config.bidirectional:
            # A backward direction would see the very tokens it is asked to predict.
            raise ValueError(BIDIRECTIONAL_MESSAGE)
        if vocab_size < 1:
            raise ValueError(f"The vocabulary must hold at least one token (got {vocab_size}).")
        self.cell = config.cell
        self.vocab_size = vocab_size
        self.embed = nn.Embedding(vocab_size, embedding)
        self.drop = nn.Dropout(config.dropout)
        self.rnn = recurrent_layers(config, embedding)  # bidirectional was refused above
        self.head = nn.Linear(config.hidden, vocab_size)

    def forward(self, ids: torch.Tensor, state: Any = None) -> tuple[torch.Tensor, Any]:
        """Next-token logits for every position, and the state after the last one."""
        x = self.drop(self.embed(ids))  # (batch, time, embedding)
        output, state = self.rnn(x, state)  # (batch, time, hidden)
        return self.head(output), state  # (batch, time, vocab)

    def step(self, ids: torch.Tensor, state: Any = None) -> tuple[torch.Tensor, Any]:
        """One token per row, for generation: ids (batch,) -> logits (batch, vocab) and the new state.

        Gives what forward() gives for a length-1 sequence in eval mode (no dropout), in the same state
        format, several times faster for batch 1 on the CPU.
        """
        x = self.embed(ids)  # (batch, embedding)
        layers = self.rnn.num_layers
        if state is None:
            zeros = x.new_zeros(layers, x.shape[0], self.rnn.hidden_size)  # (layers, batch, hidden)
            state = (zeros, zeros) if self.cell == "lstm" else zeros
        cell = _STEPS[self.cell]
        new_h, new_c = [], []
        for k in range(layers):
            weights = [getattr(self.rnn, f"{name}_l{k}") for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
            if self.cell == "lstm":
                h, c = cell(x, (state[0][k], state[1][k]), *weights)  # each (batch, hidden)
                new_c.append(c)
            else:
                h = cell(x, state[k], *weights)  # (batch, hidden)
            new_h.append(h)
            x = h
        hidden = torch.stack(new_h)  # (layers, batch, hidden)
        new_state = (hidden, torch.stack(new_c)) if self.cell == "lstm" else hidden
        return self.head(x), new_state


def detach_state(state: Any) -> Any:
    """The same state cut from its graph: an LSTM's (h, c) tuple, a GRU/RNN tensor, or None."""
    if state is None:
        return None
    if isinstance(state, torch.Tensor):
        return state.detach()
    return tuple(part.detach() for part in state)
