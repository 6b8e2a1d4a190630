"""Saving and reopening projects from the window: what goes into a project, and putting a screen back from one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.data.series import prepare_series
from workbench.core.data.sniff import ReadOptions
from workbench.core.data.sources import read_table
from workbench.gui.tabs import CLASSIFY_DATA_TAB, MODE_TABS, SERIES_TAB, TEXT_MODEL_TAB, TEXT_TAB, TEXTS_TAB

if TYPE_CHECKING:
    from workbench.core.project import OpenedProject, Project


class ProjectsMixin:
    """MainWindow's project methods, kept apart so the window module stays about layout and flow."""

    def project(self) -> Project:
        """What Save Project writes: the data reference, every form value and which tab is on screen."""
        from workbench.core.project import Project

        if self.mode == "text":
            source = self.text.source
            return Project(data_path=str(Path(source.path).resolve()) if source else None, config=self.text.config(),
                           view={"tab": self.right_tabs.currentIndex()}, kind="text")
        if self.mode == "classify":
            table = self.classify.table
            return Project(data_path=str(Path(table.path).resolve()) if table else None,
                           read_options=table.options if table else ReadOptions(), config=self.classify.config(),
                           view={"tab": self.right_tabs.currentIndex()}, kind="classify")
        table = self._table
        return Project(data_path=str(Path(table.path).resolve()) if table else None,
                       read_options=table.options if table else ReadOptions(), config=self.current_config(),
                       view={"tab": self.right_tabs.currentIndex(), "forecast": self.forecast_view.state()})

    def project_saved(self, path: str, with_model: bool = True) -> None:
        self.project_path = path
        if with_model:
            self._model_saved = True
        self._update_title()

    def use_project(self, path: str, opened: OpenedProject) -> None:
        """Restore a project's screen. Everything is read and checked first, so an error changes nothing."""
        from workbench.core.forecast.inspection import inspect_bundle
        from workbench.core.forecast.model_data import series_for_frame
        from workbench.core.project import model_path_for

        project, bundle = opened.project, opened.bundle
        if project.kind in ("text", "classify"):
            self._use_text_project(path, opened)
            return
        table = series = model_series = inspection = None
        if project.data_path:
            table = read_table(project.data_path, project.read_options)
            series = prepare_series(table.frame, project.config.data, source=project.data_path)
            if bundle is not None:
                model_series = series_for_frame(bundle, table.frame, project.data_path)
                inspection = inspect_bundle(bundle, model_series)
        if table is not None:
            self._use_table(table, series, project.data_path)
            data = project.config.data
            self.data_panel.set_selection(time=data.time, target=data.target, inputs=list(data.inputs),
                                          missing=data.missing)
        self._config = project.config
        self.model_form.set_config(project.config)
        if bundle is not None:
            self.training_panel.show_model(bundle.result, model_path_for(path).name)
        else:
            self.training_panel.reset()
        self._set_model(bundle, model_series, inspection, saved=True)
        self.project_path = path
        self._update_title()
        self._refresh_setup()
        self.forecast_view.restore_state(project.view.get("forecast", {}))
        tab = project.view.get("tab", SERIES_TAB)
        self.right_tabs.setCurrentIndex(tab if isinstance(tab, int) and 0 <= tab < self.right_tabs.count() else 0)
        if opened.warnings:
            self.message_bar.show_warning(" ".join(opened.warnings))
        else:
            self.message_bar.clear()
        self.statusBar().showMessage(f"Opened the project {path}.")

    def _use_text_project(self, path: str, opened: OpenedProject) -> None:
        """A text or labelled-table project: the data, the settings and the model, all read before any change."""
        project, bundle = opened.project, opened.bundle
        text = project.kind == "text"
        workspace = self.text if text else self.classify
        data = None
        if project.data_path:  # may raise: nothing has changed yet
            data = self.text.read(project.data_path) if text else read_table(project.data_path,
                                                                              project.read_options)
        self.set_mode(project.kind)
        if data is not None and text:
            self._text_path = project.data_path
            self.text.use_source(data)
        elif data is not None:
            self.classify.use_table(data, project.config)
        workspace.set_config(project.config)
        if bundle is not None:
            self.training_panel.show_model(bundle.result, Path(path).with_suffix(".swb").name)
            self._set_model(bundle, None, None, saved=True)
            workspace.use_model(bundle)
            self._show_curve_reading(bundle.result.get("history", []), bundle.result.get("best_epoch"))
        else:
            self.training_panel.reset()
            self._set_model(None, None, None, saved=True)
            if text:
                self.text.update_generation()
            else:
                self.classify.clear_results()
        self.project_path = path
        self._update_title()
        self._refresh_setup()
        first = TEXT_TAB if text else TEXTS_TAB
        tab = project.view.get("tab", first)
        self.right_tabs.setCurrentIndex(tab if tab in MODE_TABS[project.kind] else first)
        self.left_tabs.setCurrentIndex(TEXT_MODEL_TAB if text else CLASSIFY_DATA_TAB)
        if opened.warnings:
            self.message_bar.show_warning(" ".join(opened.warnings))
        else:
            self.message_bar.clear()
        self.statusBar().showMessage(f"Opened the project {path}.")

