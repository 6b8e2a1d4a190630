"""A sample inspected whole (states and attribution), and its arrays as `workbench inspect` and the window's
export write them: one .npz file, written atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from torch import nn

from workbench.core.export.atomic import atomic_path
from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL
from workbench.core.inspect.attribution import (
    PATH_STEPS,
    Attribution,
    classifier_attribution,
    forecast_attribution,
    next_token_attribution,
)
from workbench.core.inspect.samples import Sample
from workbench.core.inspect.states import StateTrace, inspect_states
from workbench.core.text.vocab import Vocabulary


@dataclass(frozen=True)
class Inspection:
    """What the model did with one sample: every gate and state, and what its output depended on."""

    sample: Sample
    trace: StateTrace  # arrays (time, units)
    attribution: Attribution  # values (time, features)


def inspect_sample(model: nn.Module, sample: Sample, *, method: str = "integrated_gradients", step: int = 1,
                   baseline: str = "mean", target: int | None = None, classes: Sequence[str] | None = None,
                   vocabulary: Vocabulary | None = None, n_steps: int = PATH_STEPS) -> Inspection:
    """States and attribution of `sample` (made for `model` by core/inspect/samples.py).

    A forecast is explained `step` rows ahead against `baseline` ("mean" or "zero"); a classified text for class
    `target` (default: the predicted one), named from `classes`; a passage for the next token `target` (default:
    the likeliest), written with `vocabulary`.
    """
    trace = inspect_states(model, sample.network_inputs)
    if sample.kind == FORECASTER:
        attribution = forecast_attribution(model, sample.inputs, step, method, baseline, n_steps)
    elif sample.kind == CLASSIFIER:
        attribution = classifier_attribution(model, sample.ids, target, method, n_steps,
                                             tuple(classes) if classes else None)
    elif sample.kind == LANGUAGE_MODEL:
        decode = (lambda i: vocabulary.decode([i])) if vocabulary is not None else None
        attribution = next_token_attribution(model, sample.ids, target, method, n_steps, decode)
    else:
        raise ValueError(f"No inspection for samples of kind {sample.kind!r}.")
    return Inspection(sample, trace, attribution)


def inspection_arrays(inspection: Inspection) -> dict[str, np.ndarray]:
    """Every array by name: first `layer{L}.{forward|backward}.{quantity}` (time, units) for each layer (from 0),
    direction and quantity in the cell's order, then

    - inputs (time, features): the sample in the data's units (a series' values; a text's tokens, as text)
    - attribution (time, features): each step's and column's (or token's) share of the explained output
    - network_inputs (time, n_in): what the recurrent layers read (the scaled window, or the embeddings)
    - steps (time,): each step as text (its time, or its token); features (features,): the columns' names
    - rows (time,) for a series: each step's row; token_ids (time,) for a text: the model's id of each token
    """
    sample = inspection.sample
    arrays = dict(inspection.trace.arrays)
    arrays["inputs"] = np.asarray(sample.inputs)
    arrays["attribution"] = inspection.attribution.values
    arrays["network_inputs"] = sample.network_inputs
    arrays["steps"] = np.array(sample.labels, dtype=str)
    arrays["features"] = np.array(sample.feature_names, dtype=str)
    if sample.rows is not None:
        arrays["rows"] = sample.rows
    if sample.ids is not None:
        arrays["token_ids"] = sample.ids
    return arrays


def save_arrays(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    """Write `arrays` as an uncompressed .npz at `path`, atomically (readers see the old file or the whole new one).

    Every array is plain numbers or text, so `np.load(path)` reads it without allowing pickles."""
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        # A file object, not a name: np.savez would add ".npz" to a name without it.
        np.savez(handle, **arrays)
