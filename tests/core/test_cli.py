"""The command line end to end on the bundled sample data."""

import json
import os
import subprocess
import sys

import onnxruntime
import pandas as pd
import pytest

from tests.conftest import SAMPLE_DATA
from workbench.cli import main

CO2 = os.path.join(SAMPLE_DATA, "co2_mauna_loa_weekly.csv")
TINY = ["--set", "model.hidden=8", "--set", "train.epochs=2", "--set", "train.threads=1", "--quiet"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    model, metrics = folder / "co2.swb", folder / "co2.json"
    code = main(["train", CO2, "--out", str(model), "--metrics-json", str(metrics), "--set", "data.horizon=3", *TINY])
    assert code == 0
    return model, metrics


def test_train_writes_a_bundle_and_metrics(trained):
    model, metrics = trained
    report = json.loads(metrics.read_text())
    assert set(report["test"]) == {"mae", "rmse", "mape", "smape", "mase"}
    assert set(report["baselines"]) == {"naive", "seasonal_naive"}
    assert report["epochs_run"] == 2 and report["stopped_reason"] == "finished"
    assert report["train_seconds"] > 0 and report["lookback"] == 52 and report["difference"] is True
    assert model.stat().st_size > 0


def test_predict_writes_history_and_the_steps_past_the_end(trained, tmp_path):
    model, _ = trained
    out = tmp_path / "pred.csv"
    assert main(["predict", str(model), CO2, "--out", str(out)]) == 0
    frame = pd.read_csv(out)
    data = pd.read_csv(CO2)
    assert list(frame.columns) == ["time", "actual", "forecast_1", "forecast_2", "forecast_3"]
    assert len(frame) == len(data) + 3
    assert frame["time"].iloc[-1] == "2002-01-19"  # three weeks after the last row, 2001-12-29
    assert frame["forecast_3"].iloc[-1] == frame["forecast_3"].iloc[-1]  # not empty
    assert frame["forecast_1"].iloc[:52].isna().all()


def test_export_and_info(trained, tmp_path, capsys):
    model, _ = trained
    assert main(["export", str(model), "--onnx", str(tmp_path / "m.onnx")]) == 0
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    assert [i.shape for i in session.get_inputs()] == [["batch", 52, 1]]
    assert main(["info", str(model)]) == 0
    out = capsys.readouterr().out
    assert "target 'co2_ppm'" in out and "lookback 52, horizon 3" in out and "naive" in out
    assert main(["info", str(model), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["schema"]["target"] == "co2_ppm"


def test_user_errors_exit_2_with_a_message_and_no_traceback(tmp_path):
    cases = [
        (["train", CO2, "--out", str(tmp_path / "m.swb"), "--target", "nope", "--quiet"], "nope"),
        (["train", CO2, "--out", str(tmp_path / "m.swb"), "--set", "model.layers=0", "--quiet"],
         "model.layers: got 0; it must be at least 1."),
        (["train", CO2, "--out", str(tmp_path / "m.swb"), "--set", "data.lookback=5000", "--quiet"],
         "The series has"),
        (["info", str(tmp_path / "missing.swb")], "There is no model file"),
        (["train", str(tmp_path / "none.csv"), "--out", str(tmp_path / "m.swb")], "none.csv"),
    ]
    for args, expected in cases:
        done = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True)
        assert done.returncode == 2, (args, done.stderr)
        assert expected in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) <= 2, done.stderr
    assert not (tmp_path / "m.swb").exists()
