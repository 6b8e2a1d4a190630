"""Samples are made as each kind of model reads its data: a forecaster's window, a passage, a classified text."""

import numpy as np
import pandas as pd
import pytest
import torch

from workbench.core.data.config import DataConfig
from workbench.core.data.series import prepare_series
from workbench.core.errors import DataError, WorkbenchError
from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL
from workbench.core.inspect.samples import classifier_sample, origin_for_time, passage, series_sample, text_sample


def test_a_series_window_is_read_as_the_forecaster_reads_it(forecast_run):
    model, series = forecast_run.model, forecast_run.series
    sample = series_sample(model, series, 150, 12)
    assert sample.kind == FORECASTER and sample.rows.tolist() == list(range(139, 151))
    np.testing.assert_array_equal(sample.inputs, series.values[139:151])  # in the data's units
    with torch.no_grad():
        encoded, _ = model.encode(torch.as_tensor(series.values[None, 139:151], dtype=torch.float32))
    np.testing.assert_allclose(sample.network_inputs, encoded[0].numpy())
    assert sample.labels[-1] == "2024-05-30" and sample.feature_names == ("load",) and sample.tokens == ()
    assert sample.description == ("the window of 12 rows ending at row 150 (2024-05-30), where the forecast of "
                                  "'load' is made")


def test_a_window_needs_its_full_lookback(forecast_run):
    with pytest.raises(DataError) as error:
        series_sample(forecast_run.model, forecast_run.series, 10, 12)
    assert error.value.message == ("Row 10 has no full window: the model reads 12 rows, so the window's last row must "
                                   "be between 11 and 239.")


def test_an_origin_by_time_is_its_row_or_the_last_row_before_it(forecast_run):
    series = forecast_run.series
    assert origin_for_time(series, "2024-05-30") == 150
    assert origin_for_time(series, "2024-05-30 18:00") == 150
    with pytest.raises(DataError, match="2025-01-01 lies outside the series, which runs from 2024-01-01 to "
                                        "2024-08-27"):
        origin_for_time(series, "2025-01-01")
    with pytest.raises(DataError, match="'soon' is not a time"):
        origin_for_time(series, "soon")


def test_a_series_without_times_takes_the_origin_as_a_row_number():
    series = prepare_series(pd.DataFrame({"v": np.arange(20.0)}), DataConfig())
    assert origin_for_time(series, "7") == 7
    with pytest.raises(DataError, match="'May' is not a row number"):
        origin_for_time(series, "May")


def test_a_passage_is_encoded_by_the_models_vocabulary(language_model_run):
    model, vocabulary = language_model_run.model, language_model_run.vocabulary
    sample = text_sample(model, vocabulary, "We sailed~")  # "~" never occurs in the training text
    assert sample.kind == LANGUAGE_MODEL and sample.tokens == tuple("We sailed~")
    assert sample.ids.tolist() == vocabulary.encode("We sailed~").tolist() and sample.ids[-1] == 0
    assert sample.inputs.shape == (10, 1) and sample.inputs[0, 0] == "W"
    assert sample.network_inputs.shape == (10, model.embed.embedding_dim)
    assert sample.description == "a passage of 10 characters, 1 of them outside the vocabulary"
    with pytest.raises(WorkbenchError, match="The passage is empty"):
        text_sample(model, vocabulary, "")


def test_a_passage_is_a_line_or_the_start_of_a_text():
    text = "first line\nsecond line\nthird"
    assert passage(text, 1) == "second line\n" and passage(text, 2) == "third"
    assert passage(text, max_tokens=5) == "first"
    assert passage(text, max_tokens=4, level="word") == "first line\n"  # words, spaces, newlines
    with pytest.raises(DataError, match="The text has 3 lines \\(0 to 2\\); there is no line 3"):
        passage(text, 3)


def test_a_classified_text_is_cut_and_encoded_as_predict_does(classifier_run):
    run = classifier_run
    settings = run.config.classify
    long_text = " ".join(["good"] * (settings.max_len + 5))
    sample = classifier_sample(run.model, run.vocabulary, settings, long_text.upper())
    assert sample.kind == CLASSIFIER and sample.tokens == ("good",) * settings.max_len  # lowercased, cut
    assert (sample.ids > 0).all() and len(sample.ids) == settings.max_len
    kept = "first" if settings.truncate == "head" else "last"
    assert sample.description == (f"a text of {settings.max_len} tokens (the {kept} {settings.max_len} of "
                                  f"{settings.max_len + 5}, as the model reads it)")
    empty = classifier_sample(run.model, run.vocabulary, settings, "")
    assert empty.ids.tolist() == [1] and empty.steps == 1  # one unknown token, as predict reads it
