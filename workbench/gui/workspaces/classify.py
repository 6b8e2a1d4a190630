"""The window's classification side: a labelled table, its settings, the texts, the results and "try it"."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.classify.config import describe_classifier
from workbench.core.classify.dataset import ClassifySummary
from workbench.core.data.sniff import ReadOptions
from workbench.core.data.sources import Table
from workbench.core.run_config import CLASSIFY_SECTIONS, ClassifyRunConfig
from workbench.gui.latest_job import in_reader
from workbench.gui.panels.classify_data_panel import ClassifyDataPanel
from workbench.gui.panels.classify_views import ClassifyResultsView, ClassifyTextsView
from workbench.gui.panels.inspect.contexts import ClassifyContext, classify_context, table_texts
from workbench.gui.panels.misclassified_list import MisclassifiedList
from workbench.gui.panels.model_form import CLASSIFY_GROUPS, ModelForm
from workbench.gui.panels.runs.work import Work
from workbench.gui.panels.try_it_box import TryItBox
from workbench.gui.workspaces.base import Workspace
from workbench.gui.workspaces.classify_files import classifier_onnx_export, write_table_predictions

if TYPE_CHECKING:
    from collections.abc import Callable

    import pyqtgraph as pg
    from PySide6.QtCore import QObject

    from workbench.core.classify.pipeline import ClassifierRun
    from workbench.core.export.classifier_bundle import ClassifierBundle
    from workbench.core.project import OpenedProject, Project
    from workbench.core.training.callbacks import Callback
    from workbench.gui.services import Services
    from workbench.gui.training_job import TrainCall

NO_MODEL = "Train a classifier (Ctrl+T) or open one (File > Open Model) to try texts here."


class ClassifyWorkspace(Workspace):
    """A labelled table, its settings, the texts, the test results beside the baselines, mistakes and "try it"."""

    kind = "classify"
    model_label = "text classifier"
    model_kind = "classifier"

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(services, parent)
        self.form = ModelForm(None, CLASSIFY_GROUPS, CLASSIFY_SECTIONS)
        self._config = ClassifyRunConfig()
        self.form.set_config(self._config)
        self.data_panel = ClassifyDataPanel()
        self.texts_view = ClassifyTextsView()
        self.results_view = ClassifyResultsView()
        self.mistakes = MisclassifiedList()
        self.try_it = TryItBox()
        self.try_it.set_message(NO_MODEL)
        self.table: Table | None = None
        self.summary: ClassifySummary | None = None
        self._summary_key: tuple | None = None  # the settings `summary` (or `_summary_error`) was made with
        self._summary_error: tuple[str, str] | None = None  # why the table cannot be used with them
        self._training_summary: ClassifySummary | None = None  # the summary of the run in progress's settings
        # Splitting and counting take seconds on a large or wide table: off the GUI thread, the newest settings
        # winning.
        self._summarizing = self.background("summarizing")
        self._summarizing_key: tuple | None = None  # the settings being summarized (or last asked for)
        self.left_tabs.addTab(self.data_panel, "Data")
        self.left_tabs.addTab(self.form, "Model")
        for widget, title in ((self.texts_view, "Texts"), (self.training_panel, "Training"),
                              (self.results_view, "Results"), (self.mistakes, "Mistakes"), (self.try_it, "Try it")):
            self.right_tabs.addTab(widget, title)
        self.add_inspect_tab()
        self.add_experiment_tabs()
        self.data_panel.selection_changed.connect(self.update_can_train)
        self.data_panel.class_names_changed.connect(self.update_can_train)
        self.form.config_changed.connect(self.update_can_train)
        self.try_it.text_changed.connect(self._on_try_text)

    # ----- the table and its settings ---------------------------------------------------------------------------
    def use_table(self, table: Table, config: ClassifyRunConfig | None = None) -> None:
        """Show a labelled table; `config` (a project's, a model's) sets the form and the columns."""
        self.table = table
        self.data_replaced()
        self.data_panel.set_table(table)
        if config is not None:
            self.set_config(config)
        self._summarizing.forget()  # a summary still being made was of the last table
        self._summary_key = self._summarizing_key = None
        self.data_changed_for_runs()
        self.update_can_train()
        self.right_tabs.setCurrentWidget(self.texts_view)
        self.left_tabs.setCurrentWidget(self.data_panel)
        self.changed.emit()

    def data_path(self) -> str:
        return self.table.path if self.table is not None else ""

    def project_config(self) -> ClassifyRunConfig:
        return self.config()

    def set_config(self, config: ClassifyRunConfig) -> None:
        self._config = config
        self.form.set_config(config)
        self.data_panel.set_selection(config.classify.text, config.classify.label)
        self.data_panel.set_class_names(config.classify.class_names)

    def work(self) -> Work | None:
        table = self.table
        if table is None:
            return None
        return Work(self.model_kind, table.path, self.config(), table.frame, dataclasses.asdict(table.options))

    def inspect_context(self) -> ClassifyContext:
        return classify_context(self.model, self.table.frame if self.table is not None else None, self.try_it.text())

    def inspect_data(self) -> object:
        return self.table

    def training_inspect_context(self) -> ClassifyContext | None:
        summary, table = self._training_summary, self.table
        if summary is None or table is None:
            return None
        # The run's vocabulary and length are the summary's: both come from the same split of the same table.
        settings = dataclasses.replace(self._config.classify, max_len=summary.max_len)
        return ClassifyContext(summary.vocabulary, settings, summary.classes,
                               table_texts(table.frame, settings.text), self.try_it.text())

    def set_form_config(self, config: ClassifyRunConfig) -> None:
        self.set_config(config)
        self.update_can_train()

    def config(self) -> ClassifyRunConfig:
        """The settings as the forms show them, with the columns and class names from the data panel (may be
        invalid)."""
        config = self.form.config(self._config)
        text, label = self.data_panel.selection()
        return dataclasses.replace(config, classify=dataclasses.replace(
            config.classify, text=text, label=label, class_names=self.data_panel.class_names()))

    def refresh(self) -> tuple[bool, str]:
        """Check the settings against the table; show the classes, the lengths and the model summary.

        Returns whether training can start and, if not, why."""
        config = self.config()
        problems = config.problems()
        summarized = (self.table is not None and not any(key.startswith("classify.") for key in problems)
                      and self._summarized(config))
        self.form.set_problems(problems)
        if self.table is None:
            self.form.set_summary("")
            return False, "Open a table of labelled texts first."
        if not (summarized and self._summary_error is None and not problems):
            self.form.set_summary("")
        if summarized and self._summary_error is not None:
            return False, f"The table cannot be used as it is: {self._summary_error[0]}"
        if problems:
            count = len(problems)
            return False, f"Fix the {count} setting{'s' if count != 1 else ''} marked in the Model tab."
        if not summarized:
            return False, f"Counting the classes and tokens of {Path(self.table.path).name}..."
        summary = self.summary
        self.form.set_summary(describe_classifier(config.model, len(summary.vocabulary), len(summary.classes),
                                                  config.classify))
        return True, ""

    def _summarized(self, config: ClassifyRunConfig) -> bool:
        """Whether the summary on screen (or the error) is of these table settings; if not, make it in the
        background (once), and check the settings again when that is done."""
        key = (id(self.table), tuple(dataclasses.astuple(config.classify)), config.train.seed)
        if key == self._summary_key:
            return True
        if key != self._summarizing_key:
            self._summarizing_key = key
            table, settings, seed = self.table, config.classify, config.train.seed
            # In the reader process, which read the table (gui/kept_data.py): splitting and counting hold the GIL.
            self._summarizing.request(
                f"Counting the classes and tokens of {Path(table.path).name}...",
                lambda context: in_reader(context, "classify_summary", table.path, table.options,
                                          table.frame.shape, settings, seed),
                lambda summary: summary is not None and self._on_summarized(key, summary, None),
                lambda message, hint: self._on_summarized(key, None, (message, hint)))
        return False

    def _on_summarized(self, key: tuple, summary: ClassifySummary | None, error: tuple[str, str] | None) -> None:
        self.summary, self._summary_error, self._summary_key = summary, error, key
        if summary is not None:
            self.data_panel.set_summary(summary)
            self.texts_view.set_summary(summary)
        else:
            self.data_panel.show_error(*error)
            self.texts_view.clear()
        self.update_can_train()

    # ----- training and results -----------------------------------------------------------------------------------
    def prepare_training(self) -> tuple[TrainCall, None] | None:
        can, _ = self.refresh()
        if not can:
            return None
        config = self.config()
        self._config = config
        self._training_summary = self.summary
        frame, source = self.table.frame, self.table.path
        self.training_panel.plot.set_units("loss (cross-entropy, nats)")

        def train(callbacks: list[Callback], should_stop: Any) -> ClassifierRun:
            from workbench.core.classify.pipeline import train_classifier

            # Scoring on test beside both baselines happens in train_classifier, here off the GUI thread.
            return train_classifier(frame, config, callbacks, should_stop, source)

        return train, None

    def training_finished(self, run: ClassifierRun) -> dict[str, Any]:
        from workbench.core.classify.report import classifier_advice, summary_verdict
        from workbench.core.export.classifier_bundle import bundle_from_classifier_run

        bundle = bundle_from_classifier_run(run)
        self.show_model(bundle, set_form=False)
        self.set_model(bundle, saved=False)
        self.show_run(run)
        summary, result = run.evaluation.summary(), run.result.to_dict()
        self.show_advice(classifier_advice(summary, run.config, result))
        return {**result, "evaluation": summary, "verdict": summary_verdict(summary)}

    def show_run(self, run: ClassifierRun) -> None:
        """A finished run's test results, its mistakes, and "try it" on its weights."""
        evaluation = run.evaluation
        self.results_view.set_summary(evaluation.summary())
        self.mistakes.set_examples([mistake.to_dict() for mistake in evaluation.misclassified], list(run.classes),
                                   total=len(evaluation.actual))
        self.try_it.set_message("")

    def show_model(self, bundle: ClassifierBundle, set_form: bool = True) -> None:
        """An opened or trained classifier: its stored test results; "try it" uses its weights.

        An opened model's settings fill the form; after a run the form keeps what the user chose."""
        if set_form:
            self.set_config(bundle.config)
        self.training_panel.plot.set_units("loss (cross-entropy, nats)")
        self.results_view.set_summary(bundle.metrics)
        self.try_it.set_message("")

    def use_model(self, bundle: ClassifierBundle, path: str, shown: Callable[[], object] | None = None) -> None:
        """Show an opened classifier: its settings, training curve and stored test results; "Try it" uses it."""
        self.training_panel.show_model(bundle.result, Path(path).name)
        self.set_model(bundle, saved=True)
        self.show_model(bundle)
        self.mistakes.clear()
        self._show_bundle_advice(bundle)
        self.update_can_train()
        self.right_tabs.setCurrentWidget(self.results_view)
        self.left_tabs.setCurrentWidget(self.form)
        self.services.message_bar.show_info(
            f"Opened the classifier {Path(path).name}: its test results are those of its own run. Type a text on "
            "the Try it tab, or export predictions for the open table.")
        if shown is not None:
            shown()

    def _show_bundle_advice(self, bundle: ClassifierBundle) -> None:
        from workbench.core.classify.report import classifier_advice

        self.show_advice(classifier_advice(bundle.metrics, bundle.config, bundle.result))

    def clear_results(self) -> None:
        self.results_view.set_summary(None)
        self.mistakes.clear()
        self.try_it.set_message(NO_MODEL)

    def _on_try_text(self, text: str) -> None:
        bundle = self.model
        if bundle is None:
            return
        from workbench.core.classify.predict import predict_texts

        probabilities = predict_texts(bundle.model, bundle.vocabulary, bundle.classes, bundle.config, [text])[0]
        self.try_it.set_probabilities([float(p) for p in probabilities], list(bundle.classes))

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)
        self.data_panel.setEnabled(not read_only)

    # ----- projects -----------------------------------------------------------------------------------------------
    def project(self) -> Project:
        from workbench.core.project import Project

        table = self.table
        return Project(data_path=str(Path(table.path).resolve()) if table else None,
                       read_options=table.options if table else ReadOptions(), config=self.config(),
                       view={"tab": self.right_tabs.currentIndex()}, kind="classify")

    @staticmethod
    def read_project_data(opened: OpenedProject) -> Table | None:
        """The project's table (on a reading job's thread; may raise the core's error)."""
        from workbench.core.data.sources import read_table

        project = opened.project
        return read_table(project.data_path, project.read_options) if project.data_path else None

    def use_project(self, opened: OpenedProject, model_name: str, data: Table | None) -> None:
        project, bundle = opened.project, opened.bundle
        table = data
        if table is not None:
            self.use_table(table, project.config)
        self.set_config(project.config)
        if bundle is not None:
            self.training_panel.show_model(bundle.result, model_name)
            self.set_model(bundle, saved=True)
            self.show_model(bundle)
            self._show_bundle_advice(bundle)
        else:
            self.training_panel.reset()
            self.set_model(None, saved=True)
            self.clear_results()
        self.update_can_train()
        tab = project.view.get("tab", 0)
        self.right_tabs.setCurrentIndex(tab if isinstance(tab, int) and 0 <= tab < self.right_tabs.count() else 0)
        self.left_tabs.setCurrentWidget(self.data_panel)

    # ----- plots and exports --------------------------------------------------------------------------------------
    def current_plot(self) -> tuple[pg.PlotWidget | None, str]:
        tab = self.right_tabs.currentWidget()
        if tab is self.texts_view:
            return self.texts_view.histogram, "lengths"
        if tab is self.results_view:
            return self.results_view.matrix, "confusion"
        return super().current_plot()

    def export_state(self) -> dict[str, str]:
        return self.model_export_state("" if self.table is not None else "Open a table of texts to classify.")

    def write_predictions(self, path: str) -> str:
        return write_table_predictions(self.model, self.table.frame, path)

    def onnx_export(self, path: str) -> tuple[Any, str]:
        return classifier_onnx_export(self.model, self.table.frame if self.table is not None else None, path)
