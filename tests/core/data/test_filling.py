"""Missing values are filled within each part of the split: no part ever takes a value from a later one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.core.data.config import DataConfig
from workbench.core.data.series import prepare_series, series_for_split
from workbench.core.data.splits import plan_windows
from workbench.core.forecast.setup import resolve_setup

# 40 daily rows; with horizon 1 and shares of 0.15 the parts are rows 0-27, 28-33 and 34-39.
TRAIN_END, VAL_END = 28, 34


def frame_with_gap(rows=range(25, 31), input_rows=range(26, 29)) -> pd.DataFrame:
    """A rising target and an input; the target misses `rows` (25-30 straddle the train/validation boundary)."""
    t = np.arange(40, dtype=float)
    frame = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=40, freq="D").strftime("%Y-%m-%d"),
                          "w": np.cos(t), "v": 10 + t})
    frame.loc[list(rows), "v"] = np.nan
    frame.loc[list(input_rows), "w"] = np.nan
    return frame


def config(**changes) -> DataConfig:
    return DataConfig(**{"target": "v", "inputs": ["w"], "lookback": 4, **changes})


def test_a_gap_across_the_boundary_takes_no_validation_value_into_training():
    series = prepare_series(frame_with_gap(), config())
    assert series.split == (TRAIN_END, VAL_END)
    assert plan_windows(series.n_rows, 4, 1, 0.15, 0.15).train_end == TRAIN_END  # the same split as training
    v = series.values[:, 0]
    # Training carries its last known value (row 24: 34) forward; validation takes its first (row 31: 41).
    assert v[25:28].tolist() == [34.0, 34.0, 34.0]
    assert v[28:31].tolist() == [41.0, 41.0, 41.0]
    assert series.filled[:, 0].sum() == 6 and series.filled[26:29, 1].all()
    assert series.health[1] == (
        "Filled 9 missing value(s) ('v' 6, 'w' 3) within each part of the split, never from a later part (5 in "
        "training, 4 in validation, 0 in test). The training part ends with 5 missing value(s) (from 2024-01-26), "
        "carried forward from its last known value; the validation part starts with 4 missing value(s) (up to "
        "2024-01-31), which take its first known value.")


def test_training_values_and_scaling_never_depend_on_later_parts():
    frame = frame_with_gap()
    series = prepare_series(frame, config())
    changed = frame.copy()
    changed.loc[TRAIN_END:, ["v", "w"]] = changed.loc[TRAIN_END:, ["v", "w"]] * 1000 + 5  # gaps stay gaps
    other = prepare_series(changed, config())
    np.testing.assert_array_equal(other.values[:TRAIN_END], series.values[:TRAIN_END])
    first, second = resolve_setup(series, config()).scaling, resolve_setup(other, config()).scaling
    np.testing.assert_array_equal(first.mean, second.mean)
    assert first.target_scale == second.target_scale
    # And validation never depends on the test part.
    test_changed = frame.copy()
    test_changed.loc[VAL_END:, "v"] = -1.0
    np.testing.assert_array_equal(prepare_series(test_changed, config()).values[:VAL_END], series.values[:VAL_END])


def test_interior_gaps_are_interpolated_in_time_within_their_part():
    series = prepare_series(frame_with_gap(rows=[5, 6, 30, 31], input_rows=[]), config())
    v = series.values[:, 0]
    assert v[5:7].tolist() == pytest.approx([15.0, 16.0]) and v[30:32].tolist() == pytest.approx([40.0, 41.0])
    assert series.health[1].endswith("(2 in training, 2 in validation, 0 in test). All lie between known values of "
                                     "their part and were interpolated linearly in time.")


def test_a_part_with_no_value_at_all_repeats_the_last_value_before_it_and_says_so():
    series = prepare_series(frame_with_gap(rows=range(TRAIN_END, VAL_END), input_rows=[]), config())
    assert series.values[TRAIN_END:VAL_END, 0].tolist() == [37.0] * 6  # row 27, the past; never the test part
    assert ("The validation part has no value of 'v' at all, so its 6 value(s) repeat the last one before the part "
            "(scores on that part rest on them; consider dropping such rows).") in series.health[1]


def test_a_series_too_short_to_split_is_filled_as_one_part():
    series = prepare_series(pd.DataFrame({"v": [1.0, np.nan, 3.0, 4.0]}), DataConfig())
    assert series.split is None and series.values[:, 0].tolist() == [1, 2, 3, 4]
    assert series.health[1] == ("Filled 1 missing value(s) ('v' 1) by linear interpolation in time over the whole "
                                "series, which is too short to split into training, validation and test.")


def test_other_split_settings_refill_from_the_values_read():
    series = prepare_series(frame_with_gap(), config())
    assert series_for_split(series, config(horizon=2)) is series  # the same parts: nothing to redo
    wider = config(val_fraction=0.25)  # parts 0-23, 24-33, 34-39: the gap now lies inside validation
    refilled = series_for_split(series, wider)
    assert refilled.split == (24, VAL_END) and series.split == (TRAIN_END, VAL_END)  # the original is untouched
    assert refilled.values[25:31, 0].tolist() == [35.0, 36.0, 37.0, 38.0, 39.0, 40.0]  # between rows 24 and 31
    np.testing.assert_array_equal(refilled.values, prepare_series(frame_with_gap(), wider).values)
    assert refilled.health == prepare_series(frame_with_gap(), wider).health
    assert refilled.fingerprint == prepare_series(frame_with_gap(), wider).fingerprint != series.fingerprint
    assert resolve_setup(refilled, wider).plan.train_end == 24
    # Training on values filled for other parts would leak: the setup refuses, naming the fix.
    with pytest.raises(ValueError, match="series_for_split"):
        resolve_setup(series, wider)


def test_series_without_gaps_fit_any_split():
    frame = frame_with_gap(rows=[], input_rows=[])
    series = prepare_series(frame, config())
    assert series.filled is None and series.missing_filled == 0
    assert series_for_split(series, config(val_fraction=0.3)) is series
    assert resolve_setup(series, config(val_fraction=0.3)).plan.train_end == 22
