"""ONNX export of a forecaster that takes raw values, checked against onnxruntime before it is kept."""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from pathlib import Path

import numpy as np
import torch

from workbench.core.errors import WorkbenchError
from workbench.core.export.atomic import atomic_path
from workbench.core.models.recurrent import ForecastModel

INPUT_NAME = "window"  # (batch, lookback, n_features) raw values, target first
OUTPUT_NAME = "forecast"  # (batch, horizon) in original units


def export_onnx(
    model: ForecastModel, path: str | Path, lookback: int, check_against: np.ndarray | None = None
) -> float:
    """Write `path` and return the largest difference from torch on sample windows (also checks it is small).

    The scaling and target transform are buffers of the model, so the graph takes raw values. The batch
    dimension is dynamic; the lookback is fixed at the length the model was trained on.
    """
    model = model.cpu().eval()
    n_features = model.mean.shape[0]
    example = torch.zeros(2, lookback, n_features)
    # The dynamo exporter, one file, a dynamic batch (docs/decisions.md, "ONNX export").
    with atomic_path(path) as tmp, _quiet():
        torch.onnx.export(
            model, (example,), str(tmp), dynamo=True, external_data=False,
            dynamic_shapes={"x_raw": {0: torch.export.Dim("batch", min=1)}},
            input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
        )
        difference = onnx_parity(model, tmp, _sample_windows(check_against, lookback, n_features))
        if not difference <= 1e-3 * (1 + float(model.target_scale)):
            raise WorkbenchError(f"The ONNX export differs from the model by {difference:.3g}, so it was not kept.",
                                 hint="Report this; the saved bundle is unaffected.")
    return difference


def onnx_parity(model: ForecastModel, path: str | Path, windows: np.ndarray) -> float:
    """Largest absolute difference between onnxruntime and torch on `windows` (batch, lookback, features)."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (onnx_out,) = session.run([OUTPUT_NAME], {INPUT_NAME: windows.astype(np.float32)})
    with torch.no_grad():
        torch_out = model(torch.from_numpy(windows.astype(np.float32))).numpy()
    return float(np.abs(onnx_out - torch_out).max())


def _sample_windows(values: np.ndarray | None, lookback: int, n_features: int) -> np.ndarray:
    if values is not None and len(values) >= lookback:
        starts = np.linspace(0, len(values) - lookback, num=min(8, len(values) - lookback + 1)).astype(int)
        return np.stack([values[s : s + lookback] for s in starts])  # (batch, lookback, n_features)
    return np.random.default_rng(0).normal(size=(3, lookback, n_features))


@contextlib.contextmanager
def _quiet():
    # The exporter prints progress and deprecation chatter that means nothing to a user.
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
