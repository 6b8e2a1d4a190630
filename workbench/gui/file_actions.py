"""File menu work on models, projects and exports: ask for a path, call the core, report in words.

Every action takes an optional path (tests and scripts pass one; the menu passes none, so a dialog asks) and
returns whether it succeeded. A failure shows the core's message in the window's message bar and changes
nothing: the core writes atomically, and opening reads everything before the window is touched.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from workbench.core.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.gui.background import BackgroundJob
    from workbench.gui.main_window import MainWindow

MODEL_FILTER = "Sequence Workbench model (*.swb)"
PROJECT_FILTER = "Sequence Workbench project (*.swproj)"
ONNX_FILTER = "ONNX model (*.onnx)"
CSV_FILTER = "CSV table (*.csv)"
TEXT_FILTER = "Text file (*.txt)"
PLOT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg)"


class FileActions:
    """The window's model, project and export commands."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.onnx_job: BackgroundJob | None = None

    # ---- models

    def save_model(self, path: str | None = None) -> bool:
        window = self._window
        if window.model is None:
            return self._refuse("There is no model to save yet.", "Train one first (Ctrl+T).")
        path = path or self._ask_save("Save model", self._default_name(".swb"), MODEL_FILTER, ".swb")
        if not path:
            return False
        from workbench.core.export.lm_bundle import save_model_file

        with self._reporting(f"Saving {Path(path).name}..."):
            save_model_file(path, window.model)
            window.model_saved(path)
            return self._done(f"Saved the model to {path}.")
        return False

    def open_model(self, path: str | None = None) -> bool:
        path = path or self._ask_open("Open model", MODEL_FILTER)
        if not path:
            return False
        from workbench.core.export.bundle import CLASSIFIER, LANGUAGE_MODEL, bundle_kind, load_bundle
        from workbench.core.export.classifier_bundle import load_classifier_bundle
        from workbench.core.export.lm_bundle import load_lm_bundle

        with self._reporting(f"Opening {Path(path).name}..."):
            kind = bundle_kind(path)
            if kind == LANGUAGE_MODEL:
                self._window.use_text_model(load_lm_bundle(path), path)
            elif kind == CLASSIFIER:
                self._window.use_classifier_model(load_classifier_bundle(path), path)
            else:
                self._window.use_model(load_bundle(path), path)
            return True
        return False

    # ---- projects

    def save_project(self, path: str | None = None) -> bool:
        """Save to `path`, or to the project's own file when it has one, else ask."""
        window = self._window
        path = path or window.project_path or self._ask_save("Save project", self._default_name(".swproj"),
                                                               PROJECT_FILTER, ".swproj")
        return bool(path) and self._write_project(path)

    def save_project_as(self) -> bool:
        path = self._ask_save("Save project as", self._default_name(".swproj"), PROJECT_FILTER, ".swproj")
        return bool(path) and self._write_project(path)

    def open_project(self, path: str | None = None) -> bool:
        path = path or self._ask_open("Open project", PROJECT_FILTER)
        if not path:
            return False
        from workbench.core.project import open_project

        with self._reporting(f"Opening {Path(path).name}..."):
            opened = open_project(path)
            self._window.use_project(path, opened)
            return True
        return False

    def _write_project(self, path: str) -> bool:
        window = self._window
        config = {"text": window.text.config, "classify": window.classify.config}.get(window.mode,
                                                                                 window.current_config)()
        problems = config.problems()
        if problems:
            return self._refuse("The project was not saved: some settings are not valid.",
                                "Fix the settings marked in the Model tab, then save again.")
        from workbench.core.project import save_project

        with self._reporting(f"Saving {Path(path).name}..."):
            model = window.model_of_mode()
            save_project(path, window.project(), model)
            window.project_saved(path, with_model=model is not None)
            return self._done(f"Saved the project to {path}" + (" with its model." if model else "."))
        return False

    # ---- exports

    def export_onnx(self, path: str | None = None) -> bool:
        """Start the export on a background thread (it takes seconds); `onnx_job` reports its end."""
        window = self._window
        if window.model is None:
            return self._refuse("There is no model to export yet.", "Train or open a model first.")
        if self.onnx_job is not None and self.onnx_job.is_running():
            return self._refuse("An ONNX export is still running.", "Wait for it to finish.")
        path = path or self._ask_save("Export ONNX", self._default_name(".onnx"), ONNX_FILTER, ".onnx")
        if not path:
            return False
        from workbench.gui.background import BackgroundJob

        export, described = _onnx_job(window.model, path)

        def exported(difference: float) -> None:
            self._done(f"Exported {Path(path).name}: {described}; onnxruntime matches the model to "
                       f"{difference:.1g}.")

        self.onnx_job = BackgroundJob(export, window)
        self.onnx_job.succeeded.connect(exported)
        self.onnx_job.failed.connect(window.show_failure)
        window.statusBar().showMessage(f"Exporting {Path(path).name} and checking it in onnxruntime...")
        self.onnx_job.start()
        return True

    def export_predictions(self, path: str | None = None) -> bool:
        window = self._window
        if window.mode == "classify":
            return self._export_class_predictions(path)
        if window.model is None or window.model_series is None:
            return self._refuse("There are no forecasts to export yet.",
                                "Train a model, or open one together with data it fits.")
        path = path or self._ask_save("Export predictions", self._default_name("-forecast.csv"), CSV_FILTER, ".csv")
        if not path:
            return False
        from workbench.core.export.tables import write_csv
        from workbench.core.forecast.frames import forecast_frame

        with self._reporting(f"Writing {Path(path).name}..."):
            frame = forecast_frame(window.model.model, window.model_series, window.model.schema["lookback"],
                                   residuals=True)
            write_csv(frame, path)
            return self._done(f"Wrote {len(frame):,} rows of forecasts to {path}.")
        return False

    def _export_class_predictions(self, path: str | None) -> bool:
        """The open table with a predicted label and one probability column per class."""
        window = self._window
        bundle, table = window.model, window.classify.table
        if bundle is None or not hasattr(bundle, "classes") or table is None:
            return self._refuse("There are no predictions to export yet.",
                                "Train a classifier, or open one together with a table of texts.")
        path = path or self._ask_save("Export predictions", self._default_name("-predicted.csv"), CSV_FILTER, ".csv")
        if not path:
            return False
        from workbench.core.classify.predict import predict_table
        from workbench.core.export.tables import write_csv

        with self._reporting(f"Writing {Path(path).name}..."):
            frame, notes = predict_table(bundle.model, bundle.vocabulary, bundle.classes, bundle.config, table.frame)
            write_csv(frame, path)
            return self._done(f"Wrote {len(frame):,} rows of predictions to {path}. {' '.join(notes)}")
        return False

    def export_loss_history(self, path: str | None = None) -> bool:
        window = self._window
        history = window.model.result.get("history", []) if window.model is not None else []
        if not history:
            return self._refuse("There is no loss history to export yet.", "Train a model first.")
        path = path or self._ask_save("Export loss history", self._default_name("-loss.csv"), CSV_FILTER, ".csv")
        if not path:
            return False
        from workbench.core.export.tables import loss_history_frame, write_csv

        with self._reporting(f"Writing {Path(path).name}..."):
            write_csv(loss_history_frame(history), path, float_format="%.9g")
            return self._done(f"Wrote {len(history):,} epochs of losses to {path}.")
        return False

    def export_plot(self, path: str | None = None) -> bool:
        """The plot on the tab the user is looking at, as PNG (twice the screen size) or SVG."""
        plot, name = self._window.current_plot()
        if plot is None:
            return self._refuse("This tab has no plot to export.", "Switch to a tab with a plot, then export.")
        path = path or self._ask_save("Export plot", self._default_name(f"-{name}.png"), PLOT_FILTERS, ".png")
        if not path:
            return False
        from workbench.gui.plot_export import PLOT_SUFFIXES, export_plot

        if Path(path).suffix.lower() not in PLOT_SUFFIXES:
            return self._refuse(f"{Path(path).name}: plots are exported as .png or .svg.",
                                "Choose a file name ending in .png or .svg.")
        with self._reporting(f"Exporting {Path(path).name}..."):
            export_plot(plot, path)
            return self._done(f"Exported the {name} plot to {path}.")
        return False

    def export_generated_text(self, path: str | None = None) -> bool:
        """The generation panel's output and the sample timeline as a UTF-8 text file."""
        text = self._window.text
        if not text.generation.generated_text() and not text.generation.samples():
            return self._refuse("There is no generated text to export yet.",
                                "Generate text on the Generate tab, or train a model to collect samples.")
        path = path or self._ask_save("Export generated text", self._default_name("-generated.txt"), TEXT_FILTER,
                                      ".txt")
        if not path:
            return False
        from workbench.core.export.atomic import atomic_write_text

        with self._reporting(f"Writing {Path(path).name}..."):
            atomic_write_text(path, text.generated_text_export())
            return self._done(f"Wrote the generated text to {path}.")
        return False

    # ---- helpers

    @contextlib.contextmanager
    def _reporting(self, text: str) -> Iterator[None]:
        """Busy cursor while the core works; its errors become a message and the exception stops there."""
        window = self._window
        with window.busy(text):
            try:
                yield
            except WorkbenchError as error:
                window.message_bar.show_error(error.message, error.hint)
                window.statusBar().showMessage("")

    def _refuse(self, text: str, hint: str) -> bool:
        self._window.message_bar.show_error(text, hint)
        return False

    def _done(self, text: str) -> bool:
        self._window.message_bar.clear()
        self._window.statusBar().showMessage(text)
        return True

    def _default_name(self, suffix: str) -> str:
        window = self._window
        stem = Path(window.project_path or window.data_path() or "model").stem
        return str(Path(window.last_folder()) / f"{stem}{suffix}")

    def _ask_save(self, title: str, suggested: str, filters: str, suffix: str) -> str:
        path, chosen = QFileDialog.getSaveFileName(self._window, title, suggested, filters)
        if not path:
            return ""
        if not Path(path).suffix:
            # The filter the user picked decides the suffix ("plot" + SVG filter -> plot.svg).
            path += ".svg" if "svg" in chosen.lower() else suffix
        self._window.remember_folder(path)
        return path

    def _ask_open(self, title: str, filters: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self._window, title, self._window.last_folder(),
                                              f"{filters};;All files (*)")
        if path:
            self._window.remember_folder(path)
        return path



def _onnx_job(bundle: object, path: str) -> tuple[Callable[[], float], str]:
    """The export call for a forecaster or a classifier bundle, and its graph in words."""
    model = bundle.model
    if hasattr(bundle, "classes"):
        max_len, classes = bundle.config.classify.max_len, len(bundle.classes)

        def export_classifier() -> float:
            from workbench.core.classify.onnx_export import export_classifier_onnx

            return export_classifier_onnx(model, path, max_len)

        return export_classifier, (f"input 'token_ids' (batch, {max_len}), 0 for padding, output "
                                   f"'probabilities' (batch, {classes})")
    schema = bundle.schema

    def export_forecaster() -> float:
        from workbench.core.export.onnx import export_onnx

        return export_onnx(model, path, schema["lookback"])

    return export_forecaster, (f"input 'window' (batch, {schema['lookback']}, {len(schema['columns'])}) raw "
                               f"values, output 'forecast' (batch, {schema['horizon']})")
