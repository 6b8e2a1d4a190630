"""Values of any magnitude on a plot: a power of ten taken out of values too tiny or too huge to draw, and put
in the axis title instead ("load (×1e-310)").

pyqtgraph maps data to pixels by a transform whose scale is pixels / span. Near 1e-310 (subnormal numbers) that
scale overflows to infinity and the tick spacing underflows to zero; near 1e308 the span itself overflows. Values
whose largest magnitude lies within [1e-24, 1e24] are drawn as they are: SI prefixes and tick labels read well
there, and the arithmetic has hundreds of orders of magnitude to spare. Outside it the curve is drawn divided by a
power of ten, so its largest value lies between 1 and 10. Read-outs keep quoting the real values.
"""

from __future__ import annotations

import math

import numpy as np

SMALLEST, LARGEST = 1e-24, 1e24


def power_of_ten(*arrays: np.ndarray) -> int:
    """The power of ten to take out of values like these (0 for ordinary magnitudes, or no finite value)."""
    largest = 0.0
    for values in arrays:
        values = np.asarray(values, dtype=np.float64)
        finite = np.abs(values[np.isfinite(values)])
        if finite.size:
            largest = max(largest, float(finite.max()))
    if largest == 0.0 or SMALLEST <= largest < LARGEST:
        return 0
    return math.floor(math.log10(largest))


def scaled(values: np.ndarray, power: int) -> np.ndarray:
    """`values` / 10**power as float64, in two steps: 10.0**310 alone would overflow (and 10.0**-330 vanish)."""
    values = np.asarray(values, dtype=np.float64)
    if power == 0:
        return values
    half = power // 2
    with np.errstate(over="ignore", under="ignore"):
        return values * 10.0 ** -half * 10.0 ** -(power - half)


def titled(label: str, power: int) -> str:
    """An axis title that says what the values were divided by: "load (×1e-310)"."""
    return label if power == 0 else f"{label} (\u00d71e{power})"
