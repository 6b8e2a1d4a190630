"""Residual diagnostics (bias, histogram, autocorrelation) and a plain-words reading of the loss curves."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.core.errors import WorkbenchError

# 95% of a white-noise sample ACF falls within +-1.96/sqrt(n) (Bartlett's large-sample approximation).
WHITE_NOISE_Z = 1.96
# A mean beyond 2 standard errors is unlikely (about 5%) when the model is unbiased.
BIAS_STANDARD_ERRORS = 2.0
# More bins than this turn a test part of thousands of points into a comb rather than a shape.
MAX_BINS = 60
DEFAULT_MAX_LAG, MAX_LAG_CAP = 10, 100
# A 95% band lets 1 lag in 20 out by chance; a lone stray lag that is neither lag 1 nor the season is not structure.
CHANCE_SHARE = 0.05
# Lags named in the summary; the rest are counted.
LAGS_NAMED = 4

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


@dataclass(frozen=True)
class ResidualDiagnostics:
    residuals: np.ndarray  # the finite residuals (actual - forecast), in time order, float64
    mean: float
    std: float
    bin_edges: np.ndarray  # histogram edges (numpy "auto" rule, at most MAX_BINS bins)
    counts: np.ndarray  # histogram counts, len(bin_edges) - 1
    lags: np.ndarray  # 1..max_lag (int)
    acf: np.ndarray  # sample autocorrelation at those lags
    band: float  # 1.96 / sqrt(n): the 95% band for white noise
    outside: list[int]  # lags whose |acf| > band
    summary: str  # one to three plain sentences for the user


@dataclass(frozen=True)
class CurveReading:
    kind: str  # too_short, diverged, overfitting, still_improving, generalisation_gap, converged, no_validation
    message: str  # what the curves show, in plain words, with the numbers that prove it
    suggestion: str  # the one change that usually helps ("" when nothing needs doing)


def _fmt(value: float) -> str:
    """Three significant figures, without an exponent for everyday magnitudes (1,230, not 1.23e+03)."""
    rounded = float(f"{value:.3g}")
    return f"{rounded:,.0f}" if 1e3 <= abs(rounded) < 1e15 else f"{value:.3g}"


def _pct(fraction: float) -> str:
    return f"{_fmt(100 * fraction)}%"


def autocorrelation(values: np.ndarray, max_lag: int) -> np.ndarray:
    """Sample ACF at lags 1..max_lag: sum (x_t - mean)(x_{t+k} - mean) / sum (x_t - mean)^2. Constant input -> zeros.

    Lags as long as the series or longer have no pairs and are 0.
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    acf = np.zeros(max(int(max_lag), 0))
    # ptp, not the sum of squares: a float constant minus its rounded mean leaves tiny non-zero deviations.
    if x.size < 2 or np.ptp(x) == 0:
        return acf
    d = x - x.mean()
    denominator = float(d @ d)
    for k in range(1, min(acf.size, x.size - 1) + 1):
        acf[k - 1] = float(d[:-k] @ d[k:]) / denominator
    return acf


def _too_few(n: int) -> WorkbenchError:
    found = "There are no residuals" if n == 0 else (
        "There is only 1 residual" if n == 1 else f"There are only {n} residuals")
    return WorkbenchError(f"{found} on the test part, too few to judge.",
                          hint="Give the test part a larger share or load more data.")


def _default_max_lag(n: int, season: int | None) -> int:
    wanted = max(DEFAULT_MAX_LAG, 2 * season if season else 0)
    return max(1, min(wanted, n // 2, MAX_LAG_CAP))


def residual_diagnostics(
    residuals: np.ndarray, season: int | None = None, max_lag: int | None = None
) -> ResidualDiagnostics:
    """Bias, spread, histogram and autocorrelation of the residuals (actual - forecast), with a summary in words.

    NaN and infinite residuals are dropped first; fewer than 3 left raises WorkbenchError.
    """
    r = np.asarray(residuals, dtype=np.float64).ravel()
    r = r[np.isfinite(r)]
    n = r.size
    if n < 3:
        raise _too_few(n)
    max_lag = _default_max_lag(n, season) if max_lag is None else max(1, min(int(max_lag), n - 1))
    edges = np.histogram_bin_edges(r, bins="auto")
    if edges.size - 1 > MAX_BINS:
        edges = np.histogram_bin_edges(r, bins=MAX_BINS)
    counts, edges = np.histogram(r, bins=edges)
    lags = np.arange(1, max_lag + 1)
    acf = autocorrelation(r, max_lag)
    band = WHITE_NOISE_Z / math.sqrt(n)
    outside = [int(lag) for lag, value in zip(lags, acf) if abs(value) > band]
    mean, std = float(r.mean()), float(r.std(ddof=1))
    bias = _bias_sentence(mean, std, _effective_size(n, float(acf[0])))
    summary = " ".join(filter(None, [bias, _acf_sentence(outside, max_lag, season)]))
    return ResidualDiagnostics(r, mean, std, edges, counts, lags, acf, band, outside, summary)


def _effective_size(n: int, lag1: float) -> float:
    """How many independent values the residuals are worth; positively correlated ones repeat each other.

    The AR(1) approximation n (1 - r1) / (1 + r1): without it a slow wander would be reported as a bias.
    """
    r1 = min(max(lag1, 0.0), 0.99)
    return n * (1 - r1) / (1 + r1)


def _bias_sentence(mean: float, std: float, n: float) -> str:
    standard_error = std / math.sqrt(n)
    biased = abs(mean) > BIAS_STANDARD_ERRORS * standard_error if standard_error > 0 else mean != 0
    if not biased:
        return ""
    # Residual = actual - forecast, so a positive mean means the forecasts fall short of the actual values.
    direction = "low" if mean > 0 else "high"
    return (f"On average the model forecasts {_fmt(abs(mean))} too {direction} (the residuals' mean); a consistent "
            "bias like this often means the level has moved since the training part.")


def _lag_name(lag: int, season: int | None) -> str:
    return f"{lag} (the season length)" if lag == season else str(lag)


def _acf_sentence(outside: list[int], max_lag: int, season: int | None) -> str:
    noise = "the residuals look like noise, so the model has used the pattern it can see."
    if not outside:
        return f"No autocorrelation beyond the 95% band: {noise}"
    by_chance = len(outside) <= max(1, round(CHANCE_SHARE * max_lag))
    if by_chance and 1 not in outside and season not in outside:
        lags = ", ".join(str(lag) for lag in outside)
        return (f"Only lag {lags} is outside the 95% band, no more than chance gives over {max_lag} lags: {noise}"
                if len(outside) == 1 else
                f"Only lags {lags} are outside the 95% band, no more than chance gives over {max_lag} lags: {noise}")
    named = outside[:LAGS_NAMED]
    if season in outside and season not in named:
        named.append(season)
    names = [_lag_name(lag, season) for lag in named]
    rest = len(outside) - len(named)
    if rest:
        names.append(f"{rest} more")
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    subject = f"Lag {listed} is" if len(outside) == 1 else f"Lags {listed} are"
    return (f"{subject} outside the 95% band: the residuals still carry structure the model missed; "
            "a longer lookback or more epochs may capture it.")


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
