"""The run store at 10,000 runs: adding them, listing them, sorting them, and what recording costs a training run.

    python -m benchmarks.bench_runs            # 10,000 runs of 30 epochs each
    python -m benchmarks.bench_runs --smoke    # 200 runs: proves the script runs

Each run is shaped like a real forecaster run: the full settings, a test summary beside two baselines, the
environment, and 30 epochs of history. "list" is RunStore.list_runs() (what the Runs tab loads, without curves),
"sort" orders those records by their test MASE in Python (what a table view does on a header click), "table"
flattens them for the CSV export. Times are the median of 5 repeats: wall time, and the process's CPU time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable

from workbench.core.run_config import RunConfig
from workbench.core.runs.records import RunRecord
from workbench.core.runs.store import RunStore
from workbench.core.runs.table import runs_frame

EPOCHS = 30
REPEATS = 5


def a_run(k: int, rng: random.Random) -> RunRecord:
    config = RunConfig()
    config.model.hidden = rng.choice((16, 32, 64, 128))
    scores = {name: rng.random() for name in ("mae", "rmse", "mape", "smape", "mase")}
    history = [{"epoch": e, "loss": rng.random(), "val_loss": rng.random(), "lr": 1e-3, "seconds": 0.5,
                "best_epoch": e, "best_val_loss": rng.random()} for e in range(1, EPOCHS + 1)]
    return RunRecord(kind="forecaster", status="finished", message="Finished all 30 epochs.", started=1.7e9 + k,
                     ended=1.7e9 + k + 15, data_path="/data/co2.csv", data_sha256="ab" * 32,
                     read_options={"delimiter": ","}, settings=config.to_dict(), seed=0,
                     environment={"versions": {"torch": "2.13.0"}, "device": "cpu", "threads": 1},
                     history=history, metrics={"validation": {"val_loss": rng.random()}, "test": scores,
                                               "baselines": {"naive": dict(scores), "seasonal_naive": dict(scores)},
                                               "per_step": [dict(scores)]},
                     verdict="On the test part the model beats both baselines.", epochs=EPOCHS,
                     best_val_loss=rng.random(), study=f"study-{k % 20}", trial=k // 20)


def median_ms(job: Callable[[], object]) -> str:
    """Wall and CPU time, medians of REPEATS: on a shared machine the CPU time is the steadier figure."""
    wall, cpu = [], []
    for _ in range(REPEATS):
        started, started_cpu = time.perf_counter(), time.process_time()
        job()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return f"{statistics.median(wall):.0f} ms (CPU {statistics.median(cpu):.0f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="200 runs, to prove the script runs")
    args = parser.parse_args()
    count = 200 if args.smoke else 10_000
    rng = random.Random(0)
    runs = [a_run(k, rng) for k in range(count)]
    with tempfile.TemporaryDirectory() as folder, RunStore(folder) as store:
        started = time.perf_counter()
        for run in runs:
            store.add_run(run)
        added = time.perf_counter() - started
        print(f"runs: {count:,}, {EPOCHS} epochs each")
        print(f"add: {added * 1000 / count:.2f} ms per run ({added:.1f} s in all, one transaction each)")
        listed = store.list_runs()
        print(f"list: {median_ms(store.list_runs)}")
        print(f"sort by test MASE: {median_ms(lambda: sorted(listed, key=lambda r: r.metrics['test']['mase']))}")
        print(f"list one study: {median_ms(lambda: store.list_runs(study='study-3'))}")
        print(f"list with every epoch: {median_ms(lambda: store.list_runs(with_history=True))}")
        print(f"table for CSV: {median_ms(lambda: runs_frame(listed))}")


if __name__ == "__main__":
    main()
