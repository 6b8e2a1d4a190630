"""The exponential-smoothing (ETS) baseline: fitted on the training part only, forecast from the model's own origins.

Why statsmodels' `ETSModel`: statsmodels installs as a plain wheel with no compile step at first use (statsforecast
compiles its models with numba, seconds to minutes on a first run), and it is well kept. Its state-space form runs
a fitted model over a whole series in compiled code (`smooth(params, return_raw=True)`: 0.07 s for 100,000 rows;
Holt-Winters' `ExponentialSmoothing` filters in a Python loop, 3 s), so one pass with the parameters fitted on the
training part gives the state at every origin, and each origin's k-step forecast follows from that state in
closed form: no refit, and nothing after an origin is seen by its forecast.

The model: additive errors, an additive trend (damped unless asked otherwise), and a season when the series has
one and the training rows fitted hold at least two whole seasons (statsmodels' heuristic start needs them);
multiplicative seasonality is tried too on positive series, and the likelier of the two kept. The initial states
come from statsmodels' heuristic on the first seasons (estimating them as parameters took 6 s for 700 rows; the
heuristic, 0.1 s). Measured on the 2-core machine, evaluation with a 64-unit model on one torch thread: ETS adds
0.1 s to a 1,000-row series and 0.2-0.3 s to a 100,000-row one, whose fit reads the last MAX_FIT_ROWS training rows;
all 70,000 of them took 2.1 s, so longer training parts are cut and the note says so.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

# Rows the fit reads at most, the last of the training part: 5,000 fit in about 0.2 s (see the module docstring).
MAX_FIT_ROWS = 5000
# The scoring pass filters every row from the fit's start to the last origin, holding the GIL (the window's too):
# 9.3 s for 1,000,000 minute rows with a daily season of 1,440. Past this many row-states the baseline is left out.
MAX_FILTER_STATES = 20_000_000
MIN_FIT_ROWS = 10  # statsmodels' heuristic initial states need ten observations
SEASON_LETTERS = {None: "N", "add": "A", "mul": "M"}


@dataclass(frozen=True)
class EtsForecast:
    """ETS forecasts from the given origins, or None with the reason it is absent."""

    forecast: np.ndarray | None  # (len(origins), H) in original units
    note: str  # what was fitted, or why there is no ETS baseline
    form: str = ""  # e.g. "ETS(A,Ad,M)": error, trend, season; "" when absent


def _absent(reason: str) -> EtsForecast:
    return EtsForecast(None, f"There is no ETS baseline: {reason}")


def ets_forecasts(target: np.ndarray, train_end: int, origins: np.ndarray, horizon: int, season: int | None, *,
                  damped: bool = True, max_fit_rows: int = MAX_FIT_ROWS) -> EtsForecast:
    """Fit ETS on target[:train_end] (its last `max_fit_rows` rows) and forecast `horizon` steps from each origin.

    Never raises for the data: a training part too short, flat or not finite, or a fit statsmodels refuses, gives
    an EtsForecast with no forecast and the reason in words.
    """
    y = np.asarray(target, dtype=float).ravel()
    origins = np.asarray(origins, dtype=np.int64)
    start = max(0, int(train_end) - max_fit_rows)
    fit_rows = y[start:train_end]
    if len(fit_rows) < MIN_FIT_ROWS:
        return _absent(f"the training part has {len(fit_rows)} rows, and exponential smoothing needs at least "
                       f"{MIN_FIT_ROWS} to fit.")
    if not np.isfinite(y[start:]).all():
        return _absent("the series has missing or infinite values.")
    if np.ptp(fit_rows) == 0:
        return _absent("the training part never changes, so there is nothing to smooth.")
    if origins.size and (origins.min() < train_end - 1 or origins.max() >= len(y)):
        raise ValueError("ETS forecasts start at the end of the training part or later, inside the series.")
    seasonal = season if season and season >= 2 and len(fit_rows) >= 2 * season else None
    filtered = (int(origins.max()) + 1 - start) if origins.size else 0
    if filtered * (seasonal or 1) > MAX_FILTER_STATES:
        return _absent(f"scoring it would filter {filtered:,} rows" + (f" with a season of {seasonal:,}" if seasonal
                       else "") + ", too long to do without holding up the window; it is left out on series this "
                       "long.")
    try:
        # One BLAS thread: the model is tiny, and on a busy machine (training just ended, the window drawing)
        # BLAS threads waiting for cores doubled the fit's time (0.20 s against 0.42 s for 700 rows).
        with threadpool_limits(limits=1, user_api="blas"):
            fitted = _fit(fit_rows, seasonal, damped)
            forecast = _forecast(fitted, y[start:], origins - start, horizon)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as error:
        return _absent(f"statsmodels could not fit it ({error}).")
    if not np.isfinite(forecast).all():
        return _absent("its forecasts were not finite (the series may change sign under a multiplicative season).")
    return EtsForecast(forecast, _note(fitted.form, season, seasonal, len(fit_rows), train_end), fitted.form)


@dataclass(frozen=True)
class _Fitted:
    model: object  # the statsmodels ETSModel fitted on the training rows (its initial states)
    params: dict[str, float]
    seasonal: str | None  # "add", "mul" or None
    period: int
    form: str


def _fit(rows: np.ndarray, period: int | None, damped: bool) -> _Fitted:
    """The likelier of an additive and (on positive data) a multiplicative season, by log-likelihood."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    kinds = [None] if period is None else ["add", "mul"] if rows.min() > 0 else ["add"]
    best: tuple[float, _Fitted] | None = None
    for kind in kinds:
        with warnings.catch_warnings():
            # Convergence and bounds warnings say the optimiser struggled; the fit is still a fair baseline.
            warnings.simplefilter("ignore")
            model = ETSModel(rows, error="add", trend="add", damped_trend=damped, seasonal=kind,
                             seasonal_periods=period, initialization_method="heuristic")
            values = model.fit(disp=False, return_params=True)
            likelihood = float(model.loglike(values))
        if not math.isfinite(likelihood):
            continue
        form = f"ETS(A,{'Ad' if damped else 'A'},{SEASON_LETTERS[kind]})"
        candidate = _Fitted(model, dict(zip(model.param_names, values, strict=True)), kind, period or 1, form)
        if best is None or likelihood > best[0]:
            best = (likelihood, candidate)
    if best is None:
        raise ValueError("no form of the model had a finite likelihood")
    return best[1]


