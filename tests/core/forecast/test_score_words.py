"""Every sentence about a forecaster's test scores, word for word: the verdict and its tone, MASE's yardstick, and
what each table scored."""

import math

import pytest

from workbench.core.forecast.score_words import (
    EARLIER_PER_STEP,
    NO_COMPARISON,
    best_of,
    compare,
    judge,
    mase_note,
    per_step_note,
    scope_note,
    score_words,
    season_span,
    verdict_of,
)


def test_a_win_over_one_baseline_gives_the_numbers_and_the_margin():
    verdict = judge({"mase": 0.77}, {"naive": {"mase": 1.0}}, mase_lag=1)
    assert verdict.sentence == ("On the test part the model beats the naive (last value) forecast on MASE: 0.770 "
                                "against 1.00 (23% lower).")
    assert (verdict.beats_baselines, verdict.tone, verdict.metric) == (True, "better", "mase")


def test_a_win_over_both_baselines_names_the_stronger():
    verdict = judge({"mase": 0.6}, {"naive": {"mase": 1.2}, "seasonal_naive": {"mase": 0.8}}, mase_lag=12)
    assert verdict.sentence == ("On the test part the model beats both baselines on MASE: 0.600 against 0.800 for "
                                "the better of them, the seasonal-naive (same point last season) forecast (25% lower).")
    assert verdict.to_dict() == {"verdict": verdict.sentence, "beats_baselines": True, "verdict_tone": "better",
                                 "verdict_metric": "mase"}


def test_a_win_with_mase_above_1_says_what_mase_above_1_means():
    verdict = judge({"mase": 1.34}, {"naive": {"mase": 2.1}, "seasonal_naive": {"mase": 1.6}}, mase_lag=12)
    assert verdict.sentence == (
        "On the test part the model beats both baselines on MASE: 1.34 against 1.60 for the better of them, the "
        "seasonal-naive (same point last season) forecast (16% lower). Its MASE is still above 1: its errors are "
        "larger than the in-sample seasonal-naive error MASE divides by.")
    assert verdict.tone == "better"


def test_a_loss_names_the_stronger_baseline_and_any_it_does_beat():
    verdict = judge({"mase": 1.34}, {"naive": {"mase": 2.1}, "seasonal_naive": {"mase": 0.9}}, mase_lag=12)
    assert verdict.sentence == (
        "On the test part the model does not beat the seasonal-naive (same point last season) forecast on MASE: "
        "1.34 against 0.900, 49% higher. Its forecasts are no better than repeating the value from one season "
        "earlier. It does beat the naive (last value) forecast (2.10).")
    assert (verdict.beats_baselines, verdict.tone) == (False, "worse")


def test_a_loss_to_the_only_baseline():
    verdict = judge({"mase": 1.12}, {"naive": {"mase": 1.0}})
    assert verdict.sentence == ("On the test part the model does not beat the naive (last value) forecast on MASE: "
                                "1.12 against 1.00, 12% higher. Its forecasts are no better than repeating the last "
                                "value.")


def test_within_half_a_percent_is_a_tie_and_not_a_win():
    verdict = judge({"mase": 0.998}, {"naive": {"mase": 1.0}, "seasonal_naive": {"mase": 1.3}})
    assert verdict.sentence == ("On the test part the model scores the same as the naive (last value) forecast on "
                                "MASE (0.998 against 1.00, within half a percent): it adds nothing over repeating the "
                                "last value. It does beat the seasonal-naive (same point last season) forecast "
                                "(1.30).")
    assert (verdict.beats_baselines, verdict.tone) == (False, "tie")


def test_without_mase_the_verdict_uses_mae_which_ranks_the_same():
    verdict = judge({"mase": math.nan, "mae": 2.0, "rmse": 9.0}, {"naive": {"mase": math.nan, "mae": 4.0}})
    assert verdict.sentence == ("On the test part the model beats the naive (last value) forecast on MAE: 2.00 "
                                "against 4.00 (50% lower).")
    assert verdict.metric == "mae"


