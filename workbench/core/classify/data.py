"""Labelled texts from a table: find the text and label columns, drop empty rows, name the classes (no torch)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from workbench.core.errors import DataError

# A label column names a few classes, each shared by many rows; more distinct values than this is an id or a
# free-text column, not a set of classes.
MAX_CLASSES = 100
# Warn when the largest class has at least this many times the rows of the smallest.
IMBALANCE_RATIO = 5.0
# Column names that say what a column holds, most telling first (matched whole, then as part of the name).
TEXT_NAMES = ("text", "review", "comment", "message", "sentence", "content", "body", "tweet", "description",
              "document", "utterance", "title")
LABEL_NAMES = ("label", "class", "sentiment", "polarity", "target", "y", "intent", "tag", "category", "topic")


@dataclass(frozen=True)
class LabelledTexts:
    """The usable rows of a table: each text with the index of its class in `classes`."""

    texts: tuple[str, ...]
    labels: np.ndarray  # (n,) int64 index into classes
    classes: tuple[str, ...]  # what each class is called: its label value, or the name the user gave it
    values: tuple[str, ...]  # the label value of each class as the table has it, sorted (numbers as numbers)
    rows: np.ndarray  # (n,) position of each text's row in the table, for messages and predictions
    text_column: str
    label_column: str
    n_rows: int  # rows in the table, dropped ones included
    dropped_text: int  # rows without text (empty or only spaces)
    dropped_label: int  # rows with text but without a label
    notes: tuple[str, ...]  # how the columns were chosen, what was dropped, imbalance

    def class_counts(self) -> np.ndarray:
        """(n_classes,) rows per class."""
        return np.bincount(self.labels, minlength=len(self.classes))


def choose_columns(frame: pd.DataFrame, text: str | None = None, label: str | None = None) -> tuple[str, str, list]:
    """The text and label columns (given ones checked, missing ones detected) and notes on how they were found."""
    names = [str(c) for c in frame.columns]
    for role, given in (("text", text), ("label", label)):
        if given and given not in names:
            raise DataError(f"There is no column named '{given}' to use as the {role}. The columns are: "
                            f"{', '.join(names)}.", hint=f"Pick the {role} column from that list.", column=given)
    if text and label and text == label:
        raise DataError(f"'{text}' was chosen as both the text and the label column.",
                        hint="The label column holds each text's class; pick another column for it.", column=text)
    notes = []
    if not text:
        text = _detect_text(frame, exclude=label)
        notes.append(f"Text column: '{text}' (detected; choose another with the text setting).")
    if not label:
        label, others = _detect_label(frame, exclude=text)
        also = f"; {', '.join(repr(o) for o in others)} could be one too" if others else ""
        notes.append(f"Label column: '{label}' (detected{also}; choose another with the label setting).")
    if is_numeric_dtype(frame[text]) or is_bool_dtype(frame[text]):
        raise DataError(f"Column '{text}' holds numbers, not text, so it cannot be the text column.",
                        hint="Pick the column with the sentences or documents.", column=text)
    return text, label, notes


def _name_rank(name: str, vocabulary: tuple[str, ...]) -> int | None:
    lowered = name.strip().lower()
    for rank, word in enumerate(vocabulary):
        if lowered == word:
            return rank
    for rank, word in enumerate(vocabulary):
        if len(word) > 1 and word in lowered:
            return len(vocabulary) + rank
    return None


def _text_like(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns if not (is_numeric_dtype(frame[c]) or is_bool_dtype(frame[c]))]


def _detect_text(frame: pd.DataFrame, exclude: str | None) -> str:
    candidates = [c for c in _text_like(frame) if c != exclude]
    if not candidates:
        raise DataError(f"The table has no text column (its columns {', '.join(map(str, frame.columns))} hold "
                        "numbers or are the label).", hint="Open a table with a column of texts.")
    named = [c for c in candidates if _name_rank(c, TEXT_NAMES) is not None]
    if named:
        return min(named, key=lambda c: _name_rank(c, TEXT_NAMES))
    # The column whose cells are longest on average: ids and categories are short, texts are not.
    return max(candidates, key=lambda c: frame[c].dropna().astype(str).str.len().mean() or 0.0)


def _detect_label(frame: pd.DataFrame, exclude: str | None) -> tuple[str, list[str]]:
    usable = [str(c) for c in frame.columns if str(c) != exclude and label_problem(frame[c], str(c)) is None]
    if not usable:
        raise DataError(f"No column of the table looks like a label (2 to {MAX_CLASSES} classes, each shared by "
                        f"several rows); its columns are {', '.join(map(str, frame.columns))}.",
                        hint="Add a column with each text's class, or pick one with the label setting.")
    named = sorted((c for c in usable if _name_rank(c, LABEL_NAMES) is not None),
                   key=lambda c: _name_rank(c, LABEL_NAMES))
    if named:
        return named[0], named[1:]
    fewest = sorted(usable, key=lambda c: frame[c].nunique())
    return fewest[0], fewest[1:3]


def label_problem(column: pd.Series, name: str) -> str | None:
    """Why `column` cannot hold class labels, in words; None when it can."""
    values = column.dropna()
    if not (is_numeric_dtype(column) or is_bool_dtype(column)):
        values = values.astype(str).str.strip()
        values = values[values != ""]
    distinct = values.nunique()
    if is_numeric_dtype(column) and not is_bool_dtype(column) and len(values):
        fractional = values[values != np.round(values)]
        if len(fractional):
            return (f"Column '{name}' holds fractional numbers (e.g. {fractional.iloc[0]:g}), which look like "
                    "measurements, not classes.")
    if distinct < 2:
        found = f"only one class ('{class_name(values.iloc[0])}')" if distinct else "no labels"
        return f"Column '{name}' has {found}; a classifier needs at least two classes."
    if distinct > MAX_CLASSES or (len(values) >= 20 and distinct > len(values) / 2):
        return (f"Column '{name}' has {distinct:,} distinct values in {len(values):,} rows; a label column holds a "
                f"few classes (at most {MAX_CLASSES}), each shared by many rows.")
    return None


def class_name(value: object) -> str:
    """The class a label cell names: numbers without a fraction lose their '.0', text loses outer spaces."""
    # Numbers read from a file come back as floats; 1.0 is the class "1".
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def name_classes(values: tuple[str, ...], names: dict[str, str], column: str) -> tuple[str, ...]:
    """The class of each label value: its name when the user gave one, else the value itself.

    Raises DataError when a name is for a value the column does not hold, or when two classes would be
    called the same."""
    unknown = [value for value in names if value not in values]
    if unknown:
        raise DataError(f"Class names were given for {', '.join(repr(v) for v in unknown)}, which column "
                        f"'{column}' does not hold; its label values are {', '.join(values)}.",
                        hint="Name only the values the label column holds (or clear the class names).",
                        column=column)
    classes = tuple(names.get(value, value) for value in values)
    twice = sorted({name for name in classes if classes.count(name) > 1})
    if twice:
        raise DataError(f"Two classes would both be called {', '.join(repr(n) for n in twice)}.",
                        hint="Give every class a name of its own.", column=column)
    return classes


def labelled_texts(frame: pd.DataFrame, text: str | None = None, label: str | None = None,
                   class_names: dict[str, str] | None = None) -> LabelledTexts:
    """The rows that have both a text and a label, with the classes sorted, named and counted."""
    text, label, notes = choose_columns(frame, text, label)
    problem = label_problem(frame[label], label)
    if problem:
        raise DataError(problem, hint="Pick the column that holds each text's class.", column=label)
    texts = frame[text].astype("string")
    has_text = texts.notna() & (texts.str.strip() != "")
    labels = frame[label]
    if is_numeric_dtype(labels) or is_bool_dtype(labels):
        has_label = labels.notna()
    else:
        labels = labels.astype("string").str.strip()
        has_label = labels.notna() & (labels != "")
    keep = (has_text & has_label).to_numpy(dtype=bool)
    dropped_text = int((~has_text).sum())
    dropped_label = int((has_text & ~has_label).sum())
    if dropped_text or dropped_label:
        parts = [f"{n:,} without {what}" for n, what in ((dropped_text, "text"), (dropped_label, "a label")) if n]
        notes.append(f"Left out {dropped_text + dropped_label:,} of {len(frame):,} rows: {' and '.join(parts)}.")
    kept = labels[keep]
    # Sort the distinct values themselves (numbers as numbers), then name them, so 2 comes before 10.
    distinct = sorted(pd.unique(kept).tolist())
    values = tuple(class_name(v) for v in distinct)
    classes = name_classes(values, class_names or {}, label)
    index = {v: i for i, v in enumerate(distinct)}
    codes = np.fromiter((index[v] for v in kept.tolist()), dtype=np.int64, count=int(keep.sum()))
    counts = np.bincount(codes, minlength=len(classes))
    named = [f"{name} ({value})" if name != value else name for name, value in zip(classes, values)]
    notes.append(f"{len(classes)} classes in {len(codes):,} rows: "
                 f"{', '.join(f'{name} {count:,}' for name, count in zip(named, counts))}.")
    warning = imbalance_warning(classes, counts)
    if warning:
        notes.append(warning)
    return LabelledTexts(
        texts=tuple(texts[keep].tolist()), labels=codes, classes=classes, values=values, rows=np.flatnonzero(keep),
        text_column=text, label_column=label, n_rows=len(frame), dropped_text=dropped_text,
        dropped_label=dropped_label, notes=tuple(notes),
    )


def imbalance_warning(classes: tuple[str, ...], counts: np.ndarray) -> str:
    """A sentence when the largest class has IMBALANCE_RATIO times the rows of the smallest, else ""."""
    big, small = int(np.argmax(counts)), int(np.argmin(counts))
    if counts[small] == 0 or counts[big] / counts[small] < IMBALANCE_RATIO:
        return ""
    return (f"The classes are imbalanced: '{classes[big]}' has {counts[big] / counts[small]:.1f} times the rows of "
            f"'{classes[small]}' (the warning starts at {IMBALANCE_RATIO:g} times). Accuracy flatters a model that "
            "favours the large class, so read macro-F1, and consider class weights.")
