"""Scoring on the test part: every step on the same targets, the summary a bundle keeps, and a monthly series at
horizon 12 whose MASE is above 1."""

import math

import numpy as np
import pandas as pd
import pytest

from tests.conftest import tiny_config
from workbench.core.data.series import prepare_series
from workbench.core.data.splits import plan_windows
from workbench.core.forecast.baselines import seasonal_naive_forecast
from workbench.core.forecast.evaluation import evaluate, score, scored_origins, scored_targets
from workbench.core.forecast.metrics import mase_yardstick
from workbench.core.forecast.pipeline import build_model
from workbench.core.forecast.score_words import ETS_ADVICE
from workbench.core.forecast.setup import resolve_setup

N, H, SEASON = 180, 12, 12
PLAN = plan_windows(N, lookback=12, horizon=H, val_fraction=0.15, test_fraction=0.15)
T = np.arange(N)


def _window_means(target, origins):
    """A flat forecast at every step: the mean of the 12 rows up to each origin, which ignores the season."""
    means = np.array([target[o - 11 : o + 1].mean() for o in origins])
    return np.repeat(means[:, None], H, axis=1)


def test_every_step_is_scored_on_every_test_target():
    target = T.astype(float)
    origins = scored_origins(PLAN)
    assert origins[0] == PLAN.val_end - H and origins[-1] == N - 2
    actual = scored_targets(target, origins, PLAN)
    for k in range(1, H + 1):
        scored = np.isfinite(actual[:, k - 1])
        np.testing.assert_array_equal(actual[scored, k - 1], np.arange(PLAN.val_end, N))  # the same rows at every step
        np.testing.assert_array_equal(origins[scored] + k, np.arange(PLAN.val_end, N))


def test_a_monthly_series_at_horizon_12_with_mase_above_1_is_not_called_a_win():
    # A rise of 0.6 a year under a yearly cycle: the seasonal-naive forecast is off by the rise, 0.6, at every step.
    target = 0.05 * T + 3 * np.sin(2 * np.pi * T / SEASON)
    origins = scored_origins(PLAN)
    evaluation = score(target, origins, _window_means(target, origins), PLAN, SEASON, "MS")
    assert evaluation.metrics["mase"] > 1
    assert evaluation.baselines["seasonal_naive"]["mase"] == pytest.approx(1.0)
    words = evaluation.words()
    assert words.verdict.sentence == (
        "On the test part the model does not beat the seasonal-naive (same point last season) forecast on MASE: "
        "3.24 against 1.00, 224% higher. Its forecasts are no better than repeating the value from one season "
        "earlier. It does beat the naive (last value) forecast (4.12).")
    assert "beats" not in words.verdict.sentence
    assert (words.verdict.beats_baselines, words.verdict.tone) == (False, "worse")
    assert words.mase == ("MASE divides the error by the mean absolute change over one season (12 months) in the "
                          "training part; below 1 beats that in-sample seasonal-naive error.")
    assert words.scope.startswith(f"Scored on the test part: its {N - PLAN.val_end} targets, each forecast 1 to 12 "
                                  f"steps ahead ({(N - PLAN.val_end) * 12} forecasts)")
    # The seasonal-naive forecast of a row is the row a year before at every step: each step scores the same rows.
    assert [s["mase"] for s in evaluation.per_step_baselines["seasonal_naive"]] == pytest.approx([1.0] * H)


def test_a_win_with_mase_above_1_says_so_and_keeps_its_tone():
    # An accelerating rise: the test part changes faster over a season than the training part did, so even a
    # forecast twice as close as the seasonal-naive one has a MASE above 1.
    target = 0.001 * T**2 + 3 * np.sin(2 * np.pi * T / SEASON)
    origins = scored_origins(PLAN)
    seasonal = seasonal_naive_forecast(target, origins, H, SEASON)
    truth = np.nan_to_num(scored_targets(target, origins, PLAN), nan=0.0)
    evaluation = score(target, origins, (seasonal + truth) / 2, PLAN, SEASON, "MS")
    assert evaluation.metrics["mase"] > 1 and evaluation.judgement.beats_baselines
    assert evaluation.verdict.endswith("Its MASE is still above 1: its errors are larger than the in-sample "
                                       "seasonal-naive error MASE divides by.")
    assert evaluation.judgement.tone == "better"


def test_the_summary_carries_the_verdict_for_bundles_and_other_panels():
    target = 0.05 * T + 3 * np.sin(2 * np.pi * T / SEASON)
    origins = scored_origins(PLAN)
    summary = score(target, origins, _window_means(target, origins), PLAN, SEASON, "MS").summary()
    assert isinstance(summary["verdict"], str) and summary["verdict"].startswith("On the test part the model does")
    assert summary["beats_baselines"] is False and summary["verdict_tone"] == "worse"
    assert summary["verdict_metric"] == "mase" and summary["targets"] == N - PLAN.val_end
    assert summary["mase_lag"] == 12 and len(summary["per_step"]) == H
    assert set(summary["per_step_baselines"]) == {"naive", "seasonal_naive"}


def test_mase_yardstick_reports_the_lag_it_used():
    assert mase_yardstick(np.arange(30.0), 12) == (12.0, 12)
    assert mase_yardstick(np.arange(10.0), 12) == (1.0, 1)  # shorter than a season and one: the one-step change
    scale, lag = mase_yardstick(np.full(30, 4.0), 12)
    assert math.isnan(scale) and lag == 12


def test_an_untrained_model_on_a_monthly_series_at_horizon_12():
    # A real ForecastModel, its seeded initial weights: forecasts no better than chance, so no win may be claimed.
    months = pd.date_range("2000-01", periods=N, freq="MS")
    frame = pd.DataFrame({"month": months.strftime("%Y-%m"), "sales": 50 + 0.3 * T + 8 * np.sin(2 * np.pi * T / 12)})
    config = tiny_config()
    config.data.horizon = H
    series = prepare_series(frame, config.data)
    setup = resolve_setup(series, config.data)
    evaluation = evaluate(build_model(config, setup, 1), series.values, setup.plan, setup.season, "MS")
    assert evaluation.metrics["mase"] > 1 and not evaluation.judgement.beats_baselines
    # A noise-free trend and season: exponential smoothing follows it closely, and the verdict says what helps.
    assert evaluation.verdict.startswith("On the test part the model does not beat the exponential smoothing (ETS) "
                                         "forecast on MASE")
    assert evaluation.verdict.endswith(ETS_ADVICE)
    assert "over one season (12 months)" in evaluation.words().mase
