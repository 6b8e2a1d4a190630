"""The units ranked by how well they follow a property the user picks (inside quotes, the seasonal phase, ...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QVBoxLayout, QWidget

from workbench.core.export.kinds import FORECASTER
from workbench.core.inspect.properties import SERIES_PROPERTIES, TEXT_PROPERTIES

if TYPE_CHECKING:
    from workbench.core.inspect.summaries import UnitRanking

# The first property offered: one that changes in almost every sample, so the list is rarely empty.
DEFAULT_PROPERTY = {True: "level", False: "position_in_line"}  # by "is a series"
TIP = ("Units whose activation (the quantity shown in the heatmap) follows the property best come first: by |r|, "
       "the correlation over the sample's steps (r > 0: the unit rises with the property; for the seasonal phase, "
       "R, the best correlation over every phase shift). Click a unit to follow it.")


def item_text(unit: int, score: float, sign: float) -> str:
    """ "unit  17  r +0.83": the signed correlation, or R (no sign) for a property of several columns."""
    if not np.isfinite(score):
        return f"unit {unit:>4}  never changes"
    if sign == 0:
        return f"unit {unit:>4}  R  {score:.2f}"
    return f"unit {unit:>4}  r {sign * score:+.2f}"


class RankedUnits(QWidget):
    """A property chooser (with its pattern or column) over the ranked list of units."""

    property_changed = Signal()  # the property, its pattern or its column changed: rank again
    unit_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.property = QComboBox()
        self.property.setToolTip("What the units are ranked by.")
        self.pattern = QLineEdit()
        self.pattern.setPlaceholderText("a regular expression, e.g. \\d+ or [A-Z]\\w*")
        self.column = QComboBox()
        self.column.setToolTip("The input column the units are ranked by.")
        self.list = QListWidget()
        self.list.setToolTip(TIP)
        self.list.setUniformItemSizes(True)  # laid out without measuring each of hundreds of rows
        self._units: list[int] = []  # the unit of each row
        self.list.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #8a4b00;")
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Units that follow")
        title.setStyleSheet("font-weight: bold;")
        for widget in (title, self.property, self.pattern, self.column, self.message):
            layout.addWidget(widget)
        layout.addWidget(self.list, 1)
        self.property.currentIndexChanged.connect(self._on_property)
        self.pattern.editingFinished.connect(self.property_changed)
        self.column.currentIndexChanged.connect(self.property_changed)
        self.list.itemClicked.connect(lambda item: self.unit_chosen.emit(self._units[self.list.row(item)]))

    def set_kind(self, kind: str, columns: Sequence[str] = ()) -> None:
        """Offer the properties of this kind of sample (a series' columns for "a column's value")."""
        series = kind == FORECASTER
        properties = SERIES_PROPERTIES if series else TEXT_PROPERTIES
        keep = self.property.currentData()
        self.property.blockSignals(True)
        self.property.clear()
        for name, label in properties.items():
            self.property.addItem(label, name)
        index = self.property.findData(keep if keep in properties else DEFAULT_PROPERTY[series])
        self.property.setCurrentIndex(max(index, 0))
        self.property.blockSignals(False)
        self.column.blockSignals(True)
        self.column.clear()
        self.column.addItems(list(columns))
        self.column.blockSignals(False)
        self._show_fields()

    def choice(self) -> tuple[str, str, str]:
        """The property's name, its pattern (regex) and its column ("column")."""
        return str(self.property.currentData() or ""), self.pattern.text(), self.column.currentText()

    def set_ranking(self, ranking: UnitRanking) -> None:
        """List every unit, best first."""
        self.message.hide()
        self.list.clear()
        self._units = [int(unit) for unit in ranking.units]
        self.list.addItems([item_text(int(unit), float(score), float(sign))
                            for unit, score, sign in zip(ranking.units, ranking.scores, ranking.signs)])

    def show_message(self, text: str) -> None:
        """Why there is no ranking (the property never changes in this sample, a bad pattern)."""
        self.list.clear()
        self._units = []
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def ranked_units(self) -> list[int]:
        """The units as listed, best first."""
        return list(self._units)

    def select_unit(self, unit: int) -> None:
        """Highlight `unit` in the list (without reporting it back)."""
        self.list.blockSignals(True)
        row = self._units.index(unit) if unit in self._units else -1
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)

    def _on_property(self) -> None:
        self._show_fields()
        name = self.property.currentData()
        if name != "regex" or self.pattern.text():
            self.property_changed.emit()
        else:
            self.show_message("Type a regular expression above and press Enter.")
            self.pattern.setFocus()

    def _show_fields(self) -> None:
        name = self.property.currentData()
        self.pattern.setVisible(name == "regex")
        self.column.setVisible(name == "column")
