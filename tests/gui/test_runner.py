"""The background runner and training on it: real tiny runs on their threads, reported with plain data."""

import threading

import pytest

from tests.conftest import tiny_config
from workbench.core.data.config import DataConfig
from workbench.core.data.series import prepare_series
from workbench.core.errors import DataError
from workbench.core.forecast.pipeline import resolve_setup
from workbench.gui.runner import JobContext
from workbench.gui.training_job import EPOCHS, STARTED, ReportingCallback, training_function


@pytest.fixture
def series(seasonal_frame):
    return prepare_series(seasonal_frame, DataConfig(), source="seasonal")



def forecast_training(series, config):
    def train(callbacks, should_stop):
        from workbench.core.forecast.pipeline import train_forecaster

        return train_forecaster(series, config, callbacks, should_stop)

    return training_function(train)


def recorder():
    got = {"progress": [], "delivered": {}, "refused": [], "crashed": [], "succeeded": [], "threads": set()}

    def delivered(channel, items):
        got["delivered"].setdefault(channel, []).append(items)
        got["threads"].add(threading.current_thread())

    slots = {"progressed": got["progress"].append, "delivered": delivered,
             "refused": lambda message, hint: got["refused"].append((message, hint)),
             "crashed": lambda message, details: got["crashed"].append((message, details)),
             "succeeded": got["succeeded"].append}
    return got, slots


def test_a_tiny_run_reports_every_epoch(qtbot, runner, series):
    got, slots = recorder()
    with qtbot.waitCallback(timeout=60000) as ended:
        job = runner.start("training", forecast_training(series, tiny_config(epochs=3)), ended=ended, **slots)
        assert job.is_running() and runner.is_running("training")
    assert got["succeeded"] == [job] and not got["refused"] and not got["crashed"]
    run = job.result
    assert run.result.stopped_reason == "finished" and run.result.epochs_run == 3
    assert not job.is_running()
    started = [info for batch in got["delivered"][STARTED] for info in batch]
    assert started[0]["epochs"] == 3 and started[0]["threads"] == 1
    logged = [entry["epoch"] for batch in got["delivered"][EPOCHS] for entry in batch]
    assert logged == [1, 2, 3]
    assert all(0 < p["fraction_done"] <= 1 for p in got["progress"])
    assert got["threads"] == {threading.main_thread()}  # reports arrive where widgets may be touched


def test_cancel_ends_the_run_soon_and_keeps_the_best(qtbot, runner, series):
    got, slots = recorder()
    job = runner.start("training", forecast_training(series, tiny_config(epochs=500, patience=0)), **slots)
    qtbot.waitUntil(lambda: bool(got["progress"]), timeout=30000)
    with qtbot.waitSignal(job.ended, timeout=10000):
        job.cancel()
    assert job.result.result.stopped_reason == "user_stopped"
    assert job.result.result.epochs_run < 500


def test_a_user_error_arrives_as_refused_with_the_cores_words(qtbot, runner, series):
    config = tiny_config()
    config.data.lookback = 1000  # longer than the 240-row series
    with pytest.raises(DataError) as expected:
        resolve_setup(series, config.data)
    got, slots = recorder()
    with qtbot.waitCallback(timeout=10000) as ended:
        job = runner.start("training", forecast_training(series, config), ended=ended, **slots)
    assert got["refused"] == [(expected.value.message, expected.value.hint)]
    assert not got["crashed"] and job.result is None


def test_a_bug_arrives_as_crashed_with_its_traceback(qtbot, runner):
    # No series at all: the core is not written for that, so this stands in for any unexpected exception.
    got, slots = recorder()
    with qtbot.waitCallback(timeout=10000) as ended:
        runner.start("training", forecast_training(None, tiny_config()), ended=ended, **slots)
    [(message, details)] = got["crashed"]
    assert message.startswith("AttributeError")
    assert "Traceback" in details and not got["refused"]


def test_a_second_job_can_start_from_the_first_ones_final_slot(qtbot, runner, series):
    finished = []

    def on_succeeded(job):
        finished.append(job.result.result.epochs_run)
        if len(finished) == 1:
            assert not runner.is_running("training")
            runner.start("training", forecast_training(series, tiny_config(epochs=1)), succeeded=on_succeeded)

    runner.start("training", forecast_training(series, tiny_config(epochs=1)), succeeded=on_succeeded)
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=60000)
    assert finished == [1, 1]


class _FakeJob:
    """Stands in for a Job's signals: records what would have been emitted."""

    def __init__(self):
        self.sent = []
        outer = self

        class _Signal:
            def __init__(self, name):
                self.name = name

            def emit(self, *args):
                outer.sent.append((self.name, *args))

        self.progressed, self.delivered = _Signal("progressed"), _Signal("delivered")

    def cancel_requested(self):
        return False


def test_reports_are_throttled_at_the_source_and_the_last_ones_always_arrive(monkeypatch):
    from workbench.gui import runner as runner_module
    from workbench.gui import training_job

    clock = [0.0]
    monkeypatch.setattr(runner_module.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(training_job.time, "perf_counter", lambda: clock[0])
    job = _FakeJob()
    callback = ReportingCallback(JobContext(job, progress_interval=0.1, batch_interval=0.25))
    callback.on_train_begin({"epochs": 20, "batches_per_epoch": 5, "parameters": 1, "device": "cpu", "threads": 1})
    for epoch in range(1, 21):
        for batch in range(5):
            clock[0] += 0.004  # 20 ms per epoch: five epochs per throttle interval
            callback.on_batch_end(batch, {"epoch": epoch, "loss": 1.0})
        callback.on_epoch_end(epoch, {"epoch": epoch, "loss": 1.0, "val_loss": 1.0})
    callback.on_train_end(None)
    progress = [args[0] for name, *args in job.sent if name == "progressed"]
    batches = [args[1] for name, *args in job.sent if name == "delivered" and args[0] == EPOCHS]
    assert len(progress) <= 6  # 0.4 s of training: at most one update per 100 ms, the first and the last
    assert progress[0]["eta_s"] > 0 and progress[-1]["fraction_done"] == 1.0
    assert len(batches) <= 6
    assert [log["epoch"] for batch in batches for log in batch] == list(range(1, 21))
    assert job.sent[-1][:2] == ("delivered", EPOCHS)  # the last epochs go out when training ends
