"""What the Inspect tab draws of one inspection: the heatmap, the followed unit, the input (attribution bars or
coloured text), the ranked units and gate saturation, and the read-out of what the mouse points at."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from workbench.core.errors import WorkbenchError
from workbench.gui.panels.inspect.attribution_plot import AttributionPlot
from workbench.gui.panels.inspect.colors import ColorScale, scale_for, symmetric_scale
from workbench.gui.panels.inspect.heatmap_plot import HeatmapPlot
from workbench.gui.panels.inspect.readouts import cell_words, token_words
from workbench.gui.panels.inspect.saturation_plot import SaturationPlot
from workbench.gui.panels.inspect.token_text import TokenText
from workbench.gui.panels.inspect.unit_list import RankedUnits
from workbench.gui.panels.inspect.unit_plot import UnitPlot, words

if TYPE_CHECKING:
    import pyqtgraph as pg

    from workbench.core.inspect.inspection import Inspection

COLOR_BY = (("the unit", "unit"), ("attribution", "attribution"))
SERIES_INPUT, TEXT_INPUT = 0, 1  # pages of the input below the unit
PART_MS = 1


class InspectPictures(QWidget):
    """`show_inspection` takes a new inspection, `draw` picks the array, `follow` the unit; `unit_followed` says
    which unit is followed whenever that changes."""

    unit_followed = Signal(int)
    drawn = Signal()  # the last part of a draw is on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inspection: Inspection | None = None
        self.array_choice: tuple[int, str, str] = (0, "forward", "hidden")  # layer, direction, quantity
        self.scale: ColorScale | None = None  # the heatmap's colours, shared by the coloured text
        self.unit: int | None = None
        self.unit_picked = False  # the user chose it: it stays across epochs and samples
        self._season: int | None = None
        self._parts: list[Callable[[], None]] = []  # what is left of a draw, one part per turn of the event loop
        self._part_timer = QTimer(self)
        self._part_timer.setSingleShot(True)
        # Each part waits for a turn of the event loop: what is pending (the last part's paint, the user's input,
        # other timers) goes first.
        self._part_timer.setInterval(PART_MS)
        self._part_timer.timeout.connect(self._next_part)
        self.heatmap, self.unit_plot, self.attribution_plot = HeatmapPlot(), UnitPlot(), AttributionPlot()
        self.saturation, self.units, self.token_text = SaturationPlot(), RankedUnits(), TokenText()
        self.color_by = QComboBox()
        for text, key in COLOR_BY:
            self.color_by.addItem(text, key)
        self.color_by.setToolTip("Colour each token by the followed unit's value (the heatmap's colours), or by its "
                                 "share of the output (attribution).")
        self.readout = QLabel(" ")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for plot in (self.unit_plot, self.attribution_plot):
            plot.setXLink(self.heatmap)
        self._layout()
        for signal in (self.heatmap.unit_clicked, self.saturation.unit_clicked, self.units.unit_chosen):
            signal.connect(self.follow)
        self.units.property_changed.connect(self.rank)
        self.color_by.currentIndexChanged.connect(self._color_tokens)
        self.heatmap.hovered.connect(self._on_cell_hovered)
        self.token_text.hovered.connect(self._on_token_hovered)

    def _layout(self) -> None:
        token_panel = QWidget()
        token_layout = QVBoxLayout(token_panel)
        token_layout.setContentsMargins(0, 0, 0, 0)
        choice = QHBoxLayout()
        choice.addWidget(QLabel("Colour the text by"))
        choice.addWidget(self.color_by)
        choice.addStretch(1)
        token_layout.addLayout(choice)
        token_layout.addWidget(self.token_text, 1)
        # The input below the unit: bars under a series window, or the passage coloured token by token.
        self.input_stack = QStackedWidget()
        self.input_stack.addWidget(self.attribution_plot)
        self.input_stack.addWidget(token_panel)
        pictures = _splitter(Qt.Orientation.Vertical, (self.heatmap, 5), (self.unit_plot, 3), (self.input_stack, 3))
        side = _splitter(Qt.Orientation.Vertical, (self.units, 3), (self.saturation, 2))
        # A fifth of a window beside the settings pane (about 180 px) cut the saturation plot's title and axis.
        side.setMinimumWidth(SIDE_MIN_WIDTH)
        body = _splitter(Qt.Orientation.Horizontal, (pictures, 4), (side, 1))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(body, 1)
        layout.addWidget(self.readout)

    # ----- a new inspection --------------------------------------------------------------------------------------
    def reset(self) -> None:
        """A new model: the next inspection follows the best unit again; a draw in progress stops."""
        self.inspection, self.unit, self.unit_picked = None, None, False
        self._parts = []
        self._part_timer.stop()

    def show_inspection(self, inspection: Inspection, separator: str = "", season: int | None = None) -> None:
        """Take a new inspection (its tokens joined by `separator`; `season` for the seasonal phase); the array
        shown and the followed unit stay."""
        self.inspection, self._season = inspection, season
        sample = inspection.sample
        tokens = sample.ids is not None
        for axis in (self.heatmap.axis, self.unit_plot.axis, self.attribution_plot.axis):
            axis.set_labels(sample.labels, tokens=tokens)
        self.input_stack.setCurrentIndex(TEXT_INPUT if tokens else SERIES_INPUT)
        if tokens:
            self.unit_plot.set_input(None)
            self.token_text.set_tokens(sample.tokens, separator)
        else:
            target = sample.inputs[:, 0]
            self.unit_plot.set_input(target, sample.feature_names[0])
            self.attribution_plot.set_attribution(inspection.attribution.values, sample.feature_names, target,
                                                  sample.feature_names[0])

    def array(self) -> np.ndarray:
        """The chosen quantity of the chosen layer and direction: (time, units)."""
        return self.inspection.trace.get(*self.array_choice)

    def draw(self, layer: int, direction: str, quantity: str) -> None:
        """Show this array: the heatmap, saturation and ranking, then the followed unit; `drawn` when done.

        In parts, each in a turn of the event loop of its own and painted before the next: 256 units over a
        thousand steps took 75-140 ms to draw in all (bench_inspect_view, a loaded 2-core machine), which in one
        piece would stall the window once per epoch; in parts, no block was longer than 20-50 ms."""
        self.array_choice = (layer, direction, quantity)
        if self.inspection is None:
            return
        self._parts = [self._draw_heatmap, self._draw_saturation, self._rank_units, self._show_unit_plot,
                       self._mark_unit, self._color_tokens]
        self._next_part()

    def is_drawing(self) -> bool:
        """True while parts of a draw wait for their turn."""
        return bool(self._parts)

    def _next_part(self) -> None:
        if not self._parts:
            return
        self._parts.pop(0)()
        if self._parts:
            self._part_timer.start()
        else:
            self.drawn.emit()

    def _draw_heatmap(self) -> None:
        trace = self.inspection.trace
        layer, direction, quantity = self.array_choice
        values = np.ascontiguousarray(self.array().T)  # (units, time), as the image is drawn
        self.scale = scale_for(quantity, trace.gates, values)
        self.heatmap.set_values(values, self.scale, f"{words(quantity)}, {self._where()}")

    def _draw_saturation(self) -> None:
        from workbench.core.inspect.summaries import gate_saturation

        layer, direction, _ = self.array_choice
        gates = gate_saturation(self.inspection.trace, layer, direction)
        self.saturation.set_saturation(gates, f"gate saturation, {self._where()}")

    def _where(self) -> str:
        layer, direction, _ = self.array_choice
        return f"layer {layer}" + (f", {direction}" if len(self.inspection.trace.directions) > 1 else "")

    def rank(self) -> None:
        """Rank the units of the array shown by the chosen property; follow the best unless one was picked."""
        if self.inspection is not None:
            self._rank_units()
            self._show_unit()

    def _rank_units(self) -> None:
        from workbench.core.inspect.properties import series_property, text_property
        from workbench.core.inspect.summaries import rank_units

        sample = self.inspection.sample
        name, pattern, column = self.units.choice()
        try:
            if sample.ids is None:
                prop = series_property(sample, name, column, self._season)
            else:
                prop = text_property(sample.tokens, name, pattern)
            ranking = rank_units(self.array(), prop)
        except WorkbenchError as error:
            self.units.show_message(f"{error.message} {error.hint}".strip())
        else:
            self.units.set_ranking(ranking)
            if not self.unit_picked:
                self.unit = int(ranking.units[0])
        if self.unit is None or self.unit >= self.inspection.trace.units:
            self.unit = 0

    # ----- the followed unit -------------------------------------------------------------------------------------
    def follow(self, unit: int) -> None:
        """Follow `unit` (a heatmap row, a dot, a list entry or the spin box) from now on."""
        self.unit, self.unit_picked = int(unit), True
        self._show_unit()

    def _show_unit(self) -> None:
        self._show_unit_plot()
        self._mark_unit()
        self._color_tokens()

    def _show_unit_plot(self) -> None:
        if self.inspection is None or self.unit is None:
            return
        trace, unit = self.inspection.trace, self.unit
        layer, direction, _ = self.array_choice
        self.unit_plot.set_unit(unit, {q: trace.get(layer, direction, q)[:, unit] for q in trace.quantities})

    def _mark_unit(self) -> None:
        """The followed unit's row, dots and list entry marked, and the unit told."""
        if self.inspection is None or self.unit is None:
            return
        self.heatmap.mark_unit(self.unit)
        self.saturation.mark_unit(self.unit)
        self.units.select_unit(self.unit)
        self.unit_followed.emit(self.unit)

    def _color_tokens(self) -> None:
        if self.inspection is None or self.inspection.sample.ids is None or self.unit is None:
            return
        if self.color_by.currentData() == "attribution":
            values = self.inspection.attribution.values[:, 0]
            scale = symmetric_scale(values)
        else:
            values, scale = self.array()[:, self.unit], self.scale
        self.token_text.set_colors(scale.names(values))

    # ----- read-outs and pictures --------------------------------------------------------------------------------
    def _on_cell_hovered(self, unit: int, step: int) -> None:
        if self.inspection is None or unit < 0:
            self.readout.setText(" ")
            return
        value = float(self.array()[step, unit])
        self.readout.setText(cell_words(self.inspection, self.array_choice[2], unit, step, value))

    def _on_token_hovered(self, step: int) -> None:
        if self.inspection is None or step < 0 or self.unit is None:
            self.readout.setText(" ")
            return
        value = float(self.array()[step, self.unit])
        self.readout.setText(token_words(self.inspection, self.array_choice[2], self.unit, step, value))

    def plots(self) -> dict[str, pg.PlotWidget]:
        """The pictures by name (the attribution bars only for a series window)."""
        found = {"states": self.heatmap, "unit": self.unit_plot, "saturation": self.saturation}
        if self.inspection is not None and self.inspection.sample.ids is None:
            found["attribution"] = self.attribution_plot
        return found


SIDE_MIN_WIDTH = 250  # the ranked units and the saturation plot, readable


def _splitter(orientation: Qt.Orientation, *parts: tuple[QWidget, int]) -> QSplitter:
    splitter = QSplitter(orientation)
    for widget, stretch in parts:
        splitter.addWidget(widget)
        splitter.setStretchFactor(splitter.count() - 1, stretch)
    splitter.setChildrenCollapsible(False)
    return splitter
