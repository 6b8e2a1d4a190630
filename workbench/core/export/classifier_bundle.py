"""Text-classifier bundles: the same file as every model's, with the vocabulary and class names as JSON parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import torch

from workbench.core.classify.encoding import ID_OFFSET
from workbench.core.classify.model import TextClassifier
from workbench.core.errors import BundleError, ConfigError
from workbench.core.export.bundle import check_tensors, json_part, saved_info, without_history
from workbench.core.export.kinds import CLASSIFIER, load_model
from workbench.core.export.lm_bundle import read_vocabulary
from workbench.core.run_config import ClassifyRunConfig
from workbench.core.text.vocab import Vocabulary

if TYPE_CHECKING:
    from workbench.core.classify.pipeline import ClassifierRun

_PARTS = ("config", "vocabulary", "classes", "data", "result", "metrics")


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
        parts = {key: json_part(metadata, key, path) for key in _PARTS}
        try:
            config = ClassifyRunConfig.from_dict(parts["config"])
        except ConfigError as error:
            raise BundleError(f"{path.name} holds an invalid configuration: {error}") from error
        if config.classify.max_len is None or not config.classify.text:
            raise BundleError(f"{path.name} is damaged: its configuration lacks the text column or maximum length.",
                              hint="Save the model again from a finished run.")
        vocabulary = read_vocabulary(parts["vocabulary"], path)
        classes = _classes(parts["classes"], path)
        c = config.classify
        model = TextClassifier(config.model, len(vocabulary) + ID_OFFSET, len(classes), embedding=c.embedding,
                               pooling=c.pooling, dropout=c.dropout)
        check_tensors(model, tensors, path)
        model.load_state_dict(tensors)
        model.eval()
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
    ok = isinstance(value, list) and len(value) >= 2 and all(isinstance(v, str) and v for v in value)
    if not ok or len(set(value)) != len(value):
        raise BundleError(f"{path.name} is damaged: its class names must be at least two different, non-empty "
                          f"texts (found {str(value)[:80]}).", hint="Save the model again from a finished run.")
    return tuple(value)

