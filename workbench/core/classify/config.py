"""ClassifyConfig and the section defaults of a classification run (no torch: the forms read it at start-up)."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.core.fields import setting
from workbench.core.models.config import ModelConfig
from workbench.core.models.summary import recurrent_parameter_count
from workbench.core.training.config import TrainConfig

# Words beyond this many read as the unknown token when no cap is set. A review set of a few thousand rows
# has well under this many distinct words, so the cap only bites on large tables, where it keeps the
# embedding table (one row per word) from dominating the model.
DEFAULT_WORD_VOCAB = 20000
# The automatic maximum length: long enough for 95 texts in 100; the longest few are cut rather than
# making every batch as long as the single longest text.
MAX_LEN_PERCENTILE = 95
# Validation and test together may take at most this share, so training keeps at least 20%.
MAX_HELD_OUT = 0.8


def parse_class_names(entries: list[str]) -> dict[str, str]:
    """{label value: name} from "value=name" entries (the `class_names` setting); raises ValueError in words."""
    names: dict[str, str] = {}
    for entry in entries:
        value, sep, name = str(entry).partition("=")
        value, name = value.strip(), name.strip()
        if not sep or not value or not name:
            raise ValueError(f"'{entry}' is not written as value=name (for example 0=negative).")
        if value in names:
            raise ValueError(f"the label value '{value}' is named twice.")
        names[value] = name
    return names


def class_name_entries(names: dict[str, str]) -> list[str]:
    """The `class_names` setting for {label value: name}, leaving out values named as themselves."""
    return [f"{value}={name}" for value, name in names.items() if name != value]


@dataclass
class ClassifyConfig:
    text: str | None = setting(
        None, label="Text column", help="The column holding the texts. Empty: detected (a text column named "
        "like review, text or comment, else the one with the longest texts).", optional=True, kind=str)
    label: str | None = setting(
        None, label="Label column", help="The column holding each text's class (words or numbers). Empty: "
        "detected (a column named like label, class or sentiment, else one with few distinct values).",
        optional=True, kind=str)
    # Kept with the settings (and so in projects and model files), so predictions name the classes the same way.
    class_names: list = setting(
        [], label="Class names", help="Names for the label column's values, written value=name (for example "
        "0=negative, 1=positive): the results, the predictions and Try it use the names. Empty: the values as "
        "the table has them.", kind=list)
    level: str = setting(
        "word", label="Tokens", help="word reads whole words and punctuation marks (the usual choice); char "
        "reads letter by letter, which copes with typos and unknown words but needs longer sequences.",
        choices=("word", "char"))
    lowercase: bool = setting(
        True, label="Lower-case", help="Read 'Great' and 'great' as the same token: a smaller vocabulary, "
        "which helps on small data.")
    max_len: int | None = setting(
        None, label="Maximum length", help=f"Tokens per text; shorter texts are padded, longer ones cut. Empty: "
        f"the {MAX_LEN_PERCENTILE}th percentile of the training texts' lengths.", minimum=1, maximum=100_000,
        optional=True, kind=int)
    # Head is the default: the opening usually names the subject and carries most of the gist, and with the
    # automatic maximum only about 1 text in 20 is cut at all. Tail suits texts whose verdict comes last.
    truncate: str = setting(
        "head", label="Keep when cut", help="head keeps the start of a text that is too long, tail keeps its "
        "end (better when the conclusion comes last, as in long reviews or chat logs).", choices=("head", "tail"))
    max_vocab: int | None = setting(
        None, label="Vocabulary cap", help="Most frequent training tokens kept; the rest read as the unknown "
        f"token. Empty: every character, or the {DEFAULT_WORD_VOCAB:,} most frequent words.", minimum=2,
        maximum=1_000_000, optional=True, kind=int)
    # With 1, every training token is in the vocabulary, so the model never meets the unknown token while it
    # trains and its embedding stays random: new words at prediction time would then read as noise.
    min_count: int = setting(
        2, label="Minimum count", help="Tokens seen fewer times than this in the training texts read as the "
        "unknown token, so the model learns what an unseen word looks like.", minimum=1, maximum=1_000_000)
    embedding: int = setting(
        64, label="Embedding size", help="Length of the vector each token becomes before the recurrent layers; "
        "32-128 suits most texts.", minimum=1, maximum=4096)
    pooling: str = setting(
        "max", label="Pooling", help="How the per-token outputs become one vector: max keeps the strongest "
        "signal of each unit anywhere in the text (robust, the default); mean averages over the real tokens; "
        "last uses the final state (each direction's, when bidirectional).", choices=("max", "mean", "last"))
    dropout: float = setting(
        0.3, label="Output dropout", help="Share of the pooled features dropped while training, before the "
        "layer over classes; fights overfitting on small tables. (The network's dropout acts between layers.)",
        minimum=0.0, maximum=0.9)
    class_weights: bool = setting(
        False, label="Class weights", help="Weigh each class's loss by how rare it is, so a small class is not "
        "ignored. Raises its recall at some cost in accuracy.")
    val_fraction: float = setting(
        0.15, label="Validation share", help="Rows held out (the same share of every class) to stop training "
        "at its best epoch.", minimum=0.0, maximum=0.5, exclusive_min=True)
    test_fraction: float = setting(
        0.15, label="Test share", help="Rows held out (the same share of every class) and used only to score "
        "the model beside the baselines.", minimum=0.0, maximum=0.5, exclusive_min=True)

    def vocab_cap(self) -> int | None:
        """The cap actually used: the setting, or the word-level default."""
        if self.max_vocab is None and self.level == "word":
            return DEFAULT_WORD_VOCAB
        return self.max_vocab

    def class_name_map(self) -> dict[str, str]:
        """{label value: name} of the class names (raises ValueError when they are not value=name entries)."""
        return parse_class_names(self.class_names)

    def cross_check(self) -> dict[str, str]:
        problems = {}
        shares = (self.val_fraction, self.test_fraction)
        if all(isinstance(v, float) for v in shares) and sum(shares) >= MAX_HELD_OUT:
            problems["classify.test_fraction"] = ("validation and test together leave less than 20% for training; "
                                                  "lower one of them.")
        if isinstance(self.class_names, list) and all(isinstance(v, str) for v in self.class_names):
            try:
                self.class_name_map()
            except ValueError as error:
                problems["classify.class_names"] = f"{error}"
        return problems


def _classify_model() -> ModelConfig:
    # One bidirectional layer reads each word with both its left and right context, which is what most of a
    # short text's meaning needs ("not bad"); a second layer rarely pays off on a few thousand rows.
    return ModelConfig(layers=1, hidden=64, bidirectional=True)


def _classify_train() -> TrainConfig:
    # A few thousand short texts fit in a few dozen batches: many epochs are cheap, but the validation loss
    # turns up within a handful of them, so stop soon after.
    return TrainConfig(epochs=20, batch_size=32, lr=2e-3, patience=3)


@dataclass
class ClassifySections:
    classify: ClassifyConfig = field(default_factory=ClassifyConfig)
    model: ModelConfig = field(default_factory=_classify_model)
    train: TrainConfig = field(default_factory=_classify_train)


def classifier_parameter_count(model: ModelConfig, vocab_size: int, n_classes: int, embedding: int) -> int:
    """Trainable parameters of TextClassifier, by formula (no torch), for the form to update as the user types.

    `vocab_size` counts the unknown token; the padding row of the embedding is counted too (it stays zero).
    """
    dirs = 2 if model.bidirectional else 1
    return ((vocab_size + 1) * embedding + recurrent_parameter_count(model, embedding)
            + (model.hidden * dirs + 1) * n_classes)


def describe_classifier(model: ModelConfig, vocab_size: int, n_classes: int, config: ClassifyConfig) -> str:
    """E.g. "bidirectional LSTM, 64 units, max pooling, over 294 words into 3 classes: 93,699 parameters"."""
    layers = f"{model.layers}-layer " if model.layers > 1 else ""
    bi = "bidirectional " if model.bidirectional else ""
    unit = "characters" if config.level == "char" else "words"
    count = classifier_parameter_count(model, vocab_size, n_classes, config.embedding)
    return (f"{layers}{bi}{model.cell.upper()}, {model.hidden} units, {config.pooling} pooling, over "
            f"{vocab_size:,} {unit} into {n_classes} classes: {count:,} parameters")
