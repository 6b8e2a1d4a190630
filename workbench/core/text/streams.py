"""Split a text into training and validation token ids, and cut id streams into rows and chunks for TBPTT."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from workbench.core.errors import DataError
from workbench.core.text.vocab import Vocabulary, tokenize, validation_start, vocabulary_from_tokens

# Each part needs one input token and the target after it.
MIN_PART_TOKENS = 2


@dataclass(frozen=True)
class TextSplit:
    """Token ids of the two parts of a text and the vocabulary built from the training part."""

    train: np.ndarray  # int64 ids, the first part of the file
    val: np.ndarray  # int64 ids, the last `val_fraction` of the file (by position)
    vocabulary: Vocabulary


def split_text(text: str, level: str, val_fraction: float = 0.1, max_vocab: int | None = None) -> TextSplit:
    """Hold back the end of the text for validation and encode both parts with the training vocabulary.

    The split is by position, not random: neighbouring tokens are strongly related, so a random split
    would let the model see almost every validation passage while training.
    """
    tokens = tokenize(text, level)
    cut = validation_start(len(tokens), val_fraction)
    n_val = len(tokens) - cut
    noun = "characters" if level == "char" else "tokens"
    for part, size in (("training", cut), ("validation", n_val)):
        if size < MIN_PART_TOKENS:
            raise DataError(
                f"The text has {len(tokens):,} {noun}, which leaves {size} for the {part} part; "
                f"each part needs at least {MIN_PART_TOKENS}.",
                hint="Use a longer text or change the validation share.",
            )
    train_tokens, val_tokens = tokens[:cut], tokens[cut:]
    # Built from the training part only: tokens seen only in validation become UNKNOWN, as they would for new text.
    vocabulary = vocabulary_from_tokens(train_tokens, level, max_vocab)
    return TextSplit(
        train=vocabulary.encode_tokens(train_tokens),
        val=vocabulary.encode_tokens(val_tokens),
        vocabulary=vocabulary,
    )


def stream_matrix(ids: np.ndarray, batch_size: int) -> torch.Tensor:
    """Cut the stream into `batch_size` contiguous rows; the trailing remainder is dropped.

    Row b holds ids[b * columns:(b + 1) * columns], so each row reads on in order from one chunk to the next.
    A stream shorter than `batch_size` gives rows with no columns.
    """
    if batch_size < 1:
        raise ValueError(f"The batch size must be at least 1 (got {batch_size}).")
    ids = np.asarray(ids, dtype=np.int64)
    columns = len(ids) // batch_size
    return torch.from_numpy(ids[: batch_size * columns].copy()).view(batch_size, columns)  # (batch, columns)


def chunks(matrix: torch.Tensor, seq_len: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Consecutive (inputs, targets) pairs of shape (batch, <= seq_len); targets are inputs shifted by one.

    The last chunk may be shorter; it stops when fewer than 2 columns remain, since a chunk needs a target.
    """
    if seq_len < 1:
        raise ValueError(f"The sequence length must be at least 1 (got {seq_len}).")
    columns = matrix.shape[1]
    for start in range(0, max(columns - 1, 0), seq_len):
        length = min(seq_len, columns - 1 - start)
        yield matrix[:, start : start + length], matrix[:, start + 1 : start + 1 + length]


def n_chunks(n_columns: int, seq_len: int) -> int:
    """How many pairs chunks() yields for a matrix of `n_columns` columns."""
    if seq_len < 1:
        raise ValueError(f"The sequence length must be at least 1 (got {seq_len}).")
    return -(-max(n_columns - 1, 0) // seq_len)
