"""What the window shows of a classifier's test scores: one table of model and baselines, and the verdict.

Also decides whether an opened table is labelled texts (a classification task) rather than a series.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from workbench.core.classify import baselines
from workbench.core.classify.data import labelled_texts
from workbench.core.errors import DataError
from workbench.core.training.advice import Advice, Verdict, advise

# Cells of a text column: several words on average. Ids, categories and dates are shorter.
MIN_MEAN_CHARACTERS = 20
MIN_MEAN_WORDS = 3
# Enough rows to judge a column by without reading a million.
SAMPLE_ROWS = 500
SYSTEMS = (("model", "model"), ("majority", "majority class"), ("bag_of_words", "bag of words"))


def looks_like_labelled_texts(frame: pd.DataFrame) -> bool:
    """True when the table has a column of sentences and a usable label column: a classification task."""
    head = frame.head(SAMPLE_ROWS)
    # Only text columns can hold sentences: their types are looked at once, not column by column (5,000 columns).
    for position, dtype in enumerate(head.dtypes.tolist()):
        if is_numeric_dtype(dtype) or is_bool_dtype(dtype):
            continue
        cells = head.iloc[:, position].dropna().astype(str)
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


def summary_verdict(summary: dict[str, Any]) -> Verdict:
    """The verdict of ClassifyEvaluation.summary() (or a bundle's metrics), written again from its scores by
    `baselines.verdict`, so its words and tone are always this version's and always written together."""
    try:
        return baselines.verdict(summary["test"], summary["baselines"], summary.get("mcnemar_p"),
                                 summary.get("mcnemar_disagree"))
    except (KeyError, TypeError):
        # Scores too incomplete to judge (a damaged file): the stored words, claiming nothing by colour.
        return Verdict(str(summary.get("verdict", "")), "neutral")


def summary_outcome(summary: dict[str, Any]) -> str:
    """baselines.OUTCOMES of a summary, from its scores."""
    try:
        return baselines.outcome(summary["test"], summary["baselines"])
    except (KeyError, TypeError):
        return "unscored"


def classifier_advice(summary: dict[str, Any] | None, config: Any, result: dict[str, Any]) -> Advice:
    """The run's curve reading and the one recommendation, weighing the curves and the test verdict.

    `summary`: ClassifyEvaluation.summary() or a bundle's metrics (None: not scored); `config`: the run's
    ClassifyRunConfig; `result`: its TrainResult as a dict."""
    found = summary_outcome(summary) if summary else "unscored"
    c = config.classify
    return advise(result.get("history", []), result.get("best_epoch"),
                  None if found == "unscored" else found == "beats",
                  baselines.capacity_tips(c.level, config.model.bidirectional, c.pooling),
                  result.get("stopped_reason"), learned_nothing=found == "no_better_than_majority")


def one_class_systems(summary: dict[str, Any]) -> dict[str, str]:
    """Column label -> the one class it predicts, for each system that gives every test text the same class.

    Such a system's per-class scores come from construction, not from reading the texts: recall 1 for its class
    and 0 for the others, so they must not be compared (or marked best)."""
    scores = [summary["test"], *(summary["baselines"].get(key, {}) for key, _ in SYSTEMS[1:])]
    classes = list(summary.get("classes", []))
    found = {}
    for (_, label), system in zip(SYSTEMS, scores):
        confusion = system.get("confusion")
        if not confusion:
            continue
        predicted = [k for k, total in enumerate(map(sum, zip(*confusion))) if total]
        if len(predicted) == 1 and predicted[0] < len(classes) and len(classes) > 1:
            found[label] = classes[predicted[0]]
    return found


def one_class_note(systems: dict[str, str]) -> str:
    """The footnote under the scores for the systems of `one_class_systems`."""
    if not systems:
        return ""
    answers = " ".join(f"The {label} answers '{name}' for every text." for label, name in systems.items())
    return (f"{answers} Answering one class always gives recall 1 for it and 0 for the others by construction, so "
            "such per-class cells are greyed and never marked best.")


def metrics_report(summary: dict[str, Any]) -> dict[str, Any]:
    """ClassifyEvaluation.summary() (or a bundle's metrics) as rows of the metrics view: one column per system."""
    scores = [summary["test"], *(summary["baselines"].get(key, {}) for key, _ in SYSTEMS[1:])]
    per_class: dict[str, dict[str, Any]] = {}
    for k, entry in enumerate(summary["test"]["per_class"]):
        per_class[entry["class"]] = {
            name: [_class_score(system, k, name) for system in scores] for name in ("precision", "recall", "f1")
        }
        per_class[entry["class"]]["support"] = entry["support"]
    verdict = summary_verdict(summary)
    one_class = one_class_systems(summary)
    return {
        "columns": [label for _, label in SYSTEMS],
        "overall": {name: [system.get(name, float("nan")) for system in scores] for name in ("accuracy", "macro_f1")},
        "per_class": per_class,
        "verdict": verdict.text,
        "verdict_tone": verdict.tone,
        # Columns whose per-class cells are not compared, and why.
        "one_class": one_class,
        "one_class_note": one_class_note(one_class),
    }
def _class_score(system: dict[str, Any], k: int, name: str) -> float:
    rows = system.get("per_class", [])
    return float(rows[k][name]) if k < len(rows) else float("nan")
