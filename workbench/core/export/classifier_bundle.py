"""Text-classifier bundles: the same file as every model's, with the vocabulary and class names as JSON parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import torch

from workbench.core.classify.encoding import ID_OFFSET
from workbench.core.classify.model import TextClassifier
from workbench.core.errors import BundleError, ConfigError
from workbench.core.export.bundle import build_checked, damaged, read_parts, saved_info, without_history
from workbench.core.export.kinds import CLASSIFIER, load_model
from workbench.core.export.lm_bundle import read_vocabulary
from workbench.core.export.parts import (
    DAMAGED_HINT,
    TRAIN_RESULT,
    Fields,
    Flag,
    ListOf,
    MapOf,
    Maybe,
    Number,
    PartProblem,
    Text,
    Whole,
    clip,
)
from workbench.core.run_config import ClassifyRunConfig
from workbench.core.text.vocab import Vocabulary

if TYPE_CHECKING:
    from workbench.core.classify.pipeline import ClassifierRun

# What each part must hold: what `info`, predictions, the results view and the advice read of it.
_SCORES = {"accuracy": Number(), "macro_f1": Number(),
           "per_class": ListOf(Fields({"class": Text(), "precision": Number(), "recall": Number(), "f1": Number(),
                                       "support": Whole(0)}))}
_CONFUSION = {"confusion": ListOf(ListOf(Whole(0))), "n": Whole(0)}
_BASELINE = Fields(_SCORES, optional=_CONFUSION)
PARTS = {
    "config": None,  # ClassifyRunConfig.from_dict checks every setting
    "vocabulary": None,  # read_vocabulary checks it
    "classes": None,  # _classes checks them
    "data": Fields({}, optional={"source": Text(), "fingerprint": Text(), "n_rows": Whole(0), "n_texts": Whole(0)}),
    "result": TRAIN_RESULT,
    # ClassifyEvaluation.summary()
    "metrics": Fields(
        {"classes": ListOf(Text()), "test": Fields({**_SCORES, **_CONFUSION}),
         "baselines": Fields({"majority": _BASELINE, "bag_of_words": _BASELINE})},
        optional={"baseline_descriptions": MapOf(Text()), "verdict": Text(), "verdict_tone": Text(),
                  "outcome": Text(), "beats_baselines": Flag(), "model_wins": Flag(), "mcnemar_p": Maybe(Number()),
                  "mcnemar_disagree": Maybe(Whole(0))}),
}


@dataclass
class ClassifierBundle:
    """A loaded text classifier with its vocabulary, class names and what it was trained on."""

    kind: ClassVar[str] = CLASSIFIER

    config: ClassifyRunConfig  # resolved: text/label columns and max_len are set
    model: TextClassifier
    vocabulary: Vocabulary
    classes: tuple[str, ...]
    data: dict[str, Any]  # pipeline.data_record(): source, fingerprint, columns, counts, lengths
    result: dict[str, Any]  # TrainResult.to_dict()
    metrics: dict[str, Any]  # ClassifyEvaluation.summary(): test, baselines, verdict
    info: dict[str, str] = field(default_factory=dict)  # created, workbench_version

    @classmethod
    def from_contents(cls, path: Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> ClassifierBundle:
        """Rebuild from a checked file: configuration, vocabulary, classes, then the weights checked against them."""
        parts = read_parts(metadata, PARTS, path)
        try:
            config = ClassifyRunConfig.from_dict(parts["config"])
        except ConfigError as error:
            raise BundleError(f"{path.name} holds an invalid configuration: {clip(str(error))}",
                              hint=DAMAGED_HINT) from error
        if config.classify.max_len is None or not config.classify.text:
            raise BundleError(f"{path.name} is damaged: its configuration lacks the text column or maximum length.",
                              hint=DAMAGED_HINT)
        vocabulary = read_vocabulary(parts["vocabulary"], path)
        classes = _classes(parts["classes"], path)
        c = config.classify
        model = build_checked(lambda: TextClassifier(config.model, len(vocabulary) + ID_OFFSET, len(classes),
                                                     embedding=c.embedding, pooling=c.pooling, dropout=c.dropout),
                              tensors, path)
        _check_metrics(parts["metrics"], classes, path)
        return cls(config, model, vocabulary, classes, parts["data"], parts["result"], parts["metrics"],
                   saved_info(metadata))

    def parts(self) -> dict[str, Any]:
        """The JSON-ready sections written beside the weights."""
        return {"config": self.config.to_dict(), "vocabulary": self.vocabulary.to_dict(),
                "classes": list(self.classes), "data": self.data, "result": self.result, "metrics": self.metrics}

    def describe(self) -> dict[str, Any]:
        """Settings, classes, data, vocabulary size, training summary (without the history), scores, when saved."""
        return {"config": self.config.to_dict(), "classes": list(self.classes), "data": self.data,
                "vocabulary_size": len(self.vocabulary), "result": without_history(self.result),
                "metrics": self.metrics, "info": self.info}


def bundle_from_classifier_run(run: ClassifierRun) -> ClassifierBundle:
    """Package a finished run: model, resolved settings, vocabulary, classes, scores."""
    return ClassifierBundle(run.config, run.model, run.vocabulary, tuple(run.classes), dict(run.data),
                            run.result.to_dict(), run.evaluation.summary())


def load_classifier_bundle(path: str | Path) -> ClassifierBundle:
    """Load the text classifier at `path`; a model of another kind is refused (see kinds.load_model)."""
    return load_model(path, expect=CLASSIFIER)


def _classes(value: Any, path: Path) -> tuple[str, ...]:
    try:
        ListOf(Text()).check(value, "classes")
    except PartProblem as problem:
        raise damaged(path, problem.where, problem.problem) from None
    if len(value) < 2 or not all(value) or len(set(value)) != len(value):
        raise BundleError(f"{path.name} is damaged: its class names must be at least two different, non-empty "
                          f"texts (found {str(value)[:80]}).", hint=DAMAGED_HINT)
    return tuple(value)


def _check_metrics(metrics: dict[str, Any], classes: tuple[str, ...], path: Path) -> None:
    """The scores are about these classes: one row per class, and a square confusion matrix of their size."""
    n = len(classes)
    if tuple(metrics["classes"]) != classes:
        raise damaged(path, "metrics.classes", "must be the model's classes")
    systems = {"test": metrics["test"], **{f"baselines.{k}": v for k, v in metrics["baselines"].items()}}
    for name, scores in systems.items():
        if len(scores["per_class"]) != n:
            raise damaged(path, f"metrics.{name}.per_class", f"must hold one row per class ({n})")
        confusion = scores.get("confusion")
        if confusion is not None and (len(confusion) != n or any(len(row) != n for row in confusion)):
            raise damaged(path, f"metrics.{name}.confusion", f"must be {n} rows of {n} counts")
