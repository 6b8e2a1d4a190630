"""Searches in this process (one worker): trials recorded, the best chosen on validation and tested once, Stop,
pruning, and the best trained again when its weights are elsewhere. Parallel processes: tests/cli/test_sweep.py."""

import optuna
import pytest

from tests.conftest import SHIP_TEXT, seasonal_table, tiny_classify_config, tiny_config, tiny_text_config
from workbench.core.export.kinds import load_model
from workbench.core.runs.store import RunStore
from workbench.core.search import best as best_module
from workbench.core.search import sweep as sweep_module
from workbench.core.search.space import parse_space
from workbench.core.search.stages import load_data
from workbench.core.search.studies import best_settings, study_names, study_trials
from workbench.core.search.sweep import SweepSpec, run_sweep
from workbench.core.search.worker import PruneOnMedian

SPACE = {"model": {"cell": ["lstm", "gru", "rnn"], "hidden": {"low": 4, "high": 12}}}


@pytest.fixture
def load_csv(tmp_path, seasonal_frame):
    path = tmp_path / "load.csv"
    seasonal_frame.to_csv(path, index=False)
    return path


def _spec(tmp_path, data, **changes):
    values = dict(kind="forecaster", data_path=str(data), config=tiny_config(), space=parse_space(SPACE, "forecaster"),
                  trials=3, workers=1, strategy="random", storage=f"journal:{tmp_path / 'study.log'}", study="s",
                  runs_folder=str(tmp_path / "runs"), out=str(tmp_path / "best.swb"))
    return SweepSpec(**{**values, **changes})


def test_the_best_is_chosen_on_validation_and_its_test_part_scored_once(tmp_path, load_csv, monkeypatch):
    from workbench.core.forecast import evaluation

    scored = []
    real = evaluation.evaluate
    monkeypatch.setattr(evaluation, "evaluate", lambda *a, **k: scored.append(1) or real(*a, **k))
    events = []
    result = run_sweep(_spec(tmp_path, load_csv), on_event=events.append)
    assert len(scored) == 1
    finished = [e for e in events if e["event"] == "trial_finished"]
    assert result.counts == {"complete": 3, "pruned": 0, "failed": 0, "stopped": 0, "running": 0}
    assert result.best.validation["val_loss"] == min(e["value"] for e in finished) == finished[-1]["best_value"]
    runs = RunStore(tmp_path / "runs").list_runs(study="s")
    assert sorted(r.trial for r in runs) == [0, 1, 2] and all(r.epochs == 2 for r in runs)
    tested = [r for r in runs if "test" in r.metrics]
    assert [r.trial for r in tested] == [result.best.trial] and tested[0].bundle
    assert tested[0].metrics["selection"] == result.to_dict()["selection"] == best_module.SELECTION_NOTE
    assert load_model(tmp_path / "best.swb").kind == "forecaster"
    report = result.to_dict()
    assert report["trials"]["complete"] == 3 and set(report["baselines"]) >= {"naive", "seasonal_naive"}
    assert report["validation_score"] == result.best.validation["val_loss"] and report["settings"]["model"]["hidden"]
    # What a window watching the study by its URL sees.
    url = f"journal:{tmp_path / 'study.log'}"
    rows = study_trials(url, "s")
    assert study_names(url) == ["s"] and [row.state for row in rows] == ["complete"] * 3
    assert all(list(row.curve) == [1, 2] and row.settings for row in rows)
    assert best_settings(url, "s") == rows[result.best.trial].settings
    # Trained again from its settings and seed (as when another machine trained it), it scores the same on the CPU.
    trial = _study(tmp_path).trials[result.best.trial]
    again = best_module.score_best(trial, load_data("forecaster", load_csv), str(tmp_path / "elsewhere"))
    assert again.retrained and again.metrics["test"] == pytest.approx(result.best.metrics["test"])


