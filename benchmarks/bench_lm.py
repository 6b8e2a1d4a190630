"""Character language models: the Trainer's throughput against a bare torch loop, generation speed, and quality.

    python -m benchmarks.bench_lm                                   # throughput and generation (about 2 minutes)
    python -m benchmarks.bench_lm --quick                           # a rough run of every mode (seconds)
    python -m benchmarks.bench_lm --smoke                           # every mode at its smallest (the test suite)
    python -m benchmarks.bench_lm --quality TEXT.txt --minutes 3    # validation loss against wall-clock time

Throughput: the app's Trainer with a LanguageModelTask against a hand-written loop on the same LanguageModel,
the same token chunks, Adam, gradient clipping 1.0, and state carried and detached between chunks; one torch
thread. The first epoch (or the same number of batches) warms up; the figure is the median of repeats.
"trainer (training)" times only the training batches, so it can be compared with the bare loop;
"trainer (with validation)" adds the validation pass the app runs after each epoch, sized here like a
90/10 split whose epoch is one pass over the text.

Generation: core generate() at batch 1 on the same model, sampling at temperature 1.

Quality: the same 2x256 model trained on a text for a wall-clock budget, with epochs capped to a fixed number
of batches so validation comes regularly; it prints the validation loss (nats and bits per character) at
each epoch end and the best reached.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from benchmarks.clock import EpochClock
from workbench.core.models.config import ModelConfig
from workbench.core.text.generate import generate
from workbench.core.text.lm_model import LanguageModel
from workbench.core.text.lm_task import LanguageModelTask, bits_per_token
from workbench.core.text.source import read_text
from workbench.core.text.streams import TextSplit, split_text
from workbench.core.training.callbacks import Callback
from workbench.core.training.config import TrainConfig
from workbench.core.training.engine import Trainer

SAMPLE_TEXT = Path(__file__).resolve().parent.parent / "sample_data" / "ships_log.txt"


@dataclass(frozen=True)
class Sizes:
    layers: int = 2
    hidden: int = 256
    embedding: int = 64
    seq_len: int = 100
    batch: int = 64
    lr: float = 2e-3
    batches_per_epoch: int = 10  # throughput: batches per timed epoch
    timed_epochs: int = 3  # after one warm-up epoch
    repeats: int = 3
    generate_chars: int = 2000

    @property
    def chars_per_batch(self) -> int:
        return self.batch * self.seq_len


FULL = Sizes()
QUICK = Sizes(layers=1, hidden=32, embedding=16, seq_len=20, batch=8, batches_per_epoch=3, timed_epochs=2,
              repeats=1, generate_chars=100)
SMOKE = Sizes(layers=1, hidden=8, embedding=4, seq_len=10, batch=4, batches_per_epoch=2, timed_epochs=1,
              repeats=1, generate_chars=20)


def make_model(split: TextSplit, sizes: Sizes) -> LanguageModel:
    torch.manual_seed(0)
    config = ModelConfig(layers=sizes.layers, hidden=sizes.hidden)
    return LanguageModel(config, len(split.vocabulary), embedding=sizes.embedding)


def throughput_data(text: str, sizes: Sizes) -> TextSplit:
    """Train ids long enough that every batch of the run is a full chunk, and validation one ninth of an epoch.

    The training part is repeated when the text is short: speed does not depend on what the characters say.
    """
    split = split_text(text, "char", 0.1)
    batches = sizes.batches_per_epoch * (1 + sizes.timed_epochs)
    needed = (batches + 1) * sizes.chars_per_batch + sizes.batch  # one spare chunk, one target column per row
    train = np.tile(split.train, -(-needed // len(split.train)))
    val = split.val[: max(2 * sizes.batch, sizes.batches_per_epoch * sizes.chars_per_batch // 9)]
    return TextSplit(train=train, val=val, vocabulary=split.vocabulary)


def trainer_run(split: TextSplit, sizes: Sizes) -> tuple[float, float]:
    """Characters per second of the Trainer: training batches only, and with each epoch's validation."""
    task = LanguageModelTask(split.train, split.val, sizes.seq_len, sizes.batch, sizes.batches_per_epoch)
    config = TrainConfig(epochs=1 + sizes.timed_epochs, batch_size=sizes.batch, lr=sizes.lr, patience=0,
                         grad_clip=1.0, threads=1, device="cpu")
    clock = EpochClock()
    Trainer(make_model(split, sizes), task, config, [clock]).fit()
    chars = sizes.timed_epochs * sizes.batches_per_epoch * sizes.chars_per_batch
    return chars / sum(clock.training[1:]), chars / sum(clock.whole[1:])


