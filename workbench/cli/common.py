"""What every command line module shares: messages, the progress bar, stopping on Ctrl-C, tables and JSON out."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from workbench.core.training.callbacks import Callback
from workbench.core.training.events import TrainResult

if TYPE_CHECKING:
    import pandas as pd


def say(args: argparse.Namespace, text: str) -> None:
    """A progress message on stderr, unless --quiet (stdout is kept for what a command produces)."""
    if not args.quiet:
        print(text, file=sys.stderr)


def progress_callbacks(args: argparse.Namespace) -> list[Callback]:
    """The callbacks that show training progress: a bar, or none with --quiet."""
    return [] if args.quiet else [ProgressBar()]


def emit_table(frame: pd.DataFrame, out: str | None) -> None:
    """Write `frame` as CSV (formula-escaped, atomically) to `out`, or print it; the count goes to stderr."""
    from workbench.core.export.tables import csv_text, write_csv

    if out:
        write_csv(frame, out)
        print(f"Wrote {len(frame)} rows to {out}", file=sys.stderr)
    else:
        sys.stdout.write(csv_text(frame))


def write_json(path: str, payload: dict[str, Any]) -> None:
    """Write `payload` as indented JSON, atomically (NaN allowed: a score can be undefined)."""
    from workbench.core.export.atomic import atomic_write_text

    atomic_write_text(path, json.dumps(payload, indent=2, allow_nan=True) + "\n")


def print_json(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, indent=2))


def training_line(result: dict[str, Any]) -> str:
    """The `info` line about how training ended, from a stored TrainResult."""
    return f"Training    {result['message']} ({result['seconds']:.1f} s)"


def saved_line(info: dict[str, str]) -> str:
    """The `info` line about when and by which version a bundle was saved."""
    return f"Saved       {info.get('created', '')} by workbench {info.get('workbench_version', '')}"


class ProgressBar(Callback):
    """One bar over all batches of the run; the losses of the last epoch ride along as a postfix."""

    def __init__(self) -> None:
        self._bar: tqdm | None = None

    def on_train_begin(self, info: dict[str, Any]) -> None:
        self._bar = tqdm(total=info["epochs"] * info["batches_per_epoch"], unit="batch", file=sys.stderr,
                         dynamic_ncols=True, desc="Training", mininterval=0.2)

    def on_batch_end(self, batch: int, logs: dict[str, float]) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if self._bar is not None:
            self._bar.set_postfix(epoch=epoch, loss=f"{logs['loss']:.4f}", val_loss=f"{logs['val_loss']:.4f}",
                                  refresh=False)

    def on_train_end(self, result: TrainResult) -> None:
        if self._bar is not None:
            self._bar.close()


class StopOnInterrupt:
    """The first Ctrl-C asks training to stop (keeping the best weights); a second one aborts.

    Use it as a context around training and pass it as `should_stop`.
    """

    def __init__(self) -> None:
        self.requested = False
        self._previous: Any = None

    def __call__(self) -> bool:
        return self.requested

    def __enter__(self) -> StopOnInterrupt:
        self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print("\nStopping after this batch (Ctrl-C again to abort)...", file=sys.stderr)
