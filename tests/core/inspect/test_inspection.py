"""A sample inspected whole, and its arrays written to one .npz that loads without pickles."""

import numpy as np

from workbench.core.inspect.inspection import inspect_sample, inspection_arrays, save_arrays
from workbench.core.inspect.samples import series_sample, text_sample
from workbench.core.inspect.states import QUANTITIES


def test_a_forecasters_arrays_are_named_by_layer_direction_and_quantity(forecast_run, tmp_path):
    sample = series_sample(forecast_run.model, forecast_run.series, 120, 12)
    inspection = inspect_sample(forecast_run.model, sample)
    arrays = inspection_arrays(inspection)
    names = [f"layer0.forward.{name}" for name in QUANTITIES["lstm"]]
    assert list(arrays)[: len(names)] == names
    assert all(arrays[name].shape == (12, 8) for name in names)
    assert arrays["inputs"].shape == arrays["attribution"].shape == (12, 1)
    assert arrays["rows"].tolist() == list(range(109, 121)) and arrays["features"].tolist() == ["load"]
    path = tmp_path / "states.out"  # any suffix: nothing is appended to the name
    save_arrays(path, arrays)
    with np.load(path, allow_pickle=False) as loaded:
        assert list(loaded.keys()) == list(arrays)
        np.testing.assert_array_equal(loaded["layer0.forward.forget_gate"], arrays["layer0.forward.forget_gate"])
        assert loaded["steps"][-1] == "2024-04-30"


def test_a_passages_arrays_hold_its_tokens_as_text(language_model_run, tmp_path):
    model, vocabulary = language_model_run.model, language_model_run.vocabulary
    inspection = inspect_sample(model, text_sample(model, vocabulary, 'He said "hold"'), vocabulary=vocabulary)
    arrays = inspection_arrays(inspection)
    save_arrays(tmp_path / "p.npz", arrays)
    with np.load(tmp_path / "p.npz", allow_pickle=False) as loaded:
        assert "".join(loaded["inputs"][:, 0]) == 'He said "hold"' and loaded["attribution"].shape == (14, 1)
        assert loaded["token_ids"].tolist() == vocabulary.encode('He said "hold"').tolist()
