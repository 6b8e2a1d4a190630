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
DEFAULT_MAX_LAG, MAX_LAG_CAP = 10, 100
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
