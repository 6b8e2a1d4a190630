"""The classifier network, its task and its scores: packing, the unpacked export form, metrics, baselines."""

import itertools

import numpy as np
import pytest
import torch

from workbench.core.classify.baselines import (
    bag_of_words_baseline,
    capacity_tips,
    majority_baseline,
    mcnemar,
    mcnemar_p,
    outcome,
    verdict,
)
from workbench.core.classify.encoding import PAD_ID
from workbench.core.classify.metrics import classification_metrics, confusion_matrix
from workbench.core.classify.model import TextClassifier, UnpackedClassifier
from workbench.core.classify.task import ClassificationTask, balanced_weights
from workbench.core.models.config import ModelConfig


def right_padded(lengths, width, vocab=20, seed=0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    ids = torch.full((len(lengths), width), PAD_ID, dtype=torch.int64)  # (batch, width)
    for row, length in enumerate(lengths):
        ids[row, :length] = torch.randint(1, vocab, (length,), generator=generator)
    return ids


def classifier(cell="lstm", bidirectional=False, layers=1, pooling="max", seed=0) -> TextClassifier:
    torch.manual_seed(seed)
    config = ModelConfig(cell=cell, layers=layers, hidden=6, bidirectional=bidirectional)
    return TextClassifier(config, n_ids=20, n_classes=3, embedding=5, pooling=pooling).eval()


# ---- padding never reaches the recurrent state

@pytest.mark.parametrize("pooling", ["max", "mean", "last"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_padding_does_not_change_a_prediction(pooling, bidirectional):
    model = classifier("lstm", bidirectional, layers=2, pooling=pooling)
    ids = right_padded([4, 1, 7], 7)
    wider = torch.cat([ids, torch.zeros(3, 9, dtype=torch.int64)], dim=1)  # the same texts, 9 more padding slots
    alone = torch.cat([model.probabilities(ids[row : row + 1, :length]) for row, length in enumerate([4, 1, 7])])
    assert torch.allclose(model.probabilities(ids), model.probabilities(wider), atol=1e-6)
    assert torch.allclose(model.probabilities(ids), alone, atol=1e-6)


def test_the_padding_row_of_the_embedding_stays_zero():
    model = classifier()
    assert torch.count_nonzero(model.embed.weight[PAD_ID]) == 0
    model.train()
    model(right_padded([3, 2], 4), torch.tensor([3, 2])).sum().backward()
    assert torch.count_nonzero(model.embed.weight.grad[PAD_ID]) == 0


@pytest.mark.parametrize("cell,bidirectional,layers,pooling", list(itertools.product(
    ["lstm", "gru", "rnn"], [False, True], [1, 2], ["max", "mean", "last"])))
def test_the_unpacked_form_gives_the_packed_numbers(cell, bidirectional, layers, pooling):
    model = classifier(cell, bidirectional, layers, pooling)
    ids = right_padded([5, 1, 12, 7, 3, 12], 12)
    with torch.no_grad():
        unpacked = UnpackedClassifier(model)(ids)
    assert torch.allclose(unpacked, model.probabilities(ids), atol=1e-6)


# ---- the training task

def test_validation_loss_is_the_exact_weighted_mean_and_accuracy_is_counted():
    model = classifier()
    ids, lengths = right_padded([3, 5, 2, 4, 1], 5), torch.tensor([3, 5, 2, 4, 1])
    labels = np.array([0, 1, 2, 0, 0])
    weights = balanced_weights(labels, 3)
    assert weights.tolist() == pytest.approx([5 / 9, 5 / 3, 5 / 3])
    task = ClassificationTask((ids, lengths, labels), (ids, lengths, labels), weights)
    with torch.no_grad():
        losses = [task.loss(model, batch).item() for batch in task.val_batches(2)]  # 3 batches: 2, 2, 1
        logits = model(ids, lengths)
    expected = torch.nn.functional.cross_entropy(logits, torch.as_tensor(labels), weight=torch.tensor(
        weights, dtype=torch.float32))
    assert np.mean(losses) == pytest.approx(expected.item(), rel=1e-5)
    right = (logits.argmax(1).numpy() == labels).mean()
    assert task.epoch_logs(np.mean(losses)) == {"val_accuracy": pytest.approx(right)}


def test_training_batches_are_shuffled_by_the_generator_and_trimmed():
    ids, lengths = right_padded([1, 2, 3, 4, 5, 6], 6), torch.tensor([1, 2, 3, 4, 5, 6])
    task = ClassificationTask((ids, lengths, np.zeros(6)), (ids, lengths, np.zeros(6)))
    assert task.n_train_batches(4) == 2
    first = [b[2].tolist() for b in task.train_batches(4, torch.Generator().manual_seed(3))]
    again = [b[2].tolist() for b in task.train_batches(4, torch.Generator().manual_seed(3))]
    assert first == again and sorted(sum(first, [])) == [1, 2, 3, 4, 5, 6] and first != [[1, 2, 3, 4], [5, 6]]
    for _, batch_ids, batch_lengths, _ in task.train_batches(4, torch.Generator().manual_seed(3)):
        assert batch_ids.shape[1] == int(batch_lengths.max())


# ---- metrics against values worked out by hand

def test_metrics_match_hand_computed_values():
    actual = [0, 0, 1, 1, 2, 2, 2]
    predicted = [0, 1, 1, 1, 2, 0, 2]
    assert confusion_matrix(actual, predicted, 3).tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 2]]
    scores = classification_metrics(actual, predicted, ("a", "b", "c"))
    # precision a 1/2, b 2/3, c 2/2; recall a 1/2, b 2/2, c 2/3; F1 a 0.5, b 0.8, c 0.8
    assert scores["accuracy"] == pytest.approx(5 / 7)
    assert scores["macro_f1"] == pytest.approx(0.7)
    assert scores["per_class"][1] == {"class": "b", "precision": pytest.approx(2 / 3), "recall": 1.0,
                                      "f1": pytest.approx(0.8), "support": 2}
    assert scores["per_class"][2]["recall"] == pytest.approx(2 / 3) and scores["n"] == 7


def test_a_class_never_predicted_scores_zero_not_nan():
    scores = classification_metrics([0, 1, 1], [1, 1, 1], ("a", "b"))
    assert scores["per_class"][0] == {"class": "a", "precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert scores["macro_f1"] == pytest.approx((0 + 0.8) / 2)


# ---- baselines and the verdict

def test_the_majority_baseline_answers_the_largest_training_class():
    made = majority_baseline(np.array([2, 2, 0, 1, 2]), 3, ("a", "b", "c"))
    assert made.predicted.tolist() == [2, 2, 2]
    assert made.probabilities[0].tolist() == pytest.approx([0.2, 0.2, 0.6])
    assert made.description == "always 'c', the most frequent training class"


def test_bag_of_words_learns_words_and_word_pairs():
    texts = {"train": ["good tea", "good", "not bad", "bad tea", "bad", "not good"] * 4,
             "val": ["good", "bad", "not bad", "not good"],
             "test": ["good cake", "bad cake", "not bad at all", "not good at all"]}
    labels = {"train": np.array([1, 1, 1, 0, 0, 0] * 4), "val": np.array([1, 0, 1, 0]),
              "test": np.array([1, 0, 1, 0])}
    made = bag_of_words_baseline(texts, labels, 2)
    assert made.predicted.tolist() == [1, 0, 1, 0]
    assert made.probabilities.shape == (4, 2) and np.allclose(made.probabilities.sum(1), 1)
    assert made.description.startswith("TF-IDF of 8 words and word pairs, C=")


def test_mcnemar_matches_the_binomial_by_hand():
    actual = np.zeros(10, dtype=int)
    first = np.array([0] * 9 + [1])  # right on texts 0-8
    second = np.array([1] * 8 + [0, 1])  # right on text 8 only: first alone is right on 8 texts (b=8, c=0)
    assert mcnemar_p(actual, first, second) == pytest.approx(2 / 2**8)  # 2 * P(X <= 0), X ~ Bin(8, 1/2)
    second[0] = 0  # both right on text 0: b = 7
    second[9] = 0  # second alone right on text 9: c = 1
    assert mcnemar_p(actual, first, second) == pytest.approx(2 * (1 + 8) / 2**8)  # 2 * P(X <= 1)
    assert mcnemar_p(actual, first, first) == 1.0
    assert mcnemar(actual, first, second) == (pytest.approx(2 * (1 + 8) / 2**8), 8)


BASE = {"majority": {"accuracy": 0.5, "macro_f1": 0.33}, "bag_of_words": {"accuracy": 0.81, "macro_f1": 0.8}}


def test_the_verdict_says_who_wins_in_words_with_its_tone():
    won = verdict({"accuracy": 0.9, "macro_f1": 0.9}, BASE, p_value=0.001, disagree=40)
    assert won.text == (
        "The model beats bag-of-words logistic regression (macro-F1 0.900 vs 0.800, accuracy 0.900 vs 0.810). The "
        "difference is unlikely to be chance (McNemar p = 0.001 over the 40 test texts where the two disagree).")
    assert won.tone == "better"
    losing = verdict({"accuracy": 0.75, "macro_f1": 0.74}, BASE, p_value=0.01)
    assert losing.text.startswith("The model does not beat bag-of-words logistic regression (macro-F1 0.740 vs "
                                  "0.800, accuracy 0.750 vs 0.810): on this data, counting the words says more")
    assert losing.tone == "worse"
    assert "Try" not in losing.text  # a verdict gives no advice: training.advice.recommend does
    assert verdict({"accuracy": 0.5, "macro_f1": 0.33}, BASE).text.startswith(
        "The model is no better than always answering the most frequent class (macro-F1 0.330 vs 0.330")
    assert verdict({"accuracy": 0.5, "macro_f1": 0.33}, BASE).tone == "worse"
    matched = verdict({"accuracy": 0.81, "macro_f1": 0.802}, BASE)
    assert matched.text.startswith("The model only matches bag-of-words") and matched.tone == "tie"
    assert [outcome({"accuracy": 0, "macro_f1": f1}, BASE) for f1 in (0.9, 0.802, 0.7, 0.3, float("nan"))] == [
        "beats", "matches", "loses", "no_better_than_majority", "unscored"]
    assert verdict({"accuracy": 0, "macro_f1": float("nan")}, BASE).tone == "neutral"


@pytest.mark.parametrize("f1", [0.9, 0.802, 0.7])
def test_the_verdict_says_when_the_difference_could_be_chance(f1):
    said = verdict({"accuracy": f1, "macro_f1": f1}, BASE, p_value=0.4, disagree=12)
    assert ("The difference could be chance (McNemar p = 0.4 over the 12 test texts where the two disagree); a "
            "larger test part would tell.") in said.text


def test_a_lead_chance_could_explain_is_not_announced_as_a_win():
    assert verdict({"accuracy": 0.9, "macro_f1": 0.9}, BASE, p_value=0.3).tone == "tie"


def test_capacity_tips_follow_the_settings():
    assert capacity_tips("char", False, "last") == (
        "word tokens, a bidirectional layer, max pooling or more hidden units or a larger embedding")
    assert capacity_tips("word", True, "max") == "more hidden units or a larger embedding"
