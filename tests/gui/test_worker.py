"""The training worker: a real tiny run on its thread, reported through signals with plain data."""

import pytest

from tests.conftest import tiny_config
from workbench.core.data.config import DataConfig
from workbench.core.data.series import prepare_series
from workbench.core.errors import DataError
from workbench.core.forecast.pipeline import resolve_setup
from workbench.gui.worker import TrainingWorker


@pytest.fixture
def series(seasonal_frame):
    return prepare_series(seasonal_frame, DataConfig(), source="seasonal")


@pytest.fixture
def worker():
    worker = TrainingWorker()
    yield worker
    # Never leave a running QThread behind ("QThread: Destroyed while thread is still running").
    worker.request_stop()
    assert worker.wait(20000)
    assert not worker._thread.isRunning()


def record(worker):
    got = {"started": [], "progress": [], "epochs": [], "failed": []}
    worker.run_started.connect(got["started"].append)
    worker.progressed.connect(got["progress"].append)
    worker.epochs_logged.connect(got["epochs"].append)
    worker.run_failed.connect(lambda message, details: got["failed"].append((message, details)))
    return got


def test_a_tiny_run_reports_every_epoch(qtbot, worker, series):
    got = record(worker)
    worker.start(series, tiny_config(epochs=3))
    assert worker.is_running()
    with qtbot.waitSignal(worker.run_finished, timeout=60000) as blocker:
        pass
    result = blocker.args[0]
    assert result["stopped_reason"] == "finished"
    assert result["epochs_run"] == 3
    assert "verdict" in result["evaluation"]
    assert not worker.is_running()
    assert got["started"][0]["epochs"] == 3
    assert got["started"][0]["threads"] == 1
    logged = [entry["epoch"] for batch in got["epochs"] for entry in batch]
    assert logged == [1, 2, 3]
    assert all(0 < p["fraction_done"] <= 1 for p in got["progress"])
    assert worker.run is not None
    assert worker.run.result.epochs_run == 3


def test_stop_ends_the_run_soon(qtbot, worker, series):
    worker.start(series, tiny_config(epochs=500, patience=0))
    with qtbot.waitSignal(worker.progressed, timeout=30000):
        pass
    worker.request_stop()
    with qtbot.waitSignal(worker.run_finished, timeout=5000) as blocker:
        pass
    assert blocker.args[0]["stopped_reason"] == "user_stopped"
    assert blocker.args[0]["epochs_run"] < 500


def test_data_error_arrives_as_run_failed(qtbot, worker, series):
    config = tiny_config()
    config.data.lookback = 1000  # longer than the 240-row series
    with pytest.raises(DataError) as expected:
        resolve_setup(series, config.data)
    with qtbot.waitSignal(worker.run_failed, timeout=10000) as blocker:
        worker.start(series, config)
    message, details = blocker.args
    assert message == expected.value.message
    assert details == expected.value.hint
    assert worker.run is None


def test_a_bug_arrives_with_its_traceback(qtbot, worker):
    # No series at all: the core is not written for that, so this stands in for any unexpected exception.
    with qtbot.waitSignal(worker.run_failed, timeout=10000) as blocker:
        worker.start(None, tiny_config())
    message, details = blocker.args
    assert message.startswith("Training failed unexpectedly (AttributeError")
    assert "Traceback" in details


def test_start_while_running_is_refused(qtbot, worker, series):
    worker.start(series, tiny_config(epochs=500, patience=0))
    with pytest.raises(RuntimeError):
        worker.start(series, tiny_config())
    worker.request_stop()
    with qtbot.waitSignal(worker.run_finished, timeout=30000):
        pass


def test_a_second_run_can_start_from_the_finished_slot(qtbot, worker, series):
    finished = []

    def on_finished(result):
        finished.append(result)
        if len(finished) == 1:
            worker.start(series, tiny_config(epochs=1))

    worker.run_finished.connect(on_finished)
    worker.start(series, tiny_config(epochs=1))
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=60000)
    assert [r["epochs_run"] for r in finished] == [1, 1]


class _Recorder:
    """Stands in for the worker's signals: records what would have been emitted."""

    def __init__(self):
        self.sent = []

    def __getattr__(self, name):
        owner = self

        class _Signal:
            def emit(self, *args):
                owner.sent.append((name, *args))

        return _Signal()


def test_callback_throttles_at_the_source_and_delivers_the_last_epochs(monkeypatch):
    from workbench.gui import worker as worker_module

    clock = [0.0]
    monkeypatch.setattr(worker_module.time, "perf_counter", lambda: clock[0])
    stub = _Recorder()
    callback = worker_module._SignalCallback(stub)
    callback.on_train_begin({"epochs": 20, "batches_per_epoch": 5, "parameters": 1, "device": "cpu", "threads": 1})
    for epoch in range(1, 21):
        for batch in range(5):
            clock[0] += 0.004  # 20 ms per epoch: five epochs per throttle interval
            callback.on_batch_end(batch, {"epoch": epoch, "loss": 1.0})
        callback.on_epoch_end(epoch, {"epoch": epoch, "loss": 1.0, "val_loss": 1.0})
    callback.on_train_end(None)
    progress = [args[0] for name, *args in stub.sent if name == "progressed"]
    batches = [args[0] for name, *args in stub.sent if name == "epochs_logged"]
    assert len(progress) <= 5  # 0.4 s of training: at most one update per 100 ms (plus the first)
    assert progress[0]["eta_s"] > 0 and progress[-1]["fraction_done"] <= 1
    assert len(batches) <= 6
    assert [log["epoch"] for batch in batches for log in batch] == list(range(1, 21))
    assert stub.sent[-1][0] == "epochs_logged"  # the last epochs go out when training ends
