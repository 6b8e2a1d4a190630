"""The Inspect tab's sentences: what the mouse points at, and what the attribution explains."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.core.export.kinds import FORECASTER
from workbench.gui.panels.inspect.unit_plot import words
from workbench.gui.panels.text_view import describe_token

if TYPE_CHECKING:
    from workbench.core.inspect.attribution import Attribution
    from workbench.core.inspect.inspection import Inspection

BASELINES = {FORECASTER: "a flat window at the training means"}


def attribution_words(attribution: Attribution, kind: str) -> str:
    """ "Attribution: the forecast 1 step ahead, 12.3 here against 10.1 from a flat window ...; the shares add up
    to the difference." (or how far short they fall: Attribution.completeness) """
    baseline = BASELINES.get(kind, "blank tokens")
    return (f"Attribution ({words(attribution.method)}) of {attribution.target}: {attribution.output:.4g} here "
            f"against {attribution.baseline_output:.4g} from {baseline}; {attribution.completeness()}.")


def step_words(inspection: Inspection, step: int) -> str:
    """A step as a person reads it: "step 12 (2024-04-30)" or "step 12, 'e'"."""
    sample = inspection.sample
    label = sample.labels[step] if 0 <= step < sample.steps else ""
    if sample.ids is not None:
        return f"step {step}, {describe_token(label)}"
    return f"step {step} ({label})"


def cell_words(inspection: Inspection, quantity: str, unit: int, step: int, value: float) -> str:
    """What one heatmap cell holds."""
    return f"Unit {unit}, {step_words(inspection, step)}: {words(quantity)} {value:.4g}"


def token_words(inspection: Inspection, quantity: str, unit: int, step: int, value: float) -> str:
    """What one coloured token carries: the followed unit's value and the token's share of the output."""
    share = float(inspection.attribution.values[step].sum())
    return (f"{step_words(inspection, step)[0].upper()}{step_words(inspection, step)[1:]}: unit {unit} "
            f"{words(quantity)} {value:.4g}; share of the output {share:+.3g}")
