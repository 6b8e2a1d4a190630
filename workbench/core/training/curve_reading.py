"""A plain-words reading of a run's loss curves (any kind of model): what they show, and how that was judged.

One epoch's training loss is a noisy number: with a few batches per epoch and dropout on, it jumps by tens of
percent from epoch to epoch. So no judgement here rests on one or two single epochs: a rise counts only when an
average over several epochs shows it, by more than a clear margin and more than the curve's own jitter, and
every sentence says how it was judged. What to change next is `advice.recommend`'s job, which also weighs the
comparison with the baselines; `CurveReading.suggestion` is what the curves alone would suggest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.core.formatting import fmt as _fmt
from workbench.core.formatting import pct as _pct

MIN_EPOCHS = 3
# Losses are averaged over this many epochs before any rise is judged.
SMOOTH_EPOCHS = 3
# Divergence: the average of the last SMOOTH_EPOCHS epochs lies this share above the lowest such average
# before them, and beyond DIVERGE_JITTERS times the jitter of that average (the curve's own epoch-to-epoch
# noise, divided by sqrt(SMOOTH_EPOCHS)), and each of those last epochs lies above the low by half that margin.
# With these, noisy flat or falling curves (30% jitter per epoch) were called diverged in about 1 run in 50 or
# fewer, and a loss that tripled or grew 30% per epoch for five epochs in 4 runs in 5 or more (simulated).
DIVERGE_RISE = 0.3
DIVERGE_JITTERS = 5.0
# The sustained-rise judgement needs a low before the last epochs to compare with: this many epochs at least.
DIVERGE_MIN_EPOCHS = 2 * SMOOTH_EPOCHS
# Overfitting: the best validation epoch lies this many epochs, and this share of the run, before the end...
OVERFIT_EPOCHS_AFTER_BEST = 3
OVERFIT_SHARE_AFTER_BEST = 0.2
# ...and the validation loss, averaged over the last epochs, has since risen by more than this.
OVERFIT_RISE = 0.10
# Still improving: the last few epochs lowered the best validation loss by more than this in total...
IMPROVING_WINDOW = 3
IMPROVING_GAIN = 0.01
# ...and the best epoch is one of the last this many epochs.
IMPROVING_RECENT = 2
# A final validation loss this many times the training loss is a gap worth acting on, even when it is not rising.
GAP_RATIO = 2.0


# The heading each kind of reading is shown under.
READING_TITLES = {
    "too_short": "Too short to judge",
    "diverged": "Training diverged",
    "overfitting": "Overfitting",
    "validation_rising": "Validation loss rising",
    "still_improving": "Still improving",
    "generalisation_gap": "Large gap between training and validation",
    "converged": "Converged",
    "no_validation": "No validation curve",
}


@dataclass(frozen=True)
class CurveReading:
    kind: str  # one of READING_TITLES
    message: str  # what the curves show, in plain words, with the numbers and the rule that prove it
    suggestion: str  # what the curves alone suggest ("" when nothing needs doing); see advice.recommend
    best_epoch: int | None = None  # the epoch whose weights the run kept, when known

    @property
    def title(self) -> str:
        return READING_TITLES.get(self.kind, self.kind)

    def text(self) -> str:
        """What the curves show and what they alone suggest, as one paragraph."""
        return f"{self.message} {self.suggestion}".strip()


def read_loss_curves(history: list[dict[str, float]], best_epoch: int | None = None,
                     stopped_reason: str | None = None) -> CurveReading:
    """Say in words what a run's loss curves show.

    `history` has one dict per epoch with "epoch" (1-based), "loss" and maybe "val_loss" and "lr"; `best_epoch`,
    when given, replaces the epoch of the lowest validation loss; `stopped_reason` "diverged" says the run
    stopped on a non-finite loss (the engine keeps that epoch out of the history).
    """
    epochs = np.array([record.get("epoch", i + 1) for i, record in enumerate(history)], dtype=np.int64)
    train = np.array([record.get("loss", np.nan) for record in history], dtype=np.float64)
    val = np.array([record.get("val_loss", np.nan) for record in history], dtype=np.float64)
    # Divergence first: after a NaN loss, "train for longer" would be the wrong advice however short the run.
    bad = np.flatnonzero(~np.isfinite(train))
    if bad.size:
        return _non_finite(history[bad[0]], f"at epoch {epochs[bad[0]]}", float(train[bad[0]]))
    if stopped_reason == "diverged":
        last = history[-1] if history else {}
        return _non_finite(last, f"in epoch {len(history) + 1}" if history else "in the first epoch", math.nan,
                           "a loss became NaN (not a number) or infinite")
    if len(history) < MIN_EPOCHS:
        noun = "epoch" if len(history) == 1 else "epochs"
        return CurveReading("too_short", f"Only {len(history)} {noun}: too few to read the curves.",
                            "Train for more epochs (10 or more) to see where the losses level off.")
    rising = _diverging(epochs, train, history[-1].get("lr"))
    if rising is not None:
        return rising
    if not np.isfinite(val).any():
        return CurveReading(
            "no_validation", "There is no validation loss, so the curves cannot show overfitting.",
            "Give the validation part a share of the data (for example 15%) to watch for overfitting.")
    best = _best_index(epochs, val, best_epoch)
    return (_rising(epochs, train, val, best) or _improving(epochs, val, best)
            or _gap(epochs, train, val) or _converged(epochs, train, val, best))


def _best_index(epochs: np.ndarray, val: np.ndarray, best_epoch: int | None) -> int:
    if best_epoch is not None:
        matches = np.flatnonzero(epochs == best_epoch)
        if matches.size and np.isfinite(val[matches[0]]):
            return int(matches[0])
    return int(np.nanargmin(val))


def _last_finite(values: np.ndarray) -> int:
    return int(np.flatnonzero(np.isfinite(values))[-1])


def _change(new: float, old: float) -> float:
    """Relative change from old to new; losses are not negative, but a zero loss must not divide."""
    return (new - old) / abs(old) if old != 0 else (0.0 if new == old else math.copysign(math.inf, new - old))


def _mean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else math.nan


def _span(first: int, last: int) -> str:
    return f"epoch {first}" if first == last else f"epochs {first}-{last}"


def _lower_lr(lr: float | None, share: int) -> str:
    words = {10: "a tenth", 3: "a third"}[share]
    lower = f"for example to {_fmt(lr / share)}, " if lr and math.isfinite(lr) else ""
    return f"Lower the learning rate ({lower}{words} of it) and keep gradient clipping on."


def _non_finite(record: dict[str, float], when: str, value: float, what: str = "") -> CurveReading:
    if not what:
        became = "NaN (not a number)" if math.isnan(value) else "infinite"
        what = f"the training loss became {became}"
    return CurveReading("diverged", f"Training diverged: {what} {when}.", _lower_lr(record.get("lr"), 10))


def jitter(train: np.ndarray) -> float:
    """The epoch-to-epoch noise of a positive loss curve, as a relative standard deviation (robust to a trend
    and to a few wild epochs: the median absolute deviation of the epoch-to-epoch log changes)."""
    steps = np.diff(np.log(train))
    if steps.size < 2:
        return 0.0
    return float(1.4826 * np.median(np.abs(steps - np.median(steps))) / math.sqrt(2))


def _diverging(epochs: np.ndarray, train: np.ndarray, lr: float | None) -> CurveReading | None:
    """A sustained rise of the averaged training loss at the end of the run, or None."""
    n, w = len(train), SMOOTH_EPOCHS
    if n < DIVERGE_MIN_EPOCHS or np.any(train <= 0):
        return None
    averages = np.convolve(train, np.ones(w) / w, mode="valid")  # averages[j] = mean of epochs j..j+w-1
    # The low is looked for among the averages that end before the last w epochs, and so is the noise.
    low = int(np.argmin(averages[: n - 2 * w + 1]))
    noise = jitter(train[: n - w])
    margin = max(DIVERGE_RISE, math.expm1(DIVERGE_JITTERS * noise / math.sqrt(w)))
    rise = _change(averages[-1], averages[low])
    if rise < margin or np.any(train[-w:] < averages[low] * (1 + margin / 2)):
        return None
    jittered = "under 1%" if noise < 0.005 else f"about {noise:.0%}"
    message = (
        f"Training diverged: averaged over {w} epochs at a time, the training loss rose from its low of "
        f"{_fmt(averages[low])} ({_span(epochs[low], epochs[low + w - 1])}) to {_fmt(averages[-1])} "
        f"({_span(epochs[-w], epochs[-1])}), {_pct(rise)} higher, and each of those last {w} epochs stayed high. "
        f"(A rise counts as divergence only above {margin:.0%}: at least {DIVERGE_RISE:.0%}, and well beyond the "
        f"curve's epoch-to-epoch jitter, {jittered} here.)")
    return CurveReading("diverged", message, _lower_lr(lr, 3))


def _rising(epochs: np.ndarray, train: np.ndarray, val: np.ndarray, best: int) -> CurveReading | None:
    last = _last_finite(val)
    after = int(epochs[last] - epochs[best])
    run = int(epochs[-1] - epochs[0] + 1)
    if after < OVERFIT_EPOCHS_AFTER_BEST or after < OVERFIT_SHARE_AFTER_BEST * run:
        return None
    # Averaged over the last epochs (all after the best one), so one noisy epoch cannot make or undo a rise.
    w = min(SMOOTH_EPOCHS, after)
    recent_val = _mean(val[last - w + 1 : last + 1])
    rise = _change(recent_val, val[best])
    if rise <= OVERFIT_RISE:
        return None
    first = max(0, best - w // 2)
    around = slice(first, first + w)
    train_change = _change(_mean(train[last - w + 1 : last + 1]), _mean(train[around]))
    start = (f"The validation loss was lowest at epoch {epochs[best]} ({_fmt(val[best])}); averaged over "
             f"{_span(epochs[last - w + 1], epochs[last])} it is {_pct(rise)} higher ({_fmt(recent_val)})")
    keeps = f"The run keeps the weights of epoch {epochs[best]}, the best on validation."
    if train_change < 0:
        return CurveReading(
            "overfitting",
            f"{start}, while the training loss, averaged the same way, fell a further {_pct(-train_change)}: "
            "the model is learning the training part by heart.",
            f"Raise dropout or use fewer hidden units or layers. {keeps}", int(epochs[best]))
    # Validation worse while training is no better is not overfitting; with no sustained rise of the training
    # loss it is not divergence either: a step size that overshoots is the likeliest cause.
    return CurveReading(
        "validation_rising",
        f"{start}, while the training loss, averaged the same way, did not fall (it changed "
        f"{'+' if train_change > 0 else ''}{_pct(train_change)}): the model got worse on new data without getting "
        "better on the training part.",
        f"Lower the learning rate (for example to a third of it) or raise dropout. {keeps}", int(epochs[best]))


def _improving(epochs: np.ndarray, val: np.ndarray, best: int) -> CurveReading | None:
    window = min(IMPROVING_WINDOW, len(val) - 1)
    before, recent = val[:-window], val[-window:]
    if not (np.isfinite(before).any() and np.isfinite(recent).any()):
        return None
    gain = -_change(float(np.nanmin(recent)), float(np.nanmin(before)))
    if gain <= IMPROVING_GAIN or len(val) - 1 - best >= IMPROVING_RECENT:
        return None
    return CurveReading(
        "still_improving",
        f"The validation loss is still falling: the last {window} epochs lowered its best by {_pct(gain)}, to "
        f"{_fmt(val[best])} at epoch {epochs[best]}.",
        "Train for more epochs (or raise the learning rate): the model has not finished learning.", int(epochs[best]))


def _gap(epochs: np.ndarray, train: np.ndarray, val: np.ndarray) -> CurveReading | None:
    last = _last_finite(val)
    w = min(SMOOTH_EPOCHS, last + 1)
    window = slice(last - w + 1, last + 1)
    recent_train, recent_val = _mean(train[window]), _mean(val[window])
    ratio = recent_val / recent_train if recent_train > 0 else math.inf
    if ratio <= GAP_RATIO:
        return None
    return CurveReading(
        "generalisation_gap",
        f"Over {_span(epochs[last - w + 1], epochs[last])} the validation loss ({_fmt(recent_val)} on average) is "
        f"{_fmt(ratio)} times the training loss ({_fmt(recent_train)}), though it is not rising: the model fits "
        "the training part much better than new data (or the validation part is harder to predict).",
        "Add dropout or weight decay, or load more data.")


def _converged(epochs: np.ndarray, train: np.ndarray, val: np.ndarray, best: int) -> CurveReading:
    last = _last_finite(val)
    return CurveReading(
        "converged",
        f"Both losses levelled off together (validation {_fmt(val[last])} at epoch {epochs[last]}, best "
        f"{_fmt(val[best])} at epoch {epochs[best]}; training {_fmt(train[last])}): the model is not overfitting.",
        "A larger model may learn more.", int(epochs[best]))
