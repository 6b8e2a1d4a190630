"""The classification TrainingTask: shuffled batches of padded texts, cross-entropy, validation accuracy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
from torch import nn

TRAIN, VAL = "train", "val"


def balanced_weights(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """n / (n_classes * count) per class: each class then weighs as much in the loss as the others together."""
    counts = np.bincount(np.asarray(labels, dtype=np.int64), minlength=n_classes).astype(float)
    return np.where(counts > 0, counts.sum() / (n_classes * np.maximum(counts, 1)), 0.0)


class ClassificationTask:
    """Batches of (ids, lengths, labels); validation batches also count correct answers for `val_accuracy`.

    Each training batch is trimmed to its longest row, so a batch of short texts does not carry the padding
    of the longest text in the table. The Trainer averages validation batch losses without weights; each
    validation loss is scaled so that average is the exact (class-weighted) mean over every validation text.
    """

    def __init__(
        self,
        train: tuple[np.ndarray, np.ndarray, np.ndarray],
        val: tuple[np.ndarray, np.ndarray, np.ndarray],
        class_weights: np.ndarray | None = None,
    ) -> None:
        self.device = torch.device("cpu")
        self._train = tuple(torch.as_tensor(np.asarray(a), dtype=torch.int64) for a in train)
        self._val = tuple(torch.as_tensor(np.asarray(a), dtype=torch.int64) for a in val)
        if len(self._train[2]) == 0 or len(self._val[2]) == 0:
            raise ValueError("Both the training and the validation part need at least one text.")
        self.weights = None if class_weights is None else torch.as_tensor(class_weights, dtype=torch.float32)
        val_labels = self._val[2]
        # What the whole-set mean divides by: the summed weight of the validation texts (their count unweighted).
        self._val_total = float(self.weights[val_labels].sum()) if self.weights is not None else float(len(val_labels))
        self._val_batches = 1
        self._correct = 0
        self._seen = 0

    def to(self, device: torch.device) -> None:
        device = torch.device(device)
        if device != self.device:
            self.device = device
            self.weights = None if self.weights is None else self.weights.to(device)

    def n_train_batches(self, batch_size: int) -> int:
        return -(-len(self._train[2]) // batch_size)

    def train_batches(self, batch_size: int, generator: torch.Generator) -> Iterator[Any]:
        """A new shuffle every epoch, drawn from the Trainer's generator (so a seed repeats the run)."""
        order = torch.randperm(len(self._train[2]), generator=generator)
        for index in order.split(batch_size):
            yield self._batch(TRAIN, self._train, index)

    def val_batches(self, batch_size: int) -> Iterator[Any]:
        self._correct = self._seen = 0
        self._val_batches = -(-len(self._val[2]) // batch_size)
        for index in torch.arange(len(self._val[2])).split(batch_size):
            yield self._batch(VAL, self._val, index)

    def _batch(self, kind: str, part: tuple[torch.Tensor, ...], index: torch.Tensor) -> tuple:
        ids, lengths, labels = (tensor[index] for tensor in part)
        ids = ids[:, : int(lengths.max())]  # (batch, longest in batch)
        return kind, ids.to(self.device), lengths, labels.to(self.device)

    def loss(self, model: nn.Module, batch: Any) -> torch.Tensor:
        kind, ids, lengths, labels = batch
        logits = model(ids, lengths)  # (batch, n_classes)
        if kind == TRAIN:
            return nn.functional.cross_entropy(logits, labels, weight=self.weights)
        self._correct += int((logits.argmax(dim=1) == labels).sum())
        self._seen += len(labels)
        summed = nn.functional.cross_entropy(logits, labels, weight=self.weights, reduction="sum")
        return summed * (self._val_batches / self._val_total)

    def epoch_logs(self, val_loss: float) -> dict[str, float]:
        """Accuracy on the validation texts, counted during the validation pass the Trainer just ran."""
        return {"val_accuracy": self._correct / self._seen if self._seen else float("nan")}
