"""Numbers as the user reads them: three significant figures, thousands separators, percentages."""

from __future__ import annotations


def fmt(value: float) -> str:
    """Three significant figures, without an exponent for everyday magnitudes (1,230, not 1.23e+03)."""
    rounded = float(f"{value:.3g}")
    return f"{rounded:,.0f}" if 1e3 <= abs(rounded) < 1e15 else f"{value:.3g}"


def pct(fraction: float) -> str:
    """A fraction as a percentage with three significant figures (0.123 -> "12.3%")."""
    return f"{fmt(100 * fraction)}%"


def readable_time(text: str) -> str:
    """A stored time stamp as a person writes it: "1958-03-29T00:00:00.000000000" -> "1958-03-29", a time of
    day kept to the minute (or second) it carries; anything that is not an ISO time stamp (a row number) as is."""
    date, sep, clock = text.partition("T")
    if not sep or len(date) != 10 or date[4] != "-" or date[7] != "-":
        return text
    clock = clock.split(".")[0].rstrip("Z")
    if clock in ("", "00:00:00", "00:00"):
        return date
    return f"{date} {clock[:5] if clock.endswith(':00') else clock}"
