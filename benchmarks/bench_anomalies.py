"""Anomaly detection: recall and false alarm rate at level 0.99 on a seasonal series with spikes in its test part.

    python -m benchmarks.bench_anomalies            # the full measurement (a minute or two)
    python -m benchmarks.bench_anomalies --smoke    # the smallest sizes: proves the script runs (the test suite)

A series of hourly-like rows (a season of 24, a slow rise, Gaussian noise of sd 1) trains one forecaster with the
app's defaults (smaller in --smoke); its bands are calibrated on the validation part as in every run. Then, for
each spike size, spikes of that many noise sds (random sign) are added to rows of the test part, one per block of
30 rows, and `detect_anomalies` flags the rows outside the one-step-ahead band at 0.99. Recall is the share of
spikes flagged; the false alarm rate is the share of the other test rows flagged, over all of them and over the
"clean" ones only, whose lookback window holds no spike (a spike inside the window shifts the next forecasts too).
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.core.data.series import SeriesData, prepare_series
from workbench.core.forecast.anomalies import detect_anomalies
from workbench.core.forecast.pipeline import ForecastRun, train_forecaster
from workbench.core.run_config import RunConfig

SEASON, BLOCK, LEVEL = 24, 30, 0.99


@dataclass(frozen=True)
class Sizes:
    rows: int = 3000
    epochs: int = 20
    hidden: int | None = None  # None: the app's default
    spikes: tuple[float, ...] = (3.0, 4.0, 5.0, 8.0)  # in noise sds


FULL = Sizes()
SMOKE = Sizes(rows=400, epochs=1, hidden=8, spikes=(5.0,))


def make_series(rows: int, config: RunConfig) -> SeriesData:
    rng = np.random.default_rng(0)
    t = np.arange(rows)
    value = 50 + 0.01 * t + 5 * np.sin(2 * np.pi * t / SEASON) + rng.normal(0, 1, rows)
    times = pd.date_range("2024-01-01", periods=rows, freq="h")
    return prepare_series(pd.DataFrame({"time": times.strftime("%Y-%m-%d %H:%M"), "value": value}), config.data)


def train(sizes: Sizes) -> ForecastRun:
    config = RunConfig()
    config.train.epochs, config.train.threads, config.train.device = sizes.epochs, 1, "cpu"
    if sizes.hidden:
        config.model.hidden = sizes.hidden
    return train_forecaster(make_series(sizes.rows, config), config)


def measure(run: ForecastRun, size: float, seed: int = 1) -> dict[str, float]:
    """Inject spikes of `size` sds into the test part and score what detection finds."""
    rng = np.random.default_rng(seed)
    plan, series = run.setup.plan, run.series
    starts = np.arange(plan.val_end, plan.n_rows - BLOCK + 1, BLOCK)
    spikes = starts + rng.integers(0, BLOCK // 2, len(starts))
    values = series.values.copy()
    values[spikes, 0] += size * rng.choice([-1.0, 1.0], len(spikes))
    found = detect_anomalies(run.model, dataclasses.replace(series, values=values), plan.lookback,
                             run.evaluation.calibration, LEVEL)
    rows = np.arange(plan.lookback, plan.n_rows)  # the frame's rows, in order
    flagged = found.frame["anomaly"].to_numpy() == 1
    test = rows >= plan.val_end
    is_spike = np.isin(rows, spikes)
    # A row whose lookback window (the rows before it) holds a spike: its forecast was pushed by the spike.
    after = np.zeros(plan.n_rows, dtype=bool)
    for row in spikes:
        after[row + 1: row + 1 + plan.lookback] = True
    others = test & ~is_spike
    clean = others & ~after[rows]
    return {"size": size, "spikes": int(is_spike.sum()), "found": int((flagged & is_spike).sum()),
            "recall": float(flagged[is_spike].mean()), "false": int((flagged & others).sum()),
            "rate": float(flagged[others].mean()), "clean_rate": float(flagged[clean].mean()),
            "used_level": found.used_level}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the smallest sizes, to prove the script runs")
    sizes = SMOKE if parser.parse_args().smoke else FULL
    run = train(sizes)
    plan = run.setup.plan
    print(f"series: {sizes.rows:,} rows, season {SEASON}, noise sd 1; lookback {plan.lookback}; "
          f"test part {plan.n_rows - plan.val_end:,} rows; {run.result.message}")
    print(f"model test MAE {run.evaluation.metrics['mae']:.3f}; "
          f"{run.evaluation.words().coverage[-1] if run.evaluation.words().coverage else ''}")
    results = [measure(run, size) for size in sizes.spikes]
    print(f"level {LEVEL} (band used: {results[0]['used_level']:.4g})")
    print(f"{'spike (sd)':>10} {'spikes':>7} {'found':>6} {'recall':>7} {'false':>6} {'false rate':>11} "
          f"{'clean rate':>11}")
    for r in results:
        print(f"{r['size']:>10.1f} {r['spikes']:>7} {r['found']:>6} {r['recall']:>7.3f} {r['false']:>6} "
              f"{r['rate']:>11.4f} {r['clean_rate']:>11.4f}")
    for r in results:
        print(f"spikes of {r['size']:.1f} sd: recall {r['recall']:.3f}, false alarm rate {r['rate']:.4f}")


if __name__ == "__main__":
    main()
