"""Residual diagnostics of a forecaster: bias, histogram and autocorrelation, with a plain-words summary."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.formatting import fmt as _fmt

# 95% of a white-noise sample ACF falls within +-1.96/sqrt(n) (Bartlett's large-sample approximation).
WHITE_NOISE_Z = 1.96
# A mean beyond 2 standard errors is unlikely (about 5%) when the model is unbiased.
BIAS_STANDARD_ERRORS = 2.0
# More bins than this turn a test part of thousands of points into a comb rather than a shape.
MAX_BINS = 60
# Lags shown without a season; with one, two whole seasons (each lag needs at least half the residuals in pairs).
DEFAULT_MAX_LAG = 10
# Below this many residuals the 95% band is wider than +-0.44: only an extreme pattern could show, so the
# autocorrelation is shown but not judged (and never called noise).
MIN_JUDGED = 20
# A 95% band lets 1 lag in 20 out by chance; a lone stray lag that is neither lag 1 nor the season is not structure.
CHANCE_SHARE = 0.05
# Lags named in the summary; the rest are counted.
LAGS_NAMED = 4


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
    judged: bool  # enough residuals to judge the autocorrelation (two seasons, and at least MIN_JUDGED)
    summary: str  # one to three plain sentences for the user


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
    # All lagged products at once through the FFT (zero-padded, so nothing wraps around): two seasons of
    # minute data are 2,880 lags, too many for one dot product each on the GUI thread.
    size = 1 << (2 * x.size - 1).bit_length()
    spectrum = np.fft.rfft(d, size)
    sums = np.fft.irfft(spectrum * np.conj(spectrum), size)[: x.size]  # sums[k] = sum d_t d_{t+k}
    reach = min(acf.size, x.size - 1)
    acf[:reach] = sums[1 : reach + 1] / float(d @ d)
    return acf


def _too_few(n: int) -> WorkbenchError:
    found = "There are no residuals" if n == 0 else (
        "There is only 1 residual" if n == 1 else f"There are only {n} residuals")
    return WorkbenchError(f"{found} on the test part, too few to judge.",
                          hint="Give the test part a larger share or load more data.")


def _max_lag(n: int, season: int | None) -> int:
    wanted = max(DEFAULT_MAX_LAG, 2 * season if season else 0)
    return max(1, min(wanted, n // 2))


def residual_diagnostics(
    residuals: np.ndarray, season: int | None = None, max_lag: int | None = None, step: int = 1
) -> ResidualDiagnostics:
    """Bias, spread, histogram and autocorrelation of the residuals (actual - forecast), with a summary in words.

    `step` is how far ahead the forecasts were made: at t+k the lags below k are expected to correlate, so they
    are not counted as structure the model missed. NaN and infinite residuals are dropped first; fewer than 3
    left raises WorkbenchError.
    """
    r = np.asarray(residuals, dtype=np.float64).ravel()
    r = r[np.isfinite(r)]
    n = r.size
    if n < 3:
        raise _too_few(n)
    season = season if season and season >= 2 else None
    max_lag = _max_lag(n, season) if max_lag is None else max(1, min(int(max_lag), n - 1))
    # Residuals near 1e-310 or 1e300 underflow or overflow the squares and bin widths below: work on them divided
    # by a power of ten (the autocorrelation does not change) and give the mean, spread and edges back in units.
    unit = _unit(r)
    scaled = r / unit
    edges = np.histogram_bin_edges(scaled, bins="auto")
    if edges.size - 1 > MAX_BINS:
        edges = np.histogram_bin_edges(scaled, bins=MAX_BINS)
    counts, edges = np.histogram(scaled, bins=edges)
    lags = np.arange(1, max_lag + 1)
    acf = autocorrelation(scaled, max_lag)
    band = WHITE_NOISE_Z / math.sqrt(n)
    outside = [int(lag) for lag, value in zip(lags, acf) if abs(value) > band]
    mean, std = float(scaled.mean()), float(scaled.std(ddof=1))
    bias = _bias_sentence(mean, std, _effective_size(n, float(acf[0])), unit)
    judged = n >= MIN_JUDGED and (season is None or (n >= 2 * season and max_lag >= season))
    words = _acf_sentence(outside, max_lag, season, step) if judged else _too_few_to_judge(n, season)
    summary = " ".join(filter(None, [bias, words]))
    return ResidualDiagnostics(r, mean * unit, std * unit, edges * unit, counts, lags, acf, band, outside, judged,
                               summary)


def _unit(values: np.ndarray) -> float:
    """1 for ordinary magnitudes; else a power of ten near the largest value (which then lies between 1 and 10)."""
    largest = float(np.max(np.abs(values)))
    if largest == 0 or 1e-100 <= largest <= 1e100:
        return 1.0
    unit = 10.0 ** math.floor(math.log10(largest))
    return unit if unit > 0 else largest  # 10.0**-324 is 0


def _effective_size(n: int, lag1: float) -> float:
    """How many independent values the residuals are worth; positively correlated ones repeat each other.

    The AR(1) approximation n (1 - r1) / (1 + r1): without it a slow wander would be reported as a bias.
    """
    r1 = min(max(lag1, 0.0), 0.99)
    return n * (1 - r1) / (1 + r1)


def _bias_sentence(mean: float, std: float, n: float, unit: float = 1.0) -> str:
    """The sentence about a bias, from the mean and spread in `unit`s."""
    standard_error = std / math.sqrt(n)
    biased = abs(mean) > BIAS_STANDARD_ERRORS * standard_error if standard_error > 0 else mean != 0
    if not biased:
        return ""
    # Residual = actual - forecast, so a positive mean means the forecasts fall short of the actual values.
    direction = "low" if mean > 0 else "high"
    return (f"On average the model forecasts {_fmt(abs(mean) * unit)} too {direction} (the residuals' mean); a "
            "consistent bias like this often means the level has moved since the training part.")


def _too_few_to_judge(n: int, season: int | None) -> str:
    if season and n < 2 * season:
        return (f"There are too few residuals to judge their autocorrelation: {n}, fewer than two seasons "
                f"({2 * season}), so the season's lag ({season}) cannot be tested.")
    return f"There are too few residuals to judge their autocorrelation: {n}, fewer than {MIN_JUDGED}."


def _lag_name(lag: int, season: int | None) -> str:
    return f"{lag} (the season length)" if lag == season else str(lag)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _acf_sentence(outside: list[int], max_lag: int, season: int | None, step: int) -> str:
    """What the lags from `step` to `max_lag` say; lags below `step` are expected to correlate at t+step."""
    noise = "the residuals look like noise, so the model has used the pattern it can see."
    expected = [lag for lag in outside if lag < step]
    outside = [lag for lag in outside if lag >= step]
    judged = max_lag - min(step, max_lag + 1) + 1
    note = ""
    if expected:
        subject = f"Lag {expected[0]} is" if len(expected) == 1 else f"Lags {_listed([str(x) for x in expected])} are"
        note = (f" {subject} outside the band too, as expected at t+{step}: forecasts made {step} steps ahead "
                "share the surprises of the rows between them.")
    if judged <= 0:
        return f"At t+{step} every lag shown is below {step}, where the residuals are expected to correlate.{note}"
    if not outside:
        first = max(step, 1)
        seasonal = f", the season's lag {season} included" if season and first <= season <= max_lag else ""
        return f"No lag from {first} to {max_lag} is outside the 95% band{seasonal}: {noise}{note}"
    by_chance = len(outside) <= max(1, round(CHANCE_SHARE * judged))
    if by_chance and step not in outside and 1 not in outside and season not in outside:
        lags = ", ".join(str(lag) for lag in outside)
        return (f"Only lag {lags} is outside the 95% band, no more than chance gives over {judged} lags: {noise}{note}"
                if len(outside) == 1 else
                f"Only lags {lags} are outside the 95% band, no more than chance gives over {judged} lags: "
                f"{noise}{note}")
    named = outside[:LAGS_NAMED]
    if season in outside and season not in named:
        named.append(season)
    names = [_lag_name(lag, season) for lag in named]
    rest = len(outside) - len(named)
    if rest:
        names.append(f"{rest} more")
    subject = f"Lag {_listed(names)} is" if len(outside) == 1 else f"Lags {_listed(names)} are"
    # No advice on epochs here: whether more training helps is the loss curves' call, not the residuals'.
    return (f"{subject} outside the 95% band: the residuals still carry structure the model missed; "
            f"a longer lookback may capture it.{note}")