def test_stop_ends_the_search_keeps_the_finished_trials_and_says_which_one_it_cut_short(tmp_path, load_csv):
    events = []
    # Stop once trial 1 has reported its first epoch (of 3): trial 0 is complete, trial 1 is cut short.
    result = run_sweep(_spec(tmp_path, load_csv, trials=20, config=tiny_config(epochs=3)),
                       should_stop=lambda: any(e["event"] == "epoch" and e["trial"] == 1 for e in events),
                       on_event=events.append)
    assert result.stopped and result.counts == {"complete": 1, "pruned": 0, "failed": 0, "stopped": 1, "running": 0}
    assert result.ran_here == {"complete": 1, "stopped": 1}
    cut = next(e for e in events if e["event"] == "trial_finished" and e["trial"] == 1)
    assert (cut["state"], cut["epochs"], cut["best_value"]) == ("stopped", 1, result.best.validation["val_loss"])
    assert cut["message"] == "Stopped by Stop after 1 of 3 epochs: not compared with the complete trials."
    assert result.best.trial == 0 and result.best.metrics["test"]  # never the one cut short
    trial = _study(tmp_path).trials[1]
    assert trial.state == optuna.trial.TrialState.FAIL and trial.user_attrs["stopped"] is True
    assert [row.state for row in study_trials(f"journal:{tmp_path / 'study.log'}", "s")] == ["complete", "stopped"]
    assert [r.status for r in RunStore(tmp_path / "runs").list_runs(study="s")] == ["finished", "stopped"]


def _study(tmp_path):
    return optuna.load_study(study_name="s", storage=optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(str(tmp_path / "study.log"))))


def test_every_worker_reads_the_table_with_the_read_options_the_caller_chose(tmp_path, monkeypatch):
    # Two preamble lines that detection takes for the header; the window's import dialog said to skip them.
    data = tmp_path / "logger.csv"
    preamble = "Exported by Logger v2, firmware 1.2\nStation 12; Site north\n"
    data.write_text(preamble + seasonal_table().to_csv(index=False))
    real = sweep_module.run_workers
    # A worker process reads the file itself, from its plan: so does this one.
    monkeypatch.setattr(sweep_module, "run_workers", lambda plan, workers, trials, stop, emit, loaded=None: real(
        plan, workers, trials, stop, emit))
    result = run_sweep(_spec(tmp_path, data, trials=1, read_options={"skip_rows": 2, "delimiter": ","}))
    assert result.counts["complete"] == 1
    [run] = RunStore(tmp_path / "runs").list_runs(study="s")
    assert (run.read_options["skip_rows"], run.read_options["delimiter"], run.status) == (2, ",", "finished")


def test_a_study_of_another_kind_is_not_joined(tmp_path, load_csv):
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(tmp_path / "study.log")))
    optuna.create_study(study_name="s", storage=storage).set_user_attr("kind", "forecaster")
    with pytest.raises(Exception, match="The study s searches forecaster settings, not classifier ones."):
        run_sweep(_spec(tmp_path, load_csv, kind="classifier", config=None, space=None, trials=1))


@pytest.mark.parametrize("kind, config, space", [
    ("language_model", tiny_text_config().with_overrides(["train.epochs=1"]), {"model": {"cell": ["gru"]}}),
    ("classifier", tiny_classify_config("train.epochs=1"), {"classify": {"pooling": ["mean"]}}),
])
def test_text_kinds_search_too(tmp_path, reviews_table, kind, config, space):
    # Small data: this checks that each kind goes through a search, not what it learns.
    if kind == "language_model":
        data = tmp_path / "log.txt"
        data.write_text(SHIP_TEXT[:1000])
    else:
        data = tmp_path / "reviews.csv"
        reviews_table.head(150).to_csv(data, index=False)
    spec = _spec(tmp_path, data, kind=kind, config=config, space=parse_space(space, kind), trials=1, strategy="grid")
    events = []
    result = run_sweep(spec, on_event=events.append)
    assert result.counts["complete"] == 1 and load_model(tmp_path / "best.swb").kind == kind
    # The grid (one combination) is covered after its trial, and the search ends without a worker failing.
    assert [e["event"] for e in events if e["event"] in ("trial_finished", "worker_failed")] == ["trial_finished"]
    assert ("test" in result.to_dict()) is (kind == "classifier")


def test_a_hopeless_trial_is_stopped_when_the_pruner_says_so():
    class Trial:
        reported = []

        def report(self, value, step):
            self.reported.append((step, value))

        def should_prune(self):
            return len(self.reported) == 3

    class Trainer:
        stopped = None

        def request_stop(self, early=False):
            self.stopped = early

    pruning = PruneOnMedian(Trial())
    pruning.trainer = Trainer()
    for epoch in (1, 2, 3):
        pruning.on_epoch_end(epoch, {"val_loss": 1.0 / epoch})
    assert pruning.pruned_at == 3 and pruning.trainer.stopped is True
    assert pruning.trial.reported == [(1, 1.0), (2, 0.5), (3, 1 / 3)]
