"""The ETS baseline: fitted on the training part only, forecast from every origin without refitting (the same
forecasts statsmodels makes), absent with a reason rather than an error, and part of every evaluation."""

import warnings

import numpy as np
import pytest

from workbench.core.data.splits import WindowPlan
from workbench.core.forecast import metrics
from workbench.core.forecast.baselines import naive_forecast, seasonal_naive_forecast
from workbench.core.forecast.ets import ets_forecasts
from workbench.core.forecast.evaluation import score, scored_origins, scored_targets
from workbench.core.forecast.score_words import ETS_ADVICE, judge

N, SEASON, H = 200, 12, 4
PLAN = WindowPlan(n_rows=N, lookback=12, horizon=H, train_end=140, val_end=170)
T = np.arange(N)


def seasonal_series(seed=0):
    """A rising monthly-like series whose season grows with its level, and a little noise."""
    rng = np.random.default_rng(seed)
    return 100 + 0.5 * T + (10 + 0.05 * T) * np.sin(2 * np.pi * T / SEASON) + rng.normal(0, 1, N)


def test_ets_beats_both_naive_forecasts_on_a_seasonal_series():
    y = seasonal_series()
    origins = scored_origins(PLAN)
    ets = ets_forecasts(y, PLAN.train_end, origins, H, SEASON)
    actual = scored_targets(y, origins, PLAN)
    error = metrics.mae(actual, ets.forecast)
    assert error < 0.5 * metrics.mae(actual, naive_forecast(y, origins, H))
    assert error < metrics.mae(actual, seasonal_naive_forecast(y, origins, H, SEASON))
    assert ets.form in ("ETS(A,Ad,A)", "ETS(A,Ad,M)")
    assert ets.note == (f"{ets.form}: exponential smoothing with a season of 12 rows, fitted with statsmodels on the "
                        "140 training rows only.")


def test_each_origins_forecast_is_the_one_statsmodels_makes_from_the_training_fit():
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = seasonal_series(1)
    ets = ets_forecasts(y, PLAN.train_end, np.array([PLAN.train_end - 1]), H, SEASON)
    kind = {"A": "add", "M": "mul"}[ets.form[-2]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(y[: PLAN.train_end], error="add", trend="add", damped_trend=True, seasonal=kind,
                         seasonal_periods=SEASON, initialization_method="heuristic")
        expected = model.smooth(model.fit(disp=False, return_params=True)).forecast(H)
    np.testing.assert_allclose(ets.forecast[0], expected, rtol=1e-9)


def test_later_values_never_change_an_earlier_origins_forecast():
    y = seasonal_series(2)
    origins = scored_origins(PLAN)
    changed = y.copy()
    changed[origins[5] + 1:] += 50  # everything after the sixth origin
    before = ets_forecasts(y, PLAN.train_end, origins, H, SEASON).forecast
    after = ets_forecasts(changed, PLAN.train_end, origins, H, SEASON).forecast
    np.testing.assert_array_equal(before[:6], after[:6])
    assert not np.allclose(before[6:], after[6:])


@pytest.mark.parametrize(("values", "train_end", "reason"), [
    (np.arange(5.0), 3, "the training part has 3 rows, and exponential smoothing needs at least 10 to fit."),
    (np.full(40, 7.0), 30, "the training part never changes, so there is nothing to smooth."),
    (np.r_[np.arange(30.0), np.nan, np.arange(9.0)], 30, "the series has missing or infinite values."),
])
def test_ets_is_absent_with_a_reason_never_an_error(values, train_end, reason):
    ets = ets_forecasts(values, train_end, np.array([train_end]), 1, None)
    assert ets.forecast is None and ets.form == ""
    assert ets.note == f"There is no ETS baseline: {reason}"


def test_a_long_training_part_is_fitted_on_its_last_rows_and_the_note_says_so():
    y = seasonal_series(3)
    ets = ets_forecasts(y, PLAN.train_end, scored_origins(PLAN), H, SEASON, max_fit_rows=60, damped=False)
    assert ets.form.startswith("ETS(A,A,")
    assert ets.note.endswith("fitted with statsmodels on its last 60 of 140 training rows, to keep scoring quick.")
    short = ets_forecasts(y, 20, np.array([19]), H, SEASON)  # 20 rows: fewer than two seasons of 12
    assert "without the season of 12 rows (the rows fitted hold fewer than two seasons)" in short.note


def test_the_evaluation_scores_ets_on_the_same_targets_and_says_when_it_is_absent():
    y = seasonal_series(4)
    origins = scored_origins(PLAN)
    ets = ets_forecasts(y, PLAN.train_end, origins, H, SEASON)
    evaluation = score(y, origins, naive_forecast(y, origins, H), PLAN, SEASON, ets=ets)
    assert evaluation.baselines["ets"] == metrics.regression_metrics(
        scored_targets(y, origins, PLAN), ets.forecast, scale=metrics.mase_scale(y[:140], SEASON))
    assert len(evaluation.per_step_baselines["ets"]) == H
    assert evaluation.summary()["baseline_notes"] == {"ets": ets.note}
    absent = ets_forecasts(np.arange(5.0), 3, origins, H, SEASON)
    evaluation = score(y, origins, naive_forecast(y, origins, H), PLAN, SEASON, ets=absent)
    assert "ets" not in evaluation.baselines and evaluation.words().ets == absent.note


def test_the_verdict_counts_three_baselines_and_says_what_helps_when_ets_wins():
    naive, seasonal = {"mase": 1.2}, {"mase": 0.9}
    win = judge({"mase": 0.5}, {"naive": naive, "seasonal_naive": seasonal, "ets": {"mase": 0.7}})
    assert win.sentence.startswith("On the test part the model beats all three baselines on MASE: 0.500 against "
                                   "0.700 for the best of them, the exponential smoothing (ETS) forecast (29% lower).")
    loss = judge({"mase": 0.8}, {"naive": naive, "seasonal_naive": {"mase": 0.6}, "ets": {"mase": 0.7}})
    assert loss.sentence == (
        "On the test part the model does not beat the seasonal-naive (same point last season) forecast on MASE: "
        "0.800 against 0.600, 33% higher. Its forecasts are no better than repeating the value from one season "
        "earlier. It does beat the naive (last value) forecast (1.20). It also loses to exponential smoothing (ETS, "
        f"0.700). {ETS_ADVICE}")
    assert not loss.beats_baselines
    assert ETS_ADVICE not in judge({"mase": 0.8}, {"naive": naive, "seasonal_naive": seasonal}).sentence
