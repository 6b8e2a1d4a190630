"""Texts to padded rows of token ids: tokens, the training vocabulary, the maximum length, truncation (no torch).

The padding scheme. A classifier's token ids are the vocabulary's ids plus one, so that id 0 is free for
padding: 0 = padding, 1 = the unknown token (vocabulary id 0), 2.. = the known tokens in vocabulary order.
The embedding's row 0 is its padding row (always zero, never trained). Rows are padded on the right, so every
row starts with its real tokens and its length is the number of non-zero ids. The vocabulary itself (and so
a bundle's JSON) stays the plain Vocabulary of text/vocab.py; only these functions add the offset.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from workbench.core.text.vocab import UNKNOWN, Vocabulary, tokenize

PAD_ID = 0  # the padding id: the embedding's padding row
ID_OFFSET = 1  # model id = vocabulary id + ID_OFFSET, so the unknown token is model id 1
UNKNOWN_ID = ID_OFFSET


def text_tokens(text: str, level: str, lowercase: bool = True) -> list[str]:
    """A text's tokens for a classifier: characters, or words and punctuation marks.

    At word level the whitespace between words is dropped (a language model keeps it to write text back;
    a classifier only reads, and the spaces would double every sequence). At character level spaces stay:
    they mark where words end.
    """
    if lowercase:
        text = text.lower()
    tokens = tokenize(text, level)
    return tokens if level == "char" else [token for token in tokens if not token.isspace()]


def build_vocabulary(
    token_lists: Sequence[Sequence[str]], level: str, max_size: int | None = None, min_count: int = 1
) -> Vocabulary:
    """The training tokens seen at least `min_count` times, most frequent first (ties by first appearance).

    `max_size` counts the unknown token. Pass the training texts only, so validation and test words the
    model has never seen read as unknown, as new texts will.
    """
    if max_size is not None and max_size < 2:
        raise ValueError(f"The vocabulary size must be at least 2: the unknown token and one more (got {max_size}).")
    counts = Counter(chain.from_iterable(token_lists))
    counts.pop(UNKNOWN, None)  # it already has id 0
    ranked = [token for token, n in counts.most_common() if n >= min_count]
    if max_size is not None:
        ranked = ranked[: max_size - 1]
    return Vocabulary(level=level, tokens=(UNKNOWN, *ranked))


def auto_max_len(lengths: np.ndarray, percentile: float) -> int:
    """The `percentile`-th percentile of the lengths, rounded up to a length that occurs; at least 1."""
    lengths = np.asarray(lengths)
    if not lengths.size:
        return 1
    return max(1, int(math.ceil(np.percentile(lengths, percentile, method="higher"))))


@dataclass(frozen=True)
class EncodedTexts:
    """Texts as right-padded rows of model ids (see the module's padding scheme)."""

    ids: np.ndarray  # (n, max_len) int64; PAD_ID after each row's real tokens
    lengths: np.ndarray  # (n,) int64 real tokens per row, 1..max_len
    truncated: np.ndarray  # (n,) bool: the text had more than max_len tokens and was cut


def encode_row(tokens: Sequence[str], vocabulary: Vocabulary, max_len: int, truncate: str) -> tuple[np.ndarray, bool]:
    """The model ids of one text's tokens, cut to `max_len` (keeping the head or the tail), unpadded.

    A text with no tokens reads as one unknown token: every row needs a real token for the recurrent layers.
    """
    cut = len(tokens) > max_len
    if cut:
        tokens = tokens[:max_len] if truncate == "head" else tokens[len(tokens) - max_len :]
    ids = vocabulary.encode_tokens(tokens) + ID_OFFSET
    return (ids if len(ids) else np.array([UNKNOWN_ID], dtype=np.int64)), cut


def encode_texts(
    token_lists: Sequence[Sequence[str]], vocabulary: Vocabulary, max_len: int, truncate: str = "head"
) -> EncodedTexts:
    """Encode, cut and right-pad every text to `max_len` ids."""
    if truncate not in ("head", "tail"):
        raise ValueError(f"truncate must be 'head' or 'tail' (got {truncate!r}).")
    if max_len < 1:
        raise ValueError(f"The maximum length must be at least 1 (got {max_len}).")
    ids = np.full((len(token_lists), max_len), PAD_ID, dtype=np.int64)  # (n, max_len)
    lengths = np.zeros(len(token_lists), dtype=np.int64)
    truncated = np.zeros(len(token_lists), dtype=bool)
    for i, tokens in enumerate(token_lists):
        row, truncated[i] = encode_row(tokens, vocabulary, max_len, truncate)
        ids[i, : len(row)] = row
        lengths[i] = len(row)
    return EncodedTexts(ids, lengths, truncated)


@dataclass(frozen=True)
class PaddedExample:
    """One text as the model reads it, slot by slot, for showing padding and truncation token by token."""

    tokens: tuple[str, ...]  # (max_len,) the text's kept tokens as written, then "" for each padding slot
    ids: np.ndarray  # (max_len,) the model ids, PAD_ID in padding slots
    real: np.ndarray  # (max_len,) bool: True for a real token, False for padding
    known: np.ndarray  # (max_len,) bool: True for a token in the vocabulary (False for unknown and padding)
    n_tokens: int  # tokens of the whole text, before truncation
    dropped: tuple[str, ...]  # tokens cut off (from the end for head, from the start for tail)
    truncate: str  # "head" or "tail"

    @property
    def truncated(self) -> bool:
        return bool(self.dropped)


def padded_example(
    text: str, vocabulary: Vocabulary, max_len: int, truncate: str = "head", lowercase: bool = True
) -> PaddedExample:
    """What the model sees of `text`: its kept tokens and ids, padding, and what was cut."""
    tokens = text_tokens(text, vocabulary.level, lowercase)
    if len(tokens) > max_len:
        kept, dropped = (tokens[:max_len], tokens[max_len:]) if truncate == "head" else \
            (tokens[-max_len:], tokens[:-max_len])
    else:
        kept, dropped = tokens, []
    encoded = encode_texts([tokens], vocabulary, max_len, truncate)
    ids = encoded.ids[0]
    real = ids != PAD_ID
    shown = list(kept) + [""] * (max_len - len(kept))
    if not kept:  # an empty text reads as one unknown token
        shown[0] = UNKNOWN
    return PaddedExample(tokens=tuple(shown), ids=ids, real=real, known=ids > UNKNOWN_ID, n_tokens=len(tokens),
                         dropped=tuple(dropped), truncate=truncate)
