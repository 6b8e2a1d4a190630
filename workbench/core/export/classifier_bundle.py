"""Text-classifier bundles: the same safetensors file as the other models', with vocabulary and classes as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.classify.encoding import ID_OFFSET
from workbench.core.classify.model import TextClassifier
from workbench.core.errors import BundleError, ConfigError
from workbench.core.export.bundle import (
    CLASSIFIER,
    LANGUAGE_MODEL,
    check_tensors,
    json_part,
    read_checked,
    write_bundle,
)
from workbench.core.run_config import ClassifyRunConfig
from workbench.core.text.vocab import Vocabulary

if TYPE_CHECKING:
    from workbench.core.classify.pipeline import ClassifierRun

_PARTS = ("config", "vocabulary", "classes", "data", "result", "metrics")


@dataclass
class ClassifierBundle:
    """A loaded text classifier with its vocabulary, class names and what it was trained on."""

    config: ClassifyRunConfig  # resolved: text/label columns and max_len are set
    model: TextClassifier
    vocabulary: Vocabulary
    classes: tuple[str, ...]
    data: dict[str, Any]  # pipeline.data_record(): source, fingerprint, columns, counts, lengths
    result: dict[str, Any]  # TrainResult.to_dict()
    metrics: dict[str, Any]  # ClassifyEvaluation.summary(): test, baselines, verdict
    info: dict[str, str] = field(default_factory=dict)  # created, workbench_version


def bundle_from_classifier_run(run: ClassifierRun) -> ClassifierBundle:
    """Package a finished run: model, resolved settings, vocabulary, classes, scores."""
    return ClassifierBundle(run.config, run.model, run.vocabulary, tuple(run.classes), dict(run.data),
                            run.result.to_dict(), run.evaluation.summary())


def save_classifier_bundle(path: str | Path, bundle: ClassifierBundle) -> None:
    """Write atomically; refuses non-finite weights, so a diverged model never reaches disk."""
    write_bundle(path, bundle.model, CLASSIFIER, {
        "config": bundle.config.to_dict(), "vocabulary": bundle.vocabulary.to_dict(),
        "classes": list(bundle.classes), "data": bundle.data, "result": bundle.result, "metrics": bundle.metrics,
    })


def load_classifier_bundle(path: str | Path) -> ClassifierBundle:
    """Read and validate: format, kind, JSON, configuration, vocabulary, classes, tensor names and shapes."""
    path = Path(path)
    tensors, metadata = read_checked(path)
    kind = metadata.get("kind")
    if kind != CLASSIFIER:
        what = "a language model" if kind == LANGUAGE_MODEL else "a forecaster"
        raise BundleError(f"{path.name} is {what}, not a text classifier, so it cannot classify texts.",
                          hint="Open a model saved by `workbench train TABLE.csv --task classify`.")
    parts = {key: json_part(metadata, key, path) for key in _PARTS}
    try:
        config = ClassifyRunConfig.from_dict(parts["config"])
    except ConfigError as error:
        raise BundleError(f"{path.name} holds an invalid configuration: {error}") from error
    if config.classify.max_len is None or not config.classify.text:
        raise BundleError(f"{path.name} is damaged: its configuration lacks the text column or maximum length.",
                          hint="Save the model again from a finished run.")
    try:
        vocabulary = Vocabulary.from_dict(parts["vocabulary"])
    except ValueError as error:
        raise BundleError(f"{path.name} holds a damaged vocabulary: {error}",
                          hint="The file was edited or cut short; save the model again.") from error
    classes = _classes(parts["classes"], path)
    c = config.classify
    model = TextClassifier(config.model, len(vocabulary) + ID_OFFSET, len(classes), embedding=c.embedding,
                           pooling=c.pooling, dropout=c.dropout)
    check_tensors(model, tensors, path)
    model.load_state_dict(tensors)
    model.eval()
    info = {k: metadata.get(k, "") for k in ("created", "workbench_version")}
    return ClassifierBundle(config, model, vocabulary, classes, parts["data"], parts["result"], parts["metrics"],
                            info)


def _classes(value: Any, path: Path) -> tuple[str, ...]:
    ok = isinstance(value, list) and len(value) >= 2 and all(isinstance(v, str) and v for v in value)
    if not ok or len(set(value)) != len(value):
        raise BundleError(f"{path.name} is damaged: its class names must be at least two different, non-empty "
                          f"texts (found {str(value)[:80]}).", hint="Save the model again from a finished run.")
    return tuple(value)
