"""The two bars a text classifier must clear on the same split: the majority class and bag-of-words logistic
regression, and a plain-words verdict of the model against them."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbench.core.classify.encoding import text_tokens
from workbench.core.classify.metrics import classification_metrics
from workbench.core.training.advice import Verdict

BASELINE_NAMES = ("majority", "bag_of_words")
BASELINE_LABELS = {"majority": "majority class", "bag_of_words": "bag-of-words logistic regression"}
# Inverse regularisation strengths tried for the logistic regression; the best on validation is kept, as the
# recurrent model keeps its best epoch on validation.
C_GRID = (0.1, 1.0, 10.0, 100.0)
# Macro-F1 differences smaller than this are called a tie.
TIE = 0.005
# A McNemar p-value at or above this calls a difference in accuracy one that chance could explain.
SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class BaselinePrediction:
    predicted: np.ndarray  # (n_test,) class index
    probabilities: np.ndarray  # (n_test, n_classes)
    description: str  # how it was made, in words


def majority_baseline(train_labels: np.ndarray, n_test: int, classes: Sequence[str]) -> BaselinePrediction:
    """Always the most frequent training class (the first in class order on a tie), with the training shares."""
    counts = np.bincount(np.asarray(train_labels, dtype=np.int64), minlength=len(classes))
    top = int(np.argmax(counts))
    shares = counts / counts.sum()
    return BaselinePrediction(np.full(n_test, top, dtype=np.int64), np.tile(shares, (n_test, 1)),
                              f"always '{classes[top]}', the most frequent training class")


def _word_features(lowercase: bool):
    def analyze(text: str) -> list[str]:
        words = text_tokens(text, "word", lowercase)
        return words + [f"{a} {b}" for a, b in zip(words, words[1:])]

    return analyze


def bag_of_words_baseline(
    texts: dict[str, list[str]],
    labels: dict[str, np.ndarray],
    n_classes: int,
    lowercase: bool = True,
    class_weights: bool = False,
) -> BaselinePrediction:
    """Logistic regression on TF-IDF counts of words and word pairs, fitted on "train", tuned on "val".

    The features are words whatever the model's token level: word counts are the simple model that a
    recurrent classifier has to beat, and a bag of characters would be a bar too low to mean anything.
    Word pairs let it read short negations ("not bad") without reading order beyond them.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=_word_features(lowercase), sublinear_tf=True)
    train = vectorizer.fit_transform(texts["train"])
    val, test = vectorizer.transform(texts["val"]), vectorizer.transform(texts["test"])
    best: tuple[float, float, object] | None = None
    for c in C_GRID:
        fitted = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if class_weights else None)
        # A weakly regularised fit on a tiny table may stop short of full convergence; that is a score to
        # report, not a message for the user.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted.fit(train, labels["train"])
        score = _macro_f1(labels["val"], fitted.predict(val), n_classes)
        if best is None or score > best[0]:
            best = (score, c, fitted)
    _, c, model = best
    probabilities = np.zeros((test.shape[0], n_classes))
    # A class absent from the training part has no column in predict_proba.
    probabilities[:, model.classes_] = model.predict_proba(test)
    return BaselinePrediction(probabilities.argmax(axis=1), probabilities,
                              f"TF-IDF of {train.shape[1]:,} words and word pairs, C={c:g} chosen on validation")


def _macro_f1(actual: np.ndarray, predicted: np.ndarray, n_classes: int) -> float:
    return classification_metrics(actual, predicted, [str(k) for k in range(n_classes)])["macro_f1"]


def mcnemar(actual: np.ndarray, first: np.ndarray, second: np.ndarray) -> tuple[float, int]:
    """Two-sided exact McNemar test: could chance alone make one of two classifiers right this much more often?

    Returns the p-value and how many texts the two disagree on. Only those count: b = first right and second
    wrong, c = the reverse; under "no difference" b follows Binomial(b + c, 1/2).
    """
    right_1, right_2 = first == actual, second == actual
    b, c = int(np.sum(right_1 & ~right_2)), int(np.sum(~right_1 & right_2))
    n = b + c
    if n == 0:
        return 1.0, 0
    k = min(b, c)
    # P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so large n cannot overflow.
    logs = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) - n * math.log(2) for i in range(k + 1)]
    top = max(logs)
    tail = math.exp(top) * sum(math.exp(v - top) for v in logs)
    return min(1.0, 2 * tail), n


