"""One classification run from start to end: prepare the table, train, score on test beside the baselines."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from workbench.core.classify import baselines
from workbench.core.classify.dataset import PreparedTexts, prepare_dataset
from workbench.core.classify.encoding import ID_OFFSET
from workbench.core.classify.metrics import classification_metrics
from workbench.core.classify.model import TextClassifier
from workbench.core.classify.predict import predict_ids
from workbench.core.classify.splits import PARTS
from workbench.core.classify.task import ClassificationTask, balanced_weights
from workbench.core.errors import ConfigError
from workbench.core.run_config import ClassifyRunConfig
from workbench.core.text.vocab import Vocabulary
from workbench.core.training.callbacks import Callback
from workbench.core.training.engine import Trainer
from workbench.core.training.events import TrainResult


def build_classifier(config: ClassifyRunConfig, vocab_size: int, n_classes: int) -> TextClassifier:
    """A fresh model for `config` over a vocabulary of `vocab_size` tokens; the seed fixes its initial weights."""
    torch.manual_seed(config.train.seed)
    c = config.classify
    return TextClassifier(config.model, vocab_size + ID_OFFSET, n_classes, embedding=c.embedding, pooling=c.pooling,
                          dropout=c.dropout)


@dataclass(frozen=True)
class Misclassified:
    """A test text the model got wrong."""

    row: int  # position of its row in the table (0 = the first data row)
    text: str
    true: str
    predicted: str
    probabilities: tuple[float, ...]  # one per class, in class order

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class ClassifyEvaluation:
    """Test scores of the model and both baselines on the same texts, and the model's mistakes."""

    classes: tuple[str, ...]
    metrics: dict[str, Any]  # classification_metrics() of the model
    baselines: dict[str, dict[str, Any]]  # "majority" and "bag_of_words" -> classification_metrics()
    baseline_descriptions: dict[str, str]
    verdict: str  # baselines.verdict(): the sentence...
    verdict_tone: str  # ...and its tone (training.advice.TONES), written together
    p_value: float  # McNemar, model against bag-of-words
    disagree: int  # test texts on which the model and bag-of-words disagree (what McNemar counts)
    actual: np.ndarray  # (n_test,) class index
    probabilities: np.ndarray  # (n_test, n_classes) the model's
    rows: np.ndarray  # (n_test,) table row of each test text
    misclassified: list[Misclassified]  # the most confident mistakes first

    @property
    def outcome(self) -> str:
        """baselines.OUTCOMES: "beats", "matches" or "loses" against bag-of-words, or "no_better_than_majority"."""
        return baselines.outcome(self.metrics, self.baselines)

    def summary(self) -> dict[str, Any]:
        """The JSON-ready part: what a bundle stores and `--metrics-json` writes."""
        found = self.outcome
        return {"classes": list(self.classes), "test": self.metrics, "baselines": self.baselines,
                "baseline_descriptions": self.baseline_descriptions, "verdict": self.verdict,
                "verdict_tone": self.verdict_tone, "outcome": found, "beats_baselines": found == "beats",
                "model_wins": found == "beats", "mcnemar_p": self.p_value, "mcnemar_disagree": self.disagree}


@dataclass
class ClassifierRun:
    """Everything a finished run produced: what the window shows, the CLI prints and a bundle stores."""

    config: ClassifyRunConfig  # resolved: the columns, maximum length and vocabulary cap actually used
    model: TextClassifier
    vocabulary: Vocabulary
    classes: tuple[str, ...]
    result: TrainResult
    evaluation: ClassifyEvaluation
    data: dict[str, Any]  # see data_record()
    notes: tuple[str, ...]  # about the table: columns, dropped rows, classes, imbalance


def train_classifier(
    frame: pd.DataFrame,
    config: ClassifyRunConfig,
    callbacks: Sequence[Callback] = (),
    should_stop: Callable[[], bool] | None = None,
    source: str = "",
) -> ClassifierRun:
    """Split by class, build the vocabulary on the training texts, train with early stopping on validation,
    and score the kept weights on the test texts beside the majority class and bag-of-words."""
    problems = config.problems()
    if problems:
        raise ConfigError(problems)
    prepared = prepare_dataset(frame, config.classify, config.train.seed)
    classes = prepared.data.classes
    train = prepared.part("train")
    weights = balanced_weights(train[2], len(classes)) if config.classify.class_weights else None
    task = ClassificationTask(train, prepared.part("val"), weights)
    model = build_classifier(config, len(prepared.vocabulary), len(classes))
    result = Trainer(model, task, config.train, callbacks, should_stop).fit()
    model.cpu().eval()
    evaluation = evaluate_classifier(model, prepared, config)
    resolved = dataclasses.replace(config, classify=dataclasses.replace(
        config.classify, text=prepared.data.text_column, label=prepared.data.label_column,
        max_len=prepared.max_len, max_vocab=config.classify.vocab_cap()))
    return ClassifierRun(resolved, model, prepared.vocabulary, classes, result, evaluation,
                         data_record(prepared, source), prepared.data.notes)


