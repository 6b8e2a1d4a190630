"""The Inspect tab: a model's gates and states over one sample, the units that follow a property, gate saturation
and what the output depended on, for every kind of model.

A workspace gives it plain data: `set_model(kind, model, context)` for a finished or opened model, `clear()`, and
during training `refresh_from(model)` each epoch with a private copy of the best weights so far. Inspections run
on the app's runner (inspect_jobs.py); the newest request wins. While the tab is hidden nothing is computed: the
request waits until it is shown, so a refresh each epoch costs the training nothing unless someone is looking.

During training the attribution is gradient x input, not integrated gradients: for a 500-character passage of a
2x128 character LSTM, integrated gradients (32 points on the path) took 1.2-2.3 s on one thread, up to half an
epoch of bench_inspect_view's run, while gradient x input took 0.1 s; the description names the method used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from workbench.core.export.kinds import FORECASTER
from workbench.gui.file_dialogs import PLOT_FILTERS
from workbench.gui.panels.forecast_view import placeholder
from workbench.gui.panels.inspect import inspect_export
from workbench.gui.panels.inspect.contexts import ClassifyContext, InspectContext, SeriesContext
from workbench.gui.panels.inspect.inspect_jobs import LatestInspection, inspection_function
from workbench.gui.panels.inspect.pictures import InspectPictures
from workbench.gui.panels.inspect.readouts import attribution_words
from workbench.gui.panels.inspect.sample_picker import SamplePicker
from workbench.gui.panels.inspect.state_chooser import StateChooser

if TYPE_CHECKING:
    import pyqtgraph as pg
    from torch import nn

    from workbench.core.inspect.inspection import Inspection
    from workbench.gui.services import Services

FULL, QUICK = "integrated_gradients", "gradient_x_input"  # the attribution for a finished model, during training
NO_MODEL = "Train a model or open one to see its gates and states at work on your data."
NO_DATA = {FORECASTER: "Open data with the model's columns to look inside the forecaster on its windows."}


class InspectView(QStackedWidget):
    """A placeholder until a model and its data arrive, then the sample, the pictures and the unit lists."""

    shown = Signal()  # an inspection reached the screen (tests and benchmarks wait for it)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._jobs = LatestInspection(services, self)
        self._kind = ""
        self._model: nn.Module | None = None
        self._context: InspectContext | None = None
        self._weights = ""  # which weights these are, in words ("" for a finished model)
        self._method = FULL  # how the attribution is computed: FULL, or QUICK during training (module docstring)
        self._stale = False  # a request waits for the tab to be shown
        self._announce = False  # the draw in progress shows a new inspection: `shown` follows it
        self._placeholder = placeholder(NO_MODEL)
        self.picker, self.chooser, self.pictures = SamplePicker(), StateChooser(), InspectPictures()
        self.export_button = inspect_export.export_button(self, self.export_picture, self.export_arrays)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.addWidget(self._placeholder)
        self.addWidget(self._page())
        # Its rows of controls must not make the whole right-hand side (every tab) as wide as they are: in a
        # narrow window (a small screen, a wide settings pane) they are squeezed instead.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.picker.changed.connect(self._request)
        self.chooser.array_changed.connect(self._draw)
        self.chooser.unit_changed.connect(self.pictures.follow)
        self.pictures.unit_followed.connect(self.chooser.set_unit)
        self.pictures.drawn.connect(self._on_drawn)

    def _page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.picker)
        controls = QHBoxLayout()
        controls.addWidget(self.chooser)
        controls.addStretch(1)
        controls.addWidget(self.export_button)
        layout.addLayout(controls)
        layout.addWidget(self.description)
        layout.addWidget(self.error)
        layout.addWidget(self.pictures, 1)
        return page

    @property
    def inspection(self) -> Inspection | None:
        """The inspection on screen."""
        return self.pictures.inspection

    # ----- what a workspace calls ----------------------------------------------------------------------------------
    def set_model(self, kind: str, model: nn.Module | None, context: InspectContext | None,
                  weights: str = "") -> None:
        """Look inside `model` (of `kind`) on samples of `context`; None for either shows why there is nothing.

        The view only reads the model, on its job's thread: the caller must not train or change it meanwhile
        (during training, hand over a copy: see refresh_from)."""
        self._use(kind, model, context, weights, FULL)

    def refresh_from(self, model: nn.Module, context: InspectContext | None = None, weights: str = "") -> None:
        """New weights for the model on screen (each epoch of a run): the same sample and unit, inspected again.

        `model` becomes the view's to keep: a copy the training thread no longer changes (the best weights so far,
        copied on the training thread). `context` replaces the current one when given (a run on other data);
        `weights` says which weights these are ("best so far (epoch 3)")."""
        context = context or self._context
        if context is None:
            return
        if self._model is None or context is not self._context:
            self._use(context.kind, model, context, weights, QUICK)
            return
        self._model, self._weights, self._method = model, weights, QUICK
        self._request()

    def _use(self, kind: str, model: nn.Module | None, context: InspectContext | None, weights: str,
             method: str) -> None:
        if context is not None and context.kind != kind:
            raise ValueError(f"A {kind} needs a context of its own kind, not one for a {context.kind}.")
        self._jobs.forget()
        self._kind, self._model, self._context, self._weights, self._method = kind, model, context, weights, method
        self.pictures.reset()
        self._announce = False
        if model is None or context is None:
            self._placeholder.setText(NO_MODEL if model is None else NO_DATA.get(kind, NO_MODEL))
            self.setCurrentIndex(0)
            return
        self.picker.set_context(context)
        self.pictures.units.set_kind(kind, context.series.columns if isinstance(context, SeriesContext) else ())
        self._request()

    def clear(self) -> None:
        """No model: the placeholder, and nothing pending."""
        self.set_model(self._kind, None, None)

    def close_jobs(self) -> None:
        """Before the window closes: drop what is pending and wait for the running inspection."""
        self._jobs.forget()
        self._jobs.wait()

    def is_working(self) -> bool:
        """True from a request until its outcome is on screen (one waiting for the tab to be shown does not count)."""
        return self._jobs.is_pending() or self.pictures.is_drawing()

    def current_plot(self) -> tuple[pg.PlotWidget | None, str]:
        """The heatmap, for File > Export Plot (the Export button offers the others)."""
        return (self.pictures.heatmap, "states") if self.inspection is not None else (None, "")

    def choose_unit(self, unit: int) -> None:
        """Follow `unit`, as clicking its heatmap row does."""
        self.pictures.follow(unit)

    # ----- inspecting ------------------------------------------------------------------------------------------
    def _request(self) -> None:
        if self._model is None or self._context is None:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._jobs.request(inspection_function(self._model, self._context, self.picker.choice(), self._method),
                           self._on_inspected, self._on_refused)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self._request()

    def _on_refused(self, message: str, hint: str) -> None:
        self.error.setText(f"{message} {hint}".strip())
        self.error.show()

    def _on_inspected(self, inspection: Inspection | None) -> None:
        if inspection is None:
            return
        self.error.hide()
        context = self._context
        trace, sample = inspection.trace, inspection.sample
        self.chooser.set_choices(trace.layers, trace.directions, trace.quantities, trace.units)
        # A classifier reads words without the spaces between them; they are put back to be read.
        spaced = isinstance(context, ClassifyContext) and context.vocabulary.level == "word"
        self.pictures.show_inspection(inspection, " " if spaced else "",
                                      context.season if isinstance(context, SeriesContext) else None)
        weights = f" Weights: {self._weights}." if self._weights else ""
        self.description.setText(f"{sample.description[0].upper()}{sample.description[1:]}.{weights} "
                                 f"{attribution_words(inspection.attribution, sample.kind)}")
        self.setCurrentIndex(1)
        self._announce = True
        self._draw()

    def _draw(self) -> None:
        self.pictures.draw(*self.chooser.array())

    def _on_drawn(self) -> None:
        if self._announce:
            self._announce = False
            self.shown.emit()

    # ----- exports ---------------------------------------------------------------------------------------------
    def export_picture(self, name: str, path: str | None = None) -> bool:
        """Write the picture `name` ("states", "unit", "saturation" or, for a series, "attribution") as PNG or
        SVG; a dialog asks where unless `path` is given."""
        plot = self.pictures.plots().get(name)
        if self.inspection is None or plot is None:
            self._services.show_error("There is no such picture to export now.",
                                      "Inspect a sample first; attribution bars are drawn for series windows.")
            return False
        path = path or inspect_export.ask_save(self._services, "Export picture", f"inspect-{name}.png",
                                               PLOT_FILTERS, ".png")
        return bool(path) and inspect_export.write_picture(self._services, plot, path)

    def export_arrays(self, path: str | None = None) -> bool:
        """Write every array of the sample on screen (.npz, named as `workbench inspect` names them)."""
        if self.inspection is None:
            self._services.show_error("There is nothing to export yet.", "Inspect a sample first.")
            return False
        path = path or inspect_export.ask_save(self._services, "Export arrays", "inspect.npz",
                                               inspect_export.ARRAYS_FILTER, ".npz")
        return bool(path) and inspect_export.write_arrays(self._services, self.inspection, path)
