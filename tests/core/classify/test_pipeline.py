"""Classification runs end to end on tiny models: training, scores beside the baselines, prediction, bundles, ONNX."""

import json

import numpy as np
import pandas as pd
import pytest
import torch
from safetensors.torch import save_file

from tests.conftest import REVIEWS
from tests.conftest import tiny_classify_config as tiny
from workbench.core.classify.model import TextClassifier
from workbench.core.classify.onnx_export import classifier_onnx_parity, export_classifier_onnx, sample_ids
from workbench.core.classify.pipeline import train_classifier
from workbench.core.classify.predict import predict_table, predict_texts
from workbench.core.data.sources import read_table
from workbench.core.errors import BundleError, ConfigError, DataError
from workbench.core.export.bundle import FORMAT, FORMAT_VERSION
from workbench.core.export.classifier_bundle import bundle_from_classifier_run, load_classifier_bundle
from workbench.core.export.forecaster_bundle import load_forecaster_bundle
from workbench.core.export.kinds import CLASSIFIER, kind_of_file, save_model
from workbench.core.export.lm_bundle import load_lm_bundle
from workbench.core.models.config import ModelConfig


# Short names for the shared, read-only session fixtures (tests/conftest.py).
@pytest.fixture
def frame(reviews_table) -> pd.DataFrame:
    return reviews_table


@pytest.fixture
def run(classifier_run):
    return classifier_run


def test_a_run_logs_validation_accuracy_and_scores_beside_both_baselines(run):
    assert run.result.epochs_run == 2
    assert all(0 <= logs["val_accuracy"] <= 1 for logs in run.result.history)
    assert run.classes == ("negative", "neutral", "positive")
    summary = run.evaluation.summary()
    assert set(summary["baselines"]) == {"majority", "bag_of_words"}
    assert summary["test"]["n"] == summary["baselines"]["majority"]["n"] == len(run.evaluation.actual)
    majority = summary["baselines"]["majority"]
    assert majority["accuracy"] == pytest.approx(np.mean(run.evaluation.actual == 2))  # always "positive"
    assert summary["verdict"].startswith("The model ")
    assert summary["model_wins"] == (summary["outcome"] == "beats") == (run.evaluation.outcome == "beats")
    assert json.loads(json.dumps(summary)) == summary  # plain JSON all the way down


def test_the_resolved_settings_name_what_was_used(run):
    c = run.config.classify
    assert (c.text, c.label, c.max_vocab) == ("review", "sentiment", 20000)
    assert c.max_len == run.data["max_len"] and isinstance(c.max_len, int)
    assert run.data["source"] == "reviews.csv" and run.data["n_texts"] == 400
    assert sum(sum(v) for v in run.data["split"].values()) == 400


def test_mistakes_come_with_their_text_and_probabilities_most_confident_first(run):
    mistakes = run.evaluation.misclassified
    assert mistakes, "a 2-epoch model of 8 units gets some test texts wrong"
    confidence = [max(m.probabilities) for m in mistakes]
    assert confidence == sorted(confidence, reverse=True)
    first = mistakes[0]
    assert first.true != first.predicted and len(first.probabilities) == 3
    assert first.text == read_table(REVIEWS).frame["review"][first.row]


def test_the_same_seed_gives_the_same_run(frame, run):
    again = train_classifier(frame, tiny())
    assert [h["loss"] for h in again.result.history] == [h["loss"] for h in run.result.history]


def test_predict_texts_matches_the_evaluation_and_handles_empty_text(run, frame):
    probabilities = predict_texts(run.model, run.vocabulary, run.classes, run.config,
                                  [frame["review"][row] for row in run.evaluation.rows[:5]])
    assert np.allclose(probabilities, run.evaluation.probabilities[:5], atol=1e-6)
    empty = predict_texts(run.model, run.vocabulary, run.classes, run.config.classify, ["", "zzz qqq"])
    assert empty.shape == (2, 3) and np.allclose(empty.sum(axis=1), 1)
    with pytest.raises(ValueError, match="has no maximum length"):
        predict_texts(run.model, run.vocabulary, run.classes, tiny(), ["x"])


def test_predict_table_adds_a_label_and_a_probability_per_class(run, frame):
    table = frame.head(6).copy()
    table.loc[1, "review"] = " "
    table["prob_neutral"] = 1.0  # a column of the same name already in the table
    out, notes = predict_table(run.model, run.vocabulary, run.classes, run.config, table)
    assert list(out.columns[-5:]) == ["prob_neutral", "predicted", "prob_negative", "prob_neutral_2",
                                      "prob_positive"]
    assert out["predicted"][1] == "" and np.isnan(out["prob_negative"][1])
    assert set(out["predicted"].drop(index=1)) <= set(run.classes)
    assert notes[0] == "Classified 5 texts from column 'review'."
    assert notes[1] == "1 rows have no text and were left without a prediction."
    assert notes[2].startswith("Against column 'sentiment' (5 rows with a known class): accuracy ")
    with pytest.raises(DataError) as error:
        predict_table(run.model, run.vocabulary, run.classes, run.config, table, "comment")
    assert error.value.message.startswith("The table has no column 'comment' with texts to classify")