def evaluate_classifier(
    model: TextClassifier, prepared: PreparedTexts, config: ClassifyRunConfig
) -> ClassifyEvaluation:
    """Score the model and both baselines on the test texts of `prepared`."""
    classes = prepared.data.classes
    ids, lengths, actual = prepared.part("test")
    probabilities = predict_ids(model, ids, lengths)
    predicted = probabilities.argmax(axis=1)
    labels = {name: prepared.data.labels[prepared.split.part(name)] for name in PARTS}
    made = {
        "majority": baselines.majority_baseline(labels["train"], len(actual), classes),
        "bag_of_words": baselines.bag_of_words_baseline({name: prepared.texts(name) for name in PARTS}, labels,
                                                        len(classes), config.classify.lowercase,
                                                        config.classify.class_weights),
    }
    scores = classification_metrics(actual, predicted, classes)
    base_scores = {name: classification_metrics(actual, b.predicted, classes) for name, b in made.items()}
    p_value, disagree = baselines.mcnemar(actual, predicted, made["bag_of_words"].predicted)
    verdict = baselines.verdict(scores, base_scores, p_value, disagree)
    rows = prepared.data.rows[prepared.split.test]
    return ClassifyEvaluation(
        classes=classes, metrics=scores, baselines=base_scores,
        baseline_descriptions={name: b.description for name, b in made.items()},
        verdict=verdict.text, verdict_tone=verdict.tone, p_value=p_value, disagree=disagree, actual=actual,
        probabilities=probabilities, rows=rows,
        misclassified=_mistakes(prepared.texts("test"), actual, probabilities, rows, classes),
    )


def _mistakes(texts: list[str], actual: np.ndarray, probabilities: np.ndarray, rows: np.ndarray,
              classes: tuple[str, ...]) -> list[Misclassified]:
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != actual)
    # Confident mistakes first: they point at label errors or at what the model misreads.
    wrong = wrong[np.argsort(-probabilities[wrong, predicted[wrong]], kind="stable")]
    return [Misclassified(int(rows[i]), texts[i], classes[actual[i]], classes[predicted[i]],
                          tuple(float(p) for p in probabilities[i])) for i in wrong]


def data_fingerprint(texts: Sequence[str], labels: Sequence[str]) -> str:
    """SHA-256 of the texts and labels used, so a bundle can say whether it was trained on a given table."""
    digest = hashlib.sha256()
    for text, label in zip(texts, labels):
        digest.update(text.encode("utf-8", "surrogatepass") + b"\x1f" + label.encode("utf-8") + b"\x1e")
    return digest.hexdigest()


def data_record(prepared: PreparedTexts, source: str = "") -> dict[str, Any]:
    """What the run was trained on, JSON-ready: the bundle's "data" part."""
    data, split = prepared.data, prepared.split
    train_lengths = prepared.lengths[split.train]
    return {
        "source": Path(source).name if source else "",
        # The label values, not the names given to them: naming the classes does not change the data.
        "fingerprint": data_fingerprint(data.texts, [data.values[k] for k in data.labels]),
        "text_column": data.text_column,
        "label_column": data.label_column,
        "n_rows": data.n_rows,
        "n_texts": len(data.texts),
        "dropped_text": data.dropped_text,
        "dropped_label": data.dropped_label,
        "class_counts": [int(c) for c in data.class_counts()],
        "split": {name: [int(c) for c in np.bincount(data.labels[split.part(name)], minlength=len(data.classes))]
                  for name in PARTS},
        "max_len": prepared.max_len,
        "max_len_auto": prepared.max_len_auto,
        "truncated_share": float(np.mean(train_lengths > prepared.max_len)) if len(train_lengths) else 0.0,
        "length_percentiles": {str(q): float(np.percentile(train_lengths, q)) for q in (50, 90, 95, 99, 100)},
        "vocabulary_size": len(prepared.vocabulary),
    }