def test_nothing_to_compare():
    verdict = judge({"mase": math.nan, "mae": math.nan}, {"naive": {"mase": math.nan, "mae": math.nan}})
    assert verdict.sentence == NO_COMPARISON
    assert (verdict.beats_baselines, verdict.tone) == (False, "tie")


def test_compare_and_best_of_share_the_tie_rule():
    assert compare(1.0, 1.004) == "tie" and compare(1.0, 1.01) == "better" and compare(1.01, 1.0) == "worse"
    assert best_of({"model": 1.0, "naive": 1.004, "seasonal_naive": 2.0}) == ("model", "naive")
    assert best_of({"model": 2.0, "naive": 1.0, "seasonal_naive": math.nan}) == ("naive",)
    assert best_of({"model": math.nan}) == ()


@pytest.mark.parametrize("steps,frequency,expected", [
    (12, "MS", "12 months"), (52, "W-SUN", "52 weeks"), (7, "D", "7 days"), (12, "2h", "12 steps, 24 hours"),
    (4, "QS-JAN", "4 quarters"), (12, None, "12 rows"), (1, "MS", "1 month"),
])
def test_season_span_in_the_series_units(steps, frequency, expected):
    assert season_span(steps, frequency) == expected


def test_mase_note_says_which_lag_and_which_part():
    assert mase_note(12, 12, "MS") == ("MASE divides the error by the mean absolute change over one season (12 "
                                       "months) in the training part; below 1 beats that in-sample seasonal-naive "
                                       "error.")
    assert mase_note(52, 52, "W-SAT") == ("MASE divides the error by the mean absolute change over one season (52 "
                                          "weeks) in the training part; below 1 beats that in-sample seasonal-naive "
                                          "error.")
    assert mase_note(1, None, "YS") == ("MASE divides the error by the mean absolute change from one year to the "
                                        "next in the training part; below 1 beats that in-sample naive error.")
    assert mase_note(1, None, None) == ("MASE divides the error by the mean absolute change from one row to the next "
                                        "in the training part; below 1 beats that in-sample naive error.")
    assert mase_note(1, 52, "W-SAT") == (
        "MASE divides the error by the mean absolute change from one week to the next in the training part, which "
        "is too short for a whole season (52 weeks); below 1 beats that in-sample naive error.")
    assert mase_note(12, 12, "MS", defined=False) == (
        "MASE is undefined: the training part never changes over one season (12 months), so there is no error to "
        "divide by.")
    assert mase_note(None, 12, "MS") == ""


def test_scope_and_per_step_notes():
    assert scope_note(22, 12) == ("Scored on the test part: its 22 targets, each forecast 1 to 12 steps ahead (264 "
                                  "forecasts), in the target's own units. The baselines forecast the same targets from "
                                  "the same origins.")
    assert scope_note(1500, 1) == ("Scored on the test part: its 1,500 targets, each forecast one step ahead, in the "
                                   "target's own units. The baselines forecast the same targets from the same "
                                   "origins.")
    assert per_step_note(22) == ("Every step is scored on the same 22 test targets, each forecast that many rows "
                                 "before it, so the rows compare like with like: a later step is a longer forecast of "
                                 "the same values.")


def test_a_summary_saved_before_the_verdict_keys_still_reads():
    # An earlier version's summary: scores, per step, and its own sentence (which said "Try ... more epochs").
    old = {"test": {"mae": 10.9, "mase": 0.628}, "baselines": {"naive": {"mae": 10.2, "mase": 0.585}},
           "per_step": [{"mae": 8.9}, {"mae": 13.0}], "verdict": "The model does not beat ... or more epochs."}
    words = score_words(old, None, "YS")
    assert words.verdict == verdict_of(old)
    assert words.verdict.sentence == ("On the test part the model does not beat the naive (last value) forecast on "
                                      "MASE: 0.628 against 0.585, 7% higher. Its forecasts are no better than "
                                      "repeating the last value.")
    assert (words.scope, words.mase, words.per_step) == ("", "", EARLIER_PER_STEP)
