"""Rolling-origin evaluation (backtesting): K folds, each a model trained on its own past and scored beside every
baseline on its own block of test rows, then the mean and spread of each score over the folds.

With n rows, K folds, test blocks of T = max(H, round(n * test share / K)) rows and V = max(H, round(n * validation
share)) validation rows, fold i (1..K) tests rows [n - (K-i+1)T, n - (K-i)T). The V rows before its test block
validate (early stopping, the bands' calibration), and the rows before those train: from the first row
("expanding"), or the same number of rows in every fold, the first fold's ("sliding"). Rows after a fold's test
block are not part of the fold at all. Each fold's scaling, ETS fit, early stopping and missing-value filling read
only its own training and validation rows, and every training target lies before its validation rows, so no fold
ever trains on its own test block.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from workbench.core.data.filling import fill_within_parts
from workbench.core.data.series import SeriesData, prepare_series
from workbench.core.data.splits import WindowPlan
from workbench.core.errors import ConfigError, DataError
from workbench.core.forecast.pipeline import ForecastRun, train_with_setup
from workbench.core.forecast.score_words import BASELINES, METRIC_WORDS
from workbench.core.forecast.setup import ForecastSetup, resolve_setup
from workbench.core.forecast.transform import fit_scaling
from workbench.core.run_config import RunConfig
from workbench.core.training.callbacks import Callback
from workbench.core.training.events import USER_STOPPED

MODES = ("expanding", "sliding")
DEFAULT_FOLDS = 3
MAX_FOLDS = 50  # each fold trains a model: more is rarely worth the wait


@dataclass(frozen=True)
class FoldRows:
    """Where one fold's parts lie in the whole series: rows [start, train_end) train, [train_end, val_end)
    validate, [val_end, end) test."""

    start: int
    train_end: int
    val_end: int
    end: int


@dataclass
class BacktestResult:
    folds: list[dict[str, Any]]  # per fold: its rows and times, the model's scores and every baseline's
    summary: dict[str, Any]  # mean and spread of each score over the folds, and what was run
    runs: list[ForecastRun] = field(default_factory=list, repr=False)  # each fold's run (for plots), in order

    def to_json(self) -> dict[str, Any]:
        """{"folds": [...], "summary": {...}}: plain JSON values (NaN where a score is undefined)."""
        return {"folds": self.folds, "summary": self.summary}


def fold_rows(n_rows: int, lookback: int, horizon: int, folds: int, mode: str, val_fraction: float,
              test_fraction: float) -> list[FoldRows]:
    """The folds' parts (see the module); DataError when the first fold has no room for a training window."""
    test = max(horizon, round(n_rows * test_fraction / folds))
    val = max(horizon, round(n_rows * val_fraction))
    first_train_end = n_rows - folds * test - val
    needed = lookback + horizon
    if first_train_end < needed:
        raise DataError(
            f"The series has {n_rows:,} rows: {folds} folds of {test:,} test rows and {val:,} validation rows leave "
            f"the first fold {max(first_train_end, 0):,} training rows, fewer than one window needs ({needed}: "
            f"lookback {lookback} plus horizon {horizon}).",
            hint="Use fewer folds, a shorter lookback or horizon, smaller validation and test shares, or more data.")
    out = []
    for i in range(folds):
        val_end = n_rows - (folds - i) * test
        train_end = val_end - val
        start = 0 if mode == "expanding" else train_end - first_train_end
        out.append(FoldRows(start, train_end, val_end, val_end + test))
    return out


def backtest(data: SeriesData | pd.DataFrame, config: RunConfig, folds: int = DEFAULT_FOLDS,
             mode: str = "expanding", callbacks: Sequence[Callback] = (),
             should_stop: Callable[[], bool] | None = None,
             progress: Callable[[int, int], None] | None = None) -> BacktestResult:
    """Train and score one model per fold (see the module) with the settings of `config`.

    `callbacks` and `should_stop` reach every fold's Trainer, so a window can show each epoch and stop the run;
    `progress(done, folds)` is called before each fold and once at the end. A stopped run keeps the folds that
    finished (its summary says "stopped": true); the fold it stopped in is left out.
    """
    problems = dict(config.problems())
    if not isinstance(folds, int) or not 1 <= folds <= MAX_FOLDS:
        problems["folds"] = f"must be a whole number from 1 to {MAX_FOLDS}, not {folds!r}."
    if mode not in MODES:
        problems["mode"] = f"must be one of {', '.join(MODES)}, not {mode!r}."
    if problems:
        raise ConfigError(problems)
    series = data if isinstance(data, SeriesData) else prepare_series(data, config.data)
    base = resolve_setup(series, config.data)  # the lookback and season one training run on this data would use
    d = base.data
    plans = fold_rows(series.n_rows, d.lookback, d.horizon, folds, mode, d.val_fraction, d.test_fraction)
    stop = should_stop or (lambda: False)
    done: list[dict[str, Any]] = []
    runs: list[ForecastRun] = []
    stopped = False
    for i, rows in enumerate(plans):
        if stop():
            stopped = True
            break
        if progress is not None:
            progress(i, len(plans))
        fold_series, setup = _fold(series, base, rows)
        run = train_with_setup(fold_series, config, setup, callbacks, should_stop)
        if run.result.stopped_reason == USER_STOPPED:
            stopped = True
            break
        done.append(_fold_record(i + 1, rows, series.times, run))
        runs.append(run)
    if progress is not None:
        progress(len(done), len(plans))
    summary = summarise(done)
    summary.update({"folds_planned": len(plans), "mode": mode, "stopped": stopped, "lookback": d.lookback,
                    "horizon": d.horizon, "test_rows_per_fold": plans[0].end - plans[0].val_end,
                    "validation_rows": plans[0].val_end - plans[0].train_end})
    summary["sentence"] = backtest_sentence(summary)
    return BacktestResult(done, summary, runs)


