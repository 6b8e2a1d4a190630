"""Which array the heatmap shows (layer, direction, gate or state) and which unit is followed: only what the
model has is offered."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from workbench.gui.panels.inspect.unit_plot import words

TIPS = {
    "layer": "The recurrent layer (0 reads the input; each next one reads the one before).",
    "direction": "A bidirectional model reads the sample both ways; each direction has its own units.",
    "quantity": "The gate or state the heatmap shows. Gates lie between 0 (shut) and 1 (open).",
    "unit": "The unit followed below the heatmap and in the coloured text. Click a heatmap row to choose one.",
}


class StateChooser(QWidget):
    """Layer, direction, quantity and unit; `array_changed` and `unit_changed` report the user's changes."""

    array_changed = Signal()
    unit_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer, self.direction, self.quantity = QComboBox(), QComboBox(), QComboBox()
        self.unit = QSpinBox()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._direction_label = QLabel("Direction")
        for label, widget, key in ((QLabel("Layer"), self.layer, "layer"),
                                   (self._direction_label, self.direction, "direction"),
                                   (QLabel("Show"), self.quantity, "quantity"), (QLabel("Unit"), self.unit, "unit")):
            widget.setToolTip(TIPS[key])
            layout.addWidget(label)
            layout.addWidget(widget)
            layout.addSpacing(6)
        for combo in (self.layer, self.direction, self.quantity):
            combo.currentIndexChanged.connect(self.array_changed)
        self.unit.valueChanged.connect(self.unit_changed)

    def set_choices(self, layers: int, directions: tuple[str, ...], quantities: tuple[str, ...], units: int) -> None:
        """Offer what a trace has; the current choices stay where they still exist (no signals)."""
        widgets = (self.layer, self.direction, self.quantity, self.unit)
        for widget in widgets:
            widget.blockSignals(True)
        _refill(self.layer, [(str(k), k) for k in range(layers)])
        _refill(self.direction, [(d, d) for d in directions])
        # The hidden state first: it is what the layer hands on, the most telling picture to start from.
        default = "hidden" if "hidden" in quantities else quantities[0]
        _refill(self.quantity, [(words(q), q) for q in quantities], default)
        self.unit.setRange(0, max(units - 1, 0))
        for widget in widgets:
            widget.blockSignals(False)
        self.direction.setVisible(len(directions) > 1)
        self._direction_label.setVisible(len(directions) > 1)

    def array(self) -> tuple[int, str, str]:
        """(layer, direction, quantity) as chosen."""
        return int(self.layer.currentData() or 0), str(self.direction.currentData()), str(self.quantity.currentData())

    def set_unit(self, unit: int) -> None:
        self.unit.blockSignals(True)
        self.unit.setValue(unit)
        self.unit.blockSignals(False)


def _refill(combo: QComboBox, items: list[tuple[str, object]], default: object = None) -> None:
    """Replace the items, keeping the chosen one when it is still offered (else `default`, else the first)."""
    keep = combo.currentData()
    if [combo.itemData(i) for i in range(combo.count())] == [data for _, data in items]:
        return
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(keep)
    combo.setCurrentIndex(index if index >= 0 else max(combo.findData(default), 0))
