"""Backtesting: the folds' rows (a fold never trains on its own test block), one tiny model per fold scored beside
every baseline, the summary's mean and spread, progress and Stop."""

import math

import numpy as np
import pytest

from tests.conftest import tiny_config
from workbench.core.errors import ConfigError, DataError
from workbench.core.forecast.backtest import backtest, fold_rows


def config(**data):
    c = tiny_config(epochs=1)
    c.data.horizon = 3
    for key, value in data.items():
        setattr(c.data, key, value)
    return c


@pytest.mark.parametrize("mode", ["expanding", "sliding"])
def test_fold_rows_never_put_a_folds_test_block_before_its_training_rows(mode):
    folds = fold_rows(240, lookback=12, horizon=3, folds=4, mode=mode, val_fraction=0.15, test_fraction=0.15)
    assert [(f.val_end, f.end) for f in folds] == [(204, 213), (213, 222), (222, 231), (231, 240)]
    for fold in folds:
        assert fold.start < fold.train_end < fold.val_end < fold.end and fold.val_end - fold.train_end == 36
    starts = [f.start for f in folds]
    assert starts == ([0, 0, 0, 0] if mode == "expanding" else [0, 9, 18, 27])  # sliding: the same length each
    with pytest.raises(DataError, match="leave the first fold 0 training rows, fewer than one window needs"):
        fold_rows(100, lookback=12, horizon=3, folds=30, mode=mode, val_fraction=0.15, test_fraction=0.5)


def test_two_folds_train_tiny_models_only_on_rows_before_their_test_blocks(forecast_run):
    series = forecast_run.series
    seen = []
    result = backtest(series, config(), folds=2, mode="sliding", progress=lambda done, total: seen.append(done))
    assert seen == [0, 1, 2] and len(result.folds) == len(result.runs) == 2
    for fold, run in zip(result.folds, result.runs, strict=True):
        first, train_end = fold["train_rows"]
        assert train_end == fold["validation_rows"][0] and fold["validation_rows"][1] == fold["test_rows"][0]
        assert series.times[first] == run.series.times[0] and run.series.n_rows == fold["test_rows"][1] - first
        plan = run.setup.plan
        # Every training target, and the scaling, come from the fold's training rows only.
        assert plan.origins("train")[-1] + plan.horizon < plan.train_end == train_end - first
        np.testing.assert_allclose(run.setup.scaling.mean, series.values[first:train_end].mean(axis=0), rtol=1e-6)
        assert fold["train_times"][1] < fold["test_times"][0]
        assert set(fold["baselines"]) == {"naive", "seasonal_naive", "ets"} and "coverage_80" in fold["scores"]
    assert result.folds[0]["test_rows"][1] == result.folds[1]["test_rows"][0] == 222
    summary = result.to_json()["summary"]
    scores = [fold["scores"]["mae"] for fold in result.folds]
    assert summary["model"]["mae"]["mean"] == pytest.approx(np.mean(scores))
    assert summary["model"]["mae"]["std"] == pytest.approx(np.std(scores, ddof=1))
    assert summary["baselines"]["ets"]["mase"]["folds"] == 2
    assert (summary["folds"], summary["mode"], summary["stopped"]) == (2, "sliding", False)
    assert summary["sentence"].startswith("Over 2 folds (sliding window), the model beat every baseline in ")


def test_stop_keeps_the_folds_that_finished(forecast_run):
    stop = []
    result = backtest(forecast_run.series, config(), folds=2, should_stop=lambda: bool(stop),
                      progress=lambda done, total: stop.append(True) if done == 1 else None)
    assert len(result.folds) == 1 and result.summary["stopped"] and result.summary["folds_planned"] == 2
    assert math.isnan(result.summary["model"]["mae"]["std"])  # one fold: no spread


def test_bad_folds_or_mode_are_refused_in_words(forecast_run):
    with pytest.raises(ConfigError) as info:
        backtest(forecast_run.series, config(), folds=0, mode="rolling")
    assert info.value.problems == {"folds": "must be a whole number from 1 to 50, not 0.",
                                   "mode": "must be one of expanding, sliding, not 'rolling'."}


def test_missing_values_are_filled_again_within_each_folds_own_parts(seasonal_frame):
    # Row 221 is the last validation row of fold 2, and row 222 the first of its test block: filled over the whole
    # series' test part, 221 would be drawn from 222. Within the fold it carries 220 forward.
    seasonal_frame.loc[221, "load"] = np.nan
    result = backtest(seasonal_frame, config(), folds=2)
    fold = result.runs[1].series
    assert fold.split == (186, 222) and bool(fold.filled[221, 0])
    assert fold.values[221, 0] == fold.values[220, 0] == seasonal_frame.loc[220, "load"]
