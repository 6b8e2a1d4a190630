"""The main window: panels side by side, the File menu, and the flow from data to settings to training."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.data.config import DataConfig
from workbench.core.data.series import SeriesData, prepare_series
from workbench.core.data.sources import SUPPORTED_SUFFIXES, Table, read_table
from workbench.core.errors import WorkbenchError
from workbench.core.forecast.setup import check_against_series, checked_setup
from workbench.core.models.summary import describe
from workbench.core.run_config import RunConfig
from workbench.core.text.source import TEXT_SUFFIXES
from workbench.gui.classify_workspace import ClassifyWorkspace, is_classifier
from workbench.gui.file_actions import FileActions
from workbench.gui.menus import build_menus, fill_menu
from workbench.gui.messages import MessageBar, log_exception_text, show_exception_dialog
from workbench.gui.panels.data_panel import DataPanel
from workbench.gui.panels.forecast_view import ForecastView
from workbench.gui.panels.import_dialog import ImportDialog
from workbench.gui.panels.metrics_view import MetricsView
from workbench.gui.panels.model_form import ModelForm
from workbench.gui.panels.residuals_view import ResidualsView
from workbench.gui.panels.series_view import SeriesView
from workbench.gui.panels.training_panel import TrainingPanel
from workbench.gui.recent_files import recent_files, remember_file
from workbench.gui.tabs import (
    CLASSIFY_DATA_TAB,
    FORECAST_TAB,
    MODE_LEFT_TABS,
    MODE_TABS,
    RESIDUALS_TAB,
    RESULTS_TAB,
    SERIES_TAB,
    TEXT_MODEL_TAB,
    TEXT_TAB,
    TEXTS_TAB,
    TRAINING_TAB,
)
from workbench.gui.text_workspace import TextWorkspace, is_language_model
from workbench.gui.theme import configure_pyqtgraph
from workbench.gui.window_models import ModelsMixin
from workbench.gui.window_projects import ProjectsMixin
from workbench.gui.worker import TrainingWorker

if TYPE_CHECKING:
    # Each of these imports torch, which loads after the window shows (start-up time); methods import them late.
    from workbench.core.export.bundle import Bundle
    from workbench.core.forecast.inspection import ForecastInspection

SAMPLE_DATA = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLE_TEXT = "ships_log.txt"
SAMPLE_REVIEWS = "reviews.csv"



class MainWindow(ModelsMixin, ProjectsMixin, QMainWindow):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        configure_pyqtgraph()
        self._settings = settings or QSettings()
        self._table: Table | None = None
        self._series: SeriesData | None = None
        self._config = RunConfig()
        self._text_path = ""
        self.last_run = None  # the ForecastRun of the last finished training
        # The model the results tabs show (trained here or opened), the series it forecasts, and its results.
        self.model: Bundle | None = None
        self.model_series: SeriesData | None = None
        self.inspection: ForecastInspection | None = None
        self._model_saved = True
        self.project_path: str | None = None
        self.mode = "series"  # or "text": which kind of data is open, and so which panels show
        self.worker = TrainingWorker(self)
        self.text = TextWorkspace(self)
        self.classify = ClassifyWorkspace(self)
        self.files = FileActions(self)
        self._build_panels()
        self._build_menus()
        self._connect()
        self.setAcceptDrops(True)
        self.setWindowTitle("Sequence Workbench")
        self.set_mode("series")
        self._restore_settings()
        self._refresh_setup()

    # ----- layout -------------------------------------------------------------------------------------------
    def _build_panels(self) -> None:
        self.message_bar = MessageBar(self)
        self.data_panel = DataPanel(self)
        self.model_form = ModelForm(self)
        self.model_form.set_config(self._config)
        self.left_tabs = QTabWidget(self)
        self.left_tabs.addTab(self.data_panel, "Data")
        self.left_tabs.addTab(self.model_form, "Model")
        self.series_view = SeriesView(self)
        self.training_panel = TrainingPanel(self)
        self.right_tabs = QTabWidget(self)
        self.right_tabs.addTab(self.series_view, "Series")
        self.right_tabs.addTab(self.training_panel, "Training")
        self.forecast_view = ForecastView(self)
        self.metrics_view = MetricsView(self)
        self.residuals_view = ResidualsView(self)
        self.right_tabs.addTab(self.forecast_view, "Forecast")
        self.right_tabs.addTab(self.metrics_view, "Metrics")
        self.right_tabs.addTab(self.residuals_view, "Residuals")
        self.left_tabs.addTab(self.text.form, "Model")
        self.right_tabs.addTab(self.text.view, "Text")
        self.right_tabs.addTab(self.text.generation, "Generate")
        self.left_tabs.addTab(self.classify.data_panel, "Data")
        self.left_tabs.addTab(self.classify.form, "Model")
        for widget, title in ((self.classify.texts_view, "Texts"), (self.classify.results_view, "Results"),
                              (self.classify.mistakes, "Mistakes"), (self.classify.try_it, "Try it")):
            self.right_tabs.addTab(widget, title)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.left_tabs)
        self.splitter.addWidget(self.right_tabs)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([400, 900])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Open a table (CSV, TSV, Parquet, Excel) of numbers or of labelled texts, or a "
                                     "text file (.txt), to begin.")

    def _build_menus(self) -> None:
        actions = build_menus(self, SAMPLE_DATA)
        self.open_action, self.import_action = actions.open, actions.import_options
        self.train_action, self.stop_action = actions.train, actions.stop
        self.recent_menu, self.sample_menu = actions.recent_menu, actions.sample_menu
        self.actions_ = actions
        self._update_model_actions()
        self._update_recent_menu()
        self.series_view.open_requested.connect(self._on_open_clicked)
        self.series_view.sample_requested.connect(self.open_sample)
        self.series_view.text_sample_requested.connect(self.open_sample_text)
        self.series_view.reviews_sample_requested.connect(self.open_sample_reviews)

    def _connect(self) -> None:
        self.data_panel.selection_changed.connect(self._on_selection_changed)
        self.model_form.config_changed.connect(self._refresh_setup)
        self.text.form.config_changed.connect(self._refresh_setup)
        self.classify.form.config_changed.connect(self._refresh_setup)
        self.training_panel.train_requested.connect(self.start_training)
        self.training_panel.stop_requested.connect(self.worker.request_stop)
        self.stop_action.triggered.connect(self.training_panel.show_stopping)
        self.stop_action.triggered.connect(lambda: self.stop_action.setEnabled(False))
        self.training_panel.stop_requested.connect(lambda: self.stop_action.setEnabled(False))
        self.worker.run_started.connect(self.training_panel.run_started)
        self.worker.progressed.connect(self._on_progress)
        self.worker.epochs_logged.connect(self.training_panel.add_epochs)
        self.worker.run_finished.connect(self._on_run_finished)
        self.worker.run_failed.connect(self._on_run_failed)

    # ----- opening data ---------------------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """Show the panels of "series" or "text" work; the other kind's panels keep their state, hidden."""
        self.mode = mode
        for tabs, shown in ((self.right_tabs, MODE_TABS[mode]), (self.left_tabs, MODE_LEFT_TABS[mode])):
            for index in range(tabs.count()):
                tabs.setTabVisible(index, index in shown)
        self.import_action.setEnabled(mode != "text" and not self.worker.is_running())

    def open_path(self, path: str) -> bool:
        """Read `path`; on any problem show it and keep what was loaded before."""
        if Path(path).suffix.lower() in TEXT_SUFFIXES:
            return self.open_text(path)
        try:
            with self.busy(f"Reading {Path(path).name}..."):
                table = read_table(path)
        except WorkbenchError as error:
            # The core's messages name the file already.
            self.message_bar.show_error(error.message, error.hint)
            return False
        if table.ambiguous:
            table = self.confirm_import(path, table)
        return table is not None and self._open_table(table, path)

    def _open_table(self, table: Table, path: str) -> bool:
        """Use `table` if a series can be made of it with the detected columns; else say why and keep the old.

        A table of labelled texts (a column of sentences and a label column) opens for classification."""
        from workbench.core.classify.report import looks_like_labelled_texts

        if looks_like_labelled_texts(table.frame):
            return self._open_labelled(table, path)
        try:
            with self.busy(f"Preparing {Path(path).name}..."):
                series = prepare_series(table.frame, DataConfig(), source=path)
        except WorkbenchError as error:
            self.message_bar.show_error(error.message, error.hint)
            return False
        self._use_table(table, series, path)
        self._forecast_new_data()
        return True

    def open_text(self, path: str) -> bool:
        """Read a text file for a language model; on a problem say what it is and keep what was open."""
        try:
            with self.busy(f"Reading {Path(path).name}..."):
                source = self.text.read(path)
        except WorkbenchError as error:
            self.message_bar.show_error(error.message, error.hint)
            return False
        self.message_bar.clear()
        self.set_mode("text")
        with self.busy(f"Counting the tokens of {Path(path).name}..."):
            self.text.use_source(source)
        self._text_path = path
        self.remember_folder(path)
        remember_file(self._settings, path)
        self._update_recent_menu()
        self._update_title()
        self.right_tabs.setCurrentIndex(TEXT_TAB)
        self.left_tabs.setCurrentIndex(TEXT_MODEL_TAB)
        self.statusBar().showMessage(source.notes[0] if source.notes else "")
        self._refresh_setup()
        return True

    def _open_labelled(self, table: Table, path: str) -> bool:
        # The classifier's training stack and scikit-learn (the baseline) take about a second to import; done
        # in the worker at the end of the first run it stalled the window for 200 ms, so load it now, aside.
        threading.Thread(target=_warm_up_classify, name="warm-up-classify", daemon=True).start()
        self.message_bar.clear()
        self.set_mode("classify")
        with self.busy(f"Counting the texts of {Path(path).name}..."):
            self.classify.use_table(table)
        self.remember_folder(path)
        remember_file(self._settings, path)
        self._update_recent_menu()
        self._update_title()
        self.right_tabs.setCurrentIndex(TEXTS_TAB)
        self.left_tabs.setCurrentIndex(CLASSIFY_DATA_TAB)
        self.statusBar().showMessage(f"{Path(path).name}: labelled texts, opened for classification.")
        self._refresh_setup()
        return True

    def data_path(self) -> str:
        """The file the current kind of work reads: the text, the labelled table or the series table."""
        if self.mode == "text":
            return self._text_path
        table = self.classify.table if self.mode == "classify" else self._table
        return table.path if table is not None else ""

    @contextlib.contextmanager
    def busy(self, text: str) -> Iterator[None]:
        """Reading, preparing and saving run in the GUI thread (over a second for a million rows): show that."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.statusBar().showMessage(text)
        self.statusBar().repaint()
        try:
            yield
        finally:
            QApplication.restoreOverrideCursor()

    def confirm_import(self, path: str, table: Table | None) -> Table | None:
        """Let the user check the parsing options of an awkward file; None when cancelled."""
        dialog = ImportDialog(path, table, self)
        return dialog.table() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _use_table(self, table: Table, series: SeriesData, path: str) -> None:
        self._table = table
        self.set_mode("series")
        self.message_bar.clear()
        self.data_panel.set_table(table)
        self.series_view.set_table(table)
        self.remember_folder(path)
        remember_file(self._settings, path)
        self._update_recent_menu()
        self._update_title()
        self.right_tabs.setCurrentIndex(SERIES_TAB)
        self._set_series(series)

    def _on_selection_changed(self) -> None:
        if self._table is None:
            return
        try:
            with self.busy(f"Preparing {Path(self._table.path).name}..."):
                series = prepare_series(self._table.frame, self._data_config(), source=self._table.path)
        except WorkbenchError as error:
            self.data_panel.show_error(error.message, error.hint)
            self._series = None
            self._refresh_setup()
            return
        self._set_series(series)

    def _set_series(self, series: SeriesData) -> None:
        self._series = series
        self.data_panel.clear_error()
        self.data_panel.set_health(series.health)
        self.series_view.set_series(series)
        self.statusBar().showMessage(series.health[0] if series.health else "")
        self._refresh_setup()

    def _data_config(self):
        selection = self.data_panel.selection()
        return dataclasses.replace(self.model_form.config(self._config).data, target=selection["target"],
                                   time=selection["time"], inputs=list(selection["inputs"]),
                                   missing=selection["missing"])

    def current_config(self) -> RunConfig:
        """The settings as the forms show them (possibly invalid: check with problems())."""
        config = self.model_form.config(self._config)
        return dataclasses.replace(config, data=self._data_config()) if self._table is not None else config

    # ----- settings and training ------------------------------------------------------------------------------
    def _set_can_train(self, can: bool, reason: str = "") -> None:
        self.training_panel.set_can_train(can, reason)
        self.train_action.setEnabled(can)
        self.train_action.setToolTip("Train the model on the open data (Ctrl+T)" if can else reason)

    def _refresh_setup(self) -> None:
        """Check the settings against the data; show problems, the split and the model summary."""
        if self.worker.is_running():
            return
        if self.mode == "text":
            self._set_can_train(*self.text.refresh())
            return
        if self.mode == "classify":
            self._set_can_train(*self.classify.refresh())
            return
        config = self.current_config()
        if self._series is None:
            self.model_form.set_problems(config.problems())
            self._set_can_train(False, "Open a data file first.")
            return
        setup, problems = checked_setup(config, self._series)
        self.model_form.set_problems(problems)
        if setup is None:
            self.series_view.clear_plan()
        else:
            self.series_view.set_plan(setup.plan)
        if problems:
            count = len(problems)
            self.model_form.set_summary("")
            self._set_can_train(False, f"Fix the {count} setting{'s' if count > 1 else ''} marked in the Model tab.")
            return
        plan = setup.plan
        summary = describe(config.model, len(self._series.columns), plan.lookback, plan.horizon)
        self.model_form.set_summary("\n".join([summary, *setup.notes()]))
        self._set_can_train(True)

    def start_training(self) -> None:
        if self.mode in ("text", "classify"):
            workspace = self.text if self.mode == "text" else self.classify
            if workspace.start_training():
                self._set_busy(True)
                self.right_tabs.setCurrentIndex(TRAINING_TAB)
            return
        self.training_panel.plot.set_units()
        config = self.current_config()
        if self._series is None or check_against_series(config, self._series):
            return
        self._config = config
        self._set_busy(True)
        self.right_tabs.setCurrentIndex(TRAINING_TAB)
        self.worker.start(self._series, config)

    def _set_busy(self, busy: bool) -> None:
        self.model_form.set_read_only(busy)
        self.text.form.set_read_only(busy)
        self.classify.form.set_read_only(busy)
        self.classify.data_panel.setEnabled(not busy)
        self.train_action.setEnabled(not busy)
        self.stop_action.setEnabled(busy)
        self.data_panel.setEnabled(not busy)
        a = self.actions_
        for action in (self.open_action, self.import_action, self.recent_menu.menuAction(),
                       self.sample_menu.menuAction(), a.open_project, a.open_model, a.save_project, a.save_project_as):
            action.setEnabled(not busy)
        self.setAcceptDrops(not busy)
        self.import_action.setEnabled(not busy and self.mode != "text")
        self._update_model_actions()

    def _on_progress(self, progress: dict) -> None:
        self.training_panel.update_progress(progress)
        self.statusBar().showMessage(f"Training: epoch {progress['epoch']}/{progress.get('epochs', '?')}")

    def _on_run_finished(self, result: dict) -> None:
        self.last_run = run = self.worker.run
        self._set_busy(False)
        self.training_panel.run_ended(result)
        self.statusBar().showMessage(result["message"])
        if self.worker.best_snapshot is not None:
            self._set_model(self.text.bundle_of(run), None, None, saved=False)
            self.text.use_model(self.model, set_form=False)
            self._show_curve_reading(result.get("history", []), result.get("best_epoch"))
            self._refresh_setup()
            return
        if hasattr(run, "classes"):
            self._set_model(self.classify.bundle_of(run), None, None, saved=False)
            self.classify.use_model(self.model, set_form=False)
            self.classify.show_run(run)
            self._show_curve_reading(result.get("history", []), result.get("best_epoch"))
            self._refresh_setup()
            return
        from workbench.core.export.bundle import bundle_from_run

        self._set_model(bundle_from_run(run), run.series, self.worker.inspection, saved=False)
        self._refresh_setup()

    def _on_run_failed(self, message: str, details: str) -> None:
        self._set_busy(False)
        self.text.update_generation()
        self.training_panel.run_failed(message)
        if details.startswith("Traceback"):
            self.show_failure(message, details)
        self._refresh_setup()

    def show_failure(self, message: str, details: str) -> None:
        """A background job's failure: a bug's traceback is logged and shown; a user error goes to the bar."""
        if details.startswith("Traceback"):
            path = log_exception_text(details)
            show_exception_dialog(self, message, details, str(path))
        else:
            self.message_bar.show_error(message, details)
        self.statusBar().showMessage("")

    def warm_up(self, wait: bool = False) -> None:
        """Load the training stack on a background thread while the user looks at the window.

        Importing torch takes about a second, and the first optimiser step imports more of it lazily; done
        when Train is pressed, both would freeze the window (measured: gaps of ~200 ms).
        """
        thread = threading.Thread(target=_warm_up_torch, name="warm-up", daemon=True)
        thread.start()
        if wait:
            thread.join()

    # ----- the model on screen (window_models.py) and projects (window_projects.py) ------------------------------

    def current_plot(self) -> tuple[pg.PlotWidget | None, str]:
        """The plot on the visible right-hand tab and a short name for it, or (None, "") when there is none."""
        tab = self.right_tabs.currentIndex()
        if self.mode == "text":
            return (self.training_panel.plot, "loss") if tab == TRAINING_TAB else (None, "")
        if self.mode == "classify":
            plots = {TRAINING_TAB: (self.training_panel.plot, "loss"),
                     TEXTS_TAB: (self.classify.texts_view.histogram, "lengths"),
                     RESULTS_TAB: (self.classify.results_view.matrix, "confusion")}
            return plots.get(tab, (None, ""))
        if tab == SERIES_TAB and self._table is not None:
            return self.series_view.plot, "series"
        if tab == TRAINING_TAB:
            return self.training_panel.plot, "loss"
        if tab == FORECAST_TAB and self.inspection is not None:
            return self.forecast_view.plot, "forecast"
        if tab == RESIDUALS_TAB and self.inspection is not None:
            return self.residuals_view.time_plot, "residuals"
        return None, ""

    def _update_model_actions(self) -> None:
        a = self.actions_
        idle = not self.worker.is_running()
        has_model = self.model is not None and idle
        classifier = has_model and is_classifier(self.model)
        forecaster = has_model and not is_language_model(self.model) and not classifier
        for action in (a.save_model, a.export_loss):
            action.setEnabled(has_model)
        a.export_onnx.setEnabled(forecaster or classifier)
        a.export_onnx.setToolTip("" if forecaster or classifier or not has_model else
                                 "ONNX export is for forecasters and classifiers; a language model is saved as a "
                                 "bundle.")
        a.export_predictions.setEnabled((forecaster and self.model_series is not None)
                                        or (classifier and self.classify.table is not None))
        a.export_text.setEnabled(self.mode == "text")

    def _update_title(self) -> None:
        data_path = self.data_path()
        name = Path(self.project_path or data_path).name if (self.project_path or data_path) else ""
        self.setWindowTitle(f"{name} - Sequence Workbench" if name else "Sequence Workbench")

    # ----- menus, files, persistence ----------------------------------------------------------------------------
    @property
    def table(self) -> Table | None:
        return self._table

    def last_folder(self) -> str:
        return str(self._settings.value("last_folder", str(SAMPLE_DATA)))

    def remember_folder(self, path: str) -> None:
        self._settings.setValue("last_folder", str(Path(path).resolve().parent))

    def _on_open_clicked(self) -> None:
        folder = self.last_folder()
        tables = " ".join(f"*{s}" for s in SUPPORTED_SUFFIXES)
        texts = " ".join(f"*{s}" for s in TEXT_SUFFIXES)
        pattern = f"Tables and texts ({tables} {texts});;Tables ({tables});;Texts ({texts});;All files (*)"
        path, _ = QFileDialog.getOpenFileName(self, "Open data", folder, pattern)
        if path:
            self.open_path(path)

    def open_sample(self) -> None:
        self.open_path(str(SAMPLE_DATA / "co2_mauna_loa_weekly.csv"))

    def open_sample_text(self) -> None:
        self.open_path(str(SAMPLE_DATA / SAMPLE_TEXT))

    def open_sample_reviews(self) -> None:
        self.open_path(str(SAMPLE_DATA / SAMPLE_REVIEWS))

    def _on_import_options(self) -> None:
        current = self.classify.table if self.mode == "classify" else self._table
        if current is None or self.mode == "text":
            return
        table = self.confirm_import(current.path, current)
        if table is not None:
            self._open_table(table, table.path)

    def _update_recent_menu(self) -> None:
        fill_menu(self.recent_menu, recent_files(self._settings), self.open_path)

    def _on_about(self) -> None:
        from workbench import __version__

        QMessageBox.about(self, "About Sequence Workbench",
                          f"Sequence Workbench {__version__}\nTrain and inspect LSTM, GRU and RNN models on series.")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            self.open_path(files[0])

    def ask_stop_on_close(self) -> bool:
        answer = QMessageBox.question(self, "Training is running",
                                      "A model is still training. Stop the training and close the window?")
        return answer == QMessageBox.StandardButton.Yes

    def ask_save_model_on_close(self) -> bool:
        """Offer to save a trained model that would be lost; False cancels the close."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(self, "Unsaved model", "The trained model has not been saved. Save it before "
                                      "closing?", buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        if answer == buttons.Save:
            return self.files.save_model()
        return answer == buttons.Discard

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.worker.is_running():
            if not self.ask_stop_on_close():
                event.ignore()
                return
            self.worker.request_stop()
            self.worker.wait()
        self.text.wait_for_generation()
        if self.model is not None and not self._model_saved and not self.ask_save_model_on_close():
            event.ignore()
            return
        if self.files.onnx_job is not None:
            self.files.onnx_job.wait()  # a few seconds at most; an export cut off would leave a temp file
        self._save_settings()
        event.accept()

    def _save_settings(self) -> None:
        self._settings.setValue("geometry", self.saveGeometry())
        self._settings.setValue("window_state", self.saveState())
        self._settings.setValue("splitter", self.splitter.saveState())
        self.series_view.save_state(self._settings)

    def _restore_settings(self) -> None:
        for key, restore in (("geometry", self.restoreGeometry), ("window_state", self.restoreState),
                             ("splitter", self.splitter.restoreState)):
            value = self._settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        if not isinstance(self._settings.value("geometry"), QByteArray):
            self.resize(1320, 820)
        self.series_view.restore_state(self._settings)


def _warm_up_torch() -> None:
    from workbench.core.training.engine import warm_up

    warm_up()


def _warm_up_classify() -> None:
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.linear_model  # noqa: F401

    import workbench.core.classify.pipeline  # noqa: F401
