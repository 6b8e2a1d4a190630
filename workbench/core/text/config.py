"""TextConfig and TextRunConfig: the settings of a language-model run (text, network, training)."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.core.fields import setting
from workbench.core.models.config import ModelConfig
from workbench.core.training.config import TrainConfig

# Words beyond this many are mapped to the unknown token when no cap is set: the output layer has one row per
# word, so an uncapped word vocabulary of a long text (tens of thousands) would dominate the model's size.
DEFAULT_WORD_VOCAB = 10000
BIDIRECTIONAL_MESSAGE = "A language model reads left to right; turn off bidirectional."


@dataclass
class TextConfig:
    level: str = setting(
        "char", label="Tokens", help="char learns letter by letter and can write any word; word learns whole "
        "words and punctuation, which needs more text but reads further per step.", choices=("char", "word"))
    seq_len: int = setting(
        100, label="Sequence length", help="Tokens per step of truncated back-propagation. The state carries on "
        "across steps, but gradients reach back only this far; 50-200 suits most texts.", minimum=2, maximum=10000)
    val_fraction: float = setting(
        0.1, label="Validation share", help="The end of the file, held out to score the model after each epoch.",
        minimum=0.0, maximum=0.5, exclusive_min=True)
    max_vocab: int | None = setting(
        None, label="Vocabulary cap", help="Most frequent tokens kept; the rest become the unknown token. "
        f"Empty: every character, or the {DEFAULT_WORD_VOCAB:,} most frequent words.", minimum=2,
        maximum=1_000_000, optional=True, kind=int)
    embedding: int = setting(
        64, label="Embedding size", help="Length of the vector each token is turned into before the recurrent "
        "layers. 32-128 is plenty for characters; words like 128-300.", minimum=1, maximum=4096)
    batches_per_epoch: int | None = setting(
        None, label="Batches per epoch", help="Empty: an epoch is one pass over the text. Set it for long texts "
        "so validation, the best-weights check and a sample come regularly; the next epoch continues where the "
        "last one stopped.", minimum=1, maximum=10_000_000, optional=True, kind=int)
    sample_length: int = setting(
        200, label="Sample per epoch", help="Tokens generated after each epoch for the sample timeline (0 turns "
        "it off). Each sample costs a fraction of a second.", minimum=0, maximum=5000)

    def vocab_cap(self) -> int | None:
        """The cap actually used: the setting, or the word-level default."""
        if self.max_vocab is None and self.level == "word":
            return DEFAULT_WORD_VOCAB
        return self.max_vocab


def _text_model() -> ModelConfig:
    # Text needs more state than a short series window: two layers of 128 learn spelling and simple words.
    return ModelConfig(layers=2, hidden=128)


def _text_train() -> TrainConfig:
    # Epochs over a text are long, and the validation loss keeps falling for a while: fewer, patient epochs.
    return TrainConfig(epochs=20, batch_size=32, lr=2e-3, patience=3)


@dataclass
class TextSections:
    text: TextConfig = field(default_factory=TextConfig)
    model: ModelConfig = field(default_factory=_text_model)
    train: TrainConfig = field(default_factory=_text_train)
