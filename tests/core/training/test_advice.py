"""One recommendation from two signals: what the loss curves show and whether the model beat its baselines."""

import pytest

from workbench.core.training.advice import Verdict, advise, recommend
from workbench.core.training.curve_reading import read_loss_curves

CAPACITY = "more hidden units or a longer lookback"


def _history(train, val):
    return [{"epoch": i + 1, "loss": t, "val_loss": v, "lr": 1e-3} for i, (t, v) in enumerate(zip(train, val))]


OVERFIT = _history([1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1],
                   [1.0, 0.8, 0.6, 0.5, 0.52, 0.55, 0.58, 0.6, 0.62, 0.65])
CONVERGED = _history([1.0, 0.5, 0.3, 0.2, 0.2, 0.2, 0.2], [1.0, 0.5, 0.3, 0.25, 0.25, 0.25, 0.25])
IMPROVING = _history([1.0, 0.8, 0.6, 0.5, 0.45, 0.4], [1.0, 0.8, 0.6, 0.5, 0.45, 0.4])


@pytest.mark.parametrize("beats", [True, False, None])
def test_an_overfitting_model_is_never_told_to_train_longer_or_grow(beats):
    said = recommend(read_loss_curves(OVERFIT), beats, CAPACITY)
    assert "dropout" in said and "epoch 4" in said
    assert "more epochs would" in said or "more epochs or a larger model would only overfit" in said
    assert CAPACITY not in said


def test_the_recommendation_weighs_the_baselines():
    reading = read_loss_curves(CONVERGED)
    assert recommend(reading, True, CAPACITY).startswith("Nothing needs changing: the model beats its baselines")
    assert recommend(reading, False, CAPACITY) == (
        "Try more hidden units or a longer lookback: the losses levelled off without overfitting, so a larger model "
        "has room to learn more.")
    assert recommend(reading, None, CAPACITY).startswith("For better scores, try more hidden units")
    improving = read_loss_curves(IMPROVING)
    assert recommend(improving, False, CAPACITY).startswith("Train for more epochs (or raise the learning rate)")
    assert recommend(improving, True, CAPACITY).startswith("Train for more epochs: the model already beats")


def test_a_model_that_learned_nothing_is_told_what_helps_that():
    said = recommend(read_loss_curves(CONVERGED), False, CAPACITY, learned_nothing=True)
    assert said.startswith("Raise the learning rate") and "class weights" in said


def test_broken_curves_come_first_whatever_the_baselines():
    diverged = read_loss_curves(_history([1.0, 0.8, float("inf")], [1.0, 0.9, 0.9]))
    for beats in (True, False, None):
        assert recommend(diverged, beats, CAPACITY).startswith("Lower the learning rate")


def test_advise_reads_and_recommends_in_one_call():
    advice = advise(OVERFIT, 4, False, CAPACITY)
    assert advice.title == "Overfitting"
    assert advice.text() == f"{advice.reading.message} {advice.recommendation}"


def test_a_verdict_tone_is_one_of_the_known_tones():
    assert Verdict("The model beats the naive forecast.", "better").tone == "better"
    with pytest.raises(ValueError, match="tone must be one of better, worse, tie, neutral"):
        Verdict("x", "green")
