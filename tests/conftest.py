"""Test set-up for the whole suite: Qt offscreen, one torch thread, tiny shared settings, and trained models.

Before anything imports Qt or torch:
- `QT_QPA_PLATFORM=offscreen`: without a display Qt would abort the whole run.
- `OMP_NUM_THREADS=1`: two test processes (pytest -n 2) each with torch's default of two threads would
  oversubscribe a 2-core machine, where torch's threads collapse (docs/decisions.md, "Threads").
A caller's own value of either wins.

Tiny settings, shared so every training test stays small: `tiny_config()` (a forecaster), `tiny_text_config()`
(a character language model) and `tiny_classify_config()` (a text classifier): hidden 8, 2 epochs, CPU, one
thread.

Trained models, built once per test process (session scope) on first use, for core and GUI tests alike.
They are shared: treat them as read-only. Never train, edit or save over them; copy first
(`copy.deepcopy(run.model)`, or `tmp_path` for files) when a test needs to change one.

| fixture | what it holds |
| --- | --- |
| `forecast_run` | a `ForecastRun`: `tiny_config(epochs=3)`, horizon 3, trained on `seasonal_table()` (240 days) |
| `forecast_bundle` | the `Path` of `forecast_run` saved as `load.swb` (and the table beside it as `load.csv`) |
| `language_model_run` | a `LanguageModelRun`: `tiny_text_config()` trained on `SHIP_TEXT` (char level) |
| `language_model_bundle` | the `Path` of `language_model_run` saved as `log.swb` |
| `reviews_table` | the first 400 rows of sample_data/reviews.csv (a DataFrame: copy it before changing it) |
| `classifier_run` | a `ClassifierRun`: `tiny_classify_config()` trained on `reviews_table`, source `REVIEWS` |
| `classifier_bundle` | the `Path` of `classifier_run` saved as `reviews.swb` |

tests/fixtures holds bundles saved by an earlier version, for format compatibility; these are made by this one.
"""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Every command-line `train` records its run (core/runs): into a folder of this test process, never the user's
# (each xdist worker its own: the variable would otherwise be inherited from the controlling process).
os.environ["WORKBENCH_RUNS_DIR"] = tempfile.mkdtemp(prefix="workbench-runs-")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from workbench.core.run_config import ClassifyRunConfig, RunConfig, TextRunConfig  # noqa: E402

SAMPLE_DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sample_data")
REVIEWS = os.path.join(SAMPLE_DATA, "reviews.csv")
SHIP_TEXT = "The tide turned at noon.\n" + "We sailed north by the old light, and the wind held fair. " * 60


def tiny_config(**train) -> RunConfig:
    """The one small forecaster configuration every training test shares: hidden 8, 2 epochs, CPU, one thread."""
    config = RunConfig()
    config.model.hidden = 8
    config.train.epochs = 2
    config.train.device = "cpu"
    config.train.threads = 1
    config.data.lookback = 12
    for key, value in train.items():
        setattr(config.train, key, value)
    return config


def tiny_text_config(**text) -> TextRunConfig:
    """The small language model: one layer of 8, embedding 4, chunks of 20 in batches of 4, 2 epochs."""
    config = TextRunConfig()
    config.model.hidden, config.model.layers = 8, 1
    config.train.epochs, config.train.threads, config.train.device, config.train.batch_size = 2, 1, "cpu", 4
    config.text.embedding, config.text.seq_len, config.text.sample_length = 4, 20, 15
    for key, value in text.items():
        setattr(config.text, key, value)
    return config


def tiny_classify_config(*overrides: str) -> ClassifyRunConfig:
    """The small classifier: hidden 8, embedding 8, 2 epochs, CPU, one thread; `overrides` as on the command line."""
    return ClassifyRunConfig().with_overrides([
        "model.hidden=8", "classify.embedding=8", "train.epochs=2", "train.device=cpu", "train.threads=1",
        *overrides])


def seasonal_table() -> pd.DataFrame:
    """240 daily rows of a weekly cycle plus a slow rise and a little noise: columns date (text) and load."""
    rng = np.random.default_rng(0)
    days = pd.date_range("2024-01-01", periods=240, freq="D")
    t = np.arange(240)
    value = 10 + 0.02 * t + 3 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.3, 240)
    return pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "load": value})


@pytest.fixture
def seasonal_frame() -> pd.DataFrame:
    """A fresh `seasonal_table()`, this test's own to change."""
    return seasonal_table()


@pytest.fixture
def disguised_pickle(tmp_path):
    """A pickle named like a model file that would create `marker` if anything unpickled it: (payload, marker).

    Tests assert the marker is absent after a refusal; tests/core/export/test_kinds.py checks that unpickling
    the payload really does create it, so those assertions can fail."""
    import pickle

    marker = tmp_path / "ran"
    payload = tmp_path / "evil.swb"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    payload.write_bytes(pickle.dumps(Evil()))
    return payload, marker


# ---- trained once per test process, shared read-only (see the table above)

@pytest.fixture(scope="session")
def shared_folder(tmp_path_factory):
    """Where the shared bundles are written: one folder for the session."""
    return tmp_path_factory.mktemp("shared")


@pytest.fixture(scope="session")
def forecast_run():
    from workbench.core.data.series import prepare_series
    from workbench.core.forecast.pipeline import train_forecaster

    config = tiny_config(epochs=3)
    config.data.horizon = 3
    return train_forecaster(prepare_series(seasonal_table(), config.data), config)


@pytest.fixture(scope="session")
def forecast_bundle(forecast_run, shared_folder):
    from workbench.core.export.forecaster_bundle import bundle_from_forecast_run
    from workbench.core.export.kinds import save_model

    seasonal_table().to_csv(shared_folder / "load.csv", index=False)
    path = shared_folder / "load.swb"
    save_model(path, bundle_from_forecast_run(forecast_run))
    return path


@pytest.fixture(scope="session")
def language_model_run():
    from workbench.core.text.pipeline import train_language_model
    from workbench.core.text.source import TextSource

    source = TextSource(text=SHIP_TEXT, path="/data/log.txt", encoding="utf-8", notes=["Read as UTF-8."])
    return train_language_model(source, tiny_text_config())


@pytest.fixture(scope="session")
def language_model_bundle(language_model_run, shared_folder):
    from workbench.core.export.kinds import save_model
    from workbench.core.export.lm_bundle import bundle_from_lm_run

    path = shared_folder / "log.swb"
    save_model(path, bundle_from_lm_run(language_model_run))
    return path


@pytest.fixture(scope="session")
def reviews_table() -> pd.DataFrame:
    from workbench.core.data.sources import read_table

    return read_table(REVIEWS).frame.head(400)


@pytest.fixture(scope="session")
def classifier_run(reviews_table):
    from workbench.core.classify.pipeline import train_classifier

    return train_classifier(reviews_table, tiny_classify_config(), source=REVIEWS)


@pytest.fixture(scope="session")
def classifier_bundle(classifier_run, shared_folder):
    from workbench.core.export.classifier_bundle import bundle_from_classifier_run
    from workbench.core.export.kinds import save_model

    path = shared_folder / "reviews.swb"
    save_model(path, bundle_from_classifier_run(classifier_run))
    return path
