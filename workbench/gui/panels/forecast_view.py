"""The Forecast tab: choose the part, the step ahead or the fan origin, and the prediction interval's level; the plot,
its band and the read-out follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.forecast.intervals import DEFAULT_LEVELS, percent
from workbench.gui.plots.forecast_plot import ForecastPlot, format_time
from workbench.gui.plots.interval_band import interval_choice
from workbench.gui.plots.time_plot import time_to_x

if TYPE_CHECKING:
    from workbench.core.forecast.inspection import ForecastInspection

NO_MODEL_TEXT = ("No forecasts yet.\n\nTrain a model (Training tab, Ctrl+T) or open a saved one "
                 "(File > Open Model...) to compare its forecasts with what happened.")
PART_CHOICES = (("Test part", "test"), ("Whole series", "all"))
MODE_CHOICES = (("One step ahead", "step"), ("Fan from one origin", "fan"))
OTHER_LEVEL = "Other..."


def placeholder(text: str) -> QLabel:
    """The grey centred text an empty results tab shows."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("color: #666666; font-size: 11pt;")
    return label


class LevelChooser(QWidget):
    """An interval level: one of a few usual ones, or any other in percent (shown only when "Other..." is chosen)."""

    level_changed = Signal(float)  # the level as a fraction (0.8 for 80%)

    def __init__(self, levels: tuple[float, ...], default: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        for level in levels:
            self.combo.addItem(percent(level), level)
        self.combo.addItem(OTHER_LEVEL, None)
        self.other = QDoubleSpinBox()
        self.other.setRange(1.0, 99.9)
        self.other.setDecimals(1)
        self.other.setSingleStep(0.5)
        self.other.setSuffix("%")
        self.other.setValue(100 * default)
        # Only a finished number counts (Enter, leaving the box, the arrows), not each digit typed on the way.
        self.other.setKeyboardTracking(False)
        self.other.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.other)
        self.set_level(default)
        self.combo.currentIndexChanged.connect(self._on_choice)
        self.other.valueChanged.connect(self._on_choice)

    def level(self) -> float:
        chosen = self.combo.currentData()
        return float(chosen) if chosen is not None else round(self.other.value(), 1) / 100

    def set_level(self, level: float) -> None:
        """Choose `level` (a fraction): its own item, or "Other..." with the number."""
        index = next((i for i in range(self.combo.count()) if self.combo.itemData(i) is not None
                      and abs(self.combo.itemData(i) - level) < 1e-9), self.combo.count() - 1)
        if index == self.combo.count() - 1:
            self.other.setValue(100 * level)
        self.combo.setCurrentIndex(index)

    def _on_choice(self) -> None:
        self.other.setVisible(self.combo.currentData() is None)
        self.level_changed.emit(self.level())


