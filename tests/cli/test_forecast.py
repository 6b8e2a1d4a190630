"""The forecasting commands end to end on the bundled sample data: train, predict, export, info, user errors."""

import json
import os

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


def _words(model):
    """The sentences the Metrics tab shows for this model (tests/gui/test_results.py checks the tab says them)."""
    from workbench.core.export.kinds import load_model
    from workbench.core.forecast.score_words import score_words

    bundle = load_model(model)
    return score_words(bundle.metrics, bundle.schema["season_length"], bundle.schema["frequency"])


def test_train_writes_a_bundle_and_metrics(trained):
    model, metrics = trained
    report = json.loads(metrics.read_text())
    assert set(report["test"]) == {"mae", "rmse", "mape", "smape", "mase", "coverage_80", "coverage_95"}
    assert set(report["baselines"]) == {"naive", "seasonal_naive", "ets"}
    assert 0 <= report["test"]["coverage_80"] <= report["test"]["coverage_95"] <= 1
    assert report["epochs_run"] == 2 and report["stopped_reason"] == "finished"
    assert report["train_seconds"] > 0 and report["lookback"] == 52 and report["difference"] is True
    assert model.stat().st_size > 0
    words = _words(model)
    assert report["verdict"] == words.verdict.sentence and report["verdict_tone"] == words.verdict.tone
    assert report["beats_baselines"] is words.verdict.beats_baselines and report["mase_note"] == words.mase
    assert report["mase_note"] == ("MASE divides the error by the mean absolute change over one season (52 weeks) "
                                   "in the training part; below 1 beats that in-sample seasonal-naive error.")


def test_train_prints_the_scores_in_the_words_of_the_metrics_tab(tmp_path, capsys):
    model = tmp_path / "m.swb"
    assert main(["train", CO2, "--out", str(model), "--set", "data.horizon=2", *TINY[:-1]]) == 0
    err = capsys.readouterr().err
    words = _words(model)
    for sentence in (words.scope, words.mase, words.per_step, words.verdict.sentence):
        assert f"\n{sentence}\n" in err
    assert "\nBy step ahead " in err and "seasonal MASE" in err


def test_predict_writes_history_and_the_steps_past_the_end(trained, tmp_path):
    model, _ = trained
    out = tmp_path / "pred.csv"
    assert main(["predict", str(model), CO2, "--out", str(out)]) == 0
    frame = pd.read_csv(out)
    data = pd.read_csv(CO2)
    assert list(frame.columns) == ["time", "actual", "actual_filled"] + [
        f"{name}_{k}" for k in (1, 2, 3) for name in ("forecast", "lower", "upper")]
    assert frame["actual_filled"].sum() == 59  # the sample's gaps, filled in and marked
    assert len(frame) == len(data) + 3
    assert frame["time"].iloc[-1] == "2002-01-19"  # three weeks after the last row, 2001-12-29
    assert frame["forecast_3"].iloc[-1] == frame["forecast_3"].iloc[-1]  # not empty
    assert frame["forecast_1"].iloc[:52].isna().all()


def test_export_hands_the_model_and_its_lookback_to_the_exporter(trained, tmp_path, capsys, monkeypatch):
    # The export itself (a real graph, checked by onnxruntime) is tested once, in tests/core/export/test_onnx.py;
    # here the command must pass it the saved model with the lookback it was trained on, and report the shapes.
    import workbench.core.export.onnx as onnx_module
    from workbench.core.models.recurrent import ForecastModel

    calls = []
    check = onnx_module.ParityCheck(1.5e-7, 64, "windows drawn at the data's scale")
    monkeypatch.setattr(onnx_module, "export_onnx", lambda *args: calls.append(args) or check)
    model, _ = trained
    out = tmp_path / "m.onnx"
    assert main(["export", str(model), "--onnx", str(out)]) == 0
    [(exported, path, lookback)] = calls
    assert isinstance(exported, ForecastModel) and not exported.training
    assert path == str(out) and lookback == 52
    assert capsys.readouterr().out == (f"Wrote {out}: input 'window' (batch, 52, 1) raw values, output 'forecast' "
                                       "(batch, 3). onnxruntime matches the model to 1.5e-07 on 64 windows drawn "
                                       "at the data's scale.\n")


def test_info(trained, capsys):
    model, _ = trained
    assert main(["info", str(model)]) == 0
    out = capsys.readouterr().out
    assert "target 'co2_ppm'" in out and "lookback 52, horizon 3" in out and "naive" in out
    assert ": 2,284 rows, 1958-03-29 to 2001-12-29, fingerprint " in out  # times as written, not numpy's
    words = _words(model)
    for sentence in (words.scope, words.mase, words.per_step, words.verdict.sentence):
        assert f"\n{sentence}\n" in out
    assert main(["info", str(model), "--json"]) == 0
    described = json.loads(capsys.readouterr().out)
    assert described["kind"] == "forecaster" and described["schema"]["target"] == "co2_ppm"
    assert "history" not in described["result"]


