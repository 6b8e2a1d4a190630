"""The window's classification side: a labelled table, its settings, the texts, the results and "try it"."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from workbench.core.classify.config import describe_classifier
from workbench.core.classify.dataset import ClassifySummary, summarize_classification
from workbench.core.data.sources import Table
from workbench.core.errors import WorkbenchError
from workbench.core.run_config import CLASSIFY_SECTIONS, ClassifyRunConfig
from workbench.gui.panels.classify_data_panel import ClassifyDataPanel
from workbench.gui.panels.classify_views import ClassifyResultsView, ClassifyTextsView
from workbench.gui.panels.misclassified_list import MisclassifiedList
from workbench.gui.panels.model_form import CLASSIFY_GROUPS, ModelForm
from workbench.gui.panels.try_it_box import TryItBox

if TYPE_CHECKING:
    from workbench.core.classify.pipeline import ClassifierRun
    from workbench.core.export.classifier_bundle import ClassifierBundle
    from workbench.gui.main_window import MainWindow

NO_MODEL = "Train a classifier (Ctrl+T) or open one (File > Open Model) to try texts here."


def is_classifier(bundle: Any) -> bool:
    """True for a ClassifierBundle (checked by shape: importing its class would load torch at start-up)."""
    return bundle is not None and hasattr(bundle, "classes") and hasattr(bundle, "vocabulary")


class ClassifyWorkspace(QObject):
    """Owns the classification widgets and what they show; the main window places them and routes actions here."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.form = ModelForm(window, CLASSIFY_GROUPS, CLASSIFY_SECTIONS)
        self._config = ClassifyRunConfig()
        self.form.set_config(self._config)
        self.data_panel = ClassifyDataPanel(window)
        self.texts_view = ClassifyTextsView(window)
        self.results_view = ClassifyResultsView(window)
        self.mistakes = MisclassifiedList(window)
        self.try_it = TryItBox(window)
        self.try_it.set_message(NO_MODEL)
        self.table: Table | None = None
        self.summary: ClassifySummary | None = None
        self._summary_key: tuple | None = None
        self.data_panel.selection_changed.connect(window._refresh_setup)
        self.try_it.text_changed.connect(self._on_try_text)

    # ----- the table and its settings ---------------------------------------------------------------------------
    def use_table(self, table: Table, config: ClassifyRunConfig | None = None) -> None:
        """Show a labelled table; `config` (a project's, a model's) sets the form and the columns."""
        self.table = table
        self.data_panel.set_table(table)
        if config is not None:
            self.set_config(config)
        self._summary_key = None
        self.refresh()

    def set_config(self, config: ClassifyRunConfig) -> None:
        self._config = config
        self.form.set_config(config)
        self.data_panel.set_selection(config.classify.text, config.classify.label)

    def config(self) -> ClassifyRunConfig:
        """The settings as the forms show them, with the columns from the data panel (may be invalid)."""
        config = self.form.config(self._config)
        text, label = self.data_panel.selection()
        return dataclasses.replace(config, classify=dataclasses.replace(config.classify, text=text, label=label))

    def refresh(self) -> tuple[bool, str]:
        """Check the settings against the table; show the classes, the lengths and the model summary.

        Returns whether training can start and, if not, why."""
        config = self.config()
        problems = config.problems()
        if self.table is not None and not any(key.startswith("classify.") for key in problems):
            try:
                self._update_summary(config)
            except WorkbenchError as error:
                self.summary, self._summary_key = None, None
                self.data_panel.show_error(error.message, error.hint)
                self.texts_view.clear()
                self.form.set_problems(problems)
                self.form.set_summary("")
                return False, f"The table cannot be used as it is: {error.message}"
        self.form.set_problems(problems)
        if self.table is None:
            self.form.set_summary("")
            return False, "Open a table of labelled texts first."
        if problems or self.summary is None:
            self.form.set_summary("")
            count = len(problems)
            return False, f"Fix the {count} setting{'s' if count != 1 else ''} marked in the Model tab."
        summary = self.summary
        self.form.set_summary(describe_classifier(config.model, len(summary.vocabulary), len(summary.classes),
                                                  config.classify))
        return True, ""

    def _update_summary(self, config: ClassifyRunConfig) -> None:
        # Splitting and counting tokens takes a moment on a large table: only when the table settings change.
        key = (id(self.table), tuple(dataclasses.astuple(config.classify)), config.train.seed)
        if key == self._summary_key:
            return
        summary = summarize_classification(self.table.frame, config.classify, config.train.seed, self.table.path)
        self.summary, self._summary_key = summary, key
        self.data_panel.set_summary(summary)
        texts, labels = self._training_texts(summary)
        self.texts_view.set_summary(summary, texts, labels)

    def _training_texts(self, summary: ClassifySummary) -> tuple[list[str], list[str]]:
        """The texts the example pager shows: the table's, in file order (a few hundred are plenty)."""
        frame = self.table.frame
        texts = frame[summary.text_column].astype(str).tolist()[:500]
        labels = frame[summary.label_column].astype(str).tolist()[:500]
        return texts, labels

    # ----- training and results -----------------------------------------------------------------------------------
    def start_training(self) -> bool:
        can, _ = self.refresh()
        if not can:
            return False
        config = self.config()
        self._config = config
        self._window.training_panel.plot.set_units("loss (cross-entropy, nats)")
        self._window.worker.start_classify(self.table.frame, config, self.table.path)
        return True

    def bundle_of(self, run: ClassifierRun) -> ClassifierBundle:
        from workbench.core.export.classifier_bundle import bundle_from_classifier_run

        return bundle_from_classifier_run(run)

    def show_run(self, run: ClassifierRun) -> None:
        """A finished run's test results, its mistakes, and "try it" on its weights."""
        evaluation = run.evaluation
        self.results_view.set_summary(evaluation.summary())
        self.mistakes.set_examples([mistake.to_dict() for mistake in evaluation.misclassified], list(run.classes),
                                   total=len(evaluation.actual))
        self.try_it.set_message("")

    def use_model(self, bundle: ClassifierBundle, set_form: bool = True) -> None:
        """An opened or trained classifier: its stored test results; "try it" uses its weights.

        An opened model's settings fill the form; after a run the form keeps what the user chose."""
        if set_form:
            self.set_config(bundle.config)
        self._window.training_panel.plot.set_units("loss (cross-entropy, nats)")
        self.results_view.set_summary(bundle.metrics)
        self.try_it.set_message("")

    def clear_results(self) -> None:
        self.results_view.set_summary(None)
        self.mistakes.clear()
        self.try_it.set_message(NO_MODEL)

    def _on_try_text(self, text: str) -> None:
        bundle = self._window.model
        if not is_classifier(bundle):
            return
        from workbench.core.classify.predict import predict_texts

        probabilities = predict_texts(bundle.model, bundle.vocabulary, bundle.classes, bundle.config, [text])[0]
        self.try_it.set_probabilities([float(p) for p in probabilities], list(bundle.classes))
