"""TextClassifier: token embedding -> (bi)LSTM/GRU/RNN layers over packed sequences -> pooling -> dropout -> classes.

`UnpackedClassifier` computes the same numbers without packing (which ONNX cannot express), for export.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from workbench.core.classify.encoding import PAD_ID
from workbench.core.models.config import ModelConfig
from workbench.core.models.recurrent import recurrent_layers

POOLINGS = ("max", "mean", "last")


class TextClassifier(nn.Module):
    """Right-padded token ids (0 = padding) in, class logits out; padding never reaches the recurrent state."""

    def __init__(
        self,
        config: ModelConfig,
        n_ids: int,
        n_classes: int,
        embedding: int = 64,
        pooling: str = "max",
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        if pooling not in POOLINGS:
            raise ValueError(f"The pooling must be one of {', '.join(POOLINGS)} (got {pooling!r}).")
        if n_classes < 2:
            raise ValueError(f"A classifier needs at least 2 classes (got {n_classes}).")
        self.cell = config.cell
        self.pooling = pooling
        self.directions = 2 if config.bidirectional else 1
        self.n_classes = n_classes
        self.embed = nn.Embedding(n_ids, embedding, padding_idx=PAD_ID)
        self.rnn = recurrent_layers(config, embedding)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(config.hidden * self.directions, n_classes)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """ids (batch, time) -> logits (batch, n_classes); lengths default to each row's non-padding ids."""
        if lengths is None:
            lengths = (ids != PAD_ID).sum(dim=1)
        x = self.embed(ids)  # (batch, time, embedding)
        # Packing runs each row only over its own tokens; pack wants the lengths on the CPU.
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        output, state = self.rnn(packed)
        return self.head(self.drop(self._pool(output, state, lengths)))  # (batch, n_classes)

    def _pool(self, output: nn.utils.rnn.PackedSequence, state, lengths: torch.Tensor) -> torch.Tensor:
        if self.pooling == "last":
            hidden = state[0] if self.cell == "lstm" else state  # (layers * directions, batch, hidden)
            # The last layer's final state per direction: forward after the last real token, backward after
            # reading back to the first (packing returns them in the batch's own order).
            return hidden[-self.directions :].transpose(0, 1).reshape(lengths.shape[0], -1)  # (batch, dirs*hidden)
        fill = float("-inf") if self.pooling == "max" else 0.0
        padded, _ = pad_packed_sequence(output, batch_first=True, padding_value=fill)  # (batch, longest, dirs*hidden)
        if self.pooling == "max":
            return padded.max(dim=1).values
        return padded.sum(dim=1) / lengths.to(padded.device, padded.dtype).unsqueeze(1)

    @torch.no_grad()
    def probabilities(self, ids: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Class probabilities (batch, n_classes) in eval mode (the caller's mode is restored)."""
        was_training = self.training
        self.eval()
        try:
            return torch.softmax(self(ids, lengths), dim=-1)
        finally:
            self.train(was_training)


def _one_direction(rnn: nn.RNNBase, layer: int, reverse: bool) -> nn.RNNBase:
    """A one-layer, one-direction copy of one layer and direction of `rnn`, sharing its weights."""
    kind = type(rnn)
    extra = {"nonlinearity": rnn.nonlinearity} if isinstance(rnn, nn.RNN) else {}
    layer_in = rnn.input_size if layer == 0 else rnn.hidden_size * (2 if rnn.bidirectional else 1)
    single = kind(layer_in, rnn.hidden_size, num_layers=1, batch_first=True, bias=rnn.bias, **extra)
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        if hasattr(rnn, name + suffix):
            setattr(single, name + "_l0", getattr(rnn, name + suffix))
    return single


class UnpackedClassifier(nn.Module):
    """The classifier's arithmetic on right-padded ids without packing: class probabilities (batch, n_classes).

    For right-padded rows the forward direction's output at a real position never depends on the padding
    after it, so running it over the whole row is exact where it is read. The backward direction must start
    at each row's last real token instead of the row's end, so each layer's backward pass reads its input
    reversed within the row's own length (a gather with an index that maps t to length-1-t and leaves the
    padding in place), and its output is reversed back the same way. Pooling then reads real positions only.
    Eval mode only: dropout is off, as at prediction time.
    """

    def __init__(self, model: TextClassifier) -> None:
        super().__init__()
        self.embed, self.head, self.pooling, self.cell = model.embed, model.head, model.pooling, model.cell
        rnn = model.rnn
        self.bidirectional = rnn.bidirectional
        self.layers = nn.ModuleList(
            nn.ModuleList(_one_direction(rnn, k, reverse) for reverse in ((False, True) if rnn.bidirectional
                                                                          else (False,)))
            for k in range(rnn.num_layers)
        )
        self.eval()

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        batch, time = ids.shape
        # An all-padding row reads as one token, so the index arithmetic below stays inside the row.
        lengths = (ids != PAD_ID).sum(dim=1).clamp(min=1)  # (batch,)
        positions = torch.arange(time, device=ids.device).unsqueeze(0)  # (1, time)
        real = positions < lengths.unsqueeze(1)  # (batch, time)
        flip = torch.where(real, lengths.unsqueeze(1) - 1 - positions, positions)  # (batch, time)
        x = self.embed(ids)  # (batch, time, embedding)
        backward = x
        for directions in self.layers:
            forward, _ = directions[0](x)  # (batch, time, hidden)
            if not self.bidirectional:
                x = forward
                continue
            reversed_in = _gather_time(x, flip)
            backward = _gather_time(directions[1](reversed_in)[0], flip)  # (batch, time, hidden)
            x = torch.cat([forward, backward], dim=2)  # (batch, time, 2 * hidden)
        if self.pooling == "last":
            last = _gather_time(x, (lengths - 1).unsqueeze(1).expand(batch, time))[:, 0]  # (batch, features)
            if self.bidirectional:
                hidden = backward.shape[2]
                # The backward direction's final state is its output at the first position.
                last = torch.cat([last[:, :hidden], backward[:, 0]], dim=1)  # (batch, 2 * hidden)
            pooled = last
        elif self.pooling == "max":
            pooled = x.masked_fill(~real.unsqueeze(2), float("-inf")).max(dim=1).values  # (batch, features)
        else:
            pooled = (x * real.unsqueeze(2)).sum(dim=1) / lengths.unsqueeze(1).to(x.dtype)  # (batch, features)
        return torch.softmax(self.head(pooled), dim=-1)  # (batch, n_classes)


def _gather_time(x: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """x[b, index[b, t], :] for every b, t: x (batch, time, features), index (batch, time)."""
    return torch.gather(x, 1, index.unsqueeze(2).expand(-1, -1, x.shape[2]))
