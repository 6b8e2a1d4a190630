"""CSV tables: formula-like text is escaped, numbers and times are not, and writes are atomic."""

import numpy as np
import pandas as pd
import pytest

from workbench.core.export.tables import csv_text, escape_formula, loss_history_frame, write_csv


@pytest.mark.parametrize(("text", "expected"), [
    ("=SUM(A1)", "'=SUM(A1)"),
    ("+1", "'+1"),
    ("-2", "'-2"),
    ("@x", "'@x"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("plain text", "plain text"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_escape_formula(text, expected):
    assert escape_formula(text) == expected


def test_write_csv_escapes_text_and_names_but_not_numbers(tmp_path):
    frame = pd.DataFrame({
        "=bad": [1.5, -2.25, np.nan],
        "count": [-1, 0, 3],
        "note": ["=cmd", "fine", "-5"],
        "mixed": [-7, "@user", None],
    })
    path = tmp_path / "table.csv"
    write_csv(frame, path)
    back = pd.read_csv(path)
    assert list(back.columns) == ["'=bad", "count", "note", "mixed"]
    assert back["'=bad"].iloc[:2].tolist() == [1.5, -2.25] and np.isnan(back["'=bad"].iloc[2])
    assert back["count"].tolist() == [-1, 0, 3]
    assert back["note"].tolist() == ["'=cmd", "fine", "'-5"]
    assert path.read_text().splitlines()[1:] == ["1.5,-1,'=cmd,-7", "-2.25,0,fine,'@user", ",3,'-5,"]
    assert csv_text(frame) == path.read_text()


def test_times_are_written_iso():
    dates = pd.DataFrame({"time": pd.to_datetime(["2001-12-29", None]), "y": [1.0, 2.0]})
    assert csv_text(dates) == "time,y\n2001-12-29,1\n,2\n"
    hours = pd.DataFrame({"time": pd.to_datetime(["2001-12-29 00:00:00", "2001-12-29 06:30:15"])})
    assert csv_text(hours) == "time\n2001-12-29 00:00:00\n2001-12-29 06:30:15\n"


def test_write_csv_replaces_a_file_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old contents\n")
    write_csv(pd.DataFrame({"a": [1, 2]}), path)
    assert path.read_text() == "a\n1\n2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_loss_history_frame_keeps_every_epoch_and_the_column_order():
    history = [{"epoch": e, "lr": 1e-3, "loss": 1 / e, "seconds": 0.5, "val_loss": 2 / e} for e in range(1, 501)]
    history[-1]["best_epoch"] = 500
    frame = loss_history_frame(history)
    assert len(frame) == 500 and frame["epoch"].tolist() == list(range(1, 501))
    assert list(frame.columns) == ["epoch", "loss", "val_loss", "lr", "seconds", "best_epoch"]
    assert frame["best_epoch"].isna().sum() == 499


def test_loss_history_frame_without_validation_keeps_the_header():
    frame = loss_history_frame([{"epoch": 1, "loss": 0.5}])
    assert list(frame.columns) == ["epoch", "loss", "val_loss"] and frame["val_loss"].isna().all()
    assert list(loss_history_frame([]).columns) == ["epoch", "loss", "val_loss"]
