"""What the window shows of a classifier's test scores: one table of model and baselines, and the verdict.

Also decides whether an opened table is labelled texts (a classification task) rather than a series.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from workbench.core.classify.data import labelled_texts
from workbench.core.errors import DataError

# Cells of a text column: several words on average. Ids, categories and dates are shorter.
MIN_MEAN_CHARACTERS = 20
MIN_MEAN_WORDS = 3
# Enough rows to judge a column by without reading a million.
SAMPLE_ROWS = 500
SYSTEMS = (("model", "model"), ("majority", "majority class"), ("bag_of_words", "bag of words"))


def looks_like_labelled_texts(frame: pd.DataFrame) -> bool:
    """True when the table has a column of sentences and a usable label column: a classification task."""
    head = frame.head(SAMPLE_ROWS)
    for column in head.columns:
        if is_numeric_dtype(head[column]) or is_bool_dtype(head[column]):
            continue
        cells = head[column].dropna().astype(str)
        if len(cells) and cells.str.len().mean() >= MIN_MEAN_CHARACTERS and \
                cells.str.split().str.len().mean() >= MIN_MEAN_WORDS:
            break
    else:
        return False
    try:
        labelled_texts(frame)
    except DataError:
        return False
    return True


def metrics_report(summary: dict[str, Any]) -> dict[str, Any]:
    """ClassifyEvaluation.summary() (or a bundle's metrics) as rows of the metrics view: one column per system."""
    scores = [summary["test"], *(summary["baselines"].get(key, {}) for key, _ in SYSTEMS[1:])]
    per_class: dict[str, dict[str, Any]] = {}
    for k, entry in enumerate(summary["test"]["per_class"]):
        per_class[entry["class"]] = {
            name: [_class_score(system, k, name) for system in scores] for name in ("precision", "recall", "f1")
        }
        per_class[entry["class"]]["support"] = entry["support"]
    return {
        "columns": [label for _, label in SYSTEMS],
        "overall": {name: [system.get(name, float("nan")) for system in scores] for name in ("accuracy", "macro_f1")},
        "per_class": per_class,
        "verdict": summary.get("verdict", ""),
        "model_wins": bool(summary.get("model_wins", False)),
    }


def _class_score(system: dict[str, Any], k: int, name: str) -> float:
    rows = system.get("per_class", [])
    return float(rows[k][name]) if k < len(rows) else float("nan")
