"""Language-model bundles: the same safetensors file as a forecaster's, with the vocabulary in its metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import BundleError, ConfigError
from workbench.core.export.bundle import (
    CLASSIFIER,
    LANGUAGE_MODEL,
    check_tensors,
    json_part,
    read_checked,
    write_bundle,
)
from workbench.core.run_config import TextRunConfig
from workbench.core.text.lm_model import LanguageModel
from workbench.core.text.vocab import Vocabulary

if TYPE_CHECKING:
    from workbench.core.text.pipeline import LanguageModelRun

_PARTS = ("config", "vocabulary", "data", "result", "metrics")


@dataclass
class LanguageModelBundle:
    """A loaded language model with its vocabulary and what it was trained on."""

    config: TextRunConfig
    model: LanguageModel
    vocabulary: Vocabulary
    data: dict[str, Any]  # source, fingerprint, n_chars, n_train_tokens, n_val_tokens
    result: dict[str, Any]  # TrainResult.to_dict()
    metrics: dict[str, Any]  # validation_scores(): val_loss, perplexity, bits_per_token, level
    info: dict[str, str] = field(default_factory=dict)  # created, workbench_version


def bundle_from_lm_run(run: LanguageModelRun) -> LanguageModelBundle:
    """Package a finished run: model, resolved settings, vocabulary, scores."""
    return LanguageModelBundle(run.config, run.model, run.vocabulary, dict(run.data), run.result.to_dict(),
                               dict(run.scores))


def save_lm_bundle(path: str | Path, bundle: LanguageModelBundle) -> None:
    """Write atomically; the vocabulary goes in as JSON so the file alone can encode and decode text."""
    write_bundle(path, bundle.model, LANGUAGE_MODEL, {
        "config": bundle.config.to_dict(), "vocabulary": bundle.vocabulary.to_dict(), "data": bundle.data,
        "result": bundle.result, "metrics": bundle.metrics,
    })


def load_lm_bundle(path: str | Path) -> LanguageModelBundle:
    """Read and validate: format, kind, JSON, configuration, vocabulary, tensor names and shapes, finiteness."""
    path = Path(path)
    tensors, metadata = read_checked(path)
    if metadata.get("kind") == CLASSIFIER:
        raise BundleError(f"{path.name} is a text classifier, not a language model, so it cannot generate text.",
                          hint="Classify texts with it instead: open it in the window or run `workbench predict`.")
    if metadata.get("kind") != LANGUAGE_MODEL:
        raise BundleError(f"{path.name} is a forecaster, not a language model, so it cannot generate text.",
                          hint="Open it with a table of the columns it was trained on, or run `workbench predict`.")
    parts = {key: json_part(metadata, key, path) for key in _PARTS}
    try:
        config = TextRunConfig.from_dict(parts["config"])
    except ConfigError as error:
        raise BundleError(f"{path.name} holds an invalid configuration: {error}") from error
    try:
        vocabulary = Vocabulary.from_dict(parts["vocabulary"])
    except ValueError as error:
        raise BundleError(f"{path.name} holds a damaged vocabulary: {error}",
                          hint="The file was edited or cut short; save the model again.") from error
    model = LanguageModel(config.model, len(vocabulary), embedding=config.text.embedding)
    check_tensors(model, tensors, path)
    model.load_state_dict(tensors)
    model.eval()
    info = {k: metadata.get(k, "") for k in ("created", "workbench_version")}
    return LanguageModelBundle(config, model, vocabulary, parts["data"], parts["result"], parts["metrics"], info)


def save_model_file(path: str | Path, bundle: Any) -> None:
    """Save a forecaster's Bundle, a LanguageModelBundle or a ClassifierBundle, whichever `bundle` is."""
    from workbench.core.export.classifier_bundle import ClassifierBundle, save_classifier_bundle

    if isinstance(bundle, LanguageModelBundle):
        save_lm_bundle(path, bundle)
    elif isinstance(bundle, ClassifierBundle):
        save_classifier_bundle(path, bundle)
    else:
        from workbench.core.export.bundle import save_bundle

        save_bundle(path, bundle)
