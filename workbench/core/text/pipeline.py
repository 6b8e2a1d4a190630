"""One language-model run from start to end: tokens and vocabulary, the model, training, validation scores."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from workbench.core.errors import ConfigError, DataError
from workbench.core.run_config import TextRunConfig
from workbench.core.text.lm_model import LanguageModel
from workbench.core.text.lm_task import LanguageModelTask, bits_per_token, perplexity
from workbench.core.text.source import TextSource
from workbench.core.text.streams import TextSplit, split_text
from workbench.core.text.vocab import Vocabulary
from workbench.core.training.callbacks import Callback
from workbench.core.training.engine import Trainer
from workbench.core.training.events import TrainResult


def build_language_model(config: TextRunConfig, vocab_size: int) -> LanguageModel:
    """A fresh model for `config`; the seed fixes its initial weights."""
    torch.manual_seed(config.train.seed)
    return LanguageModel(config.model, vocab_size, embedding=config.text.embedding)


def text_fingerprint(text: str) -> str:
    """SHA-256 of the decoded text, so a bundle can say whether it was trained on a given file."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def language_task(split: TextSplit, config: TextRunConfig) -> LanguageModelTask:
    """The TBPTT task, or a DataError saying why the text is too short for these settings."""
    try:
        return LanguageModelTask(split.train, split.val, config.text.seq_len, config.train.batch_size,
                                 config.text.batches_per_epoch)
    except ValueError as error:
        raise DataError(str(error), hint="Lower the batch size or the sequence length, or use a longer text.") \
            from error


def validation_scores(val_loss: float | None, level: str) -> dict[str, Any]:
    """The best validation loss as nats, perplexity and bits per token (per character at char level)."""
    if val_loss is None:
        return {"val_loss": None, "perplexity": None, "bits_per_token": None, "level": level}
    return {"val_loss": val_loss, "perplexity": perplexity(val_loss), "bits_per_token": bits_per_token(val_loss),
            "level": level}


def describe_scores(scores: dict[str, Any]) -> str:
    """E.g. "Validation: 1.52 nats per character, perplexity 4.57, 2.19 bits per character"."""
    if scores.get("val_loss") is None:
        return "Validation: no epoch completed, so there is no score."
    unit = "character" if scores.get("level") == "char" else "token"
    return (f"Validation: {scores['val_loss']:.4g} nats per {unit}, perplexity {scores['perplexity']:.4g}, "
            f"{scores['bits_per_token']:.4g} bits per {unit}")


@dataclass
class LanguageModelRun:
    """Everything a finished run produced: what the window shows, the CLI prints and a bundle stores."""

    config: TextRunConfig
    model: LanguageModel
    vocabulary: Vocabulary
    result: TrainResult
    scores: dict[str, Any]  # validation_scores() of the kept weights
    data: dict[str, Any]  # source, fingerprint, n_chars, n_train_tokens, n_val_tokens


def train_language_model(
    source: TextSource,
    config: TextRunConfig,
    callbacks: Sequence[Callback] = (),
    should_stop: Callable[[], bool] | None = None,
) -> LanguageModelRun:
    """Split the text by position, build the vocabulary from the training part, train with TBPTT."""
    problems = config.problems()
    if problems:
        raise ConfigError(problems)
    split = split_text(source.text, config.text.level, config.text.val_fraction, config.text.vocab_cap())
    task = language_task(split, config)
    model = build_language_model(config, len(split.vocabulary))
    for callback in callbacks:
        if isinstance(callback, TextCallback):
            callback.attach(model, split.vocabulary, source.text)
    result = Trainer(model, task, config.train, callbacks, should_stop).fit()
    model.cpu().eval()
    data = {
        "source": Path(source.path).name if source.path else "",
        "fingerprint": text_fingerprint(source.text),
        "n_chars": len(source.text),
        "n_train_tokens": int(len(split.train)),
        "n_val_tokens": int(len(split.val)),
    }
    resolved = dataclasses.replace(config, text=dataclasses.replace(config.text, max_vocab=config.text.vocab_cap()))
    return LanguageModelRun(resolved, model, split.vocabulary, result,
                            validation_scores(result.best_val_loss, config.text.level), data)


class TextCallback(Callback):
    """A callback that needs the run's model and vocabulary; train_language_model attaches them before training."""

    model: LanguageModel | None = None
    vocabulary: Vocabulary | None = None

    def attach(self, model: LanguageModel, vocabulary: Vocabulary, text: str) -> None:
        self.model, self.vocabulary = model, vocabulary


