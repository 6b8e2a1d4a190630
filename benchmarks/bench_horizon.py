"""Accuracy at one season ahead: the default forecaster against the naive and seasonal-naive forecasts.

    python -m benchmarks.bench_horizon               # default settings, every series (a few minutes on 2 cores)
    python -m benchmarks.bench_horizon --quick       # at most 20 epochs (a rough look, about a minute)
    python -m benchmarks.bench_horizon --smoke       # one short series, 2 epochs, hidden 8: proves the script runs
    python -m benchmarks.bench_horizon --seeds 0 1 2 --set data.transform=difference   # other settings

Each series is trained through the core (`train_forecaster`) with `RunConfig()` and the horizon set to one season
(12 for monthly data, 52 for weekly, 4 for quarterly; 11 for the yearly sunspots, whose cycle is about 11 years).
The scores are the app's own test-part scores (core/forecast/evaluation.py): every test target at every step
ahead, averaged over the steps. "best baseline" is the lower of the naive and seasonal-naive MAE; the ratio is
the model's MAE over it, and the model wins when both its MAE and its RMSE are below that baseline's. With
several seeds, the scores are averaged over the seeds and "wins" counts the seeds that won.

The series are the samples in sample_data/ (weekly CO2, monthly El Nino SST, quarterly US real GDP, yearly
sunspots) and, when statsmodels is installed, two monthly series it ships: the airline passengers (1949-1960,
a trend with growing seasonal peaks, from its SARIMAX test data) and euro-area electrical equipment orders.
sample_data/ holds no hourly series, so no hourly row is measured.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from workbench.core.data.series import prepare_series
from workbench.core.forecast import baselines, metrics
from workbench.core.forecast.pipeline import train_forecaster
from workbench.core.run_config import RunConfig

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


@dataclass(frozen=True)
class Sample:
    name: str
    load: Callable[[], pd.DataFrame]  # a time column first, the target last
    horizon: int
    cycle: int | None = None  # a seasonal-naive lag for series whose frequency has no season (yearly sunspots)


def _csv(name: str) -> Callable[[], pd.DataFrame]:
    return lambda: pd.read_csv(SAMPLES / name)


def _macro() -> pd.DataFrame:
    # Real GDP alone: the brief is about the default univariate forecast.
    return pd.read_csv(SAMPLES / "us_macro_quarterly.csv")[["quarter_start", "realgdp"]]


def _airline() -> pd.DataFrame:
    from statsmodels.tsa.statespace.tests.results.results_sarimax import air2_stationary

    values = np.asarray(air2_stationary["data"], dtype=float)
    return pd.DataFrame({"month": pd.date_range("1949-01-01", periods=len(values), freq="MS"), "passengers": values})


def _elec_equip() -> pd.DataFrame:
    from statsmodels.datasets import elec_equip

    frame = elec_equip.load_pandas().data
    return pd.DataFrame({"month": frame.index, "orders": frame.iloc[:, 0].to_numpy()})


SAMPLE_SERIES = [
    Sample("co2 weekly", _csv("co2_mauna_loa_weekly.csv"), 52),
    Sample("elnino sst monthly", _csv("elnino_sst_monthly.csv"), 12),
    Sample("us real gdp quarterly", _macro, 4),
    Sample("sunspots yearly", _csv("sunspots_yearly.csv"), 11, cycle=11),
]
STATSMODELS_SERIES = [
    Sample("airline monthly", _airline, 12),
    Sample("elec equip monthly", _elec_equip, 12),
]


@dataclass
class Row:
    series: str
    horizon: int
    model: tuple[float, float]  # MAE, RMSE averaged over steps (and seeds)
    naive: tuple[float, float]
    seasonal: tuple[float, float] | None
    ets: float | None  # ETS MAE where the evaluation fits one: shown, not part of the bar
    wins: int
    seeds: int
    seconds: float
    epochs: float

    @property
    def best(self) -> tuple[float, float]:
        return min([self.naive] + ([self.seasonal] if self.seasonal else []), key=lambda p: p[0])

    @property
    def ratio(self) -> float:
        return self.model[0] / self.best[0]


def available_samples(names: list[str] | None) -> list[Sample]:
    samples = list(SAMPLE_SERIES)
    try:
        import statsmodels  # noqa: F401
    except ImportError:
        print("statsmodels is not installed: the airline and electrical-equipment series are left out.")
    else:
        samples += STATSMODELS_SERIES
    return [s for s in samples if not names or any(n in s.name for n in names)]


def config_for(sample: Sample, seed: int, overrides: list[str]) -> RunConfig:
    return RunConfig().with_overrides([f"data.horizon={sample.horizon}", f"train.seed={seed}",
                                       "train.device=cpu", *overrides])


def cycle_baseline(target: np.ndarray, evaluation, cycle: int) -> tuple[float, float]:
    """Seasonal naive at a known cycle for a series whose frequency has none, on the app's own test targets."""
    forecast = baselines.seasonal_naive_forecast(target, evaluation.origins, evaluation.horizon, cycle)
    return metrics.mae(evaluation.actual, forecast), metrics.rmse(evaluation.actual, forecast)


