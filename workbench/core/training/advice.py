"""What to do after a run, as one recommendation that weighs both signals: what the loss curves show and whether
the model beat its baselines. Also `Verdict`, a comparison sentence with its tone, so that a widget colours a
verdict by the tone its sentence was written with and never by a second reading of the numbers.

Every kind of model goes through `advise`: the window shows its recommendation in one place (under the Training
tab's progress bar), and the verdicts (how the model compares with its baselines) carry no advice of their own,
so the two can never contradict each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.training.curve_reading import CurveReading, read_loss_curves

# better: the model beats its baselines; worse: it does not; tie: level with them, or ahead by a margin chance
# could explain; neutral: nothing was compared (a language model has no baseline).
TONES = ("better", "worse", "tie", "neutral")

# What gives each kind of model more capacity, in words, when the caller knows nothing more specific.
CAPACITY = {
    "forecaster": "more hidden units or a longer lookback",
    "language_model": "more hidden units or a second layer",
    "classifier": "more hidden units or a larger embedding",
}


@dataclass(frozen=True)
class Verdict:
    """How a model compares with its baselines, in words, and the tone the words were written with."""

    text: str
    tone: str  # one of TONES

    def __post_init__(self) -> None:
        if self.tone not in TONES:
            raise ValueError(f"A verdict's tone must be one of {', '.join(TONES)} (got {self.tone!r}).")


@dataclass(frozen=True)
class Advice:
    """A run's curve reading and the one recommendation made from it and the comparison with the baselines."""

    reading: CurveReading
    recommendation: str

    @property
    def title(self) -> str:
        return self.reading.title

    def text(self) -> str:
        """What the curves show, then what to do next."""
        return f"{self.reading.message} {self.recommendation}".strip()


def advise(history: list[dict[str, float]], best_epoch: int | None, beats_baselines: bool | None,
           capacity: str, stopped_reason: str | None = None, learned_nothing: bool = False) -> Advice:
    """Read the curves of a run and make the one recommendation; see `recommend` for the arguments."""
    reading = read_loss_curves(history, best_epoch, stopped_reason)
    return Advice(reading, recommend(reading, beats_baselines, capacity, learned_nothing))


def recommend(reading: CurveReading, beats_baselines: bool | None, capacity: str,
              learned_nothing: bool = False) -> str:
    """The one change to try next, in a sentence or two.

    Parameters
    ----------
    reading
        What the loss curves show (`read_loss_curves`).
    beats_baselines
        Whether the model beat its baselines on the test part; None when it was not compared with any.
    capacity
        What would give this model more capacity, in words ("more hidden units or a longer lookback").
    learned_nothing
        The model scored no better than a constant answer (a classifier level with the majority class).
    """
    kind, suggestion = reading.kind, reading.suggestion
    keeps = f" The run keeps the weights of epoch {reading.best_epoch}." if reading.best_epoch else ""
    if kind in ("diverged", "too_short", "no_validation", "validation_rising"):
        # The curves must be fixed (or made readable) before the comparison with the baselines means much.
        return suggestion
    if kind == "overfitting":
        if beats_baselines:
            return (f"To do better still, raise dropout or use fewer hidden units: more epochs would not help."
                    f"{keeps}")
        return (f"Raise dropout or use fewer hidden units, or load more data: more epochs or a larger model "
                f"would only overfit sooner.{keeps}")
    if kind == "still_improving":
        if beats_baselines:
            return "Train for more epochs: the model already beats its baselines and had not finished learning."
        if beats_baselines is False:
            return ("Train for more epochs (or raise the learning rate): the model had not finished learning, so "
                    "it may yet beat its baselines.")
        return suggestion
    if learned_nothing:
        return ("Raise the learning rate (for example to three times it) and train for more epochs, and turn on "
                "class weights when one class dominates: the model has learned nothing that always giving the "
                "same answer would not.")
    if kind == "generalisation_gap":
        if beats_baselines:
            return ("Nothing needs changing to beat the baselines; to narrow the gap, add dropout or weight decay, "
                    "or load more data.")
        return "Add dropout or weight decay, or load more data: a larger model would widen the gap."
    # Converged: the losses levelled off together.
    if beats_baselines:
        return (f"Nothing needs changing: the model beats its baselines and its losses levelled off ({capacity} "
                "might do a little better).")
    if beats_baselines is False:
        return (f"Try {capacity}: the losses levelled off without overfitting, so a larger model has room to "
                "learn more.")
    return f"For better scores, try {capacity}: the losses levelled off without overfitting."
