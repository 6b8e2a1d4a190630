"""Prediction intervals by split conformal prediction, calibrated on the validation part's per-step residuals.

For step k, each of the n validation targets (the last MAX_CALIBRATION_ROWS of them) forecast k rows before it
gives one absolute residual |actual - forecast|. The band at level a is the forecast plus or minus the
ceil((n+1)a)-th smallest of them: the finite-sample conformal quantile, which holds a new point with probability
at least a whenever the errors of the validation and later parts are exchangeable (no distribution assumed). When
ceil((n+1)a) > n the validation part is too short for that level and the band is unbounded. A `Calibration` keeps,
per step, the order statistics every level of LEVEL_GRID needs (all of them when n is small), so a bundle answers
any level in (0, 1): exactly on the grid, and with the next kept order statistic (a band never narrower than the
exact one) between its points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.core.data.splits import WindowPlan

DEFAULT_LEVELS = (0.8, 0.95)
METHOD = "split_conformal"
# The levels answered exactly however long the validation part: every percent, and the far tail for anomalies.
LEVEL_GRID = (*(k / 100 for k in range(1, 100)), 0.995, 0.999)
# Validation targets calibrated on at most (the last ones): twice the 999 a bounded 99.9% band needs. On a long
# series this spares forecasting the whole validation part (15,000 windows of a 100,000-row series).
MAX_CALIBRATION_ROWS = 2000
NO_INTERVALS = ("This model was saved by an earlier version, before prediction intervals were stored with it, so "
                "its forecasts have no bands. Train it again to get them.")


def check_level(level: float) -> float:
    """`level` as a float strictly between 0 and 1, or a ValueError that says what was received."""
    value = float(level)
    if not 0 < value < 1:
        raise ValueError(f"An interval level must lie between 0 and 1 (0.95 for 95%), got {level!r}.")
    return value


def conformal_rank(count: int, level: float) -> int:
    """ceil((n+1) * level): which order statistic of n residuals the band at `level` takes (1-based)."""
    # The small tolerance keeps a product that should be whole (5 * 0.8) from rounding up past it.
    return max(1, math.ceil((count + 1) * check_level(level) - 1e-9))


def percent(level: float) -> str:
    """0.95 -> "95%", 0.995 -> "99.5%", 36/37 -> "97.3%"."""
    return f"{round(100 * level, 2):g}%"


def coverage_key(level: float) -> str:
    """The metrics key of a level's test coverage: 0.8 -> "coverage_80", 0.995 -> "coverage_99.5"."""
    return f"coverage_{round(100 * level, 2):g}"


@dataclass(frozen=True, eq=False)
class Calibration:
    """Per step ahead, the kept order statistics of the validation part's absolute residuals."""

    count: int  # residuals per step (n): the validation part's rows
    ranks: tuple[int, ...]  # the order statistics kept (1-based), ascending, ending with `count`
    widths: np.ndarray  # (horizon, len(ranks)): those order statistics, ascending along each row

    @property
    def horizon(self) -> int:
        return self.widths.shape[0]

    @property
    def highest_level(self) -> float:
        """The highest level with a bounded band: n / (n + 1)."""
        return self.count / (self.count + 1)

    def supports(self, level: float) -> bool:
        """Whether the validation part holds enough residuals for a bounded band at `level`."""
        return conformal_rank(self.count, level) <= self.count

    def half_width(self, level: float) -> np.ndarray:
        """(horizon,) the band's half-width at each step; inf when the level is above `highest_level`."""
        rank = conformal_rank(self.count, level)
        if rank > self.count:
            return np.full(self.horizon, np.inf)
        return self.widths[:, int(np.searchsorted(self.ranks, rank))].copy()

    def bands(self, forecast: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) around `forecast` (..., horizon): the forecasts at every step, in original units."""
        width = self.half_width(level)
        return forecast - width, forecast + width

    def limit_note(self, level: float) -> str:
        """"" when `level` has a bounded band, else why it has none."""
        if self.supports(level):
            return ""
        return (f"The validation part gives {self.count:,} forecasts per step, too few for a {percent(level)} "
                f"interval (at most {percent(self.highest_level)}): its band is unbounded.")

    def to_dict(self) -> dict[str, Any]:
        """What a bundle stores (its "calibration" part)."""
        return {"method": METHOD, "count": self.count, "ranks": list(self.ranks),
                "widths": [[float(w) for w in row] for row in self.widths]}

    @classmethod
    def from_dict(cls, part: dict[str, Any]) -> Calibration:
        """From a bundle's part; a ValueError says what does not fit (the bundle reports the file as damaged)."""
        count, ranks = int(part["count"]), tuple(int(r) for r in part["ranks"])
        widths = np.asarray(part["widths"], dtype=float)
        if not ranks or ranks[-1] != count or any(b <= a for a, b in zip(ranks, ranks[1:])) or ranks[0] < 1:
            raise ValueError("must be ascending order statistics ending with the count")
        if widths.ndim != 2 or widths.shape[1] != len(ranks):
            raise ValueError(f"must hold one width per kept order statistic ({len(ranks)}) for every step")
        if np.isnan(widths).any() or (widths < 0).any() or (np.diff(widths, axis=1) < 0).any():
            raise ValueError("must hold widths of at least 0, ascending along each step")
        return cls(count, ranks, widths)


