"""ONNX export: raw values in, the workbench's own forecasts out, at any batch size, checked at the data's scale."""

import numpy as np
import onnxruntime
import pytest
import torch

from workbench.core.export.onnx import ParityCheck, check_windows, export_onnx, onnx_parity
from workbench.core.models.config import ModelConfig
from workbench.core.models.recurrent import ForecastModel


# The first ONNX export in a process costs ~10 s of exporter set-up: every real export shares one worker.
@pytest.mark.xdist_group("onnx")
def test_onnxruntime_reproduces_the_model_at_several_batch_sizes(tmp_path):
    torch.manual_seed(0)
    model = ForecastModel(ModelConfig(cell="gru", layers=2, hidden=8, bidirectional=True), n_features=2, horizon=3)
    # A season of 4 (the graph is the same for every lag; this one exercises the seasonal gathers too).
    model.set_scaling(torch.tensor([300.0, 1.0]), torch.tensor([20.0, 2.0]), target_scale=0.7, difference=4)
    model.train()  # as the window may hold it; the export must work on its own copy
    before = {k: v.clone() for k, v in model.state_dict().items()}
    rng = np.random.default_rng(0)
    values = np.stack([300 + np.cumsum(rng.normal(0, 1, 100)), rng.normal(1, 2, 100)], axis=1)
    check = export_onnx(model, tmp_path / "m.onnx", lookback=10, check_against=values)
    assert check.difference < 1e-4 and check.samples == 64 and check.inputs == "windows of the data"
    assert check.summary().endswith(" on 64 windows of the data")
    drawn = "windows drawn at the data's scale"
    assert ParityCheck(2e-6, 64, drawn).summary() == ("onnxruntime matches the model to 2e-06 on 64 windows drawn at "
                                                      "the data's scale")
    assert ParityCheck(0.0, 64, drawn).summary() == "onnxruntime matches the model exactly on 64 windows drawn at " \
        "the data's scale"
    assert model.training and all(torch.equal(v, before[k]) for k, v in model.state_dict().items())
    model.eval()
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    # The batch is free; the lookback and the features are fixed at what the model was trained on.
    assert [(i.name, i.shape) for i in session.get_inputs()] == [("window", ["batch", 10, 2])]
    for batch in (1, 5, 33):
        windows = np.stack([values[i : i + 10] for i in range(batch)]).astype(np.float32)
        (out,) = session.run(["forecast"], {"window": windows})
        with torch.no_grad():
            expected = model(torch.from_numpy(windows)).numpy()
        assert out.shape == (batch, 3)
        np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-3)
    assert [p.name for p in tmp_path.iterdir()] == ["m.onnx"]  # no temporary file left behind
    # Without data (the command line exports from the bundle alone) the check draws windows at the data's
    # scale from the scaling stored in the model, not N(0, 1) noise far from values near 300.
    windows, inputs = check_windows(model, 10)
    assert windows.shape == (64, 10, 2) and inputs.startswith("windows drawn at the data's scale")
    assert abs(windows[..., 0].mean() - 300) < 10 and 10 < windows[..., 0].std() < 30
    assert onnx_parity(model, tmp_path / "m.onnx", windows) < 1e-4


def test_real_windows_are_spread_over_the_data():
    model = ForecastModel(ModelConfig(hidden=4), n_features=1, horizon=1)
    values = np.arange(200.0)[:, None]
    windows, _ = check_windows(model, 10, values)
    assert windows.shape == (64, 10, 1) and windows[0, 0, 0] == 0 and windows[-1, -1, 0] == 199
    few, _ = check_windows(model, 10, values[:15])
    assert len(few) == 6  # every window there is, once
