"""The forecaster's bundle: bit-identical round trip, atomic saves, refusal of broken and disguised files."""

import numpy as np
import pandas as pd
import pytest
import torch
from safetensors.torch import save_file

from tests.conftest import tiny_config
from workbench.core.data.config import DataConfig
from workbench.core.data.series import prepare_series
from workbench.core.errors import BundleError
from workbench.core.export.forecaster_bundle import ForecasterBundle, bundle_from_forecast_run, load_forecaster_bundle
from workbench.core.export.kinds import save_model
from workbench.core.forecast.frames import forecast_frame
from workbench.core.forecast.pipeline import train_forecaster


def table() -> pd.DataFrame:
    """200 days of y (target) and x, with gaps; at horizon 2 the parts are rows 0-139, 140-169 and 170-199, and
    the gap in y at rows 137-143 straddles the end of training."""
    t = np.arange(200)
    frame = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=200, freq="D").strftime("%Y-%m-%d"),
                          "x": np.cos(t / 3), "y": np.sin(t / 5) + 0.01 * t})
    frame.loc[137:143, "y"] = np.nan
    frame.loc[100:101, "x"] = np.nan
    return frame


@pytest.fixture(scope="module")
def run():
    config = tiny_config()
    config.data.inputs = ["x"]
    config.data.target = "y"
    config.data.horizon = 2
    series = prepare_series(table(), config.data)
    return train_forecaster(series, config)


def test_round_trip_gives_bit_identical_forecasts(run, tmp_path):
    path = tmp_path / "model.swb"
    save_model(path, bundle_from_forecast_run(run))
    bundle = load_forecaster_bundle(path)
    assert type(bundle) is ForecasterBundle and bundle.kind == "forecaster"
    assert bundle.config == run.config
    assert bundle.schema["columns"] == ["y", "x"] and bundle.schema["lookback"] == 12
    assert bundle.data["fingerprint"] == run.series.fingerprint
    assert bundle.result["history"] == run.result.history
    before = forecast_frame(run.model, run.series, 12)
    after = forecast_frame(bundle.model, run.series, 12)
    assert before.equals(after)


def test_the_saved_model_reads_data_with_the_same_per_part_filling(run, tmp_path):
    # Training, evaluation and the saved model's forecasts must see the same values: the gap that straddles
    # the end of training is filled within each part, the same way on every path.
    from workbench.core.forecast.inspection import inspect_bundle
    from workbench.core.forecast.model_data import series_for_frame

    plan = run.setup.plan
    assert run.series.split == (plan.train_end, plan.val_end) == (140, 170)
    assert run.series.values[137:140, 0].tolist() == [run.series.values[136, 0]] * 3  # carried forward
    save_model(tmp_path / "m.swb", bundle_from_forecast_run(run))
    bundle = load_forecaster_bundle(tmp_path / "m.swb")
    series = series_for_frame(bundle, table(), "new.csv")
    np.testing.assert_array_equal(series.values, run.series.values)
    assert series.health == run.series.health and series.split == run.series.split
    assert inspect_bundle(bundle, series).plan == plan


def test_a_pickle_disguised_as_a_model_is_refused_without_unpickling(disguised_pickle, tmp_path):
    payload, marker = disguised_pickle
    with pytest.raises(BundleError) as info:
        load_forecaster_bundle(payload)
    assert str(info.value).startswith("evil.swb is not a Sequence Workbench model bundle")
    assert not marker.exists()  # unpickling it would have created this file
    torch.save({"weights": torch.zeros(2)}, tmp_path / "torch.pt")
    with pytest.raises(BundleError):
        load_forecaster_bundle(tmp_path / "torch.pt")


def test_foreign_and_edited_safetensors_are_refused(run, tmp_path):
    save_file({"w": torch.zeros(3)}, str(tmp_path / "other.swb"))
    with pytest.raises(BundleError, match="is a safetensors file but not a Sequence Workbench model bundle"):
        load_forecaster_bundle(tmp_path / "other.swb")
    bundle = bundle_from_forecast_run(run)
    path = tmp_path / "model.swb"
    save_model(path, bundle)
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as handle:
        tensors = {k: handle.get_tensor(k) for k in handle.keys()}
        metadata = handle.metadata()
    tensors["net.head.weight"] = torch.zeros(5, 5)
    save_file(tensors, str(tmp_path / "edited.swb"), metadata=metadata)
    with pytest.raises(BundleError, match="does not match its own configuration"):
        load_forecaster_bundle(tmp_path / "edited.swb")
    save_file(tensors, str(tmp_path / "newer.swb"), metadata={**metadata, "format_version": "2"})
    with pytest.raises(BundleError) as info:
        load_forecaster_bundle(tmp_path / "newer.swb")
    assert str(info.value) == ("newer.swb uses bundle format '2'; this version reads '1'. Open it with the "
                               "workbench version that saved it.")


def test_nan_weights_are_never_saved_and_the_old_file_survives(run, tmp_path):
    path = tmp_path / "model.swb"
    save_model(path, bundle_from_forecast_run(run))
    original = path.read_bytes()
    bundle = bundle_from_forecast_run(run)
    broken = type(run.model)(run.config.model, 2, 2)
    broken.load_state_dict(run.model.state_dict())
    with torch.no_grad():
        broken.net.head.bias.fill_(float("nan"))
    bundle.model = broken
    with pytest.raises(BundleError, match="non-finite weights"):
        save_model(path, bundle)
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["model.swb"]


def test_missing_file_message(tmp_path):
    with pytest.raises(BundleError) as info:
        load_forecaster_bundle(tmp_path / "nope.swb")
    assert str(info.value) == f"There is no model file at {tmp_path / 'nope.swb'}. Check the path, or train and " \
        "save a model first."


def test_predicting_on_data_without_the_models_columns_is_refused(run, tmp_path):
    from workbench.core.forecast.model_data import series_for_frame

    save_model(tmp_path / "m.swb", bundle_from_forecast_run(run))
    bundle = load_forecaster_bundle(tmp_path / "m.swb")
    with pytest.raises(BundleError) as info:
        series_for_frame(bundle, pd.DataFrame({"y": np.arange(50.0)}), "new.csv")
    assert str(info.value) == ("The model reads the column 'x', which new.csv does not have (it has 'y'). "
                               "Open data with the same columns the model was trained on.")
    assert DataConfig().target is None
