"""Reading awkward files: delimiters, decimal marks, thousands, headers, encodings, junk cells and refusals."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from workbench.core.data.sources import ReadOptions, read_raw_lines, read_table, sniff_options
from workbench.core.errors import DataError


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolon_with_decimal_comma(tmp_path):
    table = read_table(write(tmp_path, "eu.csv", "datum;wert;temp\n2020-01-01;1,5;-2,25\n2020-01-02;2,25;3\n"))
    assert list(table.frame.columns) == ["datum", "wert", "temp"]
    assert table.frame["wert"].tolist() == [1.5, 2.25]
    assert table.frame["temp"].tolist() == [-2.25, 3.0]
    assert table.options == ReadOptions(";", ",", "", True, "utf-8", 0, None)
    assert table.notes[0] == "Read with ';' as delimiter and ',' as decimal mark."
    assert not table.ambiguous


def test_header_less_decimal_comma_keeps_first_row(tmp_path):
    table = read_table(write(tmp_path, "n.csv", "1,5;2,25\n3,75;4,5\n5;6\n"))
    assert list(table.frame.columns) == ["column_1", "column_2"]
    assert table.frame.to_numpy().tolist() == [[1.5, 2.25], [3.75, 4.5], [5.0, 6.0]]
    assert table.frame.attrs["first_line"] == 1


@pytest.mark.parametrize("delimiter", ["\t", "|", " "])
def test_tab_pipe_and_space_delimiters(tmp_path, delimiter):
    text = "\n".join(delimiter.join(row) for row in [["t", "a", "b"], ["1", "0.5", "7"], ["2", "1.5", "8"]])
    table = read_table(write(tmp_path, "d.txt", text + "\n"))
    assert table.options.delimiter == delimiter
    assert table.frame.to_dict("list") == {"t": [1, 2], "a": [0.5, 1.5], "b": [7, 8]}


def test_header_less_numeric_file_keeps_all_rows(tmp_path):
    table = read_table(write(tmp_path, "plain.csv", "1.0,10\n2.0,20\n3.0,30\n"))
    assert table.frame.shape == (3, 2)
    assert table.frame["column_1"].tolist() == [1.0, 2.0, 3.0]
    assert table.options.header is False
    assert "The first line is data, not column names; the columns are named column_1 to column_2." in table.notes


@pytest.mark.parametrize("text, options", [
    ('x,y\n"1,234.5",1\n"12,000.25",2\n', (",", ".", ",")),
    ("x;y\n1.234,5;1\n12.000,25;2\n", (";", ",", ".")),
    ("x;y\n1 234,5;1\n12 000,25;2\n", (";", ",", " ")),
    ("x\ty\n1,234.5\t1\n1,000,000\t2\n", ("\t", ".", ",")),
])
def test_thousands_separators_become_numbers(tmp_path, text, options):
    table = read_table(write(tmp_path, "k.csv", text))
    assert (table.options.delimiter, table.options.decimal, table.options.thousands) == options
    assert table.frame["x"].tolist()[0] == 1234.5
    assert table.frame["y"].tolist() == [1, 2]


def test_lone_thousands_group_is_a_guess(tmp_path):
    table = read_table(write(tmp_path, "k.csv", "x\ty\n1,234\t1\n5,678\t2\n"))
    assert table.frame["x"].tolist() == [1234, 5678]
    assert table.ambiguous


def test_junk_cells_become_missing_and_are_counted(tmp_path):
    text = "t,v,w\n1,1.5,a\n2,n/a,b\n3,ERROR,c\n4,inf,d\n5,#N/A,e\n6,2.5,f\n"
    table = read_table(write(tmp_path, "junk.csv", text))
    v = table.frame["v"]
    assert v.dtype == np.float64
    assert v.isna().tolist() == [False, True, True, True, True, False]
    assert "Column 'v': 4 cell(s) held no number ('n/a', 'ERROR', 'inf') and are treated as missing." in table.notes
    assert table.frame["w"].tolist() == list("abcdef")  # a text column stays text


def test_infinity_in_a_numeric_column_is_missing(tmp_path):
    table = read_table(write(tmp_path, "inf.csv", "v\n1\n-inf\n2\n"))
    assert table.frame["v"].isna().tolist() == [False, True, False]
    assert "Column 'v': 1 infinite value(s) read as missing." in table.notes


def test_utf8_bom(tmp_path):
    table = read_table(write(tmp_path, "bom.csv", "\ufeffzeit,wert\n1,2\n", "utf-8"))
    assert list(table.frame.columns) == ["zeit", "wert"]
    assert table.options.encoding == "utf-8-sig"


def test_utf16(tmp_path):
    table = read_table(write(tmp_path, "u16.csv", "größe\tn\n1,5\t2\n2,5\t3\n", "utf-16"))
    assert table.options.encoding == "utf-16"
    assert table.frame.to_dict("list") == {"größe": [1.5, 2.5], "n": [2, 3]}


def test_latin1_is_read_with_a_note(tmp_path):
    table = read_table(write(tmp_path, "l1.csv", "température;débit\n1,5;2\n", "latin-1"))
    assert list(table.frame.columns) == ["température", "débit"]
    assert table.options.encoding == "latin-1"
    assert ("The file is not valid UTF-8, so it was read as Latin-1 (Western European); if accented letters "
            "look wrong, save the file as UTF-8.") in table.notes


def test_preamble_lines_are_skipped(tmp_path):
    text = "Station report\nexported 2024\nt,a,b\n1,2,3\n4,5,6\n"
    table = read_table(write(tmp_path, "pre.csv", text))
    assert table.options.skip_rows == 2
    assert table.frame.to_dict("list") == {"t": [1, 4], "a": [2, 5], "b": [3, 6]}
    assert table.frame.attrs["first_line"] == 4
    assert table.ambiguous


def test_given_options_are_used(tmp_path):
    path = write(tmp_path, "g.csv", "a;b\n1,5;2\n")
    table = read_table(path, ReadOptions(delimiter=";", decimal=".", header=True))
    assert table.frame["a"].tolist() == ["1,5"]
    assert table.options.delimiter == ";" and table.options.decimal == "."


def test_trailing_delimiter_column_is_dropped(tmp_path):
    table = read_table(write(tmp_path, "tr.csv", "a;b;\n1;2;\n3;4;\n"))
    assert list(table.frame.columns) == ["a", "b"]


def test_sniff_options_and_raw_lines(tmp_path):
    path = write(tmp_path, "s.csv", "a|b\n1|2\n3|4\n")
    assert sniff_options(path) == ReadOptions("|", ".", "", True, "utf-8", 0, None)
    assert read_raw_lines(path, n=2) == ["a|b", "1|2"]


def test_missing_file(tmp_path):
    with pytest.raises(DataError) as err:
        read_table(tmp_path / "nope.csv")
    assert err.value.message == f"The file {tmp_path / 'nope.csv'} does not exist."
    assert err.value.hint == "Check the path, or pick the file again."


def test_empty_file(tmp_path):
    with pytest.raises(DataError) as err:
        read_table(write(tmp_path, "empty.csv", ""))
    assert str(err.value) == ("The file empty.csv is empty (0 bytes). "
                              "Pick a file with a header line and rows of numbers.")


def test_binary_file(tmp_path):
    path = tmp_path / "blob.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DataError) as err:
        read_table(path)
    assert err.value.message == "The file blob.csv does not look like text: it contains binary data near the start."


def test_excel_saved_as_csv_is_named(tmp_path):
    path = tmp_path / "book.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(DataError) as err:
        read_table(path)
    assert str(err.value) == ("The file book.csv is not text: it looks like an Excel workbook (or another zip file). "
                              "If it is, rename it to end in .xlsx.")


def test_directory_and_unsupported_suffix(tmp_path):
    with pytest.raises(DataError, match="is a folder, not a file"):
        read_table(tmp_path)
    with pytest.raises(DataError) as err:
        read_table(write(tmp_path, "x.json", "{}"))
    assert err.value.message == "Files ending in '.json' cannot be read: x.json."


def test_one_text_column_is_refused(tmp_path):
    with pytest.raises(DataError) as err:
        read_table(write(tmp_path, "words.txt", "hello there\nhow are you\n"))
    assert err.value.message == "words.txt has one column and no numbers in it (its first line reads 'hello there')."


def test_ragged_line_names_the_line(tmp_path):
    with pytest.raises(DataError) as err:
        read_table(write(tmp_path, "r.csv", "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n15,16\n17,18\n1,2,3\n"))
    assert err.value.message == "Line 11 of r.csv has 3 fields, but the lines before it have 2."
    assert err.value.line == 11


def test_parquet_and_excel_round_trip(tmp_path):
    frame = pd.DataFrame({"date": ["2020-01-01", "2020-01-02"], "v": [1.5, 2.5]})
    frame.to_parquet(tmp_path / "f.parquet")
    assert read_table(tmp_path / "f.parquet").frame.to_dict("list") == frame.to_dict("list")
    frame.to_excel(tmp_path / "f.xlsx", index=False)
    table = read_table(tmp_path / "f.xlsx")
    assert table.frame.to_dict("list") == frame.to_dict("list")
    assert table.options.sheet == "Sheet1" and table.frame.attrs["first_line"] == 2


def test_missing_excel_engine_says_what_to_install(tmp_path, monkeypatch):
    pd.DataFrame({"v": [1.0]}).to_excel(tmp_path / "f.xlsx", index=False)
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # makes `import python_calamine` fail
    with pytest.raises(DataError) as err:
        read_table(tmp_path / "f.xlsx")
    assert err.value.message == "Reading f.xlsx needs the python-calamine package, which is not installed."
    assert err.value.hint == "Install it with: pip install python-calamine"
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(DataError) as err:
        read_table(write(tmp_path, "f.parquet", "x"))
    assert err.value.hint == "Install it with: pip install pyarrow"


def test_blank_lines_do_not_shift_the_first_line(tmp_path):
    table = read_table(write(tmp_path, "b.csv", "\n\nt,v\n\n2020-01-01,1\n2020-01-02,2\n"))
    assert table.frame.attrs["first_line"] == 5
    assert table.frame["v"].tolist() == [1, 2]


def test_two_whole_numbers_per_line_may_be_decimal_commas(tmp_path):
    table = read_table(write(tmp_path, "c.csv", "1,5\n2,25\n3,75\n"))
    assert table.frame.to_dict("list") == {"column_1": [1, 2, 3], "column_2": [5, 25, 75]}
    assert table.ambiguous
    assert ("Each line could also be a single number with a decimal comma (like 1,5); check the delimiter and "
            "decimal mark (File > Import Options in the window).") in table.notes


def test_single_column_with_decimal_commas(tmp_path):
    table = read_table(write(tmp_path, "s.csv", "value\n1,5\n2,25\n3\n"))
    assert table.frame.to_dict("list") == {"value": [1.5, 2.25, 3.0]}
    assert table.notes == ["Read as a single column with ',' as decimal mark."]


def test_excel_sheets_and_header_less_rows(tmp_path):
    path = tmp_path / "m.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([[1.5, 2], [3, 4]]).to_excel(writer, sheet_name="data", index=False, header=False)
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="other", index=False)
    table = read_table(path)
    assert table.frame.to_dict("list") == {"column_1": [1.5, 3.0], "column_2": [2, 4]}
    assert table.notes[0] == "Read sheet 'data' (the workbook has 2 sheets)."
    assert table.ambiguous  # several sheets: let the user pick
    assert read_table(path, ReadOptions(sheet="other")).frame.to_dict("list") == {"a": [1]}
    with pytest.raises(DataError) as err:
        read_table(path, ReadOptions(sheet="nope"))
    assert err.value.message == "m.xlsx has no sheet named 'nope'. Its sheets are: data, other."
