"""The classification commands end to end: `train --task classify`, `predict`, `info`, `export`, and refusals."""

import contextlib
import io
import json
import os
import re

import pandas as pd
import pytest

from tests.conftest import SAMPLE_DATA
from workbench.cli import main

REVIEWS = os.path.join(SAMPLE_DATA, "reviews.csv")
TINY = ["--set", "model.hidden=8", "--set", "classify.embedding=8", "--set", "train.epochs=1", "--set",
        "train.threads=1", "--set", "train.device=cpu"]


@pytest.fixture(scope="module")
def small_table(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli_classify_data") / "reviews.csv"
    pd.read_csv(REVIEWS).head(300).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def trained(small_table, tmp_path_factory):
    """One training run shared by the module: (model, metrics JSON, what it printed on stderr)."""
    folder = tmp_path_factory.mktemp("cli_classify")
    model, metrics = folder / "reviews.swb", folder / "reviews.json"
    err = io.StringIO()
    # --label alone picks the classification task; the text column is detected.
    with contextlib.redirect_stderr(err):
        code = main(["train", str(small_table), "--label", "sentiment", "--out", str(model), "--metrics-json",
                     str(metrics), *TINY])
    assert code == 0, err.getvalue()
    return model, metrics, err.getvalue()


def test_train_prints_classes_metrics_baselines_and_the_verdict(trained):
    model, _, err = trained
    assert "Text column: 'review' (detected; choose another with the text setting)." in err
    assert "3 classes in 300 rows: negative " in err
    assert "Model: bidirectional LSTM, 8 units, max pooling, over " in err
    assert "  majority class " in err and "  bag-of-words " in err and "Confusion (rows: true class" in err
    assert re.search(r"^The model (beats|does not beat|only matches|is no better than)", err, re.MULTILINE)
    assert model.exists()


def test_the_metrics_file_holds_the_model_and_both_baselines(trained):
    _, metrics, _ = trained
    report = json.loads(metrics.read_text())
    assert report["classes"] == ["negative", "neutral", "positive"]
    assert set(report["baselines"]) == {"majority", "bag_of_words"}
    assert report["epochs_run"] == 1 and report["text_column"] == "review" and report["max_len"] > 5
    assert len(report["test"]["confusion"]) == 3 and report["verdict"].startswith("The model ")


def test_predict_writes_a_label_and_a_probability_per_class(trained, small_table, tmp_path, capsys):
    model, _, _ = trained
    table = tmp_path / "new.csv"
    pd.DataFrame({"id": [1, 2, 3], "comment": ["Superb kettle, love it!", "=cmd|' /C calc'!A0 awful", ""]}).to_csv(
        table, index=False)
    out = tmp_path / "predictions.csv"
    assert main(["predict", str(model), str(table), "--text", "comment", "--out", str(out)]) == 0
    assert "Classified 2 texts from column 'comment'." in capsys.readouterr().err
    written = pd.read_csv(out, keep_default_na=False)
    assert list(written.columns) == ["id", "comment", "predicted", "prob_negative", "prob_neutral", "prob_positive"]
    assert written["comment"][1].startswith("'=cmd")  # formula-like text is escaped for spreadsheets
    assert written["predicted"][2] == "" and written["prob_negative"][2] == ""
    assert set(written["predicted"][:2]) <= {"negative", "neutral", "positive"}
    assert main(["predict", str(model), str(small_table)]) == 0  # to stdout, the trained text column by default
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == ("review_id,category,review,sentiment,predicted,prob_negative,"
                                            "prob_neutral,prob_positive")
    assert "Against column 'sentiment' (300 rows with a known class): accuracy " in captured.err


def test_info_describes_a_classifier(trained, capsys):
    model, _, _ = trained
    assert main(["info", str(model)]) == 0
    out = capsys.readouterr().out
    assert "Model       text classifier: bidirectional LSTM, 8 units, max pooling" in out
    assert "Classes     negative, neutral, positive (from column 'sentiment')" in out
    assert "Trained on  reviews.csv: 300 texts of 300 rows" in out and "  bag-of-words " in out
    assert main(["info", str(model), "--json"]) == 0
    described = json.loads(capsys.readouterr().out)
    assert described["kind"] == "classifier" and described["classes"] == ["negative", "neutral", "positive"]


def test_export_hands_the_model_and_its_length_to_the_exporter(trained, tmp_path, capsys, monkeypatch):
    # The export itself (a real graph, checked by onnxruntime) is tested once, in
    # tests/core/classify/test_pipeline.py; here the command must pass it the saved model and text length.
    import workbench.core.classify.onnx_export as onnx_module
    from workbench.core.classify.model import TextClassifier

    calls = []
    check = onnx_module.ParityCheck(2.5e-8, 64, "rows of token ids from the vocabulary")
    monkeypatch.setattr(onnx_module, "export_classifier_onnx", lambda *args: calls.append(args) or check)
    model, metrics, _ = trained
    max_len = json.loads(metrics.read_text())["max_len"]
    onnx = tmp_path / "reviews.onnx"
    assert main(["export", str(model), "--onnx", str(onnx)]) == 0
    [(exported, path, length)] = calls
    assert isinstance(exported, TextClassifier) and not exported.training
    assert path == str(onnx) and length == max_len
    out = capsys.readouterr().out
    assert out == (f"Wrote {onnx}: input 'token_ids' (batch, {max_len}) int64 token ids, right-padded with 0 (1 is "
                   "the unknown token, vocabulary id + 1 the others); output 'probabilities' (batch, 3) for the "
                   "classes negative, neutral, positive. onnxruntime matches the model to 2.5e-08 on 64 rows of "
                   "token ids from the vocabulary.\n")


def test_user_errors_exit_2_with_a_message(trained, small_table, tmp_path, capsys):
    model, _, _ = trained
    out = str(tmp_path / "x.swb")
    assert main(["train", str(small_table), "--task", "classify", "--label", "body", "--out", out, "--quiet"]) == 2
    assert ("error: There is no column named 'body' to use as the label. The columns are: review_id, category, "
            "review, sentiment.") in capsys.readouterr().err
    assert main(["train", str(small_table), "--label", "review_id", "--out", out, "--quiet"]) == 2
    assert "error: Column 'review_id' has 300 distinct values in 300 rows" in capsys.readouterr().err
    assert main(["train", str(small_table), "--task", "classify", "--target", "x", "--out", out, "--quiet"]) == 2
    assert "--target: applies to forecasting" in capsys.readouterr().err
    assert main(["train", str(small_table), "--task", "forecast", "--text", "review", "--out", out, "--quiet"]) == 2
    assert "--text: applies to --task classify." in capsys.readouterr().err
    assert main(["predict", str(model), os.path.join(SAMPLE_DATA, "sunspots_yearly.csv")]) == 2
    assert "error: The table has no column 'review' with texts to classify" in capsys.readouterr().err
    assert main(["generate", str(model)]) == 2
    assert "reviews.swb is a text classifier, not a language model, so it cannot generate text." in \
        capsys.readouterr().err
    assert not os.path.exists(out)


def test_predict_reads_a_table_that_holds_only_texts(trained, small_table, tmp_path, capsys):
    model, _, _ = trained
    only_texts = tmp_path / "new_texts.csv"
    pd.read_csv(small_table)[["review"]].head(5).to_csv(only_texts, index=False)
    out = tmp_path / "predicted.csv"
    assert main(["predict", str(model), str(only_texts), "--out", str(out)]) == 0
    predicted = pd.read_csv(out)
    assert list(predicted.columns[:2]) == ["review", "predicted"] and len(predicted) == 5
