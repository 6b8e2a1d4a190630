"""The series workspace: a table of numbers, its columns and settings, training, and the forecasts it makes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.data.series import SeriesData, prepare_series, series_for_split
from workbench.core.data.sniff import ReadOptions
from workbench.core.data.sources import Table
from workbench.core.errors import WorkbenchError
from workbench.core.forecast.setup import check_against_series, checked_setup
from workbench.core.models.summary import describe
from workbench.core.run_config import RunConfig
from workbench.core.training.advice import Verdict
from workbench.gui.panels.data_panel import ColumnChoices, DataPanel, column_choices
from workbench.gui.panels.forecast_view import ForecastView
from workbench.gui.panels.metrics_view import MetricsView
from workbench.gui.panels.model_form import ModelForm
from workbench.gui.panels.residuals_view import ResidualsView
from workbench.gui.panels.series_view import SeriesView
from workbench.gui.workspaces.base import Workspace

if TYPE_CHECKING:
    import pyqtgraph as pg
    from PySide6.QtCore import QObject, QSettings

    from workbench.core.data.config import DataConfig
    from workbench.core.export.forecaster_bundle import ForecasterBundle
    from workbench.core.export.onnx import ParityCheck
    from workbench.core.forecast.inspection import ForecastInspection
    from workbench.core.project import OpenedProject, Project
    from workbench.core.training.callbacks import Callback
    from workbench.gui.services import Services
    from workbench.gui.training_job import TrainCall


def forecast_verdict(summary: dict[str, Any]) -> Verdict:
    """The forecaster's verdict as its evaluation summary writes it: the sentence and the tone it was written
    with (core/forecast/baselines.py `verdict`); no tone claims nothing by colour."""
    from workbench.core.training.advice import TONES

    tone = summary.get("verdict_tone")
    return Verdict(str(summary.get("verdict", "")), tone if tone in TONES else "neutral")


class SeriesWorkspace(Workspace):
    kind = "series"
    model_kind = "forecaster"
    model_label = "forecaster"

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(services, parent)
        self.table: Table | None = None
        self.series: SeriesData | None = None
        self._config = RunConfig()
        self.last_run = None  # the ForecastRun of the last finished training
        # The series the model's forecasts are on (the open data, when it has the model's columns) and the results.
        self.model_series: SeriesData | None = None
        self.inspection: ForecastInspection | None = None
        self.data_panel = DataPanel()
        self.model_form = ModelForm()
        self.model_form.set_config(self._config)
        self.left_tabs.addTab(self.data_panel, "Data")
        self.left_tabs.addTab(self.model_form, "Model")
        self.series_view = SeriesView()
        self.forecast_view = ForecastView()
        self.metrics_view = MetricsView()
        self.residuals_view = ResidualsView()
        for widget, title in ((self.series_view, "Series"), (self.training_panel, "Training"),
                              (self.forecast_view, "Forecast"), (self.metrics_view, "Metrics"),
                              (self.residuals_view, "Residuals")):
            self.right_tabs.addTab(widget, title)
        self.data_panel.selection_changed.connect(self._on_selection_changed)
        self.model_form.config_changed.connect(self.update_can_train)

    # ----- the data -----------------------------------------------------------------------------------------------
    def data_path(self) -> str:
        return self.table.path if self.table is not None else ""

    def open_table(self, table: Table, series: SeriesData, columns: ColumnChoices | None = None) -> None:
        """Show a table and the series prepared from it with the detected columns (`columns`: as reading found
        them, off the GUI thread)."""
        self.table = table
        self.data_replaced()
        self.data_panel.set_table(table, columns)
        self.series_view.set_table(table)
        self.right_tabs.setCurrentWidget(self.series_view)
        self._set_series(series)
        self._forecast_new_data()

    def _on_selection_changed(self) -> None:
        if self.table is None:
            return
        try:
            with self.services.busy(f"Preparing {Path(self.table.path).name}..."):
                series = prepare_series(self.table.frame, self._data_config(), source=self.table.path)
        except WorkbenchError as error:
            self.data_panel.show_error(error.message, error.hint)
            self.series = None
            self.update_can_train()
            return
        self._set_series(series)

    def _set_series(self, series: SeriesData) -> None:
        self.series = series
        self.data_panel.clear_error()
        self.data_panel.set_health(series.health)
        self.series_view.set_series(series)
        self.services.show_status(series.health[0] if series.health else "")
        self.update_can_train()
        self.changed.emit()

    def _fill_for_split(self, config: RunConfig) -> None:
        """Keep the missing values filled within the parts the current settings split the series into, so the
        plot, the notes and training all use the same values (core/data/filling.py)."""
        if self.series is None or any(key.startswith("data.") for key in config.problems()):
            return
        series = series_for_split(self.series, config.data)
        if series is not self.series:
            self.series = series
            self.data_panel.set_health(series.health)
            self.series_view.set_series(series)

    def _data_config(self) -> DataConfig:
        selection = self.data_panel.selection()
        return dataclasses.replace(self.model_form.config(self._config).data, target=selection["target"],
                                   time=selection["time"], inputs=list(selection["inputs"]),
                                   missing=selection["missing"])

    def current_config(self) -> RunConfig:
        """The settings as the forms show them (possibly invalid: check with problems())."""
        config = self.model_form.config(self._config)
        return dataclasses.replace(config, data=self._data_config()) if self.table is not None else config

    def project_config(self) -> RunConfig:
        return self.current_config()

    # ----- settings and training ----------------------------------------------------------------------------------
    def refresh(self) -> tuple[bool, str]:
        config = self.current_config()
        if self.series is None:
            self.model_form.set_problems(config.problems())
            self.model_form.set_summary("")
            return False, "Open a data file first."
        self._fill_for_split(config)
        setup, problems = checked_setup(config, self.series)
        self.model_form.set_problems(problems)
        if setup is None:
            self.series_view.clear_plan()
        else:
            self.series_view.set_plan(setup.plan)
        if problems:
            count = len(problems)
            self.model_form.set_summary("")
            return False, f"Fix the {count} setting{'s' if count > 1 else ''} marked in the Model tab."
        plan = setup.plan
        summary = describe(config.model, len(self.series.columns), plan.lookback, plan.horizon)
        self.model_form.set_summary("\n".join([summary, *setup.notes()]))
        return True, ""

    def prepare_training(self) -> tuple[TrainCall, None] | None:
        config = self.current_config()
        self._fill_for_split(config)
        if self.series is None or check_against_series(config, self.series):
            return None
        self._config = config
        series = self.series
        self.training_panel.plot.set_units()

        def train(callbacks: list[Callback], should_stop: Any) -> tuple[Any, Any]:
            # Imported here: torch loads after the window shows (start-up time), not with this module.
            from workbench.core.forecast.inspection import inspect_run
            from workbench.core.forecast.pipeline import train_forecaster

            run = train_forecaster(series, config, callbacks, should_stop)
            # Forecasting from every origin takes a batched pass over the series: done here, off the GUI thread.
            return run, inspect_run(run)

        return train, None

    def training_finished(self, result: tuple[Any, ForecastInspection]) -> dict[str, Any]:
        from workbench.core.export.forecaster_bundle import bundle_from_forecast_run

        run, inspection = result
        self.last_run = run
        self._set_model(bundle_from_forecast_run(run), run.series, inspection, saved=False)
        summary, record = run.evaluation.summary(), run.result.to_dict()
        self._show_forecaster_advice(record, summary)
        return {**record, "evaluation": summary, "verdict": forecast_verdict(summary)}

    def set_read_only(self, read_only: bool) -> None:
        self.model_form.set_read_only(read_only)
        self.data_panel.setEnabled(not read_only)

    # ----- the model on screen ------------------------------------------------------------------------------------
    def _set_model(self, bundle: ForecasterBundle | None, series: SeriesData | None,
                   inspection: ForecastInspection | None, saved: bool) -> None:
        """Make `bundle` the model on screen; its results fill the Forecast, Metrics and Residuals tabs."""
        self.model_series = series
        self._show_inspection(inspection)
        self.set_model(bundle, saved)

    def _show_inspection(self, inspection: ForecastInspection | None) -> None:
        self.inspection = inspection
        for view in (self.forecast_view, self.metrics_view, self.residuals_view):
            view.set_inspection(inspection)

    def _show_forecaster_advice(self, result: dict[str, Any], summary: dict[str, Any] | None) -> None:
        """The reading of the model's curves and the one recommendation, weighing the test verdict in `summary`
        (the evaluation summary on the data on screen; None when there is none)."""
        from workbench.core.training.advice import CAPACITY, advise

        beats = (summary or {}).get("beats_baselines")
        self.show_advice(advise(result.get("history", []), result.get("best_epoch"),
                                beats if isinstance(beats, bool) else None, CAPACITY["forecaster"],
                                result.get("stopped_reason")))

    def _forecast_new_data(self) -> None:
        """After new data opens, show the current model's forecasts on it, if the data has the model's columns."""
        if self.model is None or self.table is None:
            return
        from workbench.core.forecast.inspection import inspect_bundle
        from workbench.core.forecast.model_data import series_for_frame

        try:
            with self.services.busy("Forecasting with the model..."):
                series = series_for_frame(self.model, self.table.frame, self.table.path)
                inspection = inspect_bundle(self.model, series)
        except WorkbenchError as error:
            self.model_series = None
            self._show_inspection(None)
            self.services.show_status(f"The model's forecasts are hidden for this data: {error.message}")
        else:
            self.model_series = series
            self._show_inspection(inspection)
        self.changed.emit()

    def use_model(self, bundle: ForecasterBundle, path: str) -> None:
        """Show an opened model: its settings, its training curve, and its forecasts on the open data.

        Raises the core's error, before anything changes, when the open data lacks the model's columns."""
        from workbench.core.forecast.inspection import inspect_bundle
        from workbench.core.forecast.model_data import series_for_frame

        series = inspection = None
        if self.table is not None:
            series = series_for_frame(bundle, self.table.frame, self.table.path)
            inspection = inspect_bundle(bundle, series)
            data = bundle.config.data
            self.data_panel.set_selection(time=data.time, target=data.target, inputs=list(data.inputs),
                                          missing=data.missing)
            self._set_series(series)
        self.training_panel.plot.set_units()
        self._config = bundle.config
        self.model_form.set_config(bundle.config)
        self.training_panel.show_model(bundle.result, Path(path).name)
        self._set_model(bundle, series, inspection, saved=True)
        self._show_forecaster_advice(bundle.result, inspection.evaluation.summary() if inspection else None)
        self.update_can_train()
        self.right_tabs.setCurrentWidget(self.forecast_view if inspection else self.training_panel)
        if inspection is None:
            columns = ", ".join(repr(c) for c in bundle.schema["columns"])
            self.services.message_bar.show_info(f"Opened the model {Path(path).name}. Open data with the columns "
                                                f"{columns} to see its forecasts.")
        else:
            self.services.message_bar.clear()

    # ----- projects -----------------------------------------------------------------------------------------------
    def project(self) -> Project:
        from workbench.core.project import Project

        table = self.table
        return Project(data_path=str(Path(table.path).resolve()) if table else None,
                       read_options=table.options if table else ReadOptions(), config=self.current_config(),
                       view={"tab": self.right_tabs.currentIndex(), "forecast": self.forecast_view.state()})

    @staticmethod
    def read_project_data(opened: OpenedProject) -> Any:
        """The project's table, its columns and series, and the model's forecasts on it (on a reading job's
        thread; may raise the core's error)."""
        from workbench.core.data.sources import read_table
        from workbench.core.forecast.inspection import inspect_bundle
        from workbench.core.forecast.model_data import series_for_frame

        project, bundle = opened.project, opened.bundle
        if not project.data_path:
            return None, None, None, None, None
        table = read_table(project.data_path, project.read_options)
        series = prepare_series(table.frame, project.config.data, source=project.data_path)
        model_series = inspection = None
        if bundle is not None:
            model_series = series_for_frame(bundle, table.frame, project.data_path)
            inspection = inspect_bundle(bundle, model_series)
        return table, column_choices(table.frame), series, model_series, inspection

    def use_project(self, opened: OpenedProject, model_name: str, data: Any) -> None:
        project, bundle = opened.project, opened.bundle
        table, columns, series, model_series, inspection = data
        if table is not None:
            self.table = table
            self.data_panel.set_table(table, columns)
            self.series_view.set_table(table)
            data = project.config.data
            self.data_panel.set_selection(time=data.time, target=data.target, inputs=list(data.inputs),
                                          missing=data.missing)
            self._set_series(series)
        self._config = project.config
        self.model_form.set_config(project.config)
        if bundle is not None:
            self.training_panel.show_model(bundle.result, model_name)
        else:
            self.training_panel.reset()
        self._set_model(bundle, model_series, inspection, saved=True)
        if bundle is not None:
            self._show_forecaster_advice(bundle.result, inspection.evaluation.summary() if inspection else None)
        self.update_can_train()
        self.forecast_view.restore_state(project.view.get("forecast", {}))
        tab = project.view.get("tab", 0)
        self.right_tabs.setCurrentIndex(tab if isinstance(tab, int) and 0 <= tab < self.right_tabs.count() else 0)

    # ----- plots and exports --------------------------------------------------------------------------------------
    def current_plot(self) -> tuple[pg.PlotWidget | None, str]:
        tab = self.right_tabs.currentWidget()
        if tab is self.series_view and self.table is not None:
            return self.series_view.plot, "series"
        if tab is self.forecast_view and self.inspection is not None:
            return self.forecast_view.plot, "forecast"
        if tab is self.residuals_view and self.inspection is not None:
            return self.residuals_view.time_plot, "residuals"
        return super().current_plot()

    def export_state(self) -> dict[str, str]:
        return self.model_export_state("" if self.model_series is not None else
                                       "Open data with the model's columns to forecast it.")

    def write_predictions(self, path: str) -> str:
        """Every forecast over the open data and past its end, as CSV; returns what was written, in words."""
        from workbench.core.export.tables import write_csv
        from workbench.core.forecast.frames import forecast_frame

        frame = forecast_frame(self.model.model, self.model_series, self.model.schema["lookback"], residuals=True)
        write_csv(frame, path)
        return f"Wrote {len(frame):,} rows of forecasts to {path}."

    def onnx_export(self, path: str) -> tuple[Any, str]:
        """The export call (run in the background; returns its ParityCheck) and the graph in words. The export
        is checked on windows of the data the model's forecasts are on, when there is such data."""
        model, lookback = self.model.model, self.model.schema["lookback"]
        columns, horizon = len(self.model.schema["columns"]), self.model.schema["horizon"]
        values = self.model_series.values if self.model_series is not None else None

        def export() -> ParityCheck:
            from workbench.core.export.onnx import export_onnx

            return export_onnx(model, path, lookback, check_against=values)

        return export, (f"input 'window' (batch, {lookback}, {columns}) raw values, output 'forecast' "
                        f"(batch, {horizon})")

    def save_state(self, settings: QSettings) -> None:
        super().save_state(settings)
        self.series_view.save_state(settings)

    def restore_state(self, settings: QSettings) -> None:
        super().restore_state(settings)
        self.series_view.restore_state(settings)