def test_class_weights_and_problems_are_checked_before_training(frame):
    weighted = train_classifier(frame, tiny("classify.class_weights=true", "train.epochs=1"))
    assert weighted.result.epochs_run == 1
    config = tiny()
    config.model.dropout = 0.5  # needs two layers
    with pytest.raises(ConfigError):
        train_classifier(frame, config)


# ---- bundles

@pytest.fixture
def saved(classifier_bundle):
    return classifier_bundle


def test_bundle_round_trip_is_exact(run, saved):
    bundle = load_classifier_bundle(saved)
    assert kind_of_file(saved).name == CLASSIFIER
    assert bundle.config == run.config and bundle.vocabulary == run.vocabulary and bundle.classes == run.classes
    for name, tensor in run.model.state_dict().items():
        assert torch.equal(bundle.model.state_dict()[name], tensor), name
    assert bundle.metrics == run.evaluation.summary() and bundle.data == run.data
    texts = ["The kettle was not bad at all.", "Awful."]
    assert np.array_equal(predict_texts(bundle.model, bundle.vocabulary, bundle.classes, bundle.config, texts),
                          predict_texts(run.model, run.vocabulary, run.classes, run.config, texts))


def test_other_loaders_refuse_a_classifier_and_it_refuses_theirs(saved, tmp_path):
    with pytest.raises(BundleError) as error:
        load_forecaster_bundle(saved)
    assert error.value.message == "reviews.swb is a text classifier, not a forecaster, so it cannot forecast a series."
    with pytest.raises(BundleError) as error:
        load_lm_bundle(saved)
    forecaster = tmp_path / "other.swb"
    save_file({"w": torch.zeros(1)}, str(forecaster), metadata={"format": FORMAT, "format_version": FORMAT_VERSION,
                                                                 "kind": "forecaster"})
    with pytest.raises(BundleError) as error:
        load_classifier_bundle(forecaster)
    assert error.value.message == "other.swb is a forecaster, not a text classifier, so it cannot classify texts."


def test_a_damaged_classifier_bundle_is_refused_with_a_reason(saved, tmp_path):
    from safetensors import safe_open

    with safe_open(str(saved), framework="pt") as handle:
        metadata = handle.metadata()
        tensors = {name: handle.get_tensor(name) for name in handle.keys()}
    broken = tmp_path / "broken.swb"
    save_file(tensors, str(broken), metadata={**metadata, "classes": json.dumps(["a", "a", "b"])})
    with pytest.raises(BundleError, match="class names must be at least two different"):
        load_classifier_bundle(broken)
    save_file(tensors, str(broken), metadata={**metadata, "classes": json.dumps(["a", "b"])})
    with pytest.raises(BundleError, match="does not match its own configuration"):
        load_classifier_bundle(broken)
    nan = {**tensors, "head.bias": torch.full_like(tensors["head.bias"], float("nan"))}
    save_file(nan, str(broken), metadata=metadata)
    with pytest.raises(BundleError, match="non-finite weights"):
        load_classifier_bundle(broken)


def test_a_pickle_named_like_a_bundle_is_refused_without_running_it(disguised_pickle):
    payload, marker = disguised_pickle
    with pytest.raises(BundleError):
        load_classifier_bundle(payload)
    assert not marker.exists()


def test_a_diverged_model_is_not_saved(run, tmp_path):
    bundle = bundle_from_classifier_run(run)
    model = type(run.model)(run.config.model, run.model.embed.num_embeddings, 3, embedding=8)
    model.load_state_dict(run.model.state_dict())
    with torch.no_grad():
        model.head.weight[0, 0] = float("inf")
    bundle.model = model
    with pytest.raises(BundleError, match="non-finite weights"):
        save_model(tmp_path / "x.swb", bundle)
    assert not (tmp_path / "x.swb").exists()


# ---- ONNX

# The first ONNX export in a process costs ~10 s of exporter set-up: every real export shares one worker.
@pytest.mark.xdist_group("onnx")
def test_onnx_export_matches_the_packed_model(tmp_path):
    # A bidirectional GRU with last-state pooling, the case where packing matters most (the unpacked form is
    # checked against packing for every cell, depth and pooling in test_model.py; this checks the graph). The
    # exporter's time grows with the model and the length, and training would add nothing to a check of the
    # graph's arithmetic, so the model is untrained and tiny (docs/decisions.md, "ONNX export").
    torch.manual_seed(0)
    model = TextClassifier(ModelConfig(cell="gru", hidden=4, bidirectional=True), n_ids=20, n_classes=3,
                           embedding=4, pooling="last").eval()
    path, max_len = tmp_path / "reviews.onnx", 6
    model.train()  # as the window may hold it; the export works on its own copy
    check = export_classifier_onnx(model, path, max_len)
    assert check.difference < 1e-5 and path.exists() and model.training
    model.eval()
    assert check.summary().endswith(" on 64 rows of token ids from the vocabulary (lengths 1 to 6, right-padded "
                                    "with 0)")
    rows = sample_ids(model.embed.num_embeddings, max_len, seed=5)
    assert (rows[:, 0] != 0).all() and (rows[0, 1:] == 0).all()  # every length from 1 up, right-padded
    assert rows.max() == model.embed.num_embeddings - 1  # the whole vocabulary, and nothing beyond it
    assert {int((row != 0).sum()) for row in rows} == set(range(1, max_len + 1))
    assert classifier_onnx_parity(model, path, np.repeat(rows, 3, axis=0)) < 1e-5
