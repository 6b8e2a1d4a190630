"""Test set-up: Qt renders offscreen (without a display Qt would abort the whole run), tiny shared settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from workbench.core.run_config import RunConfig  # noqa: E402

SAMPLE_DATA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "sample_data")


def tiny_config(**train) -> RunConfig:
    """The one small configuration every training test shares: hidden 8, 2 epochs, CPU, one thread."""
    config = RunConfig()
    config.model.hidden = 8
    config.train.epochs = 2
    config.train.device = "cpu"
    config.train.threads = 1
    config.data.lookback = 12
    for key, value in train.items():
        setattr(config.train, key, value)
    return config


@pytest.fixture
def seasonal_frame() -> pd.DataFrame:
    """240 daily rows of a weekly cycle plus a slow rise and a little noise."""
    rng = np.random.default_rng(0)
    days = pd.date_range("2024-01-01", periods=240, freq="D")
    t = np.arange(240)
    value = 10 + 0.02 * t + 3 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.3, 240)
    return pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "load": value})


@pytest.fixture
def disguised_pickle(tmp_path):
    """A pickle named like a model file that would create `marker` if anything unpickled it: (payload, marker)."""
    import pickle

    marker = tmp_path / "ran"
    payload = tmp_path / "evil.swb"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    payload.write_bytes(pickle.dumps(Evil()))
    return payload, marker
