"""The window's model: showing a trained or opened model of any kind, and its results on the open data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import WorkbenchError
from workbench.gui.classify_workspace import is_classifier
from workbench.gui.panels.metrics_view import READING_TITLES
from workbench.gui.tabs import CLASSIFY_MODEL_TAB, FORECAST_TAB, GENERATE_TAB, RESULTS_TAB, TEXT_MODEL_TAB, TRAINING_TAB
from workbench.gui.text_workspace import is_language_model

if TYPE_CHECKING:
    # Each of these imports torch, which loads after the window shows (start-up time); methods import them late.
    from workbench.core.data.series import SeriesData
    from workbench.core.export.bundle import Bundle
    from workbench.core.export.classifier_bundle import ClassifierBundle
    from workbench.core.export.lm_bundle import LanguageModelBundle
    from workbench.core.forecast.inspection import ForecastInspection


class ModelsMixin:
    """MainWindow's methods for the model on screen, kept apart so the window module stays about layout and flow."""

    def model_of_mode(self) -> Any:
        """The window's model when it belongs to the kind of work on screen, else None.

        The model stays when the user opens another kind of data (it can still be saved), but a project of
        that data must not take it along: the project would then refuse to open."""
        model = self.model
        kind = "classify" if is_classifier(model) else "text" if is_language_model(model) else "series"
        return model if model is not None and kind == self.mode else None

    def _set_model(self, bundle: Bundle | None, series: SeriesData | None, inspection: ForecastInspection | None,
                   saved: bool) -> None:
        """Make `bundle` the window's model; its results fill the Forecast, Metrics and Residuals tabs."""
        self.model, self.model_series, self._model_saved = bundle, series, saved
        self._show_inspection(inspection)
        self._update_model_actions()

    def _show_inspection(self, inspection: ForecastInspection | None) -> None:
        self.inspection = inspection
        for view in (self.forecast_view, self.metrics_view, self.residuals_view):
            view.set_inspection(inspection)
        if inspection is None:
            self.training_panel.set_reading("", "")
            return
        reading = inspection.curve_reading()
        self.training_panel.set_reading(READING_TITLES.get(reading.kind, reading.kind),
                                        f"{reading.message} {reading.suggestion}".strip())

    def _show_curve_reading(self, history: list[dict], best_epoch: int | None) -> None:
        """What the loss curves of a model without forecasts (a language model) say, under the progress bar."""
        from workbench.core.training.curve_reading import read_loss_curves

        reading = read_loss_curves(history, best_epoch)
        self.training_panel.set_reading(READING_TITLES.get(reading.kind, reading.kind),
                                        f"{reading.message} {reading.suggestion}".strip())

    def _forecast_new_data(self) -> None:
        """After new data opens, show the current model's forecasts on it, if the data has the model's columns."""
        if self.model is None or self._table is None or is_language_model(self.model) or is_classifier(self.model):
            return
        from workbench.core.forecast.inspection import inspect_bundle
        from workbench.core.forecast.model_data import series_for_frame

        try:
            with self.busy("Forecasting with the model..."):
                series = series_for_frame(self.model, self._table.frame, self._table.path)
                inspection = inspect_bundle(self.model, series)
        except WorkbenchError as error:
            self.model_series = None
            self._show_inspection(None)
            self.statusBar().showMessage(f"The model's forecasts are hidden for this data: {error.message}")
        else:
            self.model_series = series
            self._show_inspection(inspection)
        self._update_model_actions()

    def use_model(self, bundle: Bundle, path: str) -> None:
        """Show an opened model: its settings, its training curve, and its forecasts on the open data.

        Raises the core's error, before anything changes, when the open data lacks the model's columns."""
        self.set_mode("series")
        self.training_panel.plot.set_units()
        from workbench.core.forecast.inspection import inspect_bundle
        from workbench.core.forecast.model_data import series_for_frame

        if self._table is None:
            # Open the data it was trained on when it lies next to the model, as after `workbench train`.
            source = Path(path).parent / bundle.data.get("source", "")
            if bundle.data.get("source") and source.is_file():
                self.open_path(str(source))
        series = inspection = None
        if self._table is not None:
            series = series_for_frame(bundle, self._table.frame, self._table.path)
            inspection = inspect_bundle(bundle, series)
            data = bundle.config.data
            self.data_panel.set_selection(time=data.time, target=data.target, inputs=list(data.inputs),
                                          missing=data.missing)
            self._set_series(series)
        self._config = bundle.config
        self.model_form.set_config(bundle.config)
        self.training_panel.show_model(bundle.result, Path(path).name)
        self._set_model(bundle, series, inspection, saved=True)
        self._refresh_setup()
        self.right_tabs.setCurrentIndex(FORECAST_TAB if inspection else TRAINING_TAB)
        if inspection is None:
            columns = ", ".join(repr(c) for c in bundle.schema["columns"])
            self.message_bar.show_info(f"Opened the model {Path(path).name}. Open data with the columns {columns} "
                                       "to see its forecasts.")
        else:
            self.message_bar.clear()
        self.statusBar().showMessage(f"Opened the model {path}.")

    def use_classifier_model(self, bundle: ClassifierBundle, path: str) -> None:
        """Show an opened classifier: its settings, training curve and stored test results; "Try it" uses it."""
        self.set_mode("classify")
        self.training_panel.show_model(bundle.result, Path(path).name)
        self._set_model(bundle, None, None, saved=True)
        self.classify.use_model(bundle)
        self.classify.mistakes.clear()
        self._show_curve_reading(bundle.result.get("history", []), bundle.result.get("best_epoch"))
        self._refresh_setup()
        self.right_tabs.setCurrentIndex(RESULTS_TAB)
        self.left_tabs.setCurrentIndex(CLASSIFY_MODEL_TAB)
        self.message_bar.show_info(f"Opened the classifier {Path(path).name}: its test results are those of its "
                                   "own run. Type a text on the Try it tab, or export predictions for the open "
                                   "table.")
        self.statusBar().showMessage(f"Opened the model {path}.")

    def use_text_model(self, bundle: LanguageModelBundle, path: str) -> None:
        """Show an opened language model: its settings and training curve; Generate then uses it."""
        self.set_mode("text")
        self.training_panel.show_model(bundle.result, Path(path).name)
        self._set_model(bundle, None, None, saved=True)
        self.text.use_model(bundle)
        self._show_curve_reading(bundle.result.get("history", []), bundle.result.get("best_epoch"))
        self._refresh_setup()
        self.right_tabs.setCurrentIndex(GENERATE_TAB)
        self.left_tabs.setCurrentIndex(TEXT_MODEL_TAB)
        if self.text.source is None:
            self.message_bar.show_info(f"Opened the language model {Path(path).name}. Generate text with it here, or "
                                       "open a text file to train further models.")
        else:
            self.message_bar.clear()
        self.statusBar().showMessage(f"Opened the model {path}.")

    def model_saved(self, path: str) -> None:
        self._model_saved = True
