"""A table made ready for classification: labelled texts, stratified split, vocabulary, lengths (no torch).

`summarize_classification` gives the window the numbers it shows before training (class counts, the length
histogram with the chosen maximum, a padded example); `prepare_dataset` gives training the same data encoded.
Both run the same steps, so what the window shows is what training gets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.core.classify.config import MAX_LEN_PERCENTILE, ClassifyConfig
from workbench.core.classify.data import LabelledTexts, imbalance_warning, labelled_texts
from workbench.core.classify.encoding import (
    EncodedTexts,
    PaddedExample,
    auto_max_len,
    build_vocabulary,
    encode_texts,
    padded_example,
    text_tokens,
)
from workbench.core.classify.splits import PARTS, ClassSplit, stratified_split
from workbench.core.text.vocab import Vocabulary


@dataclass(frozen=True)
class PreparedTexts:
    """Everything training needs from the table, before any torch."""

    data: LabelledTexts
    split: ClassSplit
    tokens: tuple[list[str], ...]  # every text's tokens, before truncation
    vocabulary: Vocabulary  # from the training part only
    max_len: int  # the setting, or the percentile of the training lengths
    max_len_auto: bool
    lengths: np.ndarray  # (n,) tokens per text before truncation
    encoded: EncodedTexts  # every text, cut and padded to max_len

    def part(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids (n, max_len), lengths (n,), labels (n,)) of one part of the split."""
        index = self.split.part(name)
        return self.encoded.ids[index], self.encoded.lengths[index], self.data.labels[index]

    def texts(self, name: str) -> list[str]:
        return [self.data.texts[i] for i in self.split.part(name)]


def prepare_dataset(frame: pd.DataFrame, config: ClassifyConfig, seed: int) -> PreparedTexts:
    """Pick the columns, split by class with `seed`, build the vocabulary and lengths on the training part."""
    data = labelled_texts(frame, config.text or None, config.label or None, config.class_name_map())
    split = stratified_split(data.labels, data.classes, config.val_fraction, config.test_fraction, seed)
    tokens = tuple(text_tokens(text, config.level, config.lowercase) for text in data.texts)
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    train_tokens = [tokens[i] for i in split.train]
    vocabulary = build_vocabulary(train_tokens, config.level, config.vocab_cap(), config.min_count)
    max_len = config.max_len or auto_max_len(lengths[split.train], MAX_LEN_PERCENTILE)
    encoded = encode_texts(tokens, vocabulary, max_len, config.truncate)
    return PreparedTexts(data, split, tokens, vocabulary, max_len, config.max_len is None, lengths, encoded)


@dataclass(frozen=True)
class ClassifySummary:
    """What the window shows about a labelled table before training, for one choice of settings."""

    source: str
    text_column: str
    label_column: str
    level: str  # "word" or "char"
    n_rows: int  # rows in the table
    n_texts: int  # rows used (with a text and a label)
    dropped_text: int
    dropped_label: int
    classes: tuple[str, ...]  # as named (see LabelledTexts)
    values: tuple[str, ...]  # the label value of each class, as the table has it
    class_counts: tuple[int, ...]
    split_counts: dict[str, tuple[int, ...]]  # "train"/"val"/"test" -> rows per class
    imbalance: str  # a warning sentence, or "" (see data.IMBALANCE_RATIO)
    lengths: np.ndarray  # (n_train,) tokens per training text, before truncation: the histogram's data
    max_len: int
    max_len_auto: bool  # True: the percentile of `lengths`; False: set by the user
    truncated_share: float  # share of the training texts longer than max_len
    vocabulary: Vocabulary  # from the training part (the unknown token included, padding not)
    distinct_train_tokens: int  # before min_count and the cap
    unknown_share: float  # share of validation and test tokens that read as unknown
    truncate: str
    lowercase: bool
    notes: tuple[str, ...]
    train_texts: tuple[str, ...] = ()  # the training texts, in table order: what the example pager shows
    train_labels: tuple[int, ...] = ()  # their classes (index into `classes`)
    train_rows: tuple[int, ...] = ()  # their rows in the table (0 = the first data row)

    @property
    def unit(self) -> str:
        return "characters" if self.level == "char" else "tokens"

    def example(self, text: str) -> PaddedExample:
        """`text` as the model would read it with these settings, slot by slot."""
        return padded_example(text, self.vocabulary, self.max_len, self.truncate, self.lowercase)


def summarize_classification(
    frame: pd.DataFrame, config: ClassifyConfig, seed: int, source: str = ""
) -> ClassifySummary:
    """The numbers of `prepare_dataset`, with notes in words; raises DataError as training would."""
    prepared = prepare_dataset(frame, config, seed)
    data, split, vocab = prepared.data, prepared.split, prepared.vocabulary
    train_lengths = prepared.lengths[split.train]
    truncated = float(np.mean(train_lengths > prepared.max_len)) if len(train_lengths) else 0.0
    held_out = np.concatenate([split.val, split.test])
    known = {token for token in vocab.tokens[1:]}
    held_tokens = [token for i in held_out for token in prepared.tokens[i]]
    unknown = sum(1 for token in held_tokens if token not in known) / max(1, len(held_tokens))
    counts_by_token = Counter(token for i in split.train for token in prepared.tokens[i])
    distinct = len(counts_by_token)
    frequent = sum(1 for n in counts_by_token.values() if n >= config.min_count)
    counts = data.class_counts()
    unit = "characters" if config.level == "char" else "tokens"
    chosen = (f"the {MAX_LEN_PERCENTILE}th percentile of the training texts" if prepared.max_len_auto
              else "as set")
    kept = "start" if config.truncate == "head" else "end"
    notes = [*data.notes,
             f"Split by class: {len(split.train):,} rows for training, {len(split.val):,} for validation, "
             f"{len(split.test):,} for test.",
             f"Maximum length {prepared.max_len:,} {unit} ({chosen}): {truncated:.1%} of the training texts are "
             f"longer and keep their {kept}.",
             _vocabulary_note(len(vocab) - 1, frequent, distinct, config.min_count, unit)
             + f" {unknown:.1%} of validation and test {unit} read as unknown."]
    return ClassifySummary(
        source=source, text_column=data.text_column, label_column=data.label_column, level=config.level,
        n_rows=data.n_rows, n_texts=len(data.texts), dropped_text=data.dropped_text,
        dropped_label=data.dropped_label, classes=data.classes, values=data.values,
        class_counts=tuple(int(c) for c in counts),
        split_counts={name: tuple(int(c) for c in np.bincount(data.labels[split.part(name)],
                                                               minlength=len(data.classes))) for name in PARTS},
        imbalance=imbalance_warning(data.classes, counts), lengths=train_lengths, max_len=prepared.max_len,
        max_len_auto=prepared.max_len_auto, truncated_share=truncated, vocabulary=vocab,
        distinct_train_tokens=distinct, unknown_share=unknown, truncate=config.truncate,
        lowercase=config.lowercase, notes=tuple(notes), train_texts=tuple(prepared.texts("train")),
        train_labels=tuple(int(k) for k in data.labels[split.train]),
        train_rows=tuple(int(r) for r in data.rows[split.train]),
    )


def _vocabulary_note(kept: int, frequent: int, distinct: int, min_count: int, unit: str) -> str:
    times = f"{min_count} time{'s' if min_count != 1 else ''}"
    which = f"those seen at least {times}" if kept == frequent else \
        f"the most frequent of the {frequent:,} seen at least {times}, as capped"
    return f"Vocabulary: the unknown token and {kept:,} of the {distinct:,} distinct training {unit} ({which})."
