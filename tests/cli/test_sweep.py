"""`workbench sweep`: two searches started together on one journal study (one in two worker processes), none of
their trials lost or doubled, Stop for every worker, the best model and its scores written, and the default space."""

import dataclasses
import json
import threading

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


def test_two_sweeps_started_together_share_one_study_and_stop_ends_every_worker(data, tmp_path, capsys):
    journal, runs = tmp_path / "study.log", tmp_path / "runs"
    common = [str(data), "--storage", f"journal:{journal}", "--study", "s", "--runs", str(runs), "--space",
              str(tmp_path / "space.toml"), *SHARED]
    spec = SweepSpec("forecaster", str(data), base_config("forecast", _args(common)), read_space(
        tmp_path / "space.toml", "forecaster"), trials=6, workers=1, strategy="random",
        storage=f"journal:{journal}", study="s", runs_folder=str(runs))
    # Two searches on one journal at once, 6 trials each (as on two machines): this one in a thread of this
    # process, the command line's in two worker processes; both record into one run store too.
    other: list = []
    thread = threading.Thread(target=lambda: other.append(run_sweep(spec)))
    thread.start()
    assert main(["sweep", *common, "--trials", "6", "--workers", "2", "--out", str(tmp_path / "best.swb"),
                 "--metrics-json", str(tmp_path / "m.json")]) == 0
    thread.join(timeout=120)
    report = json.loads((tmp_path / "m.json").read_text())
    assert report["trials_here"] == {"complete": 6} and other[0].ran_here == {"complete": 6}
    assert report["study"] == "s" and report["settings"]["model"]["cell"] in ("lstm", "gru")
    assert report["validation_score"] > 0 and report["selection"].startswith("Chosen on the validation part only")
    assert set(report["test"]) >= {"mae", "mase"} and set(report["baselines"]) >= {"naive", "seasonal_naive"}
    assert load_model(tmp_path / "best.swb").kind == "forecaster"
    assert _trial_numbers(journal) == list(range(12))  # none lost, none twice
    capsys.readouterr()
    assert main(["runs", "list", "--json", "--study", "s", "--runs", str(runs)]) == 0
    assert sorted(r["trial"] for r in json.loads(capsys.readouterr().out)) == list(range(12))
    # Stop ends every worker process: the trials they finished are kept, none is left running.
    finished: list = []
    stopped = run_sweep(dataclasses.replace(spec, trials=40, workers=2), should_stop=lambda: len(finished) >= 2,
                        on_event=lambda e: finished.append(e) if e["event"] == "trial_finished" else None)
    assert stopped.stopped and 2 <= stopped.ran_here["complete"] < 40 and stopped.counts["running"] == 0
    assert len(_trial_numbers(journal)) == 12 + sum(stopped.ran_here.values())


def _trial_numbers(journal):
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(journal)))
    return sorted(t.number for t in optuna.load_study(study_name="s", storage=storage).trials)


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
