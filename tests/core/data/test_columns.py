"""Time column detection and parsing, frequency, gaps and season length."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.core.data.columns import build_time_axis, detect_time_column, numeric_columns
from workbench.core.data.frequency import frequency_label, infer_frequency, season_length_for
from workbench.core.data.time_parsing import parse_time
from workbench.core.errors import DataError


def ns(*stamps: str) -> list[np.datetime64]:
    return list(np.array(stamps, dtype="datetime64[ns]"))


def test_iso_dates():
    stamps, kind = parse_time(pd.Series(["2020-01-01", "2020-01-02", "2020-01-03"]))
    assert kind == "datetime"
    assert stamps.dtype == np.dtype("datetime64[ns]")
    assert list(stamps) == ns("2020-01-01", "2020-01-02", "2020-01-03")


def test_utc_offsets_are_converted_to_naive_utc():
    stamps, _ = parse_time(pd.Series(["2021-06-01T00:00:00+02:00", "2021-06-01T01:00:00+02:00",
                                      "2021-06-01T00:00:00-01:00"]))
    assert list(stamps) == ns("2021-05-31T22:00", "2021-05-31T23:00", "2021-06-01T01:00")


def test_year_month_strings():
    stamps, kind = parse_time(pd.Series(["1950-01", "1950-02", "1950-12"]))
    assert (kind, list(stamps)) == ("datetime", ns("1950-01-01", "1950-02-01", "1950-12-01"))


def test_integer_years():
    stamps, kind = parse_time(pd.Series([1700, 1701, 1702, 2008]))
    assert (kind, list(stamps)) == ("year", ns("1700-01-01", "1701-01-01", "1702-01-01", "2008-01-01"))


def test_epoch_seconds():
    stamps, kind = parse_time(pd.Series([1_600_000_000, 1_600_003_600, 1_600_007_200]))
    assert (kind, list(stamps)) == ("epoch", ns("2020-09-13T12:26:40", "2020-09-13T13:26:40", "2020-09-13T14:26:40"))


def test_day_first_dates_and_quarters():
    stamps, _ = parse_time(pd.Series(["31.01.2020", "01.02.2020", "02.02.2020"]))
    assert list(stamps) == ns("2020-01-31", "2020-02-01", "2020-02-02")
    stamps, _ = parse_time(pd.Series(["1959Q1", "1959Q2", "1959-Q3"]))
    assert list(stamps) == ns("1959-01-01", "1959-04-01", "1959-07-01")


@pytest.mark.parametrize("values", [
    [1.5, 2.5, 3.5],  # not whole numbers
    [1990, 1850, 2001, 1900, 1950, 1800],  # years in range but in no order: a value column
    ["apple", "pear", "plum"],
    ["March", "April", "May"],  # words that pandas would read as dates in the current year
])
def test_not_time(values):
    assert parse_time(pd.Series(values)) is None


def test_detection_prefers_time_names_and_skips_plain_numbers():
    frame = pd.DataFrame({"value": [1, 2, 3], "when": ["2020-01-01", "2020-01-02", "2020-01-03"]})
    assert detect_time_column(frame) == "when"
    # 2000..2002 in a column named "sales" is data, not years.
    assert detect_time_column(pd.DataFrame({"x": [0.1, 0.2, 0.3], "sales": [2000, 2001, 2002]})) is None
    assert detect_time_column(pd.DataFrame({"year": [2000, 2001, 2002], "v": [1.0, 2.0, 3.0]})) == "year"
    assert detect_time_column(pd.DataFrame({"ts": [1_600_000_000, 1_600_000_060, 1_600_000_120]})) == "ts"


def test_axis_sorts_counts_duplicates_and_gaps():
    frame = pd.DataFrame({"date": ["2020-01-03", "2020-01-01", "2020-01-02", "2020-01-02", "2020-01-08",
                                   "2020-01-09"], "v": range(6)})
    axis = build_time_axis(frame, None)
    assert axis.column == "date" and axis.kind == "datetime"
    assert list(axis.values) == ns("2020-01-01", "2020-01-02", "2020-01-03", "2020-01-08", "2020-01-09")
    assert (axis.frequency, axis.frequency_label, axis.season_length) == ("D", "daily", 7)
    assert (axis.duplicates, axis.gaps, axis.was_sorted) == (1, 4, True)


def test_axis_without_time_uses_row_order():
    axis = build_time_axis(pd.DataFrame({"a": [5.0, 6.0, 7.0]}), None)
    assert (axis.column, axis.kind, axis.frequency, axis.frequency_label) == (None, "index", None, "row order")
    assert axis.values.tolist() == [0, 1, 2]


def test_axis_with_a_column_that_is_not_time():
    with pytest.raises(DataError) as err:
        build_time_axis(pd.DataFrame({"v": [1.5, 2.5]}), "v")
    assert err.value.message == "Column 'v' does not hold dates, years or epoch seconds (its first value is '1.5')."
    with pytest.raises(DataError, match="Column 'year' holds years before 1678, which the time axis cannot"):
        build_time_axis(pd.DataFrame({"year": [1500, 1501, 1502]}), "year")
    with pytest.raises(DataError, match="There is no column named 'when'. The columns are: v."):
        build_time_axis(pd.DataFrame({"v": [1.5, 2.5]}), "when")


@pytest.mark.parametrize("stamps, expected", [
    (pd.date_range("2020-01-01", periods=10, freq="h"), "h"),
    (pd.date_range("2020-01-01", periods=10, freq="15min"), "15min"),
    (pd.date_range("1958-03-29", periods=10, freq="W-SAT"), "W-SAT"),
    (pd.date_range("1950-01-01", periods=10, freq="MS"), "MS"),
    (pd.date_range("1959-01-01", periods=10, freq="QS-JAN"), "QS-JAN"),
    (pd.date_range("1700-01-01", periods=10, freq="YS"), "YS"),
    # gappy data falls back to the calendar or the most common step
    (pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01", "2020-06-01", "2020-07-01"]), "MS"),
    (pd.DatetimeIndex(["2020-01-01", "2020-04-01", "2020-10-01", "2021-01-01"]), "QS-JAN"),
    (pd.DatetimeIndex(["2020-01-04", "2020-01-11", "2020-01-25", "2020-02-01"]), "W-SAT"),
    (pd.DatetimeIndex(["2020-01-01 00:00", "2020-01-01 00:15", "2020-01-01 01:00", "2020-01-01 01:15"]), "15min"),
    (pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-05", "2020-01-05 07:00"]), None),
])
def test_infer_frequency(stamps, expected):
    assert infer_frequency(stamps.to_numpy().astype("datetime64[ns]")) == expected


@pytest.mark.parametrize("alias, season, label", [
    ("h", 24, "hourly"), ("D", 7, "daily"), ("W-SAT", 52, "weekly"), ("MS", 12, "monthly"),
    ("QS-OCT", 4, "quarterly"), ("YS", None, "yearly"), ("15min", 96, "every 15 minutes"),
    ("2h", 12, "every 2 hours"), ("B", 5, "business-daily"), (None, None, "irregular"),
])
def test_season_length_and_label(alias, season, label):
    assert season_length_for(alias) == season
    assert frequency_label(alias) == label


def test_numeric_columns():
    frame = pd.DataFrame({"t": [1, 2], "a": [1.0, np.nan], "flag": [True, False], "s": ["x", "y"],
                          "empty": [np.nan, np.nan]})
    assert numeric_columns(frame) == ["t", "a"]
    assert numeric_columns(frame, exclude=["t"]) == ["a"]
