"""ONNX export: raw values in, the workbench's own forecasts out, at any batch size."""

import numpy as np
import onnxruntime
import torch

from workbench.core.export.onnx import export_onnx
from workbench.core.models.config import ModelConfig
from workbench.core.models.recurrent import ForecastModel


def test_onnxruntime_reproduces_the_model_at_several_batch_sizes(tmp_path):
    torch.manual_seed(0)
    model = ForecastModel(ModelConfig(cell="gru", layers=2, hidden=8, bidirectional=True), n_features=2, horizon=3)
    model.set_scaling(torch.tensor([300.0, 1.0]), torch.tensor([20.0, 2.0]), target_scale=0.7, difference=True)
    rng = np.random.default_rng(0)
    values = np.stack([300 + np.cumsum(rng.normal(0, 1, 100)), rng.normal(1, 2, 100)], axis=1)
    difference = export_onnx(model, tmp_path / "m.onnx", lookback=10, check_against=values)
    assert difference < 1e-4
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
