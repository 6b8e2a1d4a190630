"""ONNX export of a forecaster that takes raw values, checked against onnxruntime before it is kept."""

from __future__ import annotations

import contextlib
import copy
import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from workbench.core.errors import WorkbenchError
from workbench.core.export.atomic import atomic_path
from workbench.core.models.recurrent import ForecastModel

INPUT_NAME = "window"  # (batch, lookback, n_features) raw values, target first
OUTPUT_NAME = "forecast"  # (batch, horizon) in original units
# Inputs the export is checked on. float32 error grows with the size of the values (CO2 sits near 400), so the
# check must use values like the real ones, and enough of them to meet an unusual one.
CHECK_SAMPLES = 64


@dataclass(frozen=True)
class ParityCheck:
    """How closely onnxruntime reproduced the model, and on what inputs."""

    difference: float  # the largest absolute difference between onnxruntime's outputs and torch's
    samples: int
    inputs: str  # what the samples were, in words: "windows of the data"

    def summary(self) -> str:
        # Small float32 models often agree to the last bit; "to 0" would read like a missing number.
        how = "exactly" if self.difference == 0 else f"to {self.difference:.2g}"
        return f"onnxruntime matches the model {how} on {self.samples} {self.inputs}"


def export_onnx(
    model: ForecastModel, path: str | Path, lookback: int, check_against: np.ndarray | None = None
) -> ParityCheck:
    """Write `path`, checked against torch on real windows of `check_against` (n, n_features) when given, else
    on windows drawn at the data's scale from the model's stored mean and spread; refuse it if they differ.

    The scaling and target transform are buffers of the model, so the graph takes raw values. The batch
    dimension is dynamic; the lookback is fixed at the length the model was trained on. The export works on a
    copy, so the model the caller keeps using is never moved or switched to eval mode under it.
    """
    model = copy.deepcopy(model).cpu().eval()
    n_features = model.mean.shape[0]
    example = torch.zeros(2, lookback, n_features)
    # The dynamo exporter, one file, a dynamic batch (docs/decisions.md, "ONNX export").
    with atomic_path(path) as tmp, _quiet():
        torch.onnx.export(
            model, (example,), str(tmp), dynamo=True, external_data=False,
            dynamic_shapes={"x_raw": {0: torch.export.Dim("batch", min=1)}},
            input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
        )
        windows, inputs = check_windows(model, lookback, check_against)
        difference = onnx_parity(model, tmp, windows)
        if not difference <= 1e-3 * (1 + float(model.target_scale)):
            raise WorkbenchError(f"The ONNX export differs from the model by {difference:.3g} on {len(windows)} "
                                 f"{inputs}, so it was not kept.", hint="Report this; the saved bundle is unaffected.")
    return ParityCheck(difference, len(windows), inputs)


def onnx_parity(model: ForecastModel, path: str | Path, windows: np.ndarray) -> float:
    """Largest absolute difference between onnxruntime and torch on `windows` (batch, lookback, features)."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (onnx_out,) = session.run([OUTPUT_NAME], {INPUT_NAME: windows.astype(np.float32)})
    with torch.no_grad():
        torch_out = model(torch.from_numpy(windows.astype(np.float32))).numpy()
    return float(np.abs(onnx_out - torch_out).max())


def check_windows(model: ForecastModel, lookback: int, values: np.ndarray | None = None,
                  count: int = CHECK_SAMPLES) -> tuple[np.ndarray, str]:
    """Windows (batch, lookback, n_features) to check an export on, and what they are in words.

    With `values` (n, n_features): up to `count` real windows spread evenly over them. Without: `count` windows
    drawn at the data's scale, each feature wandering smoothly around the training mean with the training
    spread (both stored in the model), so the graph's own scaling meets numbers like the real ones.
    """
    if values is not None and len(values) >= lookback:
        starts = np.unique(np.linspace(0, len(values) - lookback, num=count).astype(int))
        return np.stack([values[s : s + lookback] for s in starts]), "windows of the data"
    rng = np.random.default_rng(0)
    mean, std = model.mean.numpy().astype(np.float64), model.std.numpy().astype(np.float64)
    # A unit-variance AR(1) walk per window and feature: smooth like a real series, not white noise.
    rho = 0.9
    z = np.empty((count, lookback, len(mean)))
    z[:, 0] = rng.normal(size=(count, len(mean)))
    for t in range(1, lookback):
        z[:, t] = rho * z[:, t - 1] + np.sqrt(1 - rho**2) * rng.normal(size=(count, len(mean)))
    return mean + std * z, "windows drawn at the data's scale (the model's stored mean and spread)"


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
