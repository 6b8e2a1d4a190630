"""The Trainer on a tiny synthetic task: stopping rules, divergence, reproducibility, thread counts."""

import math

import pytest
import torch
from torch import nn

from workbench.core.training import engine, events
from workbench.core.training.callbacks import Callback
from workbench.core.training.config import TrainConfig
from workbench.core.training.engine import Trainer


class LineTask:
    """y = 2x + 1 with noise; `poison_at` makes one batch's loss NaN."""

    def __init__(self, poison_at: int | None = None) -> None:
        gen = torch.Generator().manual_seed(1)
        self.x = torch.randn(256, 1, generator=gen)
        self.y = 2 * self.x + 1 + 0.1 * torch.randn(256, 1, generator=gen)
        self.poison_at = poison_at
        self.batches_seen = 0

    def to(self, device):
        pass

    def n_train_batches(self, batch_size):
        return -(-192 // batch_size)

    def train_batches(self, batch_size, generator):
        order = torch.randperm(192, generator=generator)
        yield from order.split(batch_size)

    def val_batches(self, batch_size):
        yield torch.arange(192, 256)

    def loss(self, model, index):
        self.batches_seen += 1
        loss = nn.functional.mse_loss(model(self.x[index]), self.y[index])
        return loss * math.nan if self.batches_seen == self.poison_at else loss


def fit(task=None, callbacks=(), **train):
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    config = TrainConfig(**{"epochs": 5, "batch_size": 32, "lr": 0.05, "threads": 1, "device": "cpu", **train})
    return model, Trainer(model, task or LineTask(), config, callbacks).fit()


def test_same_seed_gives_identical_loss_curve():
    _, first = fit(seed=3)
    _, second = fit(seed=3)
    _, other = fit(seed=4)
    assert [h["loss"] for h in first.history] == [h["loss"] for h in second.history]
    assert [h["loss"] for h in first.history] != [h["loss"] for h in other.history]
    assert first.stopped_reason == events.FINISHED and first.epochs_run == 5


def test_early_stopping_restores_the_best_epoch():
    model, result = fit(epochs=200, patience=3, lr=0.5)
    assert result.stopped_reason == events.EARLY_STOPPED
    best = min(h["val_loss"] for h in result.history)
    assert result.best_val_loss == best
    assert result.epochs_run == result.best_epoch + 3
    assert result.message == (
        f"Stopped early at epoch {result.epochs_run}: no better validation loss for 3 epochs; "
        f"kept the weights of epoch {result.best_epoch}."
    )
    with torch.no_grad():
        task = LineTask()
        restored = nn.functional.mse_loss(model(task.x[192:]), task.y[192:]).item()
    assert restored == pytest.approx(best, rel=1e-6)


def test_nan_loss_stops_at_that_step_and_keeps_finite_weights():
    task = LineTask(poison_at=20)  # batch 20 is in epoch 3 (6 train batches + 1 validation batch per epoch)
    model, result = fit(task=task, epochs=10)
    assert result.stopped_reason == events.DIVERGED
    assert result.epochs_run == 2 and result.best_epoch == 2
    assert result.message.startswith("Training diverged: the training loss became nan in epoch 3")
    assert "lower learning rate" in result.message
    assert all(torch.isfinite(p).all() for p in model.parameters())


def test_stop_request_is_honoured_within_one_batch():
    class StopAfter(Callback):
        def __init__(self):
            self.batches = 0

        def on_batch_end(self, batch, logs):
            self.batches += 1
            if self.batches == 8:
                self.trainer.request_stop()

    stopper = StopAfter()
    _, result = fit(callbacks=[stopper], epochs=50)
    assert stopper.batches == 8  # no batch ran after the request
    assert result.stopped_reason == events.USER_STOPPED
    assert result.epochs_run == 1 and result.best_epoch == 1
    assert result.message == "Stopped by you after 1 complete epoch; kept the weights of epoch 1."


def test_should_stop_callable_and_hooks_receive_plain_numbers():
    seen = []

    class Record(Callback):
        def on_epoch_end(self, epoch, logs):
            seen.append(logs)

    calls = iter(range(1000))
    _, result = fit(callbacks=[Record()], epochs=3)
    assert all(isinstance(v, (int, float)) for logs in seen for v in logs.values() if v is not None)
    assert {"loss", "val_loss", "lr", "seconds", "best_epoch"} <= set(seen[0])
    model = nn.Linear(1, 1)
    stopped = Trainer(model, LineTask(), TrainConfig(epochs=50, batch_size=32, threads=1, device="cpu"),
                      should_stop=lambda: next(calls) >= 3).fit()
    assert stopped.stopped_reason == events.USER_STOPPED and stopped.epochs_run == 0
    assert stopped.message == "Stopped by you after 0 complete epochs; kept the starting weights (no epoch completed)."


# ---- threads: torch's count is process-wide, so a run sets its own and puts the previous one back


class Raising(LineTask):
    def loss(self, model, index):
        if self.batches_seen == 3:
            raise RuntimeError("the data went away")
        return super().loss(model, index)


class SeeThreads(Callback):
    def __init__(self, stop_after: int | None = None):
        self.during: list[int] = []
        self.stop_after = stop_after

    def on_train_begin(self, info):
        self.during.append(info["threads"])

    def on_batch_end(self, batch, logs):
        self.during.append(torch.get_num_threads())
        if self.stop_after and len(self.during) > self.stop_after:
            self.trainer.request_stop()


@pytest.mark.parametrize("ending", ["finished", "stopped", "diverged", "error"])
def test_the_thread_count_is_restored_however_the_run_ends(ending):
    before = torch.get_num_threads()
    want = 2 if before != 2 else 3
    seen = SeeThreads(stop_after=4 if ending == "stopped" else None)
    task = {"diverged": LineTask(poison_at=5), "error": Raising()}.get(ending, LineTask())
    if ending == "error":
        with pytest.raises(RuntimeError, match="the data went away"):
            fit(task=task, callbacks=[seen], epochs=2, threads=want)
    else:
        _, result = fit(task=task, callbacks=[seen], epochs=2, threads=want)
        assert result.stopped_reason == {"finished": events.FINISHED, "stopped": events.USER_STOPPED,
                                         "diverged": events.DIVERGED}[ending]
    assert seen.during and set(seen.during) == {want}  # the run's own count, from its first report on
    assert torch.get_num_threads() == before


def test_default_threads_follow_the_cpus_this_process_may_use(monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "CGROUP_ROOT", tmp_path)  # no quota files: no quota
    monkeypatch.setattr(engine.os, "cpu_count", lambda: 64)
    affinity = {"cpus": set(range(2))}
    monkeypatch.setattr(engine.os, "sched_getaffinity", lambda pid: affinity["cpus"], raising=False)
    # os.cpu_count says 64, but this process may run on 2 of them: one thread, not 63.
    assert (engine.available_cpus(), engine.default_threads()) == (2, 1)
    affinity["cpus"] = set(range(5))
    assert engine.default_threads() == 4
    affinity["cpus"] = set(range(64))
    assert engine.default_threads() == engine.MAX_DEFAULT_THREADS == 8
    # A container limited to 2.5 CPUs (cgroup v2) gets 3 CPUs' worth, so 2 threads.
    (tmp_path / "cpu.max").write_text("250000 100000\n")
    assert (engine.available_cpus(), engine.default_threads()) == (3, 2)
    affinity["cpus"] = {0}
    assert engine.default_threads() == 1  # at least one


def test_cgroup_quota_files(tmp_path):
    assert engine.cgroup_cpu_quota(tmp_path) is None
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert engine.cgroup_cpu_quota(tmp_path) is None  # v1, unlimited
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("400000\n")
    assert engine.cgroup_cpu_quota(tmp_path) == 4
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert engine.cgroup_cpu_quota(tmp_path) is None  # v2 wins: unlimited
    (tmp_path / "cpu.max").write_text("50000 100000\n")
    assert engine.cgroup_cpu_quota(tmp_path) == 1
    (tmp_path / "cpu.max").write_text("garbage\n")
    assert engine.cgroup_cpu_quota(tmp_path) == 4  # unreadable v2: the v1 files still answer
