"""The series workspace: a table of numbers, its columns and settings, training, and the forecasts it makes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.data.series import SeriesData, series_for_split
from workbench.core.data.sniff import ReadOptions
from workbench.core.data.sources import Table
from workbench.core.models.summary import describe
from workbench.core.run_config import RunConfig
from workbench.gui.panels.data_panel import ColumnChoices, DataPanel
from workbench.gui.panels.inspect.contexts import SeriesContext, series_context
from workbench.gui.panels.model_form import ModelForm
from workbench.gui.panels.runs.work import Work
from workbench.gui.panels.series_view import SeriesView
from workbench.gui.workspaces.base import Workspace
from workbench.gui.workspaces.series_files import forecaster_onnx_export, read_series_project, write_forecasts
from workbench.gui.workspaces.series_jobs import SetupCheck, SetupChecks, series_for_columns
from workbench.gui.workspaces.series_results import ForecastResults, forecast_verdict, forecaster_advice
from workbench.gui.workspaces.series_uncertainty import SeriesUncertainty

if TYPE_CHECKING:
    from collections.abc import Callable

    import pyqtgraph as pg
    from PySide6.QtCore import QObject, QSettings

    from workbench.core.data.config import DataConfig
    from workbench.core.export.forecaster_bundle import ForecasterBundle
    from workbench.core.forecast.inspection import ForecastInspection
    from workbench.core.project import OpenedProject, Project
    from workbench.core.training.callbacks import Callback
    from workbench.gui.services import Services
    from workbench.gui.training_job import TrainCall


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
        self._training_check: SetupCheck | None = None  # the settings checked against the series of the run
        self.data_panel = DataPanel()
        self.model_form = ModelForm()
        self.model_form.set_config(self._config)
        self.left_tabs.addTab(self.data_panel, "Data")
        self.left_tabs.addTab(self.model_form, "Model")
        self.series_view = SeriesView()
        # Off the GUI thread, the newest request winning (gui/latest_job.py): the series for the chosen columns,
        # the settings checked against it, and a model's forecasts on other data (in the results).
        self._preparing = self.background("preparing")
        self._checks = SetupChecks(self.background("checking"), self.update_can_train)
        self._series_number = 0  # counts the series prepared (not those refilled for another split)
        self.results = ForecastResults(services, self.background("forecasting"), self.changed.emit)
        self.forecast_view, self.metrics_view = self.results.forecast_view, self.results.metrics_view
        self.residuals_view = self.results.residuals_view
        # The Anomalies and Backtest tabs: they follow the model on screen and backtest the open data.
        self.uncertainty = SeriesUncertainty(services, lambda: (self.series, self.current_config()),
                                             lambda: (self.model, self.model_series), self)
        for widget, title in ((self.series_view, "Series"), (self.training_panel, "Training"), *self.results.tabs(),
                              *self.uncertainty.tabs()):
            self.right_tabs.addTab(widget, title)
        self.add_inspect_tab()
        self.add_experiment_tabs()
        self.data_panel.selection_changed.connect(self._on_selection_changed)
        self.model_form.config_changed.connect(self.update_can_train)
        self.changed.connect(self.uncertainty.follow)  # a new model, or its forecasts on new data
        self.uncertainty.busy_changed.connect(self.update_can_train)  # a backtest started or ended

    # ----- the data -----------------------------------------------------------------------------------------------
    def data_path(self) -> str:
        return self.table.path if self.table is not None else ""

    def open_table(self, table: Table, series: SeriesData, columns: ColumnChoices | None = None) -> None:
        """Show a table and the series prepared from it with the detected columns (`columns`: as reading found
        them, off the GUI thread); the model on screen forecasts it in the background."""
        self.table = table
        self.data_replaced()
        self.uncertainty.data_changed()  # a backtest of the last data stops, and its result goes
        self.data_changed_for_runs()
        self.data_panel.set_table(table, columns)
        self.series_view.set_table(table)
        self.right_tabs.setCurrentWidget(self.series_view)
        self._set_series(series)
        if self.results.opening is not None:
            bundle, path, shown = self.results.opening  # a model still being opened forecasts this data instead
            self.results.forecast_opened(bundle, path, table, shown)
        elif self.model is not None:
            self.results.forecast_new_data(self.model, table)

    def _on_selection_changed(self) -> None:
        if self.table is None:
            return
        table, data = self.table, self._data_config()
        self._preparing.request(f"Preparing {Path(table.path).name}...",
                                lambda context: series_for_columns(context, table, data),
                                lambda series: series is not None and self._set_series(series),
                                self._on_preparing_refused)
        self.update_can_train()

    def _on_preparing_refused(self, message: str, hint: str) -> None:
        self.data_panel.show_error(message, hint)
        self.series = None
        self.update_can_train()

    def _set_series(self, series: SeriesData) -> None:
        self._preparing.forget()  # this series replaces any still being prepared for an older choice
        self.series = series
        self._series_number += 1
        self.data_panel.clear_error()
        self.data_panel.set_health(series.health)
        self.series_view.set_series(series)
        self.services.show_status(series.health[0] if series.health else "")
        self.update_can_train()
        self.changed.emit()

    def _show_checked_series(self, check: SetupCheck) -> None:
        """Keep the missing values filled within the parts the current settings split the series into, so the
        plot, the notes and training all use the same values (core/data/filling.py)."""
        if check.series is not self.series:
            self.series = check.series
            self.data_panel.set_health(check.series.health)
            self.series_view.set_series(check.series)

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

    def work(self) -> Work | None:
        table = self.table
        if table is None:
            return None
        return Work(self.model_kind, table.path, self.current_config(), table.frame, dataclasses.asdict(table.options))

    def set_form_config(self, config: RunConfig) -> None:
        data = config.data
        if self.table is not None:
            self.data_panel.set_selection(time=data.time, target=data.target, inputs=list(data.inputs),
                                          missing=data.missing)
        self._config = config
        self.model_form.set_config(config)
        self._on_selection_changed()

    def busy_reason(self) -> str:
        return self.uncertainty.busy_reason() or super().busy_reason()

    def inspect_context(self) -> SeriesContext | None:
        series = self.model_series
        return series_context(self.model, series) if series is not None else None

    def inspect_data(self) -> object:
        return self.model_series

    def training_inspect_context(self) -> SeriesContext | None:
        # The check of the run's settings, when training started before it came back from its background job.
        check = self._training_check or self._checks.known(self._series_number, self._config.data)
        if check is None or check.setup is None:
            return None
        plan = check.setup.plan
        return SeriesContext(check.series, plan.lookback, plan.horizon, check.series.season_length)

    def run_of(self, result: tuple[Any, Any]) -> Any:
        return result[0]  # (the run, its forecasts)

    # ----- settings and training ----------------------------------------------------------------------------------
    def refresh(self) -> tuple[bool, str]:
        config = self.current_config()
        problems = config.problems()
        if self._preparing.is_pending():
            return False, "Wait while the series is prepared for the chosen columns."
        if self.series is None:
            self.model_form.set_problems(problems)
            self.model_form.set_summary("")
            return False, "Open a data file first."
        check = None
        if not any(key.startswith("data.") for key in problems):
            check = self._checks.get(self._series_number, self.series, config.data)
            if check is None:
                # Checking in the background; this runs again when it is done. Until then the screen keeps
                # what the last check of this series said.
                if self._checks.has_checked(self._series_number):
                    return self.can_train
                return False, "Checking the settings against the data..."
            self._show_checked_series(check)
            problems.update(check.problems)
        self.model_form.set_problems(problems)
        setup = check.setup if check is not None else None
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
        if self.series is None or self._preparing.is_pending() or config.problems():
            return None
        known = self._checks.known(self._series_number, config.data)
        if known is not None and known.problems:
            return None
        self._config = config
        self._training_check = known
        series = self.series
        self.training_panel.plot.set_units()

        def train(callbacks: list[Callback], should_stop: Any) -> tuple[Any, Any]:
            # Imported here: torch loads after the window shows (start-up time), not with this module.
            from workbench.core.forecast.inspection import inspect_run
            from workbench.core.forecast.pipeline import train_forecaster

            # Filled within this run's split (as the check fills what is shown), and checked against the data
            # by the core: settings changed a moment ago, not yet checked on screen, are refused in words.
            run = train_forecaster(series_for_split(series, config.data), config, callbacks, should_stop)
            # Forecasting from every origin takes a batched pass over the series: done here, off the GUI thread.
            return run, inspect_run(run)

        return train, None

    def training_finished(self, result: tuple[Any, ForecastInspection]) -> dict[str, Any]:
        from workbench.core.export.forecaster_bundle import bundle_from_forecast_run

        run, inspection = result
        self.last_run = run
        self._set_model(bundle_from_forecast_run(run), run.series, inspection, saved=False)
        summary, record = run.evaluation.summary(), run.result.to_dict()
        self.show_advice(forecaster_advice(record, summary))
        return {**record, "evaluation": summary, "verdict": forecast_verdict(summary)}

    def set_read_only(self, read_only: bool) -> None:
        self.model_form.set_read_only(read_only)
        self.data_panel.setEnabled(not read_only)

    def close(self) -> None:
        self.uncertainty.close()
        super().close()

    # ----- the model on screen ------------------------------------------------------------------------------------
    @property
    def model_series(self) -> SeriesData | None:
        """The series the model's forecasts are on (the open data, when it has the model's columns)."""
        return self.results.series

    @property
    def inspection(self) -> ForecastInspection | None:
        return self.results.inspection

    def is_working(self) -> bool:
        return super().is_working() or self.results.is_filling()

    def _set_model(self, bundle: ForecasterBundle | None, series: SeriesData | None,
                   inspection: ForecastInspection | None, saved: bool) -> None:
        """Make `bundle` the model on screen; its results fill the Forecast, Metrics and Residuals tabs."""
        self.results.show(series, inspection)
        self.set_model(bundle, saved)

    def use_model(self, bundle: ForecasterBundle, path: str, shown: Callable[[], object] | None = None) -> None:
        """Show an opened model: its settings, its training curve, and its forecasts on the open data.

        With data open, its forecasts are made in the background first; when the data lacks the model's columns,
        that is shown in words and nothing changes."""
        def show(series: SeriesData | None, inspection: ForecastInspection | None) -> None:
            self._show_model(bundle.config, bundle, Path(path).name, series, series, inspection)
            self.right_tabs.setCurrentWidget(self.forecast_view if inspection else self.training_panel)
            if inspection is None:
                columns = ", ".join(repr(c) for c in bundle.schema["columns"])
                self.services.message_bar.show_info(f"Opened the model {Path(path).name}. Open data with the "
                                                    f"columns {columns} to see its forecasts.")
            else:
                self.services.message_bar.clear()
            if shown is not None:
                shown()

        if self.table is None:
            show(None, None)
        else:
            self.results.forecast_opened(bundle, path, self.table, show)

    def _show_model(self, config: RunConfig, bundle: ForecasterBundle | None, model_name: str,
                    series: SeriesData | None, model_series: SeriesData | None,
                    inspection: ForecastInspection | None) -> None:
        """Settings, the series they choose (None: the data stays), and a model (or none) with its forecasts."""
        if series is not None:
            data = config.data
            self.data_panel.set_selection(time=data.time, target=data.target, inputs=list(data.inputs),
                                          missing=data.missing)
            self._set_series(series)
        self.training_panel.plot.set_units()
        self._config = config
        self.model_form.set_config(config)
        if bundle is None:
            self.training_panel.reset()
        else:
            self.training_panel.show_model(bundle.result, model_name)
        self._set_model(bundle, model_series, inspection, saved=True)
        if bundle is not None:
            self.show_advice(forecaster_advice(bundle.result, inspection.evaluation.summary() if inspection else None))
        self.update_can_train()

    # ----- projects -----------------------------------------------------------------------------------------------
    def project(self) -> Project:
        from workbench.core.project import Project

        table = self.table
        return Project(data_path=str(Path(table.path).resolve()) if table else None,
                       read_options=table.options if table else ReadOptions(), config=self.current_config(),
                       view={"tab": self.right_tabs.currentIndex(), "forecast": self.forecast_view.state(),
                             "anomalies": self.uncertainty.anomalies_view.state(),
                             "backtest": self.uncertainty.backtest_view.state()})

    @staticmethod
    def read_project_data(opened: OpenedProject) -> Any:
        return read_series_project(opened)

    def use_project(self, opened: OpenedProject, model_name: str, data: Any) -> None:
        project, bundle = opened.project, opened.bundle
        table, columns, series, model_series, inspection = data
        if table is not None:
            self.table = table
            self.uncertainty.data_changed()  # a backtest of the last data stops, and its result goes
            self.data_changed_for_runs()
            self.data_panel.set_table(table, columns)
            self.series_view.set_table(table)
        self._show_model(project.config, bundle, model_name, series, model_series, inspection)
        self.forecast_view.restore_state(project.view.get("forecast", {}))
        self.uncertainty.anomalies_view.restore_state(project.view.get("anomalies", {}))
        self.uncertainty.backtest_view.restore_state(project.view.get("backtest", {}))
        tab = project.view.get("tab", 0)
        self.right_tabs.setCurrentIndex(tab if isinstance(tab, int) and 0 <= tab < self.right_tabs.count() else 0)

    # ----- plots and exports --------------------------------------------------------------------------------------
    def current_plot(self) -> tuple[pg.PlotWidget | None, str]:
        tab = self.right_tabs.currentWidget()
        if tab is self.series_view and self.table is not None:
            return self.series_view.plot, "series"
        plot, name = self.results.current_plot(tab)
        return (plot, name) if plot is not None else super().current_plot()

    def export_state(self) -> dict[str, str]:
        return self.model_export_state("" if self.model_series is not None else
                                       "Open data with the model's columns to forecast it.")

    def write_predictions(self, path: str) -> str:
        return write_forecasts(self.model, self.model_series, path)

    def onnx_export(self, path: str) -> tuple[Any, str]:
        return forecaster_onnx_export(self.model, self.model_series, path)

    def save_state(self, settings: QSettings) -> None:
        super().save_state(settings)
        self.series_view.save_state(settings)

    def restore_state(self, settings: QSettings) -> None:
        super().restore_state(settings)
        self.series_view.restore_state(settings)
