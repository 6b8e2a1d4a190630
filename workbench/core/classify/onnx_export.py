"""ONNX export of a text classifier: token ids in, class probabilities out, checked against onnxruntime."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import torch

from workbench.core.classify.encoding import PAD_ID
from workbench.core.classify.model import TextClassifier, UnpackedClassifier
from workbench.core.errors import WorkbenchError
from workbench.core.export.atomic import atomic_path
from workbench.core.export.onnx import CHECK_SAMPLES, ParityCheck, _quiet

INPUT_NAME = "token_ids"  # (batch, max_len) int64, right-padded with 0; see classify/encoding.py
OUTPUT_NAME = "probabilities"  # (batch, n_classes), rows sum to 1
# Probabilities are in [0, 1]; float32 arithmetic in a different order differs by ~1e-7.
TOLERANCE = 1e-4


def export_classifier_onnx(
    model: TextClassifier, path: str | Path, max_len: int, check_ids: np.ndarray | None = None,
    check_inputs: str = "given rows of token ids",
) -> ParityCheck:
    """Write `path`, checked against the packed torch model on `check_ids` (described by `check_inputs`) or
    on rows of token ids from the model's vocabulary at every length, right-padded as in training.

    The graph computes the packed model's numbers without packing (see UnpackedClassifier). The batch is
    dynamic; the length is fixed at `max_len`, the length the texts were padded to in training. The export
    works on a copy, so the model the caller keeps using is never moved or switched to eval mode under it.
    """
    model = copy.deepcopy(model).cpu().eval()
    unpacked = UnpackedClassifier(model)
    vocab_rows = model.embed.num_embeddings
    example = torch.ones(2, max_len, dtype=torch.int64)
    # The dynamo exporter (it needs onnxscript): dynamic dims through dynamic_shapes, and external_data=False
    # for one self-contained file (docs/decisions.md, "ONNX export").
    with atomic_path(path) as tmp, _quiet():
        torch.onnx.export(
            unpacked, (example,), str(tmp), dynamo=True, external_data=False,
            dynamic_shapes={"ids": {0: torch.export.Dim("batch", min=1)}},
            input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
        )
        if check_ids is None:
            rows = sample_ids(vocab_rows, max_len)
            check_inputs = (f"rows of token ids from the vocabulary (lengths 1 to {max_len}, right-padded with "
                            f"{PAD_ID})")
        else:
            rows = check_ids
        difference = classifier_onnx_parity(model, tmp, rows)
        if not difference <= TOLERANCE:
            raise WorkbenchError(f"The ONNX export differs from the model by {difference:.3g} on {len(rows)} "
                                 f"{check_inputs}, so it was not kept.",
                                 hint="Report this; the saved bundle is unaffected.")
    return ParityCheck(difference, len(rows), check_inputs)


def classifier_onnx_parity(model: TextClassifier, path: str | Path, ids: np.ndarray) -> float:
    """Largest absolute difference between onnxruntime and the packed torch model on right-padded `ids`."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ids = np.asarray(ids, dtype=np.int64)
    (onnx_out,) = session.run([OUTPUT_NAME], {INPUT_NAME: ids})
    torch_out = model.probabilities(torch.from_numpy(ids)).numpy()
    return float(np.abs(onnx_out - torch_out).max())


def sample_ids(vocab_rows: int, max_len: int, seed: int = 0, rows: int = CHECK_SAMPLES) -> np.ndarray:
    """`rows` right-padded rows of ids the model can meet: (rows, max_len) int64.

    Each row holds ids of the vocabulary (1, the unknown token, up to vocab_rows - 1; never the padding id)
    followed by padding; the lengths spread evenly from 1 to max_len, so short and full rows are both checked.
    """
    rng = np.random.default_rng(seed)
    lengths = np.linspace(1, max_len, num=rows).round().astype(int)
    ids = np.full((rows, max_len), PAD_ID, dtype=np.int64)
    for row, length in enumerate(lengths):
        ids[row, :length] = rng.integers(1, max(vocab_rows, 2), size=length)
    return ids
