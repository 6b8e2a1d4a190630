"""Recomputing every gate and state of a recurrent stack (core/inspect/states.py), on one thread.

    python -m benchmarks.bench_inspect            # 2x256 LSTM, GRU and RNN over 1,000 steps (seconds)
    python -m benchmarks.bench_inspect --smoke    # the same at its smallest (the test suite)

The issue's target: states for a 2x256 LSTM over 1,000 steps in under 0.3 s on one thread. The input has 64
features (a text model's embedding). Beside each figure, torch's own nn.LSTM/GRU/RNN forward over the same
steps at batch 1, which returns the hidden states only (no gates): what the recomputation costs against it.
The figure is the median of the repeats, after one warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch
from torch import nn

from workbench.core.inspect.states import inspect_states

CELLS = {"LSTM": nn.LSTM, "GRU": nn.GRU, "RNN": nn.RNN}


def median_seconds(run, repeats: int) -> float:
    run()  # warm-up: first calls allocate and load code
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the smallest sizes, to check the script runs")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per cell (default 7)")
    args = parser.parse_args()
    layers, hidden, steps, features = (2, 32, 100, 8) if args.smoke else (2, 256, 1000, 64)
    repeats = 1 if args.smoke else args.repeats
    previous = torch.get_num_threads()
    torch.set_num_threads(1)  # inspect_states keeps numpy's BLAS on one thread itself
    try:
        run_cells(layers, hidden, steps, features, repeats)
    finally:
        torch.set_num_threads(previous)


def run_cells(layers: int, hidden: int, steps: int, features: int, repeats: int) -> None:
    torch.manual_seed(0)
    x = np.random.default_rng(0).standard_normal((steps, features)).astype(np.float32)  # (time, features)
    batch = torch.as_tensor(x)[None]  # (1, time, features)
    for name, cell in CELLS.items():
        module = cell(features, hidden, num_layers=layers, batch_first=True).eval()
        ours = median_seconds(lambda m=module: inspect_states(m, x), repeats)
        with torch.no_grad():
            theirs = median_seconds(lambda m=module: m(batch), repeats)
        print(f"states, {layers}x{hidden} {name} over {steps:,} steps, 1 thread: "
              f"{ours:.3f} s (torch's {name} forward, hidden states only: {theirs:.3f} s; ratio {ours / theirs:.2f})")


if __name__ == "__main__":
    main()
