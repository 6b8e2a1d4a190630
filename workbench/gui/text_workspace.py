"""The window's text side: an opened text, its settings form, the text view, generation and the sample timeline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from workbench.core.models.summary import describe_language_model
from workbench.core.run_config import TEXT_SECTIONS, TextRunConfig
from workbench.core.text.source import TextSource, read_text
from workbench.core.text.summary import TextSummary, epoch_note, summarize_text, text_fit_problems
from workbench.gui.generation_job import GenerationJob
from workbench.gui.panels.generation_panel import GenerationPanel, status_message
from workbench.gui.panels.model_form import TEXT_GROUPS, ModelForm
from workbench.gui.panels.text_view import TextView

if TYPE_CHECKING:
    from workbench.core.export.lm_bundle import LanguageModelBundle
    from workbench.core.text.pipeline import LanguageModelRun
    from workbench.gui.main_window import MainWindow


class TextWorkspace(QObject):
    """Owns the text widgets and what they show; the main window places them and routes its actions here."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.form = ModelForm(window, TEXT_GROUPS, TEXT_SECTIONS)
        self._config = TextRunConfig()
        self.form.set_config(self._config)
        self.view = TextView(window)
        self.generation = GenerationPanel(window)
        self.source: TextSource | None = None
        self.summary: TextSummary | None = None
        self._summary_key: tuple | None = None  # the text settings the summary was counted with
        self.job: GenerationJob | None = None
        self._job_weights = ""
        self._last_settings: dict[str, Any] = {}  # of the generation the panel shows
        self.generation.generate_requested.connect(self.generate)
        self.generation.stop_requested.connect(self.stop_generation)
        worker = window.worker
        worker.sample_generated.connect(self.generation.add_sample)
        worker.epochs_logged.connect(lambda _logs: self.update_generation())
        self.update_generation()

    # ----- the text and its settings ----------------------------------------------------------------------------
    def read(self, path: str) -> TextSource:
        """Read a text file; raises the core's DataError with a message for the user (before anything changes)."""
        return read_text(path)

    def use_source(self, source: TextSource) -> None:
        self.source = source
        self._summary_key = None
        self.refresh()

    def config(self) -> TextRunConfig:
        """The settings as the form shows them (possibly invalid: check with problems())."""
        return self.form.config(self._config)

    def set_config(self, config: TextRunConfig) -> None:
        self._config = config
        self.form.set_config(config)

    def refresh(self) -> tuple[bool, str]:
        """Check the settings against the text; show problems, the token counts and the model summary.

        Returns whether training can start and, if not, why."""
        config = self.config()
        problems = config.problems()
        text_problems = [key for key in problems if key.startswith("text.")]
        if self.source is not None and not text_problems:
            self._update_summary(config)
            problems.update(text_fit_problems(self.summary, config.text, config.train.batch_size)
                            if "train.batch_size" not in problems else {})
        self.form.set_problems(problems)
        if self.source is None:
            self.form.set_summary("")
            return False, "Open a text file first."
        if problems:
            self.form.set_summary("")
            count = len(problems)
            return False, f"Fix the {count} setting{'s' if count > 1 else ''} marked in the Model tab."
        summary = self.summary
        self.form.set_summary("\n".join([
            describe_language_model(config.model, summary.vocab_size, config.text.embedding, config.text.level),
            epoch_note(summary, config.text, config.train.batch_size),
        ]))
        return True, ""

    def _update_summary(self, config: TextRunConfig) -> None:
        # Counting tokens takes a fraction of a second on a long text: only when the text settings change.
        key = (id(self.source), config.text.level, config.text.val_fraction, config.text.vocab_cap())
        if key == self._summary_key:
            return
        self.summary = summarize_text(self.source, config.text)
        self._summary_key = key
        self.view.set_summary(self.summary, self.source.text)

    # ----- training ---------------------------------------------------------------------------------------------
    def start_training(self) -> bool:
        """Start a run on the open text with the form's settings; False when they do not allow one."""
        config = self.config()
        can, _ = self.refresh()
        if not can:
            return False
        self._config = config
        self.generation.clear_samples()
        self._set_plot_units(config)
        self._window.worker.start_text(self.source, config)
        return True

    def _set_plot_units(self, config: TextRunConfig) -> None:
        """Loss in nats with bits beside it, and what an "epoch" is when it is not a whole pass."""
        unit = "character" if config.text.level == "char" else "token"
        capped = config.text.batches_per_epoch
        self._window.training_panel.plot.set_units(
            f"loss (nats per {unit})", f"bits per {unit}",
            f"epoch ({capped:,} batches)" if capped else "epoch (one pass over the training text)")

    def bundle_of(self, run: LanguageModelRun) -> LanguageModelBundle:
        from workbench.core.export.lm_bundle import bundle_from_lm_run

        return bundle_from_lm_run(run)

    def use_model(self, bundle: LanguageModelBundle, set_form: bool = True) -> None:
        """Show an opened or trained language model; generation then uses its weights.

        An opened model's settings fill the form; after a run the form keeps what the user chose ("auto"
        stays auto rather than turning into the value it resolved to)."""
        if set_form:
            self.set_config(bundle.config)
        self._set_plot_units(bundle.config)
        self.refresh()
        self.update_generation()

    # ----- generation -------------------------------------------------------------------------------------------
    def _generation_model(self) -> tuple[Any, Any, str]:
        """The model to generate from, its vocabulary, and words for which weights these are."""
        window, worker = self._window, self._window.worker
        if worker.is_running() and worker.best_snapshot is not None:
            model, epoch = worker.best_snapshot.latest()
            vocabulary = worker.best_snapshot.vocabulary
            if model is None:
                return None, None, "Generation starts after the first epoch, from the best weights so far."
            return model, vocabulary, f"best weights so far (epoch {epoch}), while training goes on"
        bundle = window.model
        if is_language_model(bundle):
            best = bundle.result.get("best_epoch")
            words = f"model's kept weights (epoch {best})" if best else "model's weights"
            return bundle.model, bundle.vocabulary, words
        return None, None, "Train a language model on a text, or open one (File > Open Model), to generate text."

    def update_generation(self) -> None:
        """Enable Generate when there are weights to use, and say which."""
        model, _, words = self._generation_model()
        if model is None:
            self.generation.set_can_generate(False, words)
            self.generation.set_weights_label("")
        else:
            self.generation.set_can_generate(True)
            self.generation.set_weights_label(words)

    def generate(self, settings: dict[str, Any]) -> None:
        if self.job is not None and self.job.is_running():
            return
        model, vocabulary, words = self._generation_model()
        if model is None:
            self.generation.generation_failed(words)
            return
        self._job_weights = words
        self._last_settings = dict(settings)
        self.job = GenerationJob(model, vocabulary, settings["prompt"], settings["length"], settings["temperature"],
                                 settings["top_k"], settings["seed"], self)
        self.job.text_generated.connect(self.generation.append_text)
        self.job.finished.connect(self._on_generation_finished)
        self.job.failed.connect(lambda message, _details: self.generation.generation_failed(message))
        self.generation.generation_started()
        self.job.start()

    def stop_generation(self) -> None:
        if self.job is not None:
            self.job.request_stop()

    def wait_for_generation(self) -> None:
        """Before the window closes: a generation thread must not outlive the model it reads."""
        if self.job is not None:
            self.job.request_stop()
            self.job.wait()

    def _on_generation_finished(self, info: dict[str, Any]) -> None:
        self.generation.generation_finished(status_message(info, f"the {self._job_weights}") + ".")

    def generated_text_export(self) -> str:
        """The panel's output and the sample timeline as one plain-text document."""
        from workbench.core.export.text_samples import samples_document

        output = self.generation.generated_text()
        return samples_document(
            source=Path(self.source.path).name if self.source else "",
            generated={**self._last_settings, "text": output} if output else None,
            samples=self.generation.samples(),
        )


def is_language_model(bundle: Any) -> bool:
    """True for a LanguageModelBundle (checked by shape: importing its class would load torch at start-up).

    A classifier's bundle has a vocabulary too; its class names tell it apart."""
    return bundle is not None and hasattr(bundle, "vocabulary") and not hasattr(bundle, "classes")
