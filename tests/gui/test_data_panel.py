"""The data panel: detected roles are preselected, user changes (and only those) emit selection_changed."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPoint, Qt

from workbench.core.data.sources import read_table
from workbench.gui.panels.data_panel import ROW_ORDER, DataPanel, DataPreview, column_choices
from workbench.gui.table_model import MISSING_BRUSH, FrameModel

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def macro_table():
    return read_table(SAMPLES / "us_macro_quarterly.csv")


@pytest.fixture
def panel(qtbot):
    widget = DataPanel()
    qtbot.addWidget(widget)
    return widget


def _input_index(panel, name):
    """The inputs list's row of column `name`, as the view shows it (through the filter)."""
    proxy = panel.inputs_list.model()
    rows = (proxy.index(row, 0) for row in range(proxy.rowCount()))
    return next(index for index in rows if index.data(Qt.ItemDataRole.UserRole) == name)


def test_set_table_preselects_detected_roles_without_emitting(qtbot, panel, macro_table):
    with qtbot.assertNotEmitted(panel.selection_changed):
        panel.set_table(macro_table)
    assert panel.file_label.text() == "us_macro_quarterly.csv"
    assert panel.time_combo.itemText(0) == ROW_ORDER
    assert panel.time_combo.currentText() == "quarter_start"
    assert panel.target_combo.currentText() == "realgdp"
    assert [panel.target_combo.itemText(i) for i in range(panel.target_combo.count())] == [
        "realcons", "realdpi", "unemp", "infl", "realgdp"]
    assert panel.selection() == {"time": "quarter_start", "target": "realgdp", "inputs": [], "missing": "interpolate"}
    target = _input_index(panel, "realgdp")
    assert not target.flags() & Qt.ItemFlag.ItemIsEnabled
    assert target.data() == "realgdp  (target)"


def test_ticking_an_input_emits_and_is_selected(qtbot, panel, macro_table):
    panel.set_table(macro_table)
    panel.show()
    rect = panel.inputs_list.visualRect(_input_index(panel, "unemp"))
    with qtbot.waitSignal(panel.selection_changed, timeout=1000):
        # A click on the check box itself toggles it, as the user would.
        qtbot.mouseClick(panel.inputs_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(rect.left() + 10, rect.center().y()))
    assert panel.selection()["inputs"] == ["unemp"]


def test_changing_target_keeps_inputs_and_excludes_the_new_target(qtbot, panel, macro_table):
    panel.set_table(macro_table)
    panel.inputs_model.set_checked("unemp", True)
    panel.inputs_model.set_checked("infl", True)
    with qtbot.waitSignal(panel.selection_changed, timeout=1000):
        panel.target_combo.setCurrentIndex(panel.target_combo.findData("unemp"))
    selection = panel.selection()
    assert selection["target"] == "unemp" and selection["inputs"] == ["infl"]
    assert not _input_index(panel, "unemp").flags() & Qt.ItemFlag.ItemIsEnabled


def test_row_order_and_missing_policy(qtbot, panel, macro_table):
    panel.set_table(macro_table)
    with qtbot.waitSignal(panel.selection_changed, timeout=1000):
        panel.time_combo.setCurrentIndex(0)
    assert panel.selection()["time"] == ""
    with qtbot.waitSignal(panel.selection_changed, timeout=1000):
        panel.missing_combo.setCurrentIndex(panel.missing_combo.findData("refuse"))
    assert panel.selection()["missing"] == "refuse"
    tips = [panel.missing_combo.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(3)]
    assert tips[1] == "Drop removes the rows."


def test_set_selection_from_code_is_quiet(qtbot, panel, macro_table):
    panel.set_table(macro_table)
    with qtbot.assertNotEmitted(panel.selection_changed):
        panel.set_selection(target="realcons", inputs=["realdpi"], missing="drop")
    assert panel.selection() == {"time": "quarter_start", "target": "realcons", "inputs": ["realdpi"],
                                 "missing": "drop"}


def test_health_notes_and_errors(qtbot, panel):
    panel.set_table(read_table(SAMPLES / "co2_mauna_loa_weekly.csv"))
    assert panel.time_combo.currentText() == "date" and panel.target_combo.currentText() == "co2_ppm"
    panel.set_health(["Filled 18 missing value(s) by linear interpolation in time ('co2_ppm' 18)."])
    assert panel.notes_text().startswith("Filled 18 missing value(s)")
    assert "delimiter" in panel.notes_text()
    panel.show_error("Column 'date' does not hold dates.", "Pick another time column.")
    assert panel.message_bar.is_shown() and "Pick another" in panel.message_bar.text()
    panel.clear_error()
    assert not panel.message_bar.is_shown()