def _forecast(fitted: _Fitted, y: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """(len(origins), horizon) from the states of one pass over `y` with the fitted parameters.

    states[t] is the state after observing y[t]: level l, trend b and season s. The forecast h steps on is
    (l + (phi + ... + phi^h) b) combined with the season of the last whole season before t + h.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    fit = fitted.model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seasonal = {"seasonal": fitted.seasonal, "seasonal_periods": fitted.period,
                    "initial_seasonal": fit.initial_seasonal} if fitted.seasonal else {}
        whole = ETSModel(y, error="add", trend="add", damped_trend=fit.damped_trend, initialization_method="known",
                         initial_level=fit.initial_level, initial_trend=fit.initial_trend, **seasonal)
        _, states = whole.smooth(np.array(list(fitted.params.values())), return_raw=True)  # states: (len(y), k)
    states = np.asarray(states)
    steps = np.arange(1, horizon + 1)
    phi = fitted.params.get("damping_trend", 1.0)
    damping = np.cumsum(phi ** steps)  # (H,)
    level = states[origins, 0][:, None] + damping[None, :] * states[origins, 1][:, None]  # (M, H)
    if fitted.seasonal is None:
        return level
    m = fitted.period
    back = steps - m * np.ceil(steps / m).astype(np.int64)  # (H,): 0 or below, the same point one season back
    season = states[origins[:, None] + back[None, :], 2]  # (M, H)
    return level + season if fitted.seasonal == "add" else level * season


def _note(form: str, season: int | None, used: int | None, fit_rows: int, train_end: int) -> str:
    what = f"{form}: exponential smoothing"
    if used:
        what += f" with a season of {used} rows"
    elif season and season >= 2:
        what += f", without the season of {season} rows (the rows fitted hold fewer than two seasons)"
    rows = (f"its last {fit_rows:,} of {train_end:,} training rows, to keep scoring quick" if fit_rows < train_end
            else f"the {train_end:,} training rows only")
    return f"{what}, fitted with statsmodels on {rows}."
