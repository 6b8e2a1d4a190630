"""Classification scores: accuracy, macro-F1, per-class precision/recall/F1/support, confusion matrix (numpy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def confusion_matrix(actual: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """(n_classes, n_classes) counts: row = the true class, column = the predicted class."""
    actual, predicted = np.asarray(actual, dtype=np.int64), np.asarray(predicted, dtype=np.int64)
    if actual.shape != predicted.shape:
        raise ValueError(f"actual has shape {actual.shape} but predicted has {predicted.shape}; they must match.")
    return np.bincount(actual * n_classes + predicted, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    # A class never predicted has no precision to speak of; like scikit-learn, it scores 0 rather than NaN.
    return np.divide(top, bottom, out=np.zeros(len(top)), where=bottom > 0)


def classification_metrics(actual: np.ndarray, predicted: np.ndarray, classes: Sequence[str]) -> dict[str, Any]:
    """Plain JSON-ready scores of predicted class indices against the true ones.

    Macro-F1 is the unweighted mean of the per-class F1 over every class in `classes`, so a small class
    counts as much as a large one; accuracy counts texts, so it follows the large classes.
    """
    n = len(classes)
    matrix = confusion_matrix(actual, predicted, n)
    hits = np.diag(matrix).astype(float)
    support = matrix.sum(axis=1)
    precision = _ratio(hits, matrix.sum(axis=0).astype(float))
    recall = _ratio(hits, support.astype(float))
    f1 = _ratio(2 * precision * recall, precision + recall)
    total = int(matrix.sum())
    return {
        "accuracy": float(hits.sum() / total) if total else float("nan"),
        "macro_f1": float(f1.mean()) if n else float("nan"),
        "per_class": [
            {"class": name, "precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for name, p, r, f, s in zip(classes, precision, recall, f1, support)
        ],
        "confusion": matrix.tolist(),
        "n": total,
    }
