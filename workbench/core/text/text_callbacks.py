"""Callbacks for language-model runs: a text sample after each epoch, and a copy of the best weights so far."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.core.text.generate import generate
from workbench.core.text.lm_model import LanguageModel
from workbench.core.text.pipeline import TextCallback
from workbench.core.text.vocab import Vocabulary
from workbench.core.training.snapshot import BestSnapshot as TrainingSnapshot

# Samples read best when they start mid-text rather than from nothing; the first words of the file are
# a prompt the user recognises, and the same one every epoch makes the samples comparable.
PROMPT_CHARACTERS = 40
SAMPLE_TEMPERATURE = 0.8


def sample_prompt(text: str) -> str:
    """The first line of the text, cut at a word boundary after at most PROMPT_CHARACTERS characters."""
    line = text.lstrip().split("\n", 1)[0]
    if len(line) <= PROMPT_CHARACTERS:
        return line
    cut = line.rfind(" ", 0, PROMPT_CHARACTERS)
    return line[: cut if cut > 0 else PROMPT_CHARACTERS]


class SampleTimeline(TextCallback):
    """After each epoch, generate `length` tokens with the current weights and hand them to `on_sample`.

    The seed is fixed, so a change between two samples comes from the weights, not from the dice.
    """

    def __init__(self, length: int, on_sample: Callable[[dict[str, Any]], None], seed: int = 0) -> None:
        self.length = length
        self.on_sample = on_sample
        self.seed = seed
        self.prompt = ""
        self.samples: list[dict[str, Any]] = []

    def attach(self, model: LanguageModel, vocabulary: Vocabulary, text: str) -> None:
        super().attach(model, vocabulary, text)
        self.prompt = sample_prompt(text)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if self.length <= 0 or self.model is None:
            return
        pieces = generate(self.model, self.vocabulary, self.prompt, self.length, SAMPLE_TEMPERATURE, seed=self.seed)
        sample = {"epoch": epoch, "val_loss": logs["val_loss"], "bits": logs.get("val_bits"),
                  "prompt": self.prompt, "text": "".join(pieces)}
        self.samples.append(sample)
        self.on_sample(sample)


class BestSnapshot(TextCallback, TrainingSnapshot):
    """The best weights so far of a language model, with the vocabulary they read (attached before training)."""

    def watched_model(self) -> LanguageModel | None:
        return self.model
