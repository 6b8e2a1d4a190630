"""What the classifier's results say in words: class names, the verdict written again from the scores, the one
recommendation, one-class systems, and the training texts the example pager shows."""

import numpy as np
import pandas as pd
import pytest

from tests.conftest import tiny_classify_config as tiny
from workbench.core.classify.data import labelled_texts
from workbench.core.classify.dataset import summarize_classification
from workbench.core.classify.predict import predict_table
from workbench.core.classify.report import (
    classifier_advice,
    metrics_report,
    one_class_note,
    one_class_systems,
    summary_verdict,
)
from workbench.core.errors import ConfigError, DataError


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["sentiment"] = out["sentiment"].map({"negative": 0, "neutral": 1, "positive": 2})
    return out


def test_numeric_labels_keep_their_values_and_take_the_names_given(reviews_table):
    data = labelled_texts(numbered(reviews_table), class_names={"0": "negative", "2": "positive"})
    assert data.values == ("0", "1", "2")
    assert data.classes == ("negative", "1", "positive")
    assert "3 classes in 400 rows: negative (0) " in data.notes[-1]


def test_class_names_that_clash_or_name_nothing_are_refused_in_words(reviews_table):
    with pytest.raises(DataError, match="Two classes would both be called '1'"):
        labelled_texts(numbered(reviews_table), class_names={"0": "1"})
    with pytest.raises(DataError, match="Class names were given for '7', which column 'sentiment' does not hold"):
        labelled_texts(numbered(reviews_table), class_names={"7": "seven"})


def test_class_names_are_a_setting_checked_like_the_others():
    config = tiny("classify.class_names=0=negative,1=neutral,2=positive")
    assert config.classify.class_name_map() == {"0": "negative", "1": "neutral", "2": "positive"}
    assert type(config).from_dict(config.to_dict()).classify.class_names == config.classify.class_names
    with pytest.raises(ConfigError) as error:
        tiny("classify.class_names=0-negative")
    assert error.value.problems["classify.class_names"] == (
        "'0-negative' is not written as value=name (for example 0=negative).")


def test_predictions_name_the_classes_and_score_against_the_values(reviews_table, classifier_run):
    import dataclasses

    run = classifier_run
    names = {"negative": "neg", "neutral": "neu", "positive": "pos"}
    # The shared run's classes are words; a table whose label column says them names them anew.
    config = dataclasses.replace(run.config.classify, class_names=[f"{k}={v}" for k, v in names.items()])
    frame, notes = predict_table(run.model, run.vocabulary, tuple(names.values()), config, reviews_table)
    assert set(frame["predicted"]) <= {"neg", "neu", "pos"} and "prob_neg" in frame.columns
    assert any(note.startswith("Against column 'sentiment' (400 rows with a known class)") for note in notes)


def test_the_example_pager_gets_every_training_text_with_its_row_and_class(reviews_table):
    summary = summarize_classification(reviews_table, tiny().classify, seed=0)
    n_train = sum(summary.split_counts["train"])
    assert len(summary.train_texts) == len(summary.train_labels) == len(summary.train_rows) == n_train
    assert list(summary.train_rows) == sorted(summary.train_rows)
    last = summary.train_rows[-1]
    assert summary.train_texts[-1] == reviews_table["review"][last]
    assert summary.classes[summary.train_labels[-1]] == reviews_table["sentiment"][last]


def test_the_verdict_is_written_again_from_the_scores_with_its_tone(classifier_run):
    summary = classifier_run.evaluation.summary()
    verdict = summary_verdict(summary)
    assert (verdict.text, verdict.tone) == (summary["verdict"], summary["verdict_tone"])
    chance = summary_verdict({**summary, "mcnemar_p": 0.3, "mcnemar_disagree": 9})
    if summary["outcome"] in ("beats", "matches", "loses"):
        assert "The difference could be chance (McNemar p = 0.3 over the 9 test texts where the two disagree)" in (
            chance.text)
    report = metrics_report(summary)
    assert report["verdict"] == verdict.text and report["verdict_tone"] == verdict.tone


def test_a_damaged_summary_keeps_its_words_and_claims_nothing_by_colour():
    verdict = summary_verdict({"verdict": "The model beats bag-of-words."})
    assert (verdict.text, verdict.tone) == ("The model beats bag-of-words.", "neutral")


def test_the_majority_class_is_a_one_class_system(classifier_run):
    summary = classifier_run.evaluation.summary()
    systems = one_class_systems(summary)
    assert systems["majority class"] == "positive"  # the most frequent class of the training part
    assert one_class_note({"majority class": "positive"}) == (
        "The majority class answers 'positive' for every text. Answering one class always gives recall 1 for it "
        "and 0 for the others by construction, so such per-class cells are greyed and never marked best.")
    assert one_class_note({}) == ""


def test_the_recommendation_weighs_the_verdict(classifier_run):
    run = classifier_run
    summary, result = run.evaluation.summary(), run.result.to_dict()
    advice = classifier_advice(summary, run.config, result)
    assert advice.reading.kind == "too_short"  # two epochs
    assert advice.recommendation.startswith("Train for more epochs")
    # Three epochs that levelled off, on a model that lost to bag-of-words: grow the model, with its own settings.
    levelled = {**result, "history": [{"epoch": e, "loss": 0.5, "val_loss": 0.6, "lr": 1e-3} for e in (1, 2, 3, 4)],
                "best_epoch": 4}
    lost = {**summary, "test": {**summary["test"], "macro_f1": 0.5, "accuracy": 0.5},
            "baselines": {"majority": {"macro_f1": 0.17, "accuracy": 0.33},
                          "bag_of_words": {"macro_f1": 0.9, "accuracy": 0.9}}}
    assert classifier_advice(lost, run.config, levelled).recommendation.startswith(
        "Try more hidden units or a larger embedding: the losses levelled off")
    nothing = {**lost, "test": {**lost["test"], "macro_f1": 0.17}}
    assert classifier_advice(nothing, run.config, levelled).recommendation.startswith("Raise the learning rate")
    assert np.isfinite(summary["mcnemar_p"]) and summary["mcnemar_disagree"] >= 0
