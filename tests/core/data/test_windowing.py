"""Window plans and window sources: every target in exactly one part, and windows as views of the series."""

import numpy as np
import pytest
import torch

from workbench.core.data.splits import plan_windows
from workbench.core.data.windowing import WindowSource
from workbench.core.errors import DataError


def test_every_target_belongs_to_exactly_one_part():
    plan = plan_windows(100, lookback=10, horizon=3, val_fraction=0.15, test_fraction=0.15)
    assert (plan.train_end, plan.val_end) == (70, 85)
    for part, (first, end) in {"train": (0, 70), "val": (70, 85), "test": (85, 100)}.items():
        origins = plan.origins(part)
        targets = origins[:, None] + np.arange(1, 4)
        assert targets.min() == max(first, 10) and targets.max() == end - 1
    assert plan.origins("test")[0] == 84  # the first test target is row 85
    assert plan.counts() == {"train": 58, "val": 13, "test": 13}


def test_short_series_is_refused_in_words():
    with pytest.raises(DataError) as info:
        plan_windows(40, lookback=60, horizon=1, val_fraction=0.15, test_fraction=0.15)
    assert str(info.value).startswith(
        "The series has 40 rows but the lookback window is 60 and the horizon 1: after setting aside 6 rows for "
        "validation and 6 for testing, the training part (28 rows) holds no complete window (61 rows)."
    )
    assert "Shorten the lookback" in info.value.hint


def test_windows_are_views_with_the_right_rows():
    values = np.stack([np.arange(20.0), 100 + np.arange(20.0)], axis=1)
    source = WindowSource(values, lookback=4, horizon=2)
    x = source.inputs(torch.tensor([3, 10]))
    y = source.targets(torch.tensor([3, 10]))
    assert x.shape == (2, 4, 2) and y.shape == (2, 2)
    assert x[1, :, 0].tolist() == [7, 8, 9, 10] and x[1, :, 1].tolist() == [107, 108, 109, 110]
    assert y.tolist() == [[4, 5], [11, 12]]
    # The unfolded tensor shares storage with the series: no lookback-sized copy exists.
    assert source._inputs.untyped_storage().data_ptr() == source.values.untyped_storage().data_ptr()
