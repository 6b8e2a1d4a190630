"""Training throughput of the workbench's Trainer against a bare hand-written torch loop on the same windows.

    python -m benchmarks.bench_training            # the full measurement (about a minute)
    python -m benchmarks.bench_training --quick    # a rough measurement (seconds)
    python -m benchmarks.bench_training --smoke    # the smallest sizes: proves the script runs (the test suite)

Both sides use the same unfolded windows, the same LSTM, batch size, optimiser and one torch thread; the bare
loop gets its windows pre-scaled and skips validation, so any cost of the engine (callbacks, scaling inside the
model, stop checks, validation, best-weight copies) counts against it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from workbench.core.data.splits import plan_windows
from workbench.core.data.windowing import WindowSource
from workbench.core.forecast.task import ForecastTask
from workbench.core.models.config import ModelConfig
from workbench.core.models.recurrent import ForecastModel, RecurrentNet
from workbench.core.training.config import TrainConfig
from workbench.core.training.engine import Trainer


@dataclass(frozen=True)
class Sizes:
    rows: int = 20000
    epochs: int = 3
    repeats: int = 3
    lookback: int = 48
    batch: int = 64
    hidden: int = 64


FULL = Sizes()
QUICK = Sizes(rows=2000, epochs=1, repeats=1)
SMOKE = Sizes(rows=300, epochs=1, repeats=1, lookback=12, batch=16, hidden=8)


def make_series(rows: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    t = np.arange(rows)
    return (np.sin(2 * np.pi * t / 24) + 0.001 * t + rng.normal(0, 0.1, rows))[:, None]


def engine_run(values: np.ndarray, lookback: int, epochs: int, batch: int, hidden: int) -> tuple[float, int]:
    plan = plan_windows(len(values), lookback, 1, 0.1, 0.1)
    torch.manual_seed(0)
    model = ForecastModel(ModelConfig(hidden=hidden), 1, 1)
    mean, std = values[: plan.train_end].mean(0), values[: plan.train_end].std(0)
    model.set_scaling(torch.tensor(mean), torch.tensor(std), float(std[0]), False)
    config = TrainConfig(epochs=epochs, batch_size=batch, patience=0, threads=1, device="cpu")
    started = time.perf_counter()
    Trainer(model, ForecastTask(values, plan), config).fit()
    return time.perf_counter() - started, len(plan.origins("train")) * epochs


def bare_run(values: np.ndarray, lookback: int, epochs: int, batch: int, hidden: int) -> tuple[float, int]:
    torch.set_num_threads(1)
    plan = plan_windows(len(values), lookback, 1, 0.1, 0.1)
    scaled = (values - values[: plan.train_end].mean(0)) / values[: plan.train_end].std(0)
    source = WindowSource(scaled, lookback, 1)
    origins = torch.as_tensor(plan.origins("train"))
    torch.manual_seed(0)
    net = RecurrentNet(ModelConfig(hidden=hidden), 1, 1)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(0)
    started = time.perf_counter()
    for _ in range(epochs):
        for index in origins[torch.randperm(len(origins), generator=generator)].split(batch):
            loss = nn.functional.mse_loss(net(source.inputs(index)), source.targets(index))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
    return time.perf_counter() - started, len(origins) * epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rows, one epoch, one repeat")
    parser.add_argument("--smoke", action="store_true", help="the smallest sizes; the figures mean nothing")
    args = parser.parse_args()
    sizes = SMOKE if args.smoke else QUICK if args.quick else FULL
    values = make_series(sizes.rows)
    shape = (sizes.lookback, sizes.epochs, sizes.batch, sizes.hidden)
    engine, bare = [], []
    for _ in range(sizes.repeats):  # alternate, so drift in machine load hits both sides alike
        seconds, windows = engine_run(values, *shape)
        engine.append(windows / seconds)
        seconds, windows = bare_run(values, *shape)
        bare.append(windows / seconds)
    e, b = statistics.median(engine), statistics.median(bare)
    print(f"LSTM 1x{sizes.hidden}, lookback {sizes.lookback}, batch {sizes.batch}, {sizes.rows} rows, "
          f"{sizes.epochs} epochs, 1 thread, median of {sizes.repeats}")
    print(f"engine (with validation): {e:,.0f} windows/s")
    print(f"bare torch loop:          {b:,.0f} windows/s")
    print(f"ratio engine/bare:        {e / b:.3f}")


if __name__ == "__main__":
    main()