def _fold(series: SeriesData, base: ForecastSetup, rows: FoldRows) -> tuple[SeriesData, ForecastSetup]:
    """The fold's rows as a series of their own (missing values filled again within the fold's parts), and its
    setup: the fold's split, and scaling fitted on its training rows."""
    a, b = rows.start, rows.end
    plan = WindowPlan(b - a, base.plan.lookback, base.plan.horizon, rows.train_end - a, rows.val_end - a)
    values = series.values[a:b].copy()
    filled = series.filled[a:b] if series.filled is not None else None
    if filled is not None and filled.any():
        # Filled over the whole series' parts, a value could have been drawn from this fold's test block.
        values[filled] = np.nan
        fill_within_parts(values, filled, series.times[a:b].astype(np.int64), (plan.train_end, plan.val_end),
                          series.columns, lambda row: f"row {a + row + 1}")
    fold_series = dataclasses.replace(series, times=series.times[a:b], values=values, health=[],
                                      filled=filled if filled is not None and filled.any() else None,
                                      split=(plan.train_end, plan.val_end), fingerprint="", fill_note="")
    # The fold may take the change over a season only where the whole run does (its lookback holds two seasons).
    scaling = fit_scaling(values[: plan.train_end], base.data.transform, base.data.horizon, base.scaling.season or None)
    return fold_series, ForecastSetup(base.data, plan, scaling, base.season)


def _stamp(value: Any) -> str | int:
    return pd.Timestamp(value).isoformat() if isinstance(value, np.datetime64) else int(value)


def _fold_record(number: int, rows: FoldRows, times: np.ndarray, run: ForecastRun) -> dict[str, Any]:
    """One fold for the JSON: half-open row ranges [first, end) in the whole series, the times of their first
    and last rows, and the scores."""
    parts = {"train": (rows.start, rows.train_end), "validation": (rows.train_end, rows.val_end),
             "test": (rows.val_end, rows.end)}
    record: dict[str, Any] = {"fold": number}
    for name, (first, end) in parts.items():
        record[f"{name}_rows"] = [first, end]
        record[f"{name}_times"] = [_stamp(times[first]), _stamp(times[end - 1])]
    summary = run.evaluation.summary()
    record["scores"] = summary["test"]
    record["baselines"] = summary["baselines"]
    for key in ("verdict", "beats_baselines", "verdict_metric", "baseline_notes"):
        if key in summary:
            record[key] = summary[key]
    record.update(epochs_run=run.result.epochs_run, best_epoch=run.result.best_epoch,
                  stopped_reason=run.result.stopped_reason)
    return record


def _spread(values: list[float]) -> dict[str, float]:
    """Mean and sample standard deviation of the finite values (NaN when too few), and how many there were."""
    finite = np.array([v for v in values if math.isfinite(v)], dtype=float)
    mean = float(finite.mean()) if finite.size else math.nan
    std = float(finite.std(ddof=1)) if finite.size >= 2 else math.nan
    return {"mean": mean, "std": std, "folds": int(finite.size)}


def summarise(folds: list[dict[str, Any]]) -> dict[str, Any]:
    """Mean and spread over `folds` of every score of the model and of each baseline (over the folds that have
    it: ETS can be absent from a fold too short for it)."""
    names = dict.fromkeys(name for fold in folds for name in fold["baselines"])
    return {
        "folds": len(folds),
        "model": _spreads([fold["scores"] for fold in folds]),
        "baselines": {name: _spreads([fold["baselines"][name] for fold in folds if name in fold["baselines"]])
                      for name in names},
        "folds_beating_baselines": sum(bool(fold.get("beats_baselines")) for fold in folds),
    }


def _spreads(scores: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    keys = dict.fromkeys(key for entry in scores for key in entry)
    return {key: _spread([entry.get(key, math.nan) for entry in scores]) for key in keys}


def backtest_sentence(summary: dict[str, Any]) -> str:
    """The backtest in one or two sentences: how many folds the model won, and its mean score beside the best
    baseline's."""
    count = summary["folds"]
    if not count:
        return "No fold finished, so there is nothing to report."
    model = summary["model"]
    metric = "mase" if math.isfinite(model.get("mase", {}).get("mean", math.nan)) else "mae"
    wins = summary["folds_beating_baselines"]
    text = (f"Over {count} fold{'s' if count != 1 else ''} ({summary.get('mode', 'expanding')} window), the model "
            f"beat every baseline in {wins}.")
    means = {name: scores[metric]["mean"] for name, scores in summary["baselines"].items()
             if metric in scores and math.isfinite(scores[metric]["mean"])}
    if not means or not math.isfinite(model[metric]["mean"]):
        return text
    best = min(means, key=means.get)
    return (f"{text} Mean {METRIC_WORDS[metric]}: {_with_spread(model[metric])} for the model, "
            f"{_with_spread(summary['baselines'][best][metric])} for the best baseline, "
            f"{BASELINES.get(best, (best,))[0]}.")


def _with_spread(entry: dict[str, float]) -> str:
    spread = f" (spread {entry['std']:.3g})" if math.isfinite(entry["std"]) else ""
    return f"{entry['mean']:.3g}{spread}"