def bare_run(split: TextSplit, sizes: Sizes) -> float:
    """Characters per second of a hand-written TBPTT loop over the same chunks."""
    torch.set_num_threads(1)
    model = make_model(split, sizes)
    optimizer = torch.optim.Adam(model.parameters(), lr=sizes.lr)
    columns = len(split.train) // sizes.batch
    ids = torch.from_numpy(split.train[: sizes.batch * columns].copy()).view(sizes.batch, columns)  # (batch, cols)
    model.train()
    state = None
    warm = sizes.batches_per_epoch
    timed = sizes.timed_epochs * sizes.batches_per_epoch
    for step in range(warm + timed):
        if step == warm:
            started = time.perf_counter()
        at = step * sizes.seq_len
        inputs, targets = ids[:, at : at + sizes.seq_len], ids[:, at + 1 : at + 1 + sizes.seq_len]  # (batch, seq)
        logits, state = model(inputs, state)  # (batch, seq, vocab)
        state = tuple(part.detach() for part in state)  # LSTM (h, c): keep the values, cut the graph
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    return timed * sizes.chars_per_batch / (time.perf_counter() - started)


def generation_speed(split: TextSplit, sizes: Sizes) -> float:
    """Characters per second of core generate() at batch 1 (median of repeats, after a short warm-up)."""
    torch.set_num_threads(1)
    model = make_model(split, sizes)
    "".join(generate(model, split.vocabulary, "The ", 20, seed=0))
    speeds = []
    for repeat in range(sizes.repeats):
        started = time.perf_counter()
        text = "".join(generate(model, split.vocabulary, "The ", sizes.generate_chars, seed=repeat))
        speeds.append(len(text) / (time.perf_counter() - started))
    return statistics.median(speeds)


def spread(values: list[float], spec: str = ",.0f") -> str:
    return f" (runs {', '.join(format(v, spec) for v in values)})" if len(values) > 1 else ""


def measure_speed(text: str, sizes: Sizes) -> None:
    split = throughput_data(text, sizes)
    training, whole, bare = [], [], []
    for _ in range(sizes.repeats):  # alternate, so drift in machine load hits both sides alike
        t, w = trainer_run(split, sizes)
        training.append(t)
        whole.append(w)
        bare.append(bare_run(split, sizes))
    t, w, b = (statistics.median(values) for values in (training, whole, bare))
    # Each trainer run is paired with the bare run after it; the median of the paired ratios is less
    # sensitive to the machine's load changing during the benchmark than the ratio of the medians.
    ratios = [x / y for x, y in zip(training, bare)]
    ratios_whole = [x / y for x, y in zip(whole, bare)]
    print(f"char LSTM {sizes.layers}x{sizes.hidden}, embedding {sizes.embedding}, vocabulary "
          f"{len(split.vocabulary)}, seq {sizes.seq_len}, batch {sizes.batch}, Adam, clip 1.0, 1 thread; "
          f"{sizes.timed_epochs} x {sizes.batches_per_epoch} batches timed after 1 x {sizes.batches_per_epoch} "
          f"warm-up, median of {sizes.repeats}")
    print(f"trainer (training):        {t:,.0f} chars/s{spread(training)}")
    print(f"trainer (with validation): {w:,.0f} chars/s{spread(whole)}")
    print(f"bare torch loop:           {b:,.0f} chars/s{spread(bare)}")
    print(f"ratio trainer/bare:        {statistics.median(ratios):.3f}{spread(ratios, '.3f')}")
    print(f"ratio trainer/bare (with validation): {statistics.median(ratios_whole):.3f}{spread(ratios_whole, '.3f')}")
    g = generation_speed(split, sizes)
    print(f"generation, batch 1, temperature 1: {g:,.0f} chars/s ({sizes.generate_chars} chars, median of "
          f"{sizes.repeats})")


class QualityLog(Callback):
    """Prints each epoch's validation loss against elapsed time, and fits the last epoch into the budget.

    The Trainer skips validation for an epoch it stops part-way, so instead of letting the budget cut an epoch
    short, the last one is given only the batches that, with its validation, still fit in the time left.
    """

    def __init__(self, started: float, budget: float) -> None:
        self.started = started
        self.budget = budget
        self.points: list[tuple[float, int, float]] = []
        self.total_batches = 0

    def on_train_begin(self, info: dict) -> None:
        self.epoch_start = self.last_batch = time.perf_counter()
        self.batches = 0

    def on_batch_end(self, batch: int, logs: dict) -> None:
        self.last_batch = time.perf_counter()
        self.batches += 1
        self.total_batches += 1

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        now = time.perf_counter()
        elapsed = now - self.started
        self.points.append((elapsed, epoch, logs["val_loss"]))
        print(f"{elapsed:7.1f} s  epoch {epoch:3d}  train {logs['loss']:.3f}  val {logs['val_loss']:.3f} nats  "
              f"{bits_per_token(logs['val_loss']):.3f} bpc", flush=True)
        per_batch = (self.last_batch - self.epoch_start) / max(self.batches, 1)
        validation = now - self.last_batch
        fit = int((self.budget - elapsed - validation) / per_batch)
        task = self.trainer.task if self.trainer is not None else None
        if fit < 1 and self.trainer is not None:
            self.trainer.request_stop()
        elif task is not None and fit < task.max_batches_per_epoch:
            task.max_batches_per_epoch = fit
        self.epoch_start, self.batches = time.perf_counter(), 0