class ForecastView(QStackedWidget):
    """A placeholder until `set_inspection`, then the forecast plot with its controls."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._inspection: ForecastInspection | None = None
        self.addWidget(placeholder(NO_MODEL_TEXT))

        self.part = QComboBox()
        for text, key in PART_CHOICES:
            self.part.addItem(text, key)
        self.part.setToolTip("The test part holds the windows the metrics score; the whole series shows how the "
                             "model does on the data it was trained on too.")
        self.mode = QComboBox()
        for text, key in MODE_CHOICES:
            self.mode.addItem(text, key)
        self.mode.setToolTip("One step ahead: every forecast made that many rows before its target.\n"
                             "All steps from one origin: the whole horizon forecast from one point in time.")
        self.step = QSpinBox()
        self.step.setPrefix("t+")
        self.step.setToolTip("How many rows ahead the forecasts shown were made.")
        self.origin = QSlider(Qt.Orientation.Horizontal)
        self.origin.setToolTip("The row the fan of forecasts starts from; the last position forecasts past the end.")
        self.origin_label = QLabel()
        widest = self.origin_label.fontMetrics().horizontalAdvance("0000-00-00 00:00:00 (end)")
        self.origin_label.setMinimumWidth(widest)
        self.level = LevelChooser(DEFAULT_LEVELS, DEFAULT_LEVELS[0])
        self.level.setToolTip("The prediction interval shaded around the forecasts: the share of actual values it "
                              "should hold, calibrated on the validation part.")
        controls = QHBoxLayout()
        for label, widget in (("Show", self.part), ("View", self.mode), ("Step", self.step)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
            controls.addSpacing(4)
        controls.addStretch(1)
        # Only the fan needs an origin: its row shows in that view alone, so the one-step view stays uncluttered.
        self.origin_row = QWidget()
        origin_layout = QHBoxLayout(self.origin_row)
        origin_layout.setContentsMargins(0, 0, 0, 0)
        origin_layout.addWidget(QLabel("Origin"))
        origin_layout.addWidget(self.origin, 1)
        origin_layout.addWidget(self.origin_label)

        self.plot = ForecastPlot()
        self.readout = QLabel(" ")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setToolTip("Move the mouse over the plot to read a point. Drag to pan, wheel to zoom.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        # What the shaded band is, or why there is none: the words come with the band (interval_band.py).
        self.band_note = QLabel()
        self.band_note.setWordWrap(True)
        self.band_note.setStyleSheet("color: #555555;")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.origin_row)
        layout.addWidget(self.summary)
        # The interval on a row of its own, beside what it says: one row of every control would set the tab's
        # minimum width past what a 1280-px screen leaves it beside the forms.
        band_row = QHBoxLayout()
        band_row.addWidget(QLabel("Interval"))
        band_row.addWidget(self.level)
        band_row.addWidget(self.band_note, 1)
        layout.addLayout(band_row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        self.addWidget(page)

        self.part.currentIndexChanged.connect(self._redraw)
        self.mode.currentIndexChanged.connect(self._redraw)
        self.step.valueChanged.connect(self._redraw)
        self.origin.valueChanged.connect(self._redraw)
        self.level.level_changed.connect(self._redraw)
        self.plot.hovered.connect(self._on_hovered)

    def set_inspection(self, inspection: ForecastInspection | None) -> None:
        """Show a model's forecasts (None: back to the placeholder); keeps the user's choices where they fit."""
        self._inspection = inspection
        if inspection is None:
            self.plot.set_interval(None)
            self.band_note.clear()
            self.setCurrentIndex(0)
            return
        for widget in (self.step, self.origin):
            widget.blockSignals(True)
        self.step.setRange(1, inspection.horizon)
        self.origin.setRange(0, len(inspection.fan_origins()) - 1)
        self.origin.setValue(self.origin.maximum())
        for widget in (self.step, self.origin):
            widget.blockSignals(False)
        self.plot.set_inspection(inspection)
        self.setCurrentIndex(1)
        self._redraw()

    def state(self) -> dict:
        """The user's choices, for a project file."""
        return {"part": self.part.currentData(), "mode": self.mode.currentData(), "step": self.step.value(),
                "level": self.level.level()}

    def restore_state(self, state: object) -> None:
        """Put back the choices a project saved; anything else in an edited file is ignored."""
        if not isinstance(state, dict):
            return
        for combo, key in ((self.part, "part"), (self.mode, "mode")):
            index = combo.findData(state.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        if isinstance(state.get("step"), int):
            self.step.setValue(state["step"])
        level = state.get("level")
        if isinstance(level, float) and 0.01 <= level <= 0.999:
            self.level.set_level(level)

    # ---- helpers

    def _redraw(self) -> None:
        inspection = self._inspection
        if inspection is None:
            return
        fan = self.mode.currentData() == "fan"
        self.step.setEnabled(not fan and inspection.horizon > 1)
        self.part.setEnabled(not fan)
        self.origin_row.setVisible(fan)
        origins = inspection.fan_origins()
        origin = int(origins[self.origin.value()])
        end = origin == len(inspection.actual) - 1
        self.origin_label.setText(format_time(inspection.times[origin], self._dates()) + (" (end)" if end else ""))
        self.level.setEnabled(inspection.calibration is not None)
        interval = interval_choice(inspection, self.level.level())
        self.plot.set_interval(interval)
        self.band_note.setText(interval.note)
        if fan:
            self.plot.show_fan(origin)
        else:
            self.plot.show_step(self.step.value(), self.part.currentData())
        self.summary.setText(self._summary_text(inspection, origin if fan else None))
        self.readout.setText(" ")

    def _dates(self) -> bool:
        return time_to_x(self._inspection.times[:1])[1]

    def _summary_text(self, inspection: ForecastInspection, fan_origin: int | None) -> str:
        """The verdict, then what the drawn lines are: it follows the view, so it never names a line not drawn."""
        ahead = "value" if inspection.horizon == 1 else f"{inspection.horizon} values"
        if fan_origin is None:
            last = format_time(inspection.future_times[-1], self._dates())
            lines = f"Dashed: the next {ahead} past the end of the data, up to {last}."
        else:
            start = format_time(inspection.times[fan_origin], self._dates())
            lines = f"Purple: the next {ahead} forecast from {start}, joined to the actual value there."
        return f"{inspection.evaluation.verdict} {lines}"

    def _on_hovered(self, text: str) -> None:
        self.readout.setText(text or " ")
