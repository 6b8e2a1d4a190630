"""Loading a 1,000,000-row, 3-column CSV and building its windows: seconds and peak memory per lookback.

    python -m benchmarks.bench_load_windows           # 1,000,000 rows, lookbacks 16, 64, 256
    python -m benchmarks.bench_load_windows --quick   # 20,000 rows
    python -m benchmarks.bench_load_windows --smoke   # 2,000 rows, lookback 16 only: proves the script runs

Each lookback runs in a fresh process so its peak resident memory is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def write_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    times = pd.date_range("2000-01-01", periods=rows, freq="min")
    frame = pd.DataFrame({"time": times.strftime("%Y-%m-%d %H:%M:%S"), "load": rng.normal(100, 5, rows).round(3),
                          "temperature": rng.normal(15, 3, rows).round(2)})
    frame.to_csv(path, index=False)


def measure(path: str, lookback: int) -> dict:
    import torch

    from workbench.core.data.config import DataConfig
    from workbench.core.data.series import prepare_series
    from workbench.core.data.sources import read_table
    from workbench.core.forecast.setup import resolve_setup
    from workbench.core.forecast.task import ForecastTask

    started = time.perf_counter()
    table = read_table(path)
    read_s = time.perf_counter() - started
    series = prepare_series(table.frame, DataConfig(target="load", inputs=["temperature"]))
    prepare_s = time.perf_counter() - started - read_s
    setup = resolve_setup(series, DataConfig(lookback=lookback, target="load", inputs=["temperature"]))
    task = ForecastTask(series.values, setup.plan)
    batch = next(task.train_batches(64, torch.Generator().manual_seed(0)))
    x = task.source.inputs(batch)
    windows_s = time.perf_counter() - started - read_s - prepare_s
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": series.n_rows, "lookback": lookback, "read_s": read_s, "prepare_s": prepare_s,
            "windows_s": windows_s, "train_windows": int(setup.plan.counts()["train"]), "batch_shape": list(x.shape),
            "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows")
    parser.add_argument("--smoke", action="store_true", help="2,000 rows and one lookback; the figures mean nothing")
    parser.add_argument("--child", nargs=2, metavar=("CSV", "LOOKBACK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]))))
        return
    rows = 2_000 if args.smoke else 20_000 if args.quick else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        write_csv(path, rows)
        print(f"{rows:,} rows x 3 columns, {path.stat().st_size / 1e6:.1f} MB on disk")
        for lookback in (16,) if args.smoke else (16, 64, 256):
            out = subprocess.run([sys.executable, "-m", "benchmarks.bench_load_windows", "--child", str(path),
                                  str(lookback)], capture_output=True, text=True, check=True).stdout
            r = json.loads(out)
            print(f"lookback {lookback:>3}: read {r['read_s']:.2f} s, prepare {r['prepare_s']:.2f} s, "
                  f"windows {r['windows_s'] * 1000:.1f} ms ({r['train_windows']:,} training windows), "
                  f"peak memory {r['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