def measure_quality(path: str, seconds: float, sizes: Sizes, chars: int | None, sample: int) -> None:
    source = read_text(path)
    text = source.text[:chars] if chars else source.text
    split = split_text(text, "char", 0.1)
    task = LanguageModelTask(split.train, split.val, sizes.seq_len, sizes.batch, sizes.batches_per_epoch)
    model = make_model(split, sizes)
    config = TrainConfig(epochs=1_000_000, batch_size=sizes.batch, lr=sizes.lr, patience=0, grad_clip=1.0,
                         threads=1, device="cpu")
    print(f"quality: {Path(path).name}, {len(text):,} chars ({len(split.train):,} train, {len(split.val):,} val), "
          f"vocabulary {len(split.vocabulary)}; char LSTM {sizes.layers}x{sizes.hidden}, embedding "
          f"{sizes.embedding}, {sum(p.numel() for p in model.parameters()):,} parameters; seq {sizes.seq_len}, "
          f"batch {sizes.batch}, lr {sizes.lr:g}, {sizes.batches_per_epoch} batches per epoch, budget "
          f"{seconds:g} s, 1 thread; load average {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    log = QualityLog(started, seconds)
    result = Trainer(model, task, config, [log], lambda: time.perf_counter() - started > seconds).fit()
    elapsed = time.perf_counter() - started
    if result.best_val_loss is None:
        print(f"no epoch finished within {seconds:g} s; lower --batches-per-epoch")
        return
    at = next(t for t, epoch, _ in log.points if epoch == result.best_epoch)
    trained = log.total_batches * sizes.chars_per_batch
    print(f"best val loss: {result.best_val_loss:.3f} nats, {bits_per_token(result.best_val_loss):.3f} bpc, "
          f"perplexity {math.exp(result.best_val_loss):.2f} (epoch {result.best_epoch}, at {at:.1f} s; "
          f"{trained:,} chars trained in {elapsed:.1f} s; load average {os.getloadavg()[0]:.2f})")
    if sample:
        prompt = text[:40].rsplit(" ", 1)[0]
        continuation = "".join(generate(model, split.vocabulary, prompt, sample, temperature=0.8, seed=0))
        print(f"sample (temperature 0.8, best weights):\n{prompt}{continuation}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; with no --quality, runs every mode")
    parser.add_argument("--smoke", action="store_true",
                        help="the smallest sizes; with no --quality, runs every mode; the figures mean nothing")
    parser.add_argument("--quality", metavar="PATH", help="train on this text for --minutes and report the loss")
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--chars", type=int, help="use only the first CHARS characters of the text")
    parser.add_argument("--batches-per-epoch", type=int, default=50, help="quality: batches between validations")
    parser.add_argument("--layers", type=int, help="quality: recurrent layers (default 2)")
    parser.add_argument("--hidden", type=int, help="quality: hidden units (default 256)")
    parser.add_argument("--sample", type=int, default=300, help="quality: characters to generate at the end")
    args = parser.parse_args()
    torch.set_num_threads(1)
    sizes = SMOKE if args.smoke else QUICK if args.quick else FULL
    if args.quality:
        quality = Sizes(layers=args.layers or sizes.layers, hidden=args.hidden or sizes.hidden,
                        embedding=sizes.embedding, seq_len=sizes.seq_len, batch=sizes.batch,
                        batches_per_epoch=args.batches_per_epoch)
        measure_quality(args.quality, args.minutes * 60, quality, args.chars, args.sample)
        return
    text = read_text(SAMPLE_TEXT).text
    measure_speed(text[:5_000] if args.smoke else text[:20_000] if args.quick else text, sizes)
    if args.smoke:  # so the quality mode cannot rot either
        measure_quality(str(SAMPLE_TEXT), 0.3, Sizes(layers=1, hidden=8, embedding=4, seq_len=10, batch=4,
                                                     batches_per_epoch=10), 5_000, 20)
    elif args.quick:
        tiny = Sizes(layers=1, hidden=16, embedding=8, seq_len=20, batch=8, batches_per_epoch=40)
        measure_quality(str(SAMPLE_TEXT), 1.0, tiny, 20_000, 40)


if __name__ == "__main__":
    main()
