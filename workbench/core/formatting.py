"""Numbers as the user reads them: three significant figures, thousands separators, percentages."""

from __future__ import annotations


def fmt(value: float) -> str:
    """Three significant figures, without an exponent for everyday magnitudes (1,230, not 1.23e+03)."""
    rounded = float(f"{value:.3g}")
    return f"{rounded:,.0f}" if 1e3 <= abs(rounded) < 1e15 else f"{value:.3g}"


def pct(fraction: float) -> str:
    """A fraction as a percentage with three significant figures (0.123 -> "12.3%")."""
    return f"{fmt(100 * fraction)}%"
