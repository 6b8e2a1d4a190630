"""The series workspace's results: the Forecast, Metrics and Residuals tabs and the forecasts they show.

A finished run brings its forecasts from the training job. Those of a model on other data (new data opened
under the model on screen, or a model opened over the data on screen) take seconds on a long series, so they
are made off the GUI thread, the newest request winning (gui/latest_job.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from workbench.core.training.advice import Verdict
from workbench.gui.panels.forecast_view import ForecastView
from workbench.gui.panels.metrics_view import MetricsView
from workbench.gui.panels.residuals_view import ResidualsView
from workbench.gui.workspaces.series_jobs import forecasts_on

if TYPE_CHECKING:
    import pyqtgraph as pg
    from PySide6.QtWidgets import QWidget

    from workbench.core.data.series import SeriesData
    from workbench.core.data.sources import Table
    from workbench.core.export.forecaster_bundle import ForecasterBundle
    from workbench.core.forecast.inspection import ForecastInspection
    from workbench.core.training.advice import Advice
    from workbench.gui.latest_job import LatestJob
    from workbench.gui.services import Services

Shown = Callable[["SeriesData", "ForecastInspection"], object]


def forecast_verdict(summary: dict[str, Any]) -> Verdict:
    """The forecaster's verdict as its evaluation summary writes it: the sentence and the tone it was written
    with (core/forecast/baselines.py `verdict`); no tone claims nothing by colour."""
    from workbench.core.training.advice import TONES

    tone = summary.get("verdict_tone")
    return Verdict(str(summary.get("verdict", "")), tone if tone in TONES else "neutral")


def forecaster_advice(result: dict[str, Any], summary: dict[str, Any] | None) -> Advice:
    """The reading of a forecaster's curves and the one recommendation, weighing the test verdict in `summary`
    (the evaluation summary on the data on screen; None when there is none)."""
    from workbench.core.training.advice import CAPACITY, advise

    beats = (summary or {}).get("beats_baselines")
    return advise(result.get("history", []), result.get("best_epoch"), beats if isinstance(beats, bool) else None,
                  CAPACITY["forecaster"], result.get("stopped_reason"))


class ForecastResults:
    """The three results tabs, the series their forecasts are on, and the making of forecasts in the background."""

    def __init__(self, services: Services, job: LatestJob, changed: Callable[[], object]) -> None:
        self._services = services
        self._job = job
        self._changed = changed  # what is shown changed (the window updates the export menu)
        self.forecast_view = ForecastView()
        self.metrics_view = MetricsView()
        self.residuals_view = ResidualsView()
        self.series: SeriesData | None = None  # the series the forecasts are on (None: no forecasts)
        self.inspection: ForecastInspection | None = None
        # A model being opened over the data while its forecasts are made: (bundle, path, shown), else None.
        self.opening: tuple[ForecasterBundle, str, Shown] | None = None
        self._unfilled: list[Any] = []  # the views still to be filled with `inspection`, one a turn

    def tabs(self) -> tuple[tuple[QWidget, str], ...]:
        return (self.forecast_view, "Forecast"), (self.metrics_view, "Metrics"), (self.residuals_view, "Residuals")

    def show(self, series: SeriesData | None, inspection: ForecastInspection | None) -> None:
        """Show these forecasts (None: none); any still being made for an older request are dropped."""
        self._job.forget()
        self.opening = None
        self._show(series, inspection)

    def forecast_new_data(self, bundle: ForecasterBundle, table: Table) -> None:
        """New data under the model on screen: the old forecasts go at once, the new ones follow when made (when
        the data has the model's columns; else the status line says why there are none)."""
        self.opening = None
        self._show(None, None)
        self._job.request("Forecasting with the model...", lambda context: forecasts_on(context, bundle, table),
                          lambda result: result is not None and self._show(*result),
                          lambda message, _hint: self._services.show_status(
                              f"The model's forecasts are hidden for this data: {message}"))

    def forecast_opened(self, bundle: ForecasterBundle, path: str, table: Table, shown: Shown) -> None:
        """A model opened over `table`: its forecasts are made first, then `shown(series, inspection)` puts the
        model on screen. A refusal (the table lacks its columns) is shown in words and changes nothing."""
        from pathlib import Path

        self.opening = (bundle, path, shown)

        def refused(message: str, hint: str) -> None:
            self.opening = None
            self._services.show_error(message, hint)

        self._job.request(f"Forecasting with {Path(path).name}...",
                          lambda context: forecasts_on(context, bundle, table),
                          lambda result: result is not None and shown(*result), refused)

    def current_plot(self, tab: QWidget | None) -> tuple[pg.PlotWidget | None, str]:
        """The plot on `tab` when it is one of these tabs and has forecasts to show."""
        if self.inspection is not None and tab is self.forecast_view:
            return self.forecast_view.plot, "forecast"
        if self.inspection is not None and tab is self.residuals_view:
            return self.residuals_view.time_plot, "residuals"
        return None, ""

    def is_filling(self) -> bool:
        """True while the views are still being filled with the forecasts on screen (see `_show`)."""
        return bool(self._unfilled)

    def _show(self, series: SeriesData | None, inspection: ForecastInspection | None) -> None:
        self.series, self.inspection = series, inspection
        # Each view takes 10-60 ms to fill with forecasts on a million rows (its plots take every point), too long
        # together for one turn of the event loop, where the window answers nothing: one view a turn, the
        # Forecast tab first. Emptying them is quick, and at once.
        self._unfilled = [self.forecast_view, self.metrics_view, self.residuals_view]
        if inspection is None:
            while self._unfilled:
                self._unfilled.pop(0).set_inspection(None)
        else:
            QTimer.singleShot(0, self.forecast_view, self._fill_next)
        self._changed()

    def _fill_next(self) -> None:
        if not self._unfilled:
            return  # a later `_show` filled them already
        self._unfilled.pop(0).set_inspection(self.inspection)
        if self._unfilled:
            QTimer.singleShot(0, self.forecast_view, self._fill_next)