def mcnemar_p(actual: np.ndarray, first: np.ndarray, second: np.ndarray) -> float:
    """The p-value of `mcnemar`."""
    return mcnemar(actual, first, second)[0]


OUTCOMES = ("beats", "matches", "loses", "no_better_than_majority", "unscored")


def outcome(model: dict, baselines: dict[str, dict]) -> str:
    """One of OUTCOMES, by macro-F1: against bag-of-words, or against the majority class when not even that."""
    m = model["macro_f1"]
    if not math.isfinite(m):
        return "unscored"
    if m <= baselines["majority"]["macro_f1"] + TIE:
        return "no_better_than_majority"
    bow = baselines["bag_of_words"]["macro_f1"]
    return "beats" if m > bow + TIE else "matches" if m >= bow - TIE else "loses"


def chance_sentence(found: str, p_value: float | None, disagree: int | None = None) -> str:
    """Whether chance could explain the gap to bag-of-words (McNemar), for a verdict that names that gap."""
    if p_value is None or not math.isfinite(p_value) or found not in ("beats", "matches", "loses"):
        return ""
    over = (f"over the {disagree:,} test text{'s' if disagree != 1 else ''} where the two disagree"
            if disagree is not None else "over the test texts where the two disagree")
    test = f"McNemar p {'< 0.001' if p_value < 0.001 else f'= {p_value:.2g}'} {over}"
    if p_value >= SIGNIFICANCE:
        return f"The difference could be chance ({test}); a larger test part would tell."
    if found == "matches":
        return f"Their accuracies differ by more than chance would explain, though ({test})."
    return f"The difference is unlikely to be chance ({test})."


def verdict(model: dict, baselines: dict[str, dict], p_value: float | None = None,
            disagree: int | None = None) -> Verdict:
    """Does the model beat bag-of-words (by macro-F1), and the majority class at all? The sentence, whether chance
    could explain the gap (McNemar), and its tone. It gives no advice: `training.advice.recommend` does."""
    m = model["macro_f1"]
    majority, bow = baselines["majority"], baselines["bag_of_words"]
    scores = f"macro-F1 {m:.3f} vs {{:.3f}}, accuracy {model['accuracy']:.3f} vs {{:.3f}}"
    found = outcome(model, baselines)
    if found == "unscored":
        return Verdict("The model could not be scored: the test part is empty.", "neutral")
    if found == "no_better_than_majority":
        return Verdict(f"The model is no better than always answering the most frequent class ("
                       f"{scores.format(majority['macro_f1'], majority['accuracy'])}): it has not learned from the "
                       "texts.", "worse")
    chance = chance_sentence(found, p_value, disagree)
    chance = f" {chance}" if chance else ""
    compared = scores.format(bow["macro_f1"], bow["accuracy"])
    if found == "beats":
        # A lead that chance could explain is not announced as a win.
        tone = "better" if p_value is None or p_value < SIGNIFICANCE else "tie"
        return Verdict(f"The model beats bag-of-words logistic regression ({compared}).{chance}", tone)
    if found == "matches":
        return Verdict(f"The model only matches bag-of-words logistic regression ({compared}): reading the words "
                       "in order adds nothing that counting them does not already give here, so the simpler model "
                       f"will do as well.{chance}", "tie")
    return Verdict(f"The model does not beat bag-of-words logistic regression ({compared}): on this data, counting "
                   f"the words says more than the model learned from their order.{chance}", "worse")


def capacity_tips(level: str, bidirectional: bool, pooling: str) -> str:
    """What would give a classifier trained with these settings more to work with, in words."""
    tips = []
    if level == "char":
        tips.append("word tokens")
    if not bidirectional:
        tips.append("a bidirectional layer")
    if pooling == "last":
        tips.append("max pooling")
    tips.append("more hidden units or a larger embedding")
    return ", ".join(tips[:-1]) + (" or " if len(tips) > 1 else "") + tips[-1]
