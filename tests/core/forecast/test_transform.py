"""Scaling and the target transform: when the automatic choice predicts the change, and how it says why."""

import numpy as np
import pytest

from workbench.core.forecast.transform import fit_scaling, trend_strength


def test_trend_strength_separates_trends_from_cycles():
    t = np.arange(300.0)
    assert trend_strength(0.1 * t + np.sin(t / 5)) > 10
    assert trend_strength(np.sin(2 * np.pi * t / 12)) < 0.5


def test_auto_picks_difference_on_a_trend_and_scales_by_the_changes():
    t = np.arange(200.0)
    values = np.stack([2.0 * t + np.sin(t), np.cos(t)], axis=1)
    scaling = fit_scaling(values, "auto", horizon=1)
    assert scaling.difference
    assert scaling.target_scale == pytest.approx(np.std(np.diff(values[:, 0])))
    assert scaling.note.startswith("Predicting the change from the last value, because the training part trends")
    np.testing.assert_allclose(scaling.mean, values.mean(axis=0), rtol=1e-6)


def test_auto_keeps_levels_on_a_stationary_series_and_respects_a_choice():
    t = np.arange(200.0)
    values = np.sin(2 * np.pi * t / 12)[:, None]
    scaling = fit_scaling(values, "auto", horizon=3)
    assert not scaling.difference and scaling.target_scale == pytest.approx(values.std())
    assert fit_scaling(values, "difference", horizon=3).note == (
        "Predicting the change from the last value, because you chose it.")


def _growing_seasons(years: int = 12) -> np.ndarray:
    """Monthly values with a trend and seasonal peaks that grow with it (the airline passengers' shape)."""
    t = np.arange(12.0 * years)
    level = 100 + 2 * t
    return (level * (1 + 0.2 * np.sin(2 * np.pi * t / 12)))[:, None]


def test_auto_takes_the_change_over_a_season_when_last_season_forecasts_better():
    values = _growing_seasons()
    scaling = fit_scaling(values, "auto", horizon=12, season=12)
    assert scaling.season == 12 and scaling.difference and scaling.lag == 12
    # Scaled by the changes it predicts: each target less the value one season before it.
    assert scaling.target_scale == pytest.approx(np.std(values[12:, 0] - values[:-12, 0]))
    assert scaling.note.startswith("Predicting the change from the value one season (12 steps) earlier, because "
                                   "the training part trends")
    assert "the value one season earlier forecasts the next 12 steps better than the last value" in scaling.note


def test_auto_keeps_the_last_value_when_it_forecasts_better_or_there_is_no_room_for_a_season():
    t = np.arange(240.0)
    # A steep trend with a faint season: a month ago is closer than a year ago.
    values = (5 * t + np.sin(2 * np.pi * t / 12))[:, None]
    scaling = fit_scaling(values, "auto", horizon=1, season=12)
    assert scaling.lag == 1 and scaling.season == 0
    assert "the last value forecasts the next step better than the value one season earlier" in scaling.note
    # Without a season the lookback holds twice, the seasonal reference is not considered.
    assert fit_scaling(_growing_seasons(), "auto", horizon=12, season=None).lag == 1


def test_a_chosen_seasonal_transform_says_so_and_needs_a_season():
    scaling = fit_scaling(_growing_seasons(), "seasonal", horizon=3, season=12)
    assert scaling.lag == 12 and scaling.note == (
        "Predicting the change from the value one season (12 steps) earlier, because you chose it.")
    assert fit_scaling(_growing_seasons(), "none", horizon=3, season=12).lag == 0
    with pytest.raises(ValueError, match="needs a season"):
        fit_scaling(_growing_seasons(), "seasonal", horizon=3, season=None)
