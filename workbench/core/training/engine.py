"""The Trainer: a short, plain loop over a task's batches, with cooperative stop and divergence checks."""

from __future__ import annotations

import contextlib
import copy
import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import torch
from torch import nn

from workbench.core.training import events
from workbench.core.training.callbacks import Callback, EarlyStopping
from workbench.core.training.config import TrainConfig


class TrainingTask(Protocol):
    """What the Trainer needs from a kind of data: batches and a loss."""

    def n_train_batches(self, batch_size: int) -> int: ...

    def train_batches(self, batch_size: int, generator: torch.Generator) -> Iterator[Any]: ...

    def val_batches(self, batch_size: int) -> Iterator[Any]: ...

    def loss(self, model: nn.Module, batch: Any) -> torch.Tensor: ...

    def to(self, device: torch.device) -> None: ...


# A small recurrent network has little work per step to share out, and every extra thread is one more that can
# collide with the window and other programs; more than this is for the user to ask for (docs/decisions.md,
# "Threads").
MAX_DEFAULT_THREADS = 8
CGROUP_ROOT = Path("/sys/fs/cgroup")


def default_threads() -> int:
    """The CPUs this process may use minus one, at least one and at most MAX_DEFAULT_THREADS: with every core
    busy, torch's threads collapse (docs/decisions.md, "Threads")."""
    return max(1, min(available_cpus() - 1, MAX_DEFAULT_THREADS))


def available_cpus() -> int:
    """CPUs this process may run on: its affinity mask (os.cpu_count counts the whole machine), lowered to the
    container's CPU quota when one is set."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        count = os.cpu_count() or 1
    quota = cgroup_cpu_quota()
    return max(1, min(count, quota) if quota else count)


def cgroup_cpu_quota(root: Path | None = None) -> int | None:
    """The CPU quota of this process's cgroup in whole CPUs, rounded up (v2 `cpu.max`, else v1
    `cpu.cfs_quota_us` / `cpu.cfs_period_us`); None when there is none or it cannot be read."""
    root = root or CGROUP_ROOT
    with contextlib.suppress(OSError, ValueError, IndexError):
        quota, period = (root / "cpu.max").read_text().split()[:2]
        return None if quota == "max" else max(1, math.ceil(int(quota) / int(period)))
    with contextlib.suppress(OSError, ValueError):
        quota_us = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period_us = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        return max(1, math.ceil(quota_us / period_us)) if quota_us > 0 and period_us > 0 else None
    return None


@contextlib.contextmanager
def torch_threads(count: int) -> Iterator[int]:
    """Run the block with `count` torch compute threads, then restore the previous count (it is process-wide),
    also when the block fails or is stopped."""
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield count
    finally:
        torch.set_num_threads(previous)


def warm_up() -> None:
    """One tiny optimiser step, so torch's lazily imported parts load now rather than in the first real run.

    The first Adam in a process imports torch._dynamo, seconds on this machine (docs/decisions.md, "Start-up").
    """
    model = nn.Linear(2, 1)
    optimizer = torch.optim.Adam(model.parameters())
    model(torch.zeros(1, 2)).sum().backward()
    optimizer.step()


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


class Trainer:
    """Fits `model` on `task`. Early stopping, logging and plotting are callbacks; the loop stays short."""

    def __init__(
        self,
        model: nn.Module,
        task: TrainingTask,
        config: TrainConfig,
        callbacks: Sequence[Callback] = (),
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.model = model
        self.task = task
        self.config = config
        self.callbacks = list(callbacks)
        if config.patience > 0:
            self.callbacks.append(EarlyStopping(config.patience))
        for callback in self.callbacks:
            callback.trainer = self
        self._should_stop = should_stop or (lambda: False)
        self._stop_requested: str | None = None

    def request_stop(self, early: bool = False) -> None:
        """Ask the loop to stop before its next batch (thread-safe: it only sets a flag)."""
        self._stop_requested = events.EARLY_STOPPED if early else events.USER_STOPPED

    def _stopping(self) -> bool:
        if self._stop_requested is None and self._should_stop():
            self._stop_requested = events.USER_STOPPED
        return self._stop_requested is not None

    def fit(self) -> events.TrainResult:
        """Train; torch's thread count is set for the run and put back afterwards, however the run ends."""
        with torch_threads(self.config.threads or default_threads()):
            try:
                return self._fit()
            except BaseException as error:
                self._emit("on_exception", error)
                raise

    def _fit(self) -> events.TrainResult:
        cfg = self.config
        torch.manual_seed(cfg.seed)
        generator = torch.Generator().manual_seed(cfg.seed)
        device = resolve_device(cfg.device)
        self.model.to(device)
        self.task.to(device)
        optimizer = _make_optimizer(self.model, cfg)
        scheduler = (
            torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=cfg.reduce_lr_patience)
            if cfg.reduce_lr_patience > 0
            else None
        )
        best = _Best(self.model)
        history: list[dict[str, float]] = []
        started = time.perf_counter()
        self._emit("on_train_begin", {
            "epochs": cfg.epochs,
            "batches_per_epoch": self.task.n_train_batches(cfg.batch_size),
            "parameters": sum(p.numel() for p in self.model.parameters()),
            "device": str(device),
            "threads": torch.get_num_threads(),
        })
        reason, detail = events.FINISHED, ""
        for epoch in range(1, cfg.epochs + 1):
            epoch_started = time.perf_counter()
            train_loss, diverged_at = self._train_epoch(epoch, optimizer, generator)
            if diverged_at is not None:
                reason, detail = events.DIVERGED, f"the training loss became {diverged_at} in epoch {epoch}"
                break
            if self._stop_requested == events.USER_STOPPED:
                reason = events.USER_STOPPED
                break
            val_loss = self._validate()
            if not math.isfinite(val_loss):
                reason, detail = events.DIVERGED, f"the validation loss became {val_loss} in epoch {epoch}"
                break
            best.offer(epoch, val_loss)
            if scheduler is not None:
                scheduler.step(val_loss)
            logs = {
                "epoch": epoch, "loss": train_loss, "val_loss": val_loss, "lr": optimizer.param_groups[0]["lr"],
                "seconds": time.perf_counter() - epoch_started, "best_epoch": best.epoch,
                "best_val_loss": best.loss,
            }
            # A task may add its own readings of the validation loss (a language model: perplexity, bits).
            extra = getattr(self.task, "epoch_logs", None)
            if extra is not None:
                logs.update(extra(val_loss))
            history.append(logs)
            self._emit("on_epoch_end", epoch, logs)
            if self._stopping():
                reason = self._stop_requested
                break
        best.restore()
        result = events.TrainResult(
            stopped_reason=reason,
            message=_describe_end(reason, detail, len(history), best.epoch, cfg),
            epochs_run=len(history),
            best_epoch=best.epoch,
            best_val_loss=best.loss,
            seconds=time.perf_counter() - started,
            history=history,
        )
        self._emit("on_train_end", result)
        return result

    def _train_epoch(
        self, epoch: int, optimizer: torch.optim.Optimizer, generator: torch.Generator
    ) -> tuple[float, str | None]:
        """One pass; returns the mean loss, or the non-finite value the loss hit."""
        self.model.train()
        total, count = 0.0, 0
        for index, batch in enumerate(self.task.train_batches(self.config.batch_size, generator)):
            if self._stopping():
                break
            loss = self.task.loss(self.model, batch)
            value = loss.item()
            if not math.isfinite(value):
                return value, str(value)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if self.config.grad_clip > 0:
                nn.utils.clip_grad_norm_(self.model.parameters(), self.config.grad_clip)
            optimizer.step()
            total += value
            count += 1
            self._emit("on_batch_end", index, {"epoch": epoch, "loss": value})
        return (total / count if count else float("nan")), None

    @torch.no_grad()
    def _validate(self) -> float:
        self.model.eval()
        losses = [self.task.loss(self.model, batch).item() for batch in self.task.val_batches(self.config.batch_size)]
        return sum(losses) / len(losses) if losses else float("nan")

    def _emit(self, hook: str, *args: Any) -> None:
        for callback in self.callbacks:
            getattr(callback, hook)(*args)


