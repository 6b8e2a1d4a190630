"""Language-model bundles: the same file as every model's, with the vocabulary among its JSON parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import torch

from workbench.core.errors import BundleError, ConfigError
from workbench.core.export.bundle import build_checked, damaged, read_parts, saved_info, without_history
from workbench.core.export.kinds import LANGUAGE_MODEL, load_model
from workbench.core.export.parts import (
    DAMAGED_HINT,
    TRAIN_RESULT,
    Fields,
    ListOf,
    Maybe,
    Number,
    PartProblem,
    Text,
    Whole,
    clip,
)
from workbench.core.run_config import TextRunConfig
from workbench.core.text.lm_model import LanguageModel
from workbench.core.text.vocab import Vocabulary

if TYPE_CHECKING:
    from workbench.core.text.pipeline import LanguageModelRun

# What each part must hold: what `info`, generation and the window read of it.
PARTS = {
    "config": None,  # TextRunConfig.from_dict checks every setting
    "vocabulary": None,  # read_vocabulary checks it
    "data": Fields({}, optional={"source": Text(), "fingerprint": Text(), "n_chars": Whole(0),
                                 "n_train_tokens": Whole(0), "n_val_tokens": Whole(0)}),
    "result": TRAIN_RESULT,
    # validation_scores(): all three scores are null when no epoch completed.
    "metrics": Fields({"val_loss": Maybe(Number()), "perplexity": Maybe(Number()),
                       "bits_per_token": Maybe(Number())}, optional={"level": Text()}),
}


@dataclass
class LanguageModelBundle:
    """A loaded language model with its vocabulary and what it was trained on."""

    kind: ClassVar[str] = LANGUAGE_MODEL

    config: TextRunConfig
    model: LanguageModel
    vocabulary: Vocabulary
    data: dict[str, Any]  # source, fingerprint, n_chars, n_train_tokens, n_val_tokens
    result: dict[str, Any]  # TrainResult.to_dict()
    metrics: dict[str, Any]  # validation_scores(): val_loss, perplexity, bits_per_token, level
    info: dict[str, str] = field(default_factory=dict)  # created, workbench_version

    @classmethod
    def from_contents(cls, path: Path, tensors: dict[str, torch.Tensor],
                      metadata: dict[str, str]) -> LanguageModelBundle:
        """Rebuild from a checked file: configuration, vocabulary, then the weights checked against both."""
        parts = read_parts(metadata, PARTS, path)
        try:
            config = TextRunConfig.from_dict(parts["config"])
        except ConfigError as error:
            raise BundleError(f"{path.name} holds an invalid configuration: {clip(str(error))}",
                              hint=DAMAGED_HINT) from error
        vocabulary = read_vocabulary(parts["vocabulary"], path)
        metrics = parts["metrics"]
        if metrics["val_loss"] is not None and (metrics["perplexity"] is None or metrics["bits_per_token"] is None):
            raise damaged(path, "metrics", "has a validation loss without its perplexity and bits per token")
        model = build_checked(lambda: LanguageModel(config.model, len(vocabulary), embedding=config.text.embedding),
                              tensors, path)
        return cls(config, model, vocabulary, parts["data"], parts["result"], metrics, saved_info(metadata))

    def parts(self) -> dict[str, Any]:
        """The JSON-ready sections; the vocabulary goes in too, so the file alone can encode and decode text."""
        return {"config": self.config.to_dict(), "vocabulary": self.vocabulary.to_dict(), "data": self.data,
                "result": self.result, "metrics": self.metrics}

    def describe(self) -> dict[str, Any]:
        """Settings, data, vocabulary size, training summary (without the history), scores and when saved."""
        return {"config": self.config.to_dict(), "data": self.data, "vocabulary_size": len(self.vocabulary),
                "result": without_history(self.result), "metrics": self.metrics, "info": self.info}


def bundle_from_lm_run(run: LanguageModelRun) -> LanguageModelBundle:
    """Package a finished run: model, resolved settings, vocabulary, scores."""
    return LanguageModelBundle(run.config, run.model, run.vocabulary, dict(run.data), run.result.to_dict(),
                               dict(run.scores))


def load_lm_bundle(path: str | Path) -> LanguageModelBundle:
    """Load the language model at `path`; a model of another kind is refused (see kinds.load_model)."""
    return load_model(path, expect=LANGUAGE_MODEL)


def read_vocabulary(value: Any, path: Path) -> Vocabulary:
    """The vocabulary part of a text model's file; BundleError when it was damaged."""
    try:
        Fields({"tokens": ListOf(Text())}).check(value, "vocabulary")
        return Vocabulary.from_dict(value)
    except PartProblem as problem:
        raise damaged(path, problem.where, problem.problem) from None
    except ValueError as error:
        raise BundleError(f"{path.name} holds a damaged vocabulary: {error}", hint=DAMAGED_HINT) from error
