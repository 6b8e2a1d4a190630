"""Recording a run when it ends: each kind's scores, every epoch, the environment; failures recorded, never fatal."""

import pytest

from workbench.core.runs.record import RunRecorder, record_run
from workbench.core.runs.store import RunStore


@pytest.mark.parametrize("fixture, kind, has_test", [
    ("forecast_run", "forecaster", True),
    ("language_model_run", "language_model", False),
    ("classifier_run", "classifier", True),
])
def test_a_finished_run_is_recorded_with_its_scores_and_every_epoch(request, tmp_path, fixture, kind, has_test):
    run = request.getfixturevalue(fixture)
    data = tmp_path / "data.csv"
    data.write_text("a,b\n1,2\n")
    store = RunStore(tmp_path / "runs")
    record = store.get_run(record_run(store, kind, data, {"delimiter": ","}, run.config, run))
    assert (record.kind, record.status, record.message) == (kind, "finished", run.result.message)
    assert record.history == run.result.history and record.epochs == run.result.epochs_run
    assert record.settings == run.config.to_dict() and record.seed == run.config.train.seed
    assert record.best_val_loss == run.result.best_val_loss == record.metrics["validation"]["val_loss"]
    assert ("test" in record.metrics and "baselines" in record.metrics) is has_test
    assert record.verdict
    assert set(record.environment["versions"]) == {"workbench", "python", "torch", "numpy", "pandas"}
    assert record.data_path == str(data) and len(record.data_sha256) == 64


def test_a_failed_run_keeps_the_epochs_it_finished_and_the_error(tmp_path, forecast_run):
    store = RunStore(tmp_path)
    recorder = RunRecorder(store, "forecaster", "", {}, warn=pytest.fail)
    recorder.facts.on_train_begin({"device": "cpu", "threads": 1, "parameters": 10})
    recorder.facts.on_epoch_end(1, {"epoch": 1, "loss": 0.5, "val_loss": 0.6})
    with pytest.raises(RuntimeError), recorder.watch(forecast_run.config):
        raise RuntimeError("out of memory")
    record = store.get_run(recorder.run_id)
    assert (record.status, record.message, record.epochs) == ("failed", "RuntimeError: out of memory", 1)
    assert record.environment["device"] == "cpu" and record.best_val_loss == 0.6


def test_a_store_that_fails_costs_one_warning_not_the_run(forecast_run):
    class Broken:
        folder = "/runs"

        def add_run(self, record, bundle=None):
            raise OSError("disk full")

    warnings = []
    recorder = RunRecorder(Broken(), "forecaster", "", {}, warn=warnings.append)
    assert recorder.finished(forecast_run) is None
    assert warnings == ["the run was not recorded in /runs: OSError: disk full"]
