"""A plain-words reading of a run's loss curves (any kind of model): what they show and the one change that helps."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.core.formatting import fmt as _fmt
from workbench.core.formatting import pct as _pct

# Loss-curve thresholds. Each compares losses relative to each other, so they hold for any loss scale.
MIN_EPOCHS = 3
# Overfitting: the best validation epoch lies this many epochs, and this share of the run, before the end...
OVERFIT_EPOCHS_AFTER_BEST = 3
OVERFIT_SHARE_AFTER_BEST = 0.2
# ...and the validation loss has since risen by more than this, beyond the epoch-to-epoch jitter of small sets.
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
    "still_improving": "Still improving",
    "generalisation_gap": "Large gap between training and validation",
    "converged": "Converged",
    "no_validation": "No validation curve",
}


@dataclass(frozen=True)
class CurveReading:
    kind: str  # too_short, diverged, overfitting, still_improving, generalisation_gap, converged, no_validation
    message: str  # what the curves show, in plain words, with the numbers that prove it
    suggestion: str  # the one change that usually helps ("" when nothing needs doing)

    @property
    def title(self) -> str:
        return READING_TITLES.get(self.kind, self.kind)

    def text(self) -> str:
        """What the curves show and the suggestion, as one paragraph."""
        return f"{self.message} {self.suggestion}".strip()


def read_loss_curves(history: list[dict[str, float]], best_epoch: int | None = None) -> CurveReading:
    """Say in words what a run's loss curves show, and the one change that usually helps.

    `history` has one dict per epoch with "epoch" (1-based), "loss" and maybe "val_loss"; `best_epoch`, when
    given, replaces the epoch of the lowest validation loss.
    """
    epochs = np.array([record.get("epoch", i + 1) for i, record in enumerate(history)], dtype=np.int64)
    train = np.array([record.get("loss", np.nan) for record in history], dtype=np.float64)
    val = np.array([record.get("val_loss", np.nan) for record in history], dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(train))
    # Divergence first: after a NaN loss, "train for longer" would be the wrong advice however short the run.
    if bad.size:
        return _diverged(history[bad[0]], int(epochs[bad[0]]), float(train[bad[0]]))
    if len(history) < MIN_EPOCHS:
        noun = "epoch" if len(history) == 1 else "epochs"
        return CurveReading("too_short", f"Only {len(history)} {noun}: too few to read the curves.",
                            "Train for more epochs (10 or more) to see where the losses level off.")
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


def _diverged(record: dict[str, float], epoch: int, value: float) -> CurveReading:
    became = "NaN (not a number)" if math.isnan(value) else "infinite"
    lr = record.get("lr")
    lower = f"for example to {_fmt(lr / 10)}, " if lr and math.isfinite(lr) else ""
    return CurveReading("diverged", f"The training loss became {became} at epoch {epoch}: training diverged.",
                        f"Lower the learning rate ({lower}a tenth of it) and keep gradient clipping on.")


def _rising(epochs: np.ndarray, train: np.ndarray, val: np.ndarray, best: int) -> CurveReading | None:
    last = _last_finite(val)
    after = int(epochs[last] - epochs[best])
    run = int(epochs[-1] - epochs[0] + 1)
    rise = _change(val[last], val[best])
    if after < OVERFIT_EPOCHS_AFTER_BEST or after < OVERFIT_SHARE_AFTER_BEST * run or rise <= OVERFIT_RISE:
        return None
    train_change = _change(train[last], train[best])
    start = (f"The validation loss was lowest at epoch {epochs[best]} ({_fmt(val[best])}) and has risen "
             f"{_pct(rise)} since, to {_fmt(val[last])} at epoch {epochs[last]}")
    if train_change < 0:
        return CurveReading(
            "overfitting",
            f"{start}, while the training loss fell a further {_pct(-train_change)}: the model is learning the "
            "training part by heart.",
            f"Raise dropout or use fewer hidden units or layers. The run keeps the weights of epoch {epochs[best]}, "
            "the best on validation, and early stopping ends such runs sooner.")
    # Both losses climbing together is not overfitting but an unstable optimiser.
    return CurveReading(
        "diverged", f"{start}, and the training loss rose {_pct(train_change)} too: training became unstable.",
        "Lower the learning rate (for example to a third of it) and keep gradient clipping on.")


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
        "Train for more epochs (or raise the learning rate): the model has not finished learning.")


def _gap(epochs: np.ndarray, train: np.ndarray, val: np.ndarray) -> CurveReading | None:
    last = _last_finite(val)
    ratio = val[last] / train[last] if train[last] > 0 else math.inf
    if ratio <= GAP_RATIO:
        return None
    return CurveReading(
        "generalisation_gap",
        f"At epoch {epochs[last]} the validation loss ({_fmt(val[last])}) is {_fmt(ratio)} times the training "
        f"loss ({_fmt(train[last])}), though it is not rising: the model fits the training part much better than "
        "new data (or the validation part is harder to predict).",
        "Add dropout or weight decay, load more data, or shorten the lookback.")


def _converged(epochs: np.ndarray, train: np.ndarray, val: np.ndarray, best: int) -> CurveReading:
    last = _last_finite(val)
    return CurveReading(
        "converged",
        f"Both losses levelled off together (validation {_fmt(val[last])} at epoch {epochs[last]}, best "
        f"{_fmt(val[best])} at epoch {epochs[best]}; training {_fmt(train[last])}): the model is not overfitting.",
        "If the forecast does not beat the naive baseline, try a larger model (more hidden units) or a longer "
        "lookback.")
