"""The language-model TrainingTask: truncated back-propagation through time over contiguous token streams."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.core.text.lm_model import detach_state
from workbench.core.text.streams import chunks, stream_matrix

TRAIN, VAL = "train", "val"


def perplexity(nats: float) -> float:
    """exp(loss): the number of equally likely tokens the model is, on average, choosing between."""
    # exp overflows a float above ~709 nats; a loss that high only comes from a diverging run.
    return math.exp(nats) if nats < 700 else math.inf


def bits_per_token(nats: float) -> float:
    """The loss in bits rather than nats (bits per character for a character vocabulary)."""
    return nats / math.log(2)


class LanguageModelTask:
    """Cuts the text into `batch_size` contiguous rows and feeds them `seq_len` tokens at a time, in order.

    The hidden state carries from one chunk to the next (detached, so gradients stop at the chunk edge),
    which lets the model learn from context longer than `seq_len`. The Trainer passes its own batch size to
    each method; it should equal the constructor's, and the rows are rebuilt if it does not.

    With `max_batches_per_epoch`, an epoch is that many chunks and the next epoch continues where the last
    one stopped, so a long text still gets validated regularly. Train batches are ("train", inputs, targets)
    and validation ones ("val", inputs, targets), each with its own carried state.
    """

    def __init__(
        self,
        train_ids: np.ndarray,
        val_ids: np.ndarray,
        seq_len: int,
        batch_size: int,
        max_batches_per_epoch: int | None = None,
    ) -> None:
        if seq_len < 1:
            raise ValueError(f"The sequence length must be at least 1 token (got {seq_len}).")
        if max_batches_per_epoch is not None and max_batches_per_epoch < 1:
            raise ValueError(f"max_batches_per_epoch must be at least 1 or empty (got {max_batches_per_epoch}).")
        self._train_ids = np.asarray(train_ids, dtype=np.int64)
        self._val_ids = np.asarray(val_ids, dtype=np.int64)
        if len(self._val_ids) < 2:
            raise ValueError(f"The validation text needs at least 2 tokens (got {len(self._val_ids)}).")
        self.seq_len = seq_len
        self.max_batches_per_epoch = max_batches_per_epoch
        self.device = torch.device("cpu")
        self._states: dict[str, Any] = {TRAIN: None, VAL: None}
        self._position = 0  # the next train chunk, kept across epochs when they are capped
        self._build_train(batch_size)
        self._build_val(batch_size)

    def _build_train(self, batch_size: int) -> None:
        self.batch_size = batch_size
        matrix = stream_matrix(self._train_ids, batch_size).to(self.device)  # (batch, columns)
        self._train = list(chunks(matrix, self.seq_len))
        if not self._train:
            raise ValueError(f"The training text ({len(self._train_ids)} tokens) is too short for {batch_size} "
                             "rows of at least 2 tokens; lower the batch size or add text.")
        self._position = 0
        self._states[TRAIN] = None

    def _build_val(self, batch_size: int) -> None:
        # Every row needs at least 2 tokens: one input and the target after it.
        rows = max(1, min(batch_size, len(self._val_ids) // 2))
        matrix = stream_matrix(self._val_ids, rows).to(self.device)  # (rows, columns)
        self._val = list(chunks(matrix, self.seq_len))
        tokens = sum(targets.numel() for _, targets in self._val)
        # The Trainer averages batch losses unweighted; scaling each chunk's summed loss by the mean tokens
        # per chunk makes that average the exact per-token mean, even with a short last chunk.
        self._val_tokens_per_chunk = tokens / len(self._val)

    def to(self, device: torch.device) -> None:
        device = torch.device(device)
        if device != self.device:
            self.device = device
            self._train = [(x.to(device), y.to(device)) for x, y in self._train]
            self._val = [(x.to(device), y.to(device)) for x, y in self._val]
            self._states = {TRAIN: None, VAL: None}

    def n_train_batches(self, batch_size: int) -> int:
        if batch_size != self.batch_size:
            self._build_train(batch_size)
        if self.max_batches_per_epoch is None:
            return len(self._train)
        return min(self.max_batches_per_epoch, len(self._train))

    def train_batches(self, batch_size: int, generator: torch.Generator | None = None) -> Iterator[Any]:
        """Chunks in text order (never shuffled: the state carries across them); `generator` is unused."""
        count = self.n_train_batches(batch_size)
        if self.max_batches_per_epoch is None:
            self._position = 0  # every epoch is a whole pass, even after one was stopped part-way
        for _ in range(count):
            if self._position == 0:
                self._states[TRAIN] = None  # a fresh pass over the text starts from a blank state
            inputs, targets = self._train[self._position]
            self._position = (self._position + 1) % len(self._train)
            yield TRAIN, inputs, targets

    def val_batches(self, batch_size: int) -> Iterator[Any]:
        self._states[VAL] = None
        for inputs, targets in self._val:
            yield VAL, inputs, targets

    def epoch_logs(self, val_loss: float) -> dict[str, float]:
        """The validation loss read two more ways, added to each epoch's logs by the Trainer."""
        return {"val_perplexity": perplexity(val_loss), "val_bits": bits_per_token(val_loss)}

    def loss(self, model: nn.Module, batch: Any) -> torch.Tensor:
        """Mean cross-entropy in nats from the carried state; validation chunks are weighted by their tokens."""
        kind, inputs, targets = batch
        logits, state = model(inputs, self._states[kind])  # (batch, time, vocab)
        self._states[kind] = detach_state(state)
        flat_logits = logits.reshape(-1, logits.shape[-1])  # (batch * time, vocab)
        if kind == TRAIN:
            return nn.functional.cross_entropy(flat_logits, targets.reshape(-1))
        summed = nn.functional.cross_entropy(flat_logits, targets.reshape(-1), reduction="sum")
        return summed / self._val_tokens_per_chunk
