"""Bundles saved by earlier versions (tests/fixtures, written before issue 11) still open and still work."""

import numpy as np
import pandas as pd

from tests.conftest import SAMPLE_DATA
from tests.fixtures import SAVED_BUNDLES
from workbench.core.classify.predict import predict_texts
from workbench.core.export.kinds import load_model
from workbench.core.forecast.frames import forecast_frame
from workbench.core.forecast.model_data import series_for_frame
from workbench.core.text.generate import generate


def test_an_old_forecaster_forecasts_the_table_it_was_trained_on():
    bundle = load_model(SAVED_BUNDLES["forecaster"], expect="forecaster")
    assert bundle.schema["target"] == "sunspot_number" and bundle.schema["lookback"] == 8
    assert bundle.data["source"] == "sunspots.csv" and bundle.info["workbench_version"] == "0.1.0"
    frame = pd.read_csv(f"{SAMPLE_DATA}/sunspots_yearly.csv").head(120)
    forecasts = forecast_frame(bundle.model, series_for_frame(bundle, frame, "sunspots.csv"), 8)
    assert list(forecasts.columns) == ["time", "actual", "actual_filled", "forecast_1", "forecast_2"]
    assert np.isfinite(forecasts["forecast_2"].iloc[-1])


def test_an_old_language_model_generates_the_same_text_twice():
    bundle = load_model(SAVED_BUNDLES["language_model"], expect="language_model")
    assert len(bundle.vocabulary) == 61 and bundle.config.text.level == "char"
    texts = ["".join(generate(bundle.model, bundle.vocabulary, "Wind", 20, 0.8, seed=3)) for _ in range(2)]
    assert texts[0] == texts[1] and len(texts[0]) == 20


def test_an_old_classifier_classifies_texts():
    bundle = load_model(SAVED_BUNDLES["classifier"], expect="classifier")
    assert bundle.classes == ("negative", "neutral", "positive") and bundle.config.classify.text == "review"
    probabilities = predict_texts(bundle.model, bundle.vocabulary, bundle.classes, bundle.config,
                                  ["The kettle is superb.", "Awful."])
    assert probabilities.shape == (2, 3) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)