class _Best:
    """Keeps a copy of the weights with the lowest validation loss; NaN weights are never kept."""

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        self.epoch: int | None = None
        self.loss: float | None = None
        self._state = copy.deepcopy(model.state_dict())  # the starting weights, if no epoch completes

    def offer(self, epoch: int, loss: float) -> None:
        if self.loss is None or loss < self.loss:
            self.epoch, self.loss = epoch, loss
            self._state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}

    def restore(self) -> None:
        self.model.load_state_dict(self._state)


def _make_optimizer(model: nn.Module, cfg: TrainConfig) -> torch.optim.Optimizer:
    cls = torch.optim.AdamW if cfg.optimizer == "adamw" else torch.optim.Adam
    return cls(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)


def _describe_end(reason: str, detail: str, epochs: int, best: int | None, cfg: TrainConfig) -> str:
    kept = f"kept the weights of epoch {best}" if best else "kept the starting weights (no epoch completed)"
    if reason == events.FINISHED:
        done = "the single epoch" if epochs == 1 else f"all {epochs} epochs"
        return f"Finished {done}; {kept}, the best on validation."
    if reason == events.EARLY_STOPPED:
        return f"Stopped early at epoch {epochs}: no better validation loss for {cfg.patience} epochs; {kept}."
    if reason == events.USER_STOPPED:
        return f"Stopped by you after {epochs} complete epoch{'s' if epochs != 1 else ''}; {kept}."
    return (
        f"Training diverged: {detail}, so it stopped and {kept}. Try a lower learning rate "
        f"(now {cfg.lr:g}), gradient clipping (now {cfg.grad_clip:g}), or check the data for extreme values."
    )