@pytest.mark.parametrize("args,expected", [
    (["--target", "nope"], "nope"),
    (["--set", "model.layers=0"], "model.layers: got 0; it must be at least 1."),
    (["--set", "data.lookback=5000"], "The series has"),
])
def test_training_errors_exit_2_with_a_message_and_save_nothing(args, expected, tmp_path, capsys):
    assert main(["train", CO2, "--out", str(tmp_path / "m.swb"), *args, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err
    assert len(err.strip().splitlines()) <= 2, err
    assert not (tmp_path / "m.swb").exists()


def test_missing_files_exit_2_with_a_message(tmp_path, capsys):
    assert main(["info", str(tmp_path / "missing.swb")]) == 2
    assert "error: There is no model file at" in capsys.readouterr().err
    assert main(["train", str(tmp_path / "none.csv"), "--out", str(tmp_path / "m.swb")]) == 2
    err = capsys.readouterr().err
    assert "none.csv" in err and len(err.strip().splitlines()) <= 2, err
    assert not (tmp_path / "m.swb").exists()


def test_info_on_a_model_saved_by_an_earlier_version_says_what_it_can(capsys):
    from tests.fixtures import SAVED_BUNDLES

    assert main(["info", str(SAVED_BUNDLES["forecaster"])]) == 0
    out = capsys.readouterr().out
    # Its stored sentence advised "more epochs"; the verdict is derived again from its scores, in today's words.
    assert ("\nOn the test part the model does not beat the naive (last value) forecast on MASE: 0.628 against "
            "0.585, 7% higher. Its forecasts are no better than repeating the last value.\n") in out
    assert "more epochs" not in out and "MASE divides" not in out
    assert "scored each step on a different stretch of the test part" in out


def test_train_says_how_the_file_was_read(tmp_path, capsys):
    # Excel's `sep=;` first line and decimal commas: the notes the window shows go to the terminal too.
    rows = [f"2020-01-01 {h:02d}:00;{v:.3f}".replace(".", ",") for h, v in
            zip(range(24), [1.0 + (i % 6) / 10 for i in range(24)])]
    data = tmp_path / "excel.csv"
    data.write_text("sep=;\ntime;value\n" + "\n".join(rows) + "\n")
    code = main(["train", str(data), "--out", str(tmp_path / "m.swb"), "--set", "data.lookback=4",
                 "--set", "data.horizon=1", *TINY[:-1], "--set", "train.epochs=1"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Read with ';' as delimiter and ',' as decimal mark." in err
    assert "The first line, 'sep=;', names ';' as the delimiter" in err


def test_predict_writes_the_band_of_the_level_beside_each_forecast(trained, tmp_path):
    from workbench.core.export.kinds import load_model

    model, _ = trained
    out80, out95 = tmp_path / "p80.csv", tmp_path / "p95.csv"
    assert main(["predict", str(model), CO2, "--out", str(out80)]) == 0
    assert main(["predict", str(model), CO2, "--out", str(out95), "--level", "0.95"]) == 0
    p80, p95 = pd.read_csv(out80), pd.read_csv(out95)
    columns = list(p80.columns)
    for k in (1, 2, 3):
        at = columns.index(f"forecast_{k}")
        assert columns[at + 1:at + 3] == [f"lower_{k}", f"upper_{k}"]
    # The bands are the bundle's own (the window draws the same), and a higher level is wider.
    calibration = load_model(model).calibration
    width80 = (p80["upper_2"] - p80["forecast_2"]).dropna()
    assert width80.to_numpy() == pytest.approx(calibration.half_width(0.8)[1], rel=1e-3)  # as the CSV rounds
    assert ((p95["upper_2"] - p95["lower_2"]).dropna() >= (p80["upper_2"] - p80["lower_2"]).dropna()).all()


def test_predict_refuses_a_level_outside_0_to_1(trained, capsys):
    model, _ = trained
    assert main(["predict", str(model), CO2, "--level", "95"]) == 2
    assert "--level" in capsys.readouterr().err


def test_detect_writes_every_row_with_its_band_and_flag(trained, tmp_path, capsys):
    model, _ = trained
    out = tmp_path / "a.csv"
    assert main(["detect", str(model), CO2, "--level", "0.9", "--out", str(out)]) == 0
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["time", "actual", "forecast", "lower", "upper", "score", "anomaly"]
    assert len(frame) == len(pd.read_csv(CO2))
    scored = frame.dropna(subset=["forecast"])
    assert len(scored) == len(frame) - 52  # the first lookback rows have no forecast
    assert ((scored["score"] > 1).astype(int) == scored["anomaly"]).all() and scored["anomaly"].sum() > 0
    # Away from the band's edge (where the CSV's rounding decides), flagged means outside the band.
    clear = scored[(scored["score"] - 1).abs() > 0.01]
    outside = (clear["actual"] < clear["lower"]) | (clear["actual"] > clear["upper"])
    assert (outside.astype(int) == clear["anomaly"]).all()
    assert "one-step-ahead interval" in capsys.readouterr().err
