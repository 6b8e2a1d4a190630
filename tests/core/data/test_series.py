"""From a table and a DataConfig to a clean series: columns, sorting, duplicates, gaps and missing values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import SAMPLE_DATA
from workbench.core.data.config import DataConfig
from workbench.core.data.series import default_target, prepare_series
from workbench.core.data.sources import read_table
from workbench.core.errors import DataError

SAMPLES = Path(SAMPLE_DATA)


def days(*stamps: str) -> list[np.datetime64]:
    return list(np.array(stamps, dtype="datetime64[ns]"))


def csv(tmp_path, text: str) -> pd.DataFrame:
    path = tmp_path / "data.csv"
    path.write_text(text)
    return read_table(path).frame


@pytest.mark.parametrize("name, frequency, label, season, rows, filled", [
    ("co2_mauna_loa_weekly.csv", "W-SAT", "weekly", 52, 2284, 59),
    ("elnino_sst_monthly.csv", "MS", "monthly", 12, 732, 0),
    ("us_macro_quarterly.csv", "QS-JAN", "quarterly", 4, 203, 0),
    ("sunspots_yearly.csv", "YS", "yearly", None, 309, 0),
])
def test_sample_data(name, frequency, label, season, rows, filled):
    table = read_table(SAMPLES / name)
    series = prepare_series(table.frame, DataConfig(), source=table.path)
    assert (series.time_axis.frequency, series.time_axis.frequency_label) == (frequency, label)
    assert (series.season_length, series.n_rows, series.missing_filled) == (season, rows, filled)
    assert series.rows_dropped == 0
    assert series.values.shape == (rows, 1) and np.isfinite(series.values).all()
    assert series.target == table.frame.columns[-1]


def test_co2_health_notes():
    series = prepare_series(read_table(SAMPLES / "co2_mauna_loa_weekly.csv").frame, DataConfig())
    assert series.health == [
        "2,284 rows from 1958-03-29 to 2001-12-29, weekly (time column 'date', season length 52). Target 'co2_ppm'.",
        "Filled 59 missing value(s) ('co2_ppm' 59) within each part of the split, never from a later part (59 in "
        "training, 0 in validation, 0 in test). All lie between known values of their part and were interpolated "
        "linearly in time.",
    ]


def test_default_target_is_last_numeric_column():
    frame = pd.DataFrame({"date": ["2020-01-01"], "a": [1.0], "b": [2], "note": ["x"]})
    assert default_target(frame, "date") == "b"
    assert default_target(pd.DataFrame({"year": [2000, 2001]}), "year") is None


def test_inputs_and_values_layout(tmp_path):
    frame = csv(tmp_path, "t,a,b,c\n2020-01-01,1,10,100\n2020-01-02,2,20,200\n2020-01-03,3,30,300\n")
    series = prepare_series(frame, DataConfig(target="b", inputs=["c", "a"]))
    assert series.columns == ["b", "c", "a"] and series.inputs == ["c", "a"]
    assert series.values.tolist() == [[10, 100, 1], [20, 200, 2], [30, 300, 3]]
    assert series.values.dtype == np.float64
    assert series.health[0] == ("3 rows from 2020-01-01 to 2020-01-03, daily (time column 't', season length 7). "
                                "Target 'b', inputs 'c', 'a'.")


def test_unknown_target_lists_columns():
    with pytest.raises(DataError) as err:
        prepare_series(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.0]}), DataConfig(target="c"))
    assert str(err.value) == "There is no column named 'c'. The columns are: a, b. Pick one of those as the target."


def test_text_target_names_the_line(tmp_path):
    frame = csv(tmp_path, "t,city,v\n2020-01-01,,1\n2020-01-02,Paris,2\n2020-01-03,Rome,3\n")
    with pytest.raises(DataError) as err:
        prepare_series(frame, DataConfig(target="city"))
    assert err.value.message == "Column 'city' holds text, not numbers: line 3 has 'Paris'."
    assert err.value.hint == "Pick a numeric column as the target: v."
    assert err.value.line == 3


def test_target_may_not_be_an_input():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.0]})
    with pytest.raises(DataError) as err:
        prepare_series(frame, DataConfig(target="a", inputs=["b", "a"]))
    assert err.value.message == "Column 'a' is the target, so it cannot also be an input."


def test_sorting_and_duplicates(tmp_path):
    frame = csv(tmp_path, "date,v\n2020-01-03,30\n2020-01-01,10\n2020-01-02,20\n2020-01-02,40\n2020-01-04,50\n")
    series = prepare_series(frame, DataConfig())
    assert list(series.times) == days("2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04")
    assert series.values[:, 0].tolist() == [10, 30, 30, 50]  # the two rows of 01-02 averaged
    assert (series.time_axis.was_sorted, series.time_axis.duplicates) == (True, 1)
    assert "The rows were not in time order; they were sorted by 'date'." in series.health
    assert ("1 row(s) repeat an earlier timestamp (the first at 2020-01-02); rows with the same time were "
            "averaged.") in series.health


def test_gaps_are_put_on_the_grid_and_interpolated(tmp_path):
    frame = csv(tmp_path, "month,v\n2020-01,1\n2020-02,2\n2020-05,5\n2020-06,\n2020-07,7\n")
    series = prepare_series(frame, DataConfig())
    assert list(series.times) == days(*(f"2020-0{m}-01" for m in range(1, 8)))
    # Rows 1-5 train, 6 validates, 7 tests: the validation part has no value of its own, so it repeats the last
    # value before it rather than borrow the test part's (tests/core/data/test_filling.py).
    assert series.values[:, 0].tolist() == pytest.approx([1, 2, 3, 4, 5, 5, 7], abs=0.05)
    assert (series.missing_filled, series.time_axis.gaps, series.time_axis.frequency) == (3, 0, "MS")
    assert ("Inserted 2 missing time step(s) (monthly; the first is 2020-03-01) so the series is evenly spaced; "
            "their values are filled like other missing values.") in series.health


def test_interpolation_follows_time_on_irregular_steps():
    frame = pd.DataFrame({"time": ["2020-01-01", "2020-01-02", "2020-01-05", "2020-01-05 12:00", "2020-01-09",
                                   *(f"2020-01-{d}" for d in range(10, 15))],
                          "v": [0.0, 1.0, np.nan, 4.5, 8.0, 9, 10, 11, 12, 13]})
    series = prepare_series(frame, DataConfig())
    assert series.time_axis.frequency is None
    assert series.values[:5, 0].tolist() == pytest.approx([0, 1, 4, 4.5, 8])


def test_missing_ends_are_dropped(tmp_path):
    frame = csv(tmp_path, "t,v\n1,\n2,2\n3,3\n4,4\n5,n/a\n")
    series = prepare_series(frame, DataConfig())
    assert (series.values[:, 0].tolist(), series.times.tolist()) == ([2, 3, 4], [1, 2, 3])
    assert series.rows_dropped == 2
    assert ("Dropped 1 row(s) at the start and 1 at the end where 'v' had no value; values cannot be "
            "interpolated beyond the ends of the series.") in series.health


def test_drop_policy(tmp_path):
    frame = csv(tmp_path, "date,v,w\n2020-01-01,1,1\n2020-01-02,,2\n2020-01-03,3,3\n2020-01-04,4,ERROR\n"
                "2020-01-05,5,5\n")
    series = prepare_series(frame, DataConfig(target="v", inputs=["w"], missing="drop"))
    assert list(series.times) == days("2020-01-01", "2020-01-03", "2020-01-05")
    assert (series.rows_dropped, series.missing_filled, series.time_axis.gaps) == (2, 0, 2)
    assert "Dropped 2 row(s) with missing values (lines 3, 5)." in series.health
    assert ("2 time step(s) (daily) have no row, so the series jumps over them; set Missing values to interpolate "
            "to fill them (now: drop).") in series.health


def test_refuse_policy_lists_lines_and_columns(tmp_path):
    frame = csv(tmp_path, "date,v,w\n2020-01-01,1,1\n2020-01-02,,2\n2020-01-03,3,3\n2020-01-04,4,n/a\n")
    with pytest.raises(DataError) as err:
        prepare_series(frame, DataConfig(target="v", inputs=["w"], missing="refuse"))
    assert str(err.value) == ("Found 2 missing value(s): line 3 ('v'), line 5 ('w'). "
                              "Fill them in the file, or set Missing values to interpolate or drop.")
    assert (err.value.line, err.value.column) == (3, "v")


def test_without_time_rows_are_the_axis():
    series = prepare_series(pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0]}), DataConfig())
    assert series.time_axis.kind == "index"
    assert series.times.tolist() == [0, 1, 2, 3] and series.values[:, 0].tolist() == [1, 2, 3, 4]
    assert series.health[0] == "4 rows in file order (no time column). Target 'a'."


def test_too_few_rows():
    with pytest.raises(DataError) as err:
        prepare_series(pd.DataFrame({"v": [1.0, np.nan, 2.0]}), DataConfig(missing="drop"))
    assert err.value.message == "Only 2 usable row(s) remain in 'v'; at least 3 are needed."


def test_fingerprint_follows_the_data():
    frame = pd.DataFrame({"v": [1.0, 2.0, 3.0]})
    first, again = prepare_series(frame, DataConfig()), prepare_series(frame.copy(), DataConfig())
    assert first.fingerprint == again.fingerprint and len(first.fingerprint) == 64
    assert prepare_series(frame + 1, DataConfig()).fingerprint != first.fingerprint


def test_row_order_ignores_a_time_column():
    frame = pd.DataFrame({"date": ["2024-01-03", "2024-01-01", "2024-01-02"], "v": [3.0, 1.0, 2.0]})
    series = prepare_series(frame, DataConfig(time=""))
    assert series.time_axis.kind == "index" and series.time_axis.column is None
    assert series.values[:, 0].tolist() == [3.0, 1.0, 2.0]  # file order, not sorted by date
