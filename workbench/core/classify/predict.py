"""Class probabilities for new texts (the window's "try it" box, `workbench predict`), and a predictions table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import torch
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from workbench.core.classify.config import ClassifyConfig
from workbench.core.classify.data import class_name
from workbench.core.classify.encoding import encode_texts, text_tokens
from workbench.core.classify.metrics import classification_metrics
from workbench.core.classify.model import TextClassifier
from workbench.core.errors import DataError
from workbench.core.text.vocab import Vocabulary

# Texts per forward pass when predicting: large enough to be quick, small enough for any memory.
PREDICT_BATCH = 256


@torch.no_grad()
def predict_ids(model: TextClassifier, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Probabilities (n, n_classes) for encoded rows, in batches; the model is left in eval mode on its device."""
    model.eval()
    device = next(model.parameters()).device
    out = np.zeros((len(ids), model.n_classes), dtype=np.float32)
    for start in range(0, len(ids), PREDICT_BATCH):
        batch_lengths = torch.as_tensor(lengths[start : start + PREDICT_BATCH])
        batch = torch.as_tensor(ids[start : start + PREDICT_BATCH, : int(batch_lengths.max())]).to(device)
        out[start : start + len(batch)] = torch.softmax(model(batch, batch_lengths), dim=-1).cpu().numpy()
    return out


def predict_texts(
    model: TextClassifier, vocabulary: Vocabulary, classes: Sequence[str], config: Any, texts: Sequence[str]
) -> np.ndarray:
    """Class probabilities (len(texts), len(classes)) as the model was trained to read them.

    `config` is the run's ClassifyRunConfig or its ClassifyConfig, resolved (its max_len set, as a finished
    run's and a bundle's are). An empty text reads as one unknown token.
    """
    settings: ClassifyConfig = getattr(config, "classify", config)
    if settings.max_len is None:
        raise ValueError("The configuration has no maximum length; pass a finished run's or a bundle's config.")
    if model.n_classes != len(classes):
        raise ValueError(f"The model scores {model.n_classes} classes but {len(classes)} class names were given.")
    if not len(texts):
        return np.zeros((0, len(classes)), dtype=np.float32)
    tokens = [text_tokens(str(text), settings.level, settings.lowercase) for text in texts]
    encoded = encode_texts(tokens, vocabulary, settings.max_len, settings.truncate)
    return predict_ids(model, encoded.ids, encoded.lengths)


def output_columns(classes: Sequence[str], taken: Sequence[str]) -> tuple[str, list[str]]:
    """The names of the predicted-label column and of one probability column per class ('prob_<class>'),
    made unique against the table's own column names."""
    used = set(map(str, taken))

    def unique(base: str) -> str:
        candidate, k = base, 2
        while candidate in used:
            candidate, k = f"{base}_{k}", k + 1
        used.add(candidate)
        return candidate

    return unique("predicted"), [unique(f"prob_{name}") for name in classes]


def predict_table(
    model: TextClassifier, vocabulary: Vocabulary, classes: Sequence[str], config: Any, frame: pd.DataFrame,
    text_column: str | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The table with a predicted label and one probability column per class, and notes in words.

    Rows without text get an empty prediction. When the table also has the label column the model was
    trained on, the notes score the predictions against it.
    """
    settings: ClassifyConfig = getattr(config, "classify", config)
    column = text_column or settings.text
    if column not in frame.columns:
        raise DataError(f"The table has no column '{column}' with texts to classify; its columns are: "
                        f"{', '.join(map(str, frame.columns))}.",
                        hint="Name the text column (`--text COLUMN` on the command line).", column=column)
    if is_numeric_dtype(frame[column]) or is_bool_dtype(frame[column]):
        raise DataError(f"Column '{column}' holds numbers, not text, so there is nothing to classify in it.",
                        hint="Name the column with the texts (`--text COLUMN` on the command line).", column=column)
    texts = frame[column].astype("string")
    present = (texts.notna() & (texts.str.strip() != "")).to_numpy(dtype=bool)
    probabilities = np.full((len(frame), len(classes)), np.nan)
    probabilities[present] = predict_texts(model, vocabulary, classes, settings, texts[present].tolist())
    out = frame.copy()
    predicted = np.array([""] * len(frame), dtype=object)
    predicted[present] = [classes[k] for k in probabilities[present].argmax(axis=1)]
    label_name, names = output_columns(classes, frame.columns)
    out[label_name] = predicted
    for k, name in enumerate(names):
        out[name] = probabilities[:, k]
    notes = [f"Classified {int(present.sum()):,} texts from column '{column}'."]
    if not present.all():
        notes.append(f"{int((~present).sum()):,} rows have no text and were left without a prediction.")
    notes.extend(_score_note(frame, settings.label, present, predicted, classes, settings.class_name_map()))
    return out, notes


def _score_note(frame: pd.DataFrame, label: str | None, present: np.ndarray, predicted: np.ndarray,
                classes: Sequence[str], names: dict[str, str]) -> list[str]:
    if not label or label not in frame.columns:
        return []
    # The label column holds values; the model's classes may carry the names the user gave them.
    values = [None if pd.isna(v) else class_name(v) for v in frame[label].tolist()]
    truth = [names.get(v, v) if v is not None else None for v in values]
    index = {name: k for k, name in enumerate(classes)}
    known = [i for i in np.flatnonzero(present) if truth[i] in index]
    if not known:
        return []
    scores = classification_metrics([index[truth[i]] for i in known], [index[predicted[i]] for i in known], classes)
    return [f"Against column '{label}' ({len(known):,} rows with a known class): accuracy {scores['accuracy']:.3f}, "
            f"macro-F1 {scores['macro_f1']:.3f} (flattered by any rows the model was trained on)."]
