"""Reading and preparing a wide table (5,000 columns x 200 rows) and a long one (1,000,000 rows x 3 columns).

    python -m benchmarks.bench_read_tables           # both tables at full size, best of 3
    python -m benchmarks.bench_read_tables --smoke   # 500 columns and 20,000 rows, once: proves the script runs

Times each core call the window makes when a file opens: read_table, detect_time_column, numeric_columns,
default_target, prepare_series and looks_like_labelled_texts (docs/decisions.md, "Wide and long tables").
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd


def write_wide(path: Path, columns: int, rows: int = 200) -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(0, 1, (rows, columns)).round(4), columns=[f"sensor_{i}" for i in range(columns)])
    frame.insert(0, "date", pd.date_range("2020-01-01", periods=rows, freq="D").strftime("%Y-%m-%d"))
    frame.to_csv(path, index=False)


def write_long(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    times = pd.date_range("2000-01-01", periods=rows, freq="min")
    frame = pd.DataFrame({"time": times.strftime("%Y-%m-%d %H:%M:%S"), "load": rng.normal(100, 5, rows).round(3),
                          "temperature": rng.normal(15, 3, rows).round(2)})
    frame.to_csv(path, index=False)


def best(call: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return min(times), result


def measure(path: Path, repeats: int) -> list[tuple[str, float]]:
    from workbench.core.classify.report import looks_like_labelled_texts
    from workbench.core.data.columns import detect_time_column, numeric_columns
    from workbench.core.data.config import DataConfig
    from workbench.core.data.series import default_target, prepare_series
    from workbench.core.data.sources import read_table

    read_s, table = best(lambda: read_table(path), repeats)
    frame = table.frame
    figures = [("read_table", read_s)]
    figures.append(("detect_time_column", best(lambda: detect_time_column(frame), repeats)[0]))
    time_column = detect_time_column(frame)
    figures.append(("numeric_columns", best(lambda: numeric_columns(frame, exclude=[time_column]), repeats)[0]))
    figures.append(("default_target", best(lambda: default_target(frame, time_column), repeats)[0]))
    figures.append(("prepare_series", best(lambda: prepare_series(frame, DataConfig()), repeats)[0]))
    figures.append(("looks_like_labelled_texts", best(lambda: looks_like_labelled_texts(frame), repeats)[0]))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small tables, once; the figures mean nothing")
    args = parser.parse_args()
    columns, rows, repeats = (500, 20_000, 1) if args.smoke else (5_000, 1_000_000, 3)
    with tempfile.TemporaryDirectory() as folder:
        for name, write, size in (("wide", write_wide, columns), ("long", write_long, rows)):
            path = Path(folder) / f"{name}.csv"
            write(path, size)
            shape = f"{size:,} columns x 200 rows" if name == "wide" else f"{size:,} rows x 3 columns"
            print(f"{name} table, {shape}, {path.stat().st_size / 1e6:.1f} MB:")
            figures = measure(path, repeats)
            for call, seconds in figures:
                print(f"  {call:<26} {seconds:8.3f} s")
            print(f"  {name} total: {sum(s for _, s in figures):.3f} s")


if __name__ == "__main__":
    main()