def kept_ranks(count: int) -> tuple[int, ...]:
    """The order statistics the levels of LEVEL_GRID need among `count` residuals, and the largest."""
    ranks = {conformal_rank(count, level) for level in LEVEL_GRID}
    return tuple(sorted(r for r in ranks | {count} if r <= count))


def calibrate(residuals: np.ndarray) -> Calibration:
    """A Calibration from absolute residuals (n, horizon); a missing one (NaN) counts as unbounded."""
    r = np.abs(np.asarray(residuals, dtype=float))
    if r.ndim != 2 or r.shape[0] < 1:
        raise ValueError(f"residuals must be (n, horizon) with n >= 1, got shape {r.shape}.")
    ordered = np.sort(np.where(np.isnan(r), np.inf, r), axis=0)  # (n, H), ascending per step
    ranks = kept_ranks(r.shape[0])
    return Calibration(r.shape[0], ranks, ordered[np.asarray(ranks) - 1].T.copy())


def calibration_rows(plan: WindowPlan) -> range:
    """The validation targets the bands are calibrated on: the last MAX_CALIBRATION_ROWS of the validation part."""
    return range(max(plan.train_end, plan.val_end - MAX_CALIBRATION_ROWS), plan.val_end)


def calibration_origins(plan: WindowPlan) -> np.ndarray:
    """Origins whose forecast reaches a calibration target at some step: first row - H .. val_end - 2."""
    return np.arange(calibration_rows(plan).start - plan.horizon, plan.val_end - 1, dtype=np.int64)


def validation_residuals(target: np.ndarray, forecast: np.ndarray, plan: WindowPlan) -> np.ndarray:
    """(calibration rows, H): |actual - forecast| of every calibration target at every step, `forecast` being the
    forecasts from calibration_origins(plan). Row i, step k: the i-th calibration row forecast from k rows before."""
    rows = np.asarray(calibration_rows(plan))
    steps = np.arange(1, plan.horizon + 1)
    index = (rows - rows[0])[:, None] + plan.horizon - steps[None, :]  # into forecast's origins
    actual = np.asarray(target, dtype=float)[rows]
    return np.abs(actual[:, None] - forecast[index, steps - 1])


def coverage(actual: np.ndarray, forecast: np.ndarray, half_width: np.ndarray) -> tuple[float, int]:
    """(share inside, points): of the finite (origin, step) pairs of `actual` (M, H), the share within the band."""
    a = np.asarray(actual, dtype=float)
    scored = np.isfinite(a)
    points = int(scored.sum())
    if not points:
        return math.nan, 0
    inside = np.abs(a - forecast) <= np.broadcast_to(half_width, a.shape)
    return float(inside[scored].mean()), points


def coverage_sentence(level: float, share: float, points: int) -> str:
    """The one sentence about a band's test coverage: "95% interval: 93.3% of 120 test points inside"."""
    if not points or not math.isfinite(share):
        return f"{percent(level)} interval: no test points to check it on."
    return f"{percent(level)} interval: {100 * share:.1f}% of {points:,} test points inside."


def add_bands(frame: pd.DataFrame, calibration: Calibration, level: float) -> pd.DataFrame:
    """A forecast table (core/forecast/frames.py) with lower_k and upper_k beside each forecast_k."""
    width = calibration.half_width(level)
    out = frame.copy()
    for k in range(calibration.horizon, 0, -1):  # from the right, so each insert keeps the earlier positions
        column = out.columns.get_loc(f"forecast_{k}")
        out.insert(column + 1, f"upper_{k}", out[f"forecast_{k}"] + width[k - 1])
        out.insert(column + 1, f"lower_{k}", out[f"forecast_{k}"] - width[k - 1])
    return out
