"""Numbers and time stamps as a person reads them."""

import pytest

from workbench.core.formatting import fmt, pct, readable_time


@pytest.mark.parametrize(("stored", "shown"), [
    ("1958-03-29T00:00:00.000000000", "1958-03-29"),
    ("2024-03-31T02:30:00.000000000", "2024-03-31 02:30"),
    ("2024-03-31T02:30:15", "2024-03-31 02:30:15"),
    ("2024-01-01", "2024-01-01"),
    ("17", "17"),  # a row number: not a time stamp
])
def test_stored_time_stamps_read_as_written_by_hand(stored, shown):
    assert readable_time(stored) == shown


def test_three_significant_figures_without_exponents_for_everyday_sizes():
    assert fmt(1234.5) == "1,230" and fmt(0.012345) == "0.0123" and pct(0.1234) == "12.3%"
