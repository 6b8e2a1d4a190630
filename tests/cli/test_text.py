"""The language-model commands end to end: `train --task lm`, `generate`, `info`, and their refusals."""

import json
import os
import shutil

import pytest

from tests.conftest import SAMPLE_DATA
from tests.fixtures import SAVED_BUNDLES
from workbench.cli import main

SHIPS_LOG = os.path.join(SAMPLE_DATA, "ships_log.txt")
CO2 = os.path.join(SAMPLE_DATA, "co2_mauna_loa_weekly.csv")
TINY = ["--set", "model.hidden=8", "--set", "model.layers=1", "--set", "train.epochs=1", "--set", "train.threads=1",
        "--set", "text.batches_per_epoch=3", "--set", "text.sample_length=0", "--quiet"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli_lm")
    model, metrics = folder / "log.swb", folder / "log.json"
    assert main(["train", SHIPS_LOG, "--out", str(model), "--metrics-json", str(metrics), *TINY]) == 0
    return model, metrics


def test_a_text_file_trains_a_language_model(trained):
    model, metrics = trained
    report = json.loads(metrics.read_text())
    assert report["level"] == "char" and report["epochs_run"] == 1 and report["vocabulary_size"] > 40
    assert report["bits_per_token"] == pytest.approx(report["val_loss"] / 0.6931471805599453)


def test_generate_prints_the_prompt_and_its_continuation(trained, capsys):
    model, _ = trained
    assert main(["generate", str(model), "--prompt", "Wind", "--length", "60", "--seed", "4"]) == 0
    first = capsys.readouterr().out
    assert main(["generate", str(model), "--prompt", "Wind", "--length", "60", "--seed", "4"]) == 0
    assert capsys.readouterr().out == first
    assert first.startswith("Wind") and len(first) == len("Wind") + 60 + 1  # 60 characters and a newline


def test_temperature_zero_is_greedy_whatever_the_seed(trained, capsys):
    model, _ = trained
    outputs = []
    for seed in ("1", "2"):
        assert main(["generate", str(model), "--length", "30", "--temperature", "0", "--top-k", "5",
                     "--seed", seed]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def test_info_describes_a_language_model(trained, capsys):
    model, _ = trained
    assert main(["info", str(model)]) == 0
    out = capsys.readouterr().out
    assert "language model over characters: 1 x LSTM 8 units, embedding 64" in out
    assert "Trained on  ships_log.txt" in out and "bits per character" in out
    assert main(["info", str(model), "--json"]) == 0
    described = json.loads(capsys.readouterr().out)
    assert described["kind"] == "language_model" and described["vocabulary_size"] > 40


def test_user_errors_exit_2_with_a_message(trained, capsys, tmp_path):
    model, _ = trained
    assert main(["generate", str(model), "--temperature", "-1"]) == 2
    assert "The temperature must be 0 or more (got -1.0)" in capsys.readouterr().err
    assert main(["predict", str(model), CO2]) == 2
    assert "error: log.swb is a language model, not a forecaster or a text classifier" in capsys.readouterr().err
    assert main(["train", SHIPS_LOG, "--out", str(tmp_path / "x.swb"), "--target", "x", "--quiet"]) == 2
    assert "--target: applies to tables; a language model reads the whole text." in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["train", str(empty), "--out", str(tmp_path / "y.swb"), "--quiet"]) == 2
    assert "error: empty.txt is empty." in capsys.readouterr().err
    assert not (tmp_path / "y.swb").exists()


def test_generate_refuses_a_forecaster(tmp_path, capsys):
    forecaster = tmp_path / "co2.swb"
    shutil.copy(SAVED_BUNDLES["forecaster"], forecaster)
    assert main(["generate", str(forecaster)]) == 2
    assert capsys.readouterr().err == (
        "error: co2.swb is a forecaster, not a language model, so it cannot generate text.\n"
        "  Open it with a table of the columns it was trained on, or run `workbench predict MODEL TABLE.csv`.\n")
