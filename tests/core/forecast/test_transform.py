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
