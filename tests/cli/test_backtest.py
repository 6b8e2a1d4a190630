"""`workbench backtest`: rolling origins on the command line, the folds and their summary in the JSON."""

import json

import numpy as np
import pandas as pd

from workbench.cli import main

TINY = ["--set", "model.hidden=8", "--set", "train.epochs=1", "--set", "train.threads=1", "--set", "data.lookback=8",
        "--set", "data.horizon=2", "--quiet"]


def test_backtest_writes_each_fold_and_the_summary(tmp_path, capsys):
    rows = 240
    values = 10 + np.sin(np.arange(rows) * 2 * np.pi / 12) + np.random.default_rng(0).normal(0, 0.1, rows)
    data = tmp_path / "monthly.csv"
    pd.DataFrame({"month": pd.date_range("2000-01", periods=rows, freq="MS").strftime("%Y-%m-%d"),
                  "sales": values.round(3)}).to_csv(data, index=False)
    metrics = tmp_path / "backtest.json"
    assert main(["backtest", str(data), "--folds", "2", "--metrics-json", str(metrics), *TINY]) == 0
    report = json.loads(metrics.read_text())
    assert [fold["fold"] for fold in report["folds"]] == [1, 2]
    for fold in report["folds"]:
        # A fold's training and validation rows end before its own test part starts.
        assert fold["train_rows"][1] <= fold["validation_rows"][0] < fold["validation_rows"][1] <= fold["test_rows"][0]
        assert {"naive", "seasonal_naive"} <= set(fold["baselines"]) and "mae" in fold["scores"]
    summary = report["summary"]
    assert summary["folds"] == 2 and summary["model"]["mae"]["folds"] == 2
    out = capsys.readouterr().out
    assert summary["sentence"] in out and out.count("\n") >= 4  # the fold table, then the sentence
