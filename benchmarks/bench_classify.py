"""Text classification: the Trainer's throughput against a bare hand-written torch loop on the same model and data.

    python -m benchmarks.bench_classify            # the full measurement (about a minute)
    python -m benchmarks.bench_classify --quick    # a rough measurement (seconds)
    python -m benchmarks.bench_classify --smoke    # the smallest sizes: proves the script runs (the test suite)

Both sides train the same TextClassifier (the default: word tokens, embedding 64, one bidirectional LSTM layer of
64 units, max pooling over packed sequences, dropout 0.3) on the same encoded texts of sample_data/reviews.csv,
with shuffled batches of 32 trimmed to their longest text, Adam at 2e-3, gradient clipping 1.0 and one torch
thread. The first epoch warms up; the figure is examples per second over the timed epochs, the median of
repeats. "trainer (training)" times only the training batches and compares with the bare loop, which has no
validation; "trainer (with validation)" adds the validation pass (and accuracy count) the app runs after each
epoch. The requirement is a training ratio of at least 0.95.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from benchmarks.clock import EpochClock
from workbench.core.classify.dataset import PreparedTexts, prepare_dataset
from workbench.core.classify.pipeline import build_classifier
from workbench.core.classify.task import ClassificationTask
from workbench.core.data.sources import read_table
from workbench.core.run_config import ClassifyRunConfig
from workbench.core.training.engine import Trainer

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "reviews.csv"


@dataclass(frozen=True)
class Sizes:
    rows: int = 3000  # of the sample table
    timed_epochs: int = 3  # after one warm-up epoch
    repeats: int = 3
    hidden: int | None = None  # None: the app's defaults
    embedding: int | None = None


FULL = Sizes()
QUICK = Sizes(rows=400, timed_epochs=1, repeats=1)
SMOKE = Sizes(rows=150, timed_epochs=1, repeats=1, hidden=8, embedding=8)


def make_config(sizes: Sizes) -> ClassifyRunConfig:
    smaller = [f"model.hidden={sizes.hidden}"] if sizes.hidden else []
    smaller += [f"classify.embedding={sizes.embedding}"] if sizes.embedding else []
    return ClassifyRunConfig().with_overrides([
        f"train.epochs={1 + sizes.timed_epochs}", "train.patience=0", "train.threads=1", "train.device=cpu",
        *smaller])


def trainer_run(data: PreparedTexts, config: ClassifyRunConfig) -> tuple[float, float]:
    """Texts per second of the Trainer: training batches only, and with each epoch's validation."""
    model = build_classifier(config, len(data.vocabulary), len(data.data.classes))
    task = ClassificationTask(data.part("train"), data.part("val"))
    clock = EpochClock()
    Trainer(model, task, config.train, [clock]).fit()
    texts = (config.train.epochs - 1) * len(data.split.train)
    return texts / sum(clock.training[1:]), texts / sum(clock.whole[1:])


def bare_run(data: PreparedTexts, config: ClassifyRunConfig) -> float:
    """Texts per second of a hand-written loop over the same texts and model."""
    torch.set_num_threads(1)
    model = build_classifier(config, len(data.vocabulary), len(data.data.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=config.train.lr)
    ids, lengths, labels = (torch.as_tensor(a) for a in data.part("train"))
    generator = torch.Generator().manual_seed(0)
    model.train()
    for epoch in range(config.train.epochs):
        if epoch == 1:
            started = time.perf_counter()
        for index in torch.randperm(len(labels), generator=generator).split(config.train.batch_size):
            batch_lengths = lengths[index]
            logits = model(ids[index, : int(batch_lengths.max())], batch_lengths)
            loss = nn.functional.cross_entropy(logits, labels[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), config.train.grad_clip)
            optimizer.step()
    return (config.train.epochs - 1) * len(labels) / (time.perf_counter() - started)


def spread(values: list[float], spec: str = ",.0f") -> str:
    return f" (runs {', '.join(format(v, spec) for v in values)})" if len(values) > 1 else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="400 texts, one timed epoch, one repeat")
    parser.add_argument("--smoke", action="store_true", help="the smallest sizes; the figures mean nothing")
    args = parser.parse_args()
    sizes = SMOKE if args.smoke else QUICK if args.quick else FULL
    torch.set_num_threads(1)
    config = make_config(sizes)
    data = prepare_dataset(read_table(SAMPLE).frame.head(sizes.rows), config.classify, config.train.seed)
    training, whole, bare = [], [], []
    for _ in range(sizes.repeats):  # alternate, so drift in machine load hits both sides alike
        t, w = trainer_run(data, config)
        training.append(t)
        whole.append(w)
        bare.append(bare_run(data, config))
    # Each trainer run is paired with the bare run after it; the median of the paired ratios is less sensitive
    # to the machine's load changing during the benchmark than the ratio of the medians.
    ratios = [x / y for x, y in zip(training, bare)]
    ratios_whole = [x / y for x, y in zip(whole, bare)]
    model = config.model
    print(f"text classifier: {'bidirectional ' if model.bidirectional else ''}{model.cell.upper()} {model.hidden}, "
          f"embedding {config.classify.embedding}, {config.classify.pooling} pooling, vocabulary "
          f"{len(data.vocabulary)}, max_len {data.max_len}; {len(data.split.train)} training and "
          f"{len(data.split.val)} validation texts, batch {config.train.batch_size}, 1 thread; "
          f"{sizes.timed_epochs} epoch(s) timed after 1 warm-up, median of {sizes.repeats}")
    print(f"trainer (training):        {statistics.median(training):,.0f} texts/s{spread(training)}")
    print(f"trainer (with validation): {statistics.median(whole):,.0f} texts/s{spread(whole)}")
    print(f"bare torch loop:           {statistics.median(bare):,.0f} texts/s{spread(bare)}")
    print(f"ratio trainer/bare:        {statistics.median(ratios):.3f}{spread(ratios, '.3f')}")
    print(f"ratio trainer/bare (with validation): {statistics.median(ratios_whole):.3f}"
          f"{spread(ratios_whole, '.3f')}")


if __name__ == "__main__":
    main()