def measure(sample: Sample, seeds: list[int], overrides: list[str]) -> Row:
    frame = sample.load()
    scores, wins, seconds, epochs, ets = [], 0, 0.0, 0, []
    for seed in seeds:
        config = config_for(sample, seed, overrides)
        series = prepare_series(frame, config.data, source=sample.name)
        started = time.perf_counter()
        run = train_forecaster(series, config)
        seconds += time.perf_counter() - started
        epochs += len(run.result.history)
        e = run.evaluation
        model = (e.metrics["mae"], e.metrics["rmse"])
        naive = (e.baselines["naive"]["mae"], e.baselines["naive"]["rmse"])
        if "seasonal_naive" in e.baselines:
            seasonal = (e.baselines["seasonal_naive"]["mae"], e.baselines["seasonal_naive"]["rmse"])
        else:
            seasonal = cycle_baseline(series.values[:, 0], e, sample.cycle) if sample.cycle else None
        if "ets" in e.baselines:
            ets.append(e.baselines["ets"]["mae"])
        best = min([naive] + ([seasonal] if seasonal else []), key=lambda p: p[0])
        wins += model[0] < best[0] and model[1] < best[1]
        scores.append((model, naive, seasonal))
    n = len(seeds)
    mean = lambda pairs: tuple(float(np.mean([p[i] for p in pairs])) for i in range(2))  # noqa: E731
    seasonal_scores = [s[2] for s in scores if s[2]]
    return Row(sample.name, e.horizon, mean([s[0] for s in scores]), mean([s[1] for s in scores]),
               mean(seasonal_scores) if seasonal_scores else None, float(np.mean(ets)) if ets else None, wins, n,
               seconds / n, epochs / n)


def print_table(rows: list[Row]) -> None:
    head = (f"{'series':<22} {'h':>3}  {'model MAE/RMSE':>17}  {'naive MAE/RMSE':>17}  {'seasonal MAE/RMSE':>17}  "
            f"{'ratio':>5}  {'result':<9} {'ETS MAE':>8} {'epochs':>6} {'seconds':>7}")
    print(head)
    print("-" * len(head))
    pair = lambda p: f"{p[0]:8.3g}/{p[1]:<8.3g}" if p else f"{'-':>17}"  # noqa: E731
    for r in rows:
        result = ("win" if r.wins == r.seeds else "lose" if r.wins == 0 else "mixed") + (
            f" {r.wins}/{r.seeds}" if r.seeds > 1 else "")
        print(f"{r.series:<22} {r.horizon:>3}  {pair(r.model)}  {pair(r.naive)}  {pair(r.seasonal)}  "
              f"{r.ratio:5.2f}  {result:<9} {f'{r.ets:.3g}' if r.ets else '-':>8} {r.epochs:6.0f} {r.seconds:7.1f}")
    print(f"ratio = model MAE / best baseline MAE; geometric mean over series: "
          f"{float(np.exp(np.mean([np.log(r.ratio) for r in rows]))):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="at most 20 epochs")
    parser.add_argument("--smoke", action="store_true", help="one short series, 2 epochs, hidden 8")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--only", nargs="+", help="series whose name contains one of these words")
    parser.add_argument("--set", nargs="+", default=[], help="settings on top of the defaults, as section.key=value")
    args = parser.parse_args()
    torch.set_num_threads(1)  # the app's own choice on a 2-core machine (docs/decisions.md, "Threads")
    overrides = list(args.set)
    names = args.only
    if args.quick:
        overrides = ["train.epochs=20", *overrides]
    if args.smoke:
        overrides = ["train.epochs=2", "model.hidden=8", *overrides]
        names = names or ["gdp"]
    print(f"settings: defaults{' + ' + ', '.join(overrides) if overrides else ''}; seeds {args.seeds}")
    rows = []
    for sample in available_samples(names):
        rows.append(measure(sample, args.seeds, overrides))
    print_table(rows)


if __name__ == "__main__":
    main()
