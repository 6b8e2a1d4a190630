"""Split text into character or word tokens and map them to integer ids and back."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

LEVELS = ("char", "word")
# Stands for every token outside the vocabulary (a character that appears only in the validation part, or a
# rare word cut by max_size). A rare symbol (DOUBLE QUESTION MARK) so that it reads as "unknown" when
# generated text is shown, and is unlikely to be a real token of the training text.
UNKNOWN = "\u2047"
# Words, single punctuation marks and whitespace runs: every character falls in one of the three, so joining
# the tokens gives the text back exactly.
WORD_PATTERN = re.compile(r"\w+|[^\w\s]|\s+")


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"The token level must be one of {', '.join(LEVELS)} (got {level!r}).")


def tokenize(text: str, level: str) -> list[str]:
    """Characters, or words / punctuation marks / whitespace runs; "".join(tokens) == text at both levels."""
    _check_level(level)
    return list(text) if level == "char" else WORD_PATTERN.findall(text)


@dataclass(frozen=True)
class Vocabulary:
    """The tokens a model knows, by id; id 0 is UNKNOWN."""

    level: str
    tokens: tuple[str, ...]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_level(self.level)
        tokens = tuple(self.tokens)
        if not tokens or tokens[0] != UNKNOWN:
            raise ValueError(f"The first token of a vocabulary must be the unknown token {UNKNOWN!r}.")
        if any(not isinstance(token, str) or not token for token in tokens):
            raise ValueError("Every token of a vocabulary must be a non-empty string.")
        if len(set(tokens)) != len(tokens):
            repeated = next(token for token, n in Counter(tokens).items() if n > 1)
            raise ValueError(f"The token {repeated!r} appears more than once in the vocabulary.")
        if self.level == "char" and any(len(token) != 1 for token in tokens):
            raise ValueError("A character vocabulary must hold single characters only.")
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "_index", {token: i for i, token in enumerate(tokens)})

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, text: str) -> np.ndarray:
        """int64 ids of the text's tokens; tokens outside the vocabulary get id 0."""
        # A string iterates by character, so at char level it needs no list of tokens (about 0.1 s per MB).
        return self.encode_tokens(text if self.level == "char" else tokenize(text, "word"))

    def encode_tokens(self, tokens: Sequence[str]) -> np.ndarray:
        """int64 ids of already split tokens; tokens outside the vocabulary get id 0."""
        get = self._index.get
        return np.fromiter((get(token, 0) for token in tokens), dtype=np.int64, count=len(tokens))

    def decode(self, ids: Any) -> str:
        """The text of the ids (exact for text whose tokens are all in the vocabulary)."""
        values = np.asarray(ids, dtype=np.int64).ravel()
        if values.size and (values.min() < 0 or values.max() >= len(self.tokens)):
            bad = int(values[(values < 0) | (values >= len(self.tokens))][0])
            raise ValueError(f"Token id {bad} is outside the vocabulary of {len(self.tokens)} tokens.")
        tokens = self.tokens
        return "".join(tokens[i] for i in values.tolist())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; from_dict rebuilds the same vocabulary."""
        return {"level": self.level, "tokens": list(self.tokens)}

    @classmethod
    def from_dict(cls, data: Any) -> Vocabulary:
        """Rebuild from to_dict's output; raises ValueError on anything else."""
        if not isinstance(data, dict):
            raise ValueError(f"A vocabulary must be a mapping with 'level' and 'tokens' (got {type(data).__name__}).")
        missing = [key for key in ("level", "tokens") if key not in data]
        if missing:
            raise ValueError(f"The vocabulary has no {' or '.join(repr(key) for key in missing)}.")
        tokens = data["tokens"]
        if not isinstance(tokens, list | tuple):
            raise ValueError(f"The vocabulary's 'tokens' must be a list (got {type(tokens).__name__}).")
        return cls(level=data["level"], tokens=tuple(tokens))


def vocabulary_from_tokens(tokens: Sequence[str], level: str, max_size: int | None = None) -> Vocabulary:
    """Like build_vocabulary, for tokens already split (so a caller need not split the text twice)."""
    if max_size is not None and max_size < 2:
        raise ValueError(f"The vocabulary size must be at least 2: the unknown token and one more (got {max_size}).")
    counts = Counter(tokens)
    counts.pop(UNKNOWN, None)  # it already has id 0
    # Counter keeps first-appearance order and most_common sorts stably, so ties keep that order.
    ranked = [token for token, _ in counts.most_common()]
    if max_size is not None:
        ranked = ranked[: max_size - 1]
    return Vocabulary(level=level, tokens=(UNKNOWN, *ranked))


def build_vocabulary(text: str, level: str, max_size: int | None = None) -> Vocabulary:
    """The tokens of `text`, most frequent first (ties by first appearance); `max_size` counts UNKNOWN.

    Pass only the training part, so the validation score measures text the model has not seen.
    """
    return vocabulary_from_tokens(tokenize(text, level), level, max_size)


def token_counts(text: str, level: str, top: int = 20) -> list[tuple[str, int]]:
    """The `top` most frequent tokens and their counts, for a quick look at the text."""
    return Counter(tokenize(text, level)).most_common(top)


def validation_start(n_tokens: int, val_fraction: float) -> int:
    """Index of the first validation token: the last `val_fraction` of the tokens, by position."""
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"The validation fraction must be between 0 and 1 (got {val_fraction}).")
    return n_tokens - round(n_tokens * val_fraction)
