"""`workbench sweep`: trials in two worker processes on one journal study, Stop for all of them, a second sweep
joining that study, the best model and its scores written, and the default space."""

import json

import optuna
import pytest

from tests.conftest import seasonal_table
from workbench.cli import main
from workbench.cli.sweep import base_config
from workbench.core.export.kinds import load_model
from workbench.core.search.space import read_space
from workbench.core.search.sweep import SweepSpec, run_sweep

SHARED = ["--set", "train.epochs=1", "--set", "data.lookback=12", "--strategy", "random", "--quiet"]
SPACE = '[model]\ncell = ["lstm", "gru"]\nhidden = { low = 4, high = 8 }\n'


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "load.csv"
    seasonal_table().to_csv(path, index=False)
    (tmp_path / "space.toml").write_text(SPACE)
    return path


def test_worker_processes_stop_and_a_second_sweep_share_one_study(data, tmp_path, capsys):
    journal, runs = tmp_path / "study.log", tmp_path / "runs"
    common = [str(data), "--storage", f"journal:{journal}", "--study", "s", "--runs", str(runs), "--space",
              str(tmp_path / "space.toml"), *SHARED]
    assert main(["sweep", *common, "--trials", "3", "--workers", "2", "--out", str(tmp_path / "best.swb"),
                 "--metrics-json", str(tmp_path / "m.json")]) == 0
    report = json.loads((tmp_path / "m.json").read_text())
    assert report["trials"] == {"complete": 3, "pruned": 0, "failed": 0, "running": 0}
    assert report["trials_here"] == {"complete": 3} and report["study"] == "s"
    assert report["settings"]["model"]["cell"] in ("lstm", "gru") and report["validation_score"] > 0
    assert set(report["test"]) >= {"mae", "mase"} and set(report["baselines"]) >= {"naive", "seasonal_naive"}
    assert report["selection"].startswith("Chosen on the validation part only; the test part was scored once")
    assert load_model(tmp_path / "best.swb").kind == "forecaster"
    # Stop ends every worker process: the trials they finished are kept, none is left running.
    finished = []
    spec = SweepSpec("forecaster", str(data), base_config("forecast", _args(common)), read_space(
        tmp_path / "space.toml", "forecaster"), trials=40, workers=2, strategy="random",
        storage=f"journal:{journal}", study="s", runs_folder=str(runs))
    stopped = run_sweep(spec, should_stop=lambda: len(finished) >= 2,
                        on_event=lambda e: finished.append(e) if e["event"] == "trial_finished" else None)
    assert stopped.stopped and 2 <= stopped.ran_here["complete"] < 40 and stopped.counts["running"] == 0
    # A second sweep (as on another machine) joins the same study: every trial lands in it, none twice.
    assert main(["sweep", *common, "--trials", "2", "--workers", "1", "--metrics-json", str(tmp_path / "m2.json")]) == 0
    total = json.loads((tmp_path / "m2.json").read_text())["trials"]
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(journal)))
    numbers = sorted(t.number for t in optuna.load_study(study_name="s", storage=storage).trials)
    assert numbers == list(range(len(numbers))) and total["complete"] + total["failed"] == len(numbers) >= 7
    capsys.readouterr()
    assert main(["runs", "list", "--json", "--study", "s", "--runs", str(runs)]) == 0
    assert sorted(r["trial"] for r in json.loads(capsys.readouterr().out)) == numbers


def _args(argv):
    from workbench.cli import build_parser

    return build_parser().parse_args(["sweep", *argv])


def test_the_default_space_is_printed_as_toml_that_reads_back(data, capsys):
    assert main(["sweep", str(data), "--print-space"]) == 0
    space = capsys.readouterr().out
    assert space.startswith('[model]\ncell = ["lstm", "gru", "rnn"]\n') and "[data]\nlookback = " in space
    path = data.parent / "default.toml"
    path.write_text(space)
    assert "model.hidden: 16 to 128, log scale" in read_space(path, "forecaster").describe()


def test_a_sweep_needs_a_budget(data, capsys):
    assert main(["sweep", str(data)]) == 2
    assert "--trials/--minutes: give the search a budget: --trials N or --minutes M." in capsys.readouterr().err
