"""Summaries of a StateTrace: how often each gate saturates, and which units follow a property.

Saturation is the figure of Karpathy, Johnson & Fei-Fei, "Visualizing and Understanding Recurrent Networks"
(2015): for every unit of a gate, the share of steps the gate is nearly shut (below 0.1, "left-saturated") and
nearly open (above 0.9, "right-saturated"), one dot per unit. Forget gates that are right-saturated most of the
time are the units that remember over long stretches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:  # states loads torch; these summaries need only numpy
    from workbench.core.inspect.states import StateTrace

LOW, HIGH = 0.1, 0.9  # the paper's thresholds


@dataclass(frozen=True)
class GateSaturation:
    """For one gate of one layer and direction: each unit's share of steps below LOW and above HIGH."""

    gate: str  # e.g. "forget_gate"
    left: np.ndarray  # (units,) share of steps below LOW
    right: np.ndarray  # (units,) share of steps above HIGH


def gate_saturation(trace: StateTrace, layer: int, direction: str = "forward") -> list[GateSaturation]:
    """Every sigmoid gate of the layer and direction, in the cell's order (none for a plain RNN).

    The shares count real steps only (a batch's padding is left out)."""
    result = []
    for gate in trace.gates:
        values = _steps(trace.get(layer, direction, gate))  # (steps, units)
        result.append(GateSaturation(gate, (values < LOW).mean(axis=0), (values > HIGH).mean(axis=0)))
    return result


@dataclass(frozen=True)
class UnitRanking:
    """Units ordered by how well their activation follows a property, best first."""

    units: np.ndarray  # (units,) unit indices, best first (units that never change come last)
    scores: np.ndarray  # (units,) in that order: |Pearson r|, or for a two-column property the best r over shifts
    signs: np.ndarray  # (units,) in that order: +1 rises with the property, -1 falls, 0 for two columns or none


def rank_units(activations: np.ndarray, prop: np.ndarray) -> UnitRanking:
    """Rank the units of `activations` (time, units) or (batch, time, units) by their correlation with `prop`
    ((time,) or (batch, time), or with a second axis of columns, like the seasonal phase's cosine and sine).

    With one column the score is |Pearson r|. With several it is the multiple correlation R, the r of the best
    linear mix of the columns: for a phase's cosine and sine, the best r over every phase shift. A unit that never
    changes scores NaN and goes last; WorkbenchError when the property itself never changes over the sample.
    """
    values = np.asarray(activations, dtype=np.float64)
    units = values.shape[-1]
    prop = np.asarray(prop, dtype=np.float64)
    lead = values.shape[:-1]
    if prop.shape == lead:
        columns = prop.reshape(-1, 1)
    elif prop.shape[:-1] == lead:
        columns = prop.reshape(-1, prop.shape[-1])  # (steps, columns)
    else:
        raise ValueError(f"The property has shape {prop.shape}; the activations {values.shape} need {lead}.")
    y = values.reshape(-1, units)  # (steps, units)
    real = ~np.isnan(y).any(axis=1) & ~np.isnan(columns).any(axis=1)
    y, x = y[real], columns[real]
    x = x - x.mean(axis=0)
    if len(x) < 2 or not np.any(np.abs(x) > 1e-12 * (1 + np.abs(columns[real]).max())):
        raise WorkbenchError("The property is the same at every step of this sample, so no unit can follow it.",
                             hint="Choose a sample where it changes (a passage with quotes, a longer window).")
    y = y - y.mean(axis=0)
    spread = np.sqrt((y**2).sum(axis=0))  # (units,)
    with np.errstate(invalid="ignore", divide="ignore"):
        if x.shape[1] == 1:
            r = (x[:, 0] @ y) / (np.sqrt((x[:, 0] ** 2).sum()) * spread)  # (units,)
            scores, signs = np.abs(r), np.sign(r)
        else:
            fitted = x @ np.linalg.lstsq(x, y, rcond=None)[0]  # (steps, units): the best mix of the columns
            scores, signs = np.sqrt((fitted**2).sum(axis=0)) / spread, np.zeros(units)
    flat = spread <= 1e-12 * (1 + np.abs(values[~np.isnan(values)]).max(initial=0))
    scores = np.where(flat, np.nan, np.clip(scores, 0.0, 1.0))
    signs = np.where(flat, 0.0, np.nan_to_num(signs))
    order = np.argsort(np.where(np.isnan(scores), 1.0, -scores), kind="stable")  # best first, NaN last
    return UnitRanking(order, scores[order], signs[order])


def _steps(values: np.ndarray) -> np.ndarray:
    """(time, units) or (batch, time, units) -> (real steps, units), the padding's NaN rows left out."""
    flat = values.reshape(-1, values.shape[-1])
    return flat[~np.isnan(flat).any(axis=1)]