def test_preview_caption_and_cells(qtbot, macro_table):
    preview = DataPreview()
    qtbot.addWidget(preview)
    preview.set_table(macro_table)
    assert preview.caption.text() == "All 203 rows"
    model = preview.model
    assert model.columnCount() == 6 and model.headerData(0, Qt.Orientation.Horizontal) == "quarter_start"
    assert model.headerData(0, Qt.Orientation.Vertical) == "2"  # line 1 is the header
    assert model.data(model.index(0, 5)) == "2710.35"
    co2 = read_table(SAMPLES / "co2_mauna_loa_weekly.csv")
    preview.set_table(co2)
    assert preview.caption.text() == f"First 500 of {len(co2.frame):,} rows" and model.rowCount() == 500
    preview.set_table(None)
    assert model.rowCount() == 0 and preview.caption.text() == "No data loaded."


def test_frame_model_formats_numbers_and_marks_missing():
    frame = pd.DataFrame({"x": [1234567.891, np.nan, 0.000123456789], "n": [1, 2, 3], "s": ["a", None, "c"]})
    model = FrameModel(frame, max_rows=2)
    assert model.rowCount() == 2 and model.total_rows == 3
    assert model.data(model.index(0, 0)) == "1.23457e+06" and model.data(model.index(0, 1)) == "1"
    assert model.data(model.index(1, 0)) == "" and model.data(model.index(1, 2)) == ""
    assert model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is MISSING_BRUSH
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert model.headerData(1, Qt.Orientation.Vertical) == "2"  # no file lines recorded: 1-based rows


@pytest.fixture(scope="module")
def wide_table(tmp_path_factory):
    """A table of 2,000 numeric columns beside a date column: the case that used to freeze the window."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(40, 2000)), columns=[f"c{i}" for i in range(2000)])
    frame.insert(0, "date", pd.date_range("2024-01-01", periods=40, freq="D").strftime("%Y-%m-%d"))
    path = tmp_path_factory.mktemp("wide") / "wide.csv"
    frame.to_csv(path, index=False)
    return read_table(path)


def test_a_wide_table_fills_the_lists_from_its_choices(qtbot, panel, wide_table):
    choices = column_choices(wide_table.frame)
    assert choices.time == "date" and len(choices.numeric) == 2000 and choices.default_target("date") == "c1999"
    with qtbot.assertNotEmitted(panel.selection_changed):
        panel.set_table(wide_table, choices)
    assert panel.shape_label.text() == "40 rows \u00d7 2,001 columns"
    assert panel.time_combo.count() == 2002 and panel.target_combo.count() == 2000
    assert panel.selection()["target"] == "c1999"
    # Thousands of columns are found by name, not by scrolling.
    assert panel.filter_edit.isVisibleTo(panel)
    panel.filter_edit.setText("C199")
    shown = [panel.inputs_list.model().index(row, 0).data() for row in range(panel.inputs_list.model().rowCount())]
    assert shown[0] == "c199" and "c1999  (target)" in shown and len(shown) == 11
    with qtbot.waitSignal(panel.selection_changed, timeout=1000):
        panel.inputs_list.model().setData(_input_index(panel, "c1990"), Qt.CheckState.Checked.value,
                                          Qt.ItemDataRole.CheckStateRole)
    assert panel.selection()["inputs"] == ["c1990"]
    panel.filter_edit.clear()
    with qtbot.waitSignal(panel.selection_changed, timeout=1000):
        panel.target_combo.setCurrentIndex(panel.target_combo.findData("c5"))
    assert panel.selection()["target"] == "c5" and panel.selection()["inputs"] == ["c1990"]


def test_a_narrow_table_has_no_filter_box(panel, macro_table):
    panel.set_table(macro_table)
    assert not panel.filter_edit.isVisibleTo(panel)


def test_the_preview_takes_only_the_columns_it_shows(qtbot, wide_table):
    preview = DataPreview()
    qtbot.addWidget(preview)
    preview.set_table(wide_table)
    model = preview.model
    assert model.columnCount() == 2001 and model.rowCount() == 40
    assert model._cache == {}  # nothing converted before the view asks
    assert model.data(model.index(3, 1500)) == f"{wide_table.frame.iloc[3, 1500]:.6g}"
    assert list(model._cache) == [1500]
