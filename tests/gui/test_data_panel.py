"""The data panel: detected roles are preselected, user changes (and only those) emit selection_changed."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPoint, Qt

from workbench.core.data.sources import read_table
from workbench.gui.panels.data_panel import ROW_ORDER, DataPanel, DataPreview
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


def _input_item(panel, name):
    items = [panel.inputs_list.item(i) for i in range(panel.inputs_list.count())]
    return next(it for it in items if it.data(Qt.ItemDataRole.UserRole) == name)


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
    target_item = _input_item(panel, "realgdp")
    assert not target_item.flags() & Qt.ItemFlag.ItemIsEnabled


def test_ticking_an_input_emits_and_is_selected(qtbot, panel, macro_table):
    panel.set_table(macro_table)
    panel.show()
    item = _input_item(panel, "unemp")
    rect = panel.inputs_list.visualItemRect(item)
    with qtbot.waitSignal(panel.selection_changed, timeout=1000):
        # A click on the check box itself toggles it, as the user would.
        qtbot.mouseClick(panel.inputs_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(rect.left() + 10, rect.center().y()))
    assert panel.selection()["inputs"] == ["unemp"]


def test_changing_target_keeps_inputs_and_excludes_the_new_target(qtbot, panel, macro_table):
    panel.set_table(macro_table)
    _input_item(panel, "unemp").setCheckState(Qt.CheckState.Checked)
    _input_item(panel, "infl").setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(panel.selection_changed, timeout=1000):
        panel.target_combo.setCurrentIndex(panel.target_combo.findData("unemp"))
    selection = panel.selection()
    assert selection["target"] == "unemp" and selection["inputs"] == ["infl"]
    assert not _input_item(panel, "unemp").flags() & Qt.ItemFlag.ItemIsEnabled


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
