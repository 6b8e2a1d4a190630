"""`workbench train` records every run; `workbench runs list|show|export|delete` read and edit the record."""

import json

import pandas as pd
import pytest

from tests.conftest import seasonal_table
from workbench.cli import main

TINY = ["--set", "model.hidden=8", "--set", "train.epochs=2", "--set", "train.threads=1", "--set", "data.lookback=12",
        "--quiet"]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """One run trained and recorded by `workbench train --runs DIR`: (data file, runs folder)."""
    folder = tmp_path_factory.mktemp("runs_cli")
    data = folder / "load.csv"
    seasonal_table().to_csv(data, index=False)
    assert main(["train", str(data), "--out", str(folder / "m.swb"), "--runs", str(folder / "runs"), *TINY]) == 0
    return data, folder / "runs"


def _json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_train_records_the_run_with_every_epoch(recorded, capsys):
    data, runs = recorded
    [run] = _json(capsys, "runs", "list", "--json", "--runs", str(runs))
    assert {"id", "kind", "status", "data", "settings", "history", "metrics"} <= set(run)
    assert (run["kind"], run["status"], run["data"]["path"]) == ("forecaster", "finished", str(data))
    assert [epoch["epoch"] for epoch in run["history"]] == [1, 2] and run["settings"]["model"]["hidden"] == 8
    assert set(run["metrics"]["test"]) >= {"mae", "mase"} and "seasonal_naive" in run["metrics"]["baselines"]
    assert run["environment"]["threads"] == 1 and run["environment"]["versions"]["torch"]
    assert _json(capsys, "runs", "show", str(run["id"]), "--json", "--runs", str(runs)) == run
    assert _json(capsys, "runs", "list", "--json", "--data", str(data), "--runs", str(runs)) == [run]
    assert _json(capsys, "runs", "list", "--json", "--study", "none", "--runs", str(runs)) == []


def test_the_runs_table_exports_as_csv_and_a_run_can_be_deleted(recorded, tmp_path, capsys):
    _, runs = recorded
    out = tmp_path / "runs.csv"
    assert main(["runs", "export", "--out", str(out), "--runs", str(runs)]) == 0
    table = pd.read_csv(out)
    assert len(table) == 1 and table.loc[0, "settings.model.hidden"] == 8 and "metrics.test.mase" in table
    assert main(["runs", "list", "--runs", str(runs)]) == 0
    assert "forecaster     finished" in capsys.readouterr().out
    run_id = int(table.loc[0, "id"])
    assert main(["runs", "delete", str(run_id), "--runs", str(runs)]) == 0
    assert _json(capsys, "runs", "list", "--json", "--runs", str(runs)) == []
    assert not list((runs / "bundles").iterdir())
    assert main(["runs", "show", str(run_id), "--runs", str(runs)]) == 2
    assert f"error: There is no run {run_id} in " in capsys.readouterr().err


def test_a_foreign_store_costs_one_warning_not_the_training(tmp_path, capsys):
    data = tmp_path / "load.csv"
    seasonal_table().head(120).to_csv(data, index=False)
    (tmp_path / "runs").mkdir()
    foreign = tmp_path / "runs" / "runs.sqlite"
    foreign.write_text("not a database")
    assert main(["train", str(data), "--out", str(tmp_path / "m.swb"), "--runs", str(tmp_path / "runs"), *TINY,
                 "--set", "train.epochs=1"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"warning: this run is not recorded: {foreign} is not a run store: it is not an SQLite database. "
                   "It was left as it is. Choose another runs folder (--runs DIR, or the setting in the window)."]
    assert foreign.read_text() == "not a database"
