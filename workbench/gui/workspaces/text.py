"""The text workspace: an opened text, its settings, training a language model, generation and the samples."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.models.summary import describe_language_model
from workbench.core.run_config import TEXT_SECTIONS, TextRunConfig
from workbench.core.text.source import TextSource
from workbench.core.text.summary import TextSummary, epoch_note, text_fit_problems
from workbench.core.training.advice import Verdict
from workbench.gui.latest_job import in_reader
from workbench.gui.panels.generation_panel import GenerationPanel
from workbench.gui.panels.inspect.contexts import TextContext
from workbench.gui.panels.model_form import TEXT_GROUPS, ModelForm
from workbench.gui.panels.runs.work import Work
from workbench.gui.panels.text_view import TextView
from workbench.gui.workspaces.base import Workspace
from workbench.gui.workspaces.text_generation import TextGeneration

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QObject

    from workbench.core.export.lm_bundle import LanguageModelBundle
    from workbench.core.project import OpenedProject, Project
    from workbench.core.text.pipeline import LanguageModelRun
    from workbench.core.text.text_callbacks import BestSnapshot
    from workbench.core.training.callbacks import Callback
    from workbench.gui.runner import JobContext
    from workbench.gui.services import Services
    from workbench.gui.training_job import ExtraCallbacks, TrainCall

SAMPLES = "samples"  # the training job's channel for the sample written after each epoch


class TextWorkspace(Workspace):
    kind = "text"
    model_label = "language model"
    model_kind = "language_model"

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(services, parent)
        self.form = ModelForm(None, TEXT_GROUPS, TEXT_SECTIONS)
        self._config = TextRunConfig()
        self.form.set_config(self._config)
        self.view = TextView()
        self.generation = GenerationPanel()
        self.left_tabs.addTab(self.form, "Model")
        for widget, title in ((self.view, "Text"), (self.training_panel, "Training"), (self.generation, "Generate")):
            self.right_tabs.addTab(widget, title)
        self.add_inspect_tab()
        self.add_experiment_tabs()
        self.source: TextSource | None = None
        self.summary: TextSummary | None = None
        self._summary_key: tuple | None = None  # the text settings the summary was counted with
        # Counting takes a second on a few megabytes: off the GUI thread, the newest settings winning.
        self._counting = self.background("counting")
        self._counting_key: tuple | None = None  # the text settings being counted (or last asked for)
        self.generator = TextGeneration(services, self.generation, self._generation_model)
        self.form.config_changed.connect(self.update_can_train)
        self.update_generation()

    # ----- the text and its settings ----------------------------------------------------------------------------
    def data_path(self) -> str:
        return self.source.path if self.source is not None else ""

    def use_source(self, source: TextSource) -> None:
        """Show a text that was read (off the GUI thread) and count its tokens with the form's settings."""
        self.source = source
        self.data_replaced()
        self._counting.forget()  # a count still running was of the last text
        self._summary_key = self._counting_key = None
        self.data_changed_for_runs()
        self.update_can_train()
        self.right_tabs.setCurrentWidget(self.view)
        self.changed.emit()

    def config(self) -> TextRunConfig:
        """The settings as the form shows them (possibly invalid: check with problems())."""
        return self.form.config(self._config)

    def project_config(self) -> TextRunConfig:
        return self.config()

    def set_config(self, config: TextRunConfig) -> None:
        self._config = config
        self.form.set_config(config)

    def work(self) -> Work | None:
        source = self.source
        return None if source is None else Work(self.model_kind, source.path, self.config(), source,
                                                {"encoding": source.encoding})

    def inspect_context(self) -> TextContext:
        return TextContext(self.model.vocabulary, self.source.text if self.source else "", self._prompt())

    def inspect_data(self) -> object:
        return self.source

    def training_inspect_context(self) -> TextContext | None:
        vocabulary = getattr(self.snapshot, "vocabulary", None)  # attached on the training thread before epoch 1
        if vocabulary is None or self.source is None:
            return None
        return TextContext(vocabulary, self.source.text, self._prompt())

    def _prompt(self) -> str:
        return self.generation.settings()["prompt"]

    def set_form_config(self, config: TextRunConfig) -> None:
        self.set_config(config)
        self.update_can_train()

    def refresh(self) -> tuple[bool, str]:
        """Check the settings against the text; show problems, the token counts and the model summary.

        Returns whether training can start and, if not, why."""
        config = self.config()
        problems = config.problems()
        text_problems = [key for key in problems if key.startswith("text.")]
        counted = self.source is not None and not text_problems and self._counted(config)
        if counted and "train.batch_size" not in problems:
            problems.update(text_fit_problems(self.summary, config.text, config.train.batch_size))
        self.form.set_problems(problems)
        if self.source is None:
            self.form.set_summary("")
            return False, "Open a text file first."
        if not counted and not text_problems:
            self.form.set_summary("")
            return False, f"Counting the tokens of {Path(self.source.path).name}..."
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

    def _counted(self, config: TextRunConfig) -> bool:
        """Whether the summary on screen was counted with these text settings; if not, count them in the
        background (once), and check the settings again when that is done."""
        key = (id(self.source), config.text.level, config.text.val_fraction, config.text.vocab_cap())
        if key == self._summary_key:
            return True
        if key != self._counting_key:
            self._counting_key = key
            path, length, settings = self.source.path, len(self.source.text), config.text
            # In the reader process, which read the text (gui/kept_data.py): counting holds the GIL for long.
            self._counting.request(f"Counting the tokens of {Path(path).name}...",
                                   lambda context: in_reader(context, "text_summary", path, length, settings),
                                   lambda summary: summary is not None and self._on_counted(key, summary))
        return False

    def _on_counted(self, key: tuple, summary: TextSummary) -> None:
        self.summary, self._summary_key = summary, key
        self.view.set_summary(summary, self.source.text)
        self.update_can_train()

    # ----- training ---------------------------------------------------------------------------------------------
    def prepare_training(self) -> tuple[TrainCall, ExtraCallbacks] | None:
        config = self.config()
        can, _ = self.refresh()
        if not can:
            return None
        from workbench.core.text.text_callbacks import SampleTimeline

        self._config = config
        self.generation.clear_samples()
        self._set_plot_units(config)
        source = self.source

        def own_callbacks(context: JobContext) -> list[Callback]:
            # The sample after each epoch travels to the window as a report of the training job.
            timeline = SampleTimeline(config.text.sample_length, lambda sample: context.send(SAMPLES, sample),
                                      seed=config.train.seed)
            return [timeline]

        def train(callbacks: list[Callback], should_stop: Any) -> LanguageModelRun:
            from workbench.core.text.pipeline import train_language_model

            return train_language_model(source, config, callbacks, should_stop)

        # The snapshot (the workspace's, first) and the sample come before the reporting callback, so the epoch
        # they belong to reaches the window after them: "generate from the best weights" already sees its weights.
        return train, own_callbacks

    def new_snapshot(self) -> BestSnapshot:
        from workbench.core.text.text_callbacks import BestSnapshot

        return BestSnapshot()

    def on_delivered(self, channel: str, items: list[Any]) -> None:
        if channel == SAMPLES:
            for sample in items:
                self.generation.add_sample(sample)
            return
        super().on_delivered(channel, items)
        self.update_generation()

    def training_finished(self, run: LanguageModelRun) -> dict[str, Any]:
        from workbench.core.export.lm_bundle import bundle_from_lm_run
        from workbench.core.text.pipeline import describe_scores

        self.set_model(bundle_from_lm_run(run), saved=False)
        self.show_model(self.model, set_form=False)
        record = run.result.to_dict()
        self._show_lm_advice(record)
        # A language model is scored against no baseline: its scores are news, in no colour of success.
        return {**record, "scores": run.scores, "verdict": Verdict(describe_scores(run.scores), "neutral")}

    def _show_lm_advice(self, result: dict[str, Any]) -> None:
        from workbench.core.training.advice import CAPACITY, advise

        self.show_advice(advise(result.get("history", []), result.get("best_epoch"), None,
                                CAPACITY["language_model"], result.get("stopped_reason")))

    def _on_training_refused(self, message: str, hint: str) -> None:
        super()._on_training_refused(message, hint)
        self.update_generation()

    def _on_training_crashed(self, message: str, details: str) -> None:
        super()._on_training_crashed(message, details)
        self.update_generation()

    def _set_plot_units(self, config: TextRunConfig) -> None:
        """Loss in nats with bits beside it, and what an "epoch" is when it is not a whole pass."""
        unit = "character" if config.text.level == "char" else "token"
        capped = config.text.batches_per_epoch
        self.training_panel.plot.set_units(
            f"loss (nats per {unit})", f"bits per {unit}",
            f"epoch ({capped:,} batches)" if capped else "epoch (one pass over the training text)")

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)

    # ----- the model --------------------------------------------------------------------------------------------
    def show_model(self, bundle: LanguageModelBundle, set_form: bool = True) -> None:
        """Show an opened or trained language model; generation then uses its weights.

        An opened model's settings fill the form; after a run the form keeps what the user chose ("auto"
        stays auto rather than turning into the value it resolved to)."""
        if set_form:
            self.set_config(bundle.config)
        self._set_plot_units(bundle.config)
        self.update_can_train()
        self.update_generation()

    def use_model(self, bundle: LanguageModelBundle, path: str, shown: Callable[[], object] | None = None) -> None:
        """Show an opened language model: its settings and training curve; Generate then uses it."""
        self.training_panel.show_model(bundle.result, Path(path).name)
        self.set_model(bundle, saved=True)
        self.show_model(bundle)
        self._show_lm_advice(bundle.result)
        self.right_tabs.setCurrentWidget(self.generation)
        if self.source is None:
            self.services.message_bar.show_info(f"Opened the language model {Path(path).name}. Generate text with "
                                                "it here, or open a text file to train further models.")
        else:
            self.services.message_bar.clear()
        if shown is not None:
            shown()

    # ----- generation -------------------------------------------------------------------------------------------
    def _generation_model(self) -> tuple[Any, Any, str]:
        """The model to generate from, its vocabulary, and words for which weights these are."""
        if self.is_training() and self.snapshot is not None:
            model, epoch = self.snapshot.latest()
            if model is None:
                return None, None, "Generation starts after the first epoch, from the best weights so far."
            return model, self.snapshot.vocabulary, f"best weights so far (epoch {epoch}), while training goes on"
        bundle = self.model
        if bundle is not None:
            best = bundle.result.get("best_epoch")
            words = f"model's kept weights (epoch {best})" if best else "model's weights"
            return bundle.model, bundle.vocabulary, words
        return None, None, "Train a language model on a text, or open one (File > Open Model), to generate text."

    def update_generation(self) -> None:
        self.generator.update()

    def close(self) -> None:
        self.generator.close()
        super().close()

    # ----- projects and exports ---------------------------------------------------------------------------------
    def project(self) -> Project:
        from workbench.core.project import Project

        source = self.source
        return Project(data_path=str(Path(source.path).resolve()) if source else None, config=self.config(),
                       view={"tab": self.right_tabs.currentIndex()}, kind="text")

    @staticmethod
    def read_project_data(opened: OpenedProject) -> TextSource | None:
        """The project's text (on a reading job's thread; may raise the core's error)."""
        from workbench.core.text.source import read_text

        path = opened.project.data_path
        return read_text(path) if path else None

    def use_project(self, opened: OpenedProject, model_name: str, data: TextSource | None) -> None:
        project, bundle = opened.project, opened.bundle
        source = data
        if source is not None:
            self.use_source(source)
        self.set_config(project.config)
        if bundle is not None:
            self.training_panel.show_model(bundle.result, model_name)
            self.set_model(bundle, saved=True)
            self.show_model(bundle)
            self._show_lm_advice(bundle.result)
        else:
            self.training_panel.reset()
            self.set_model(None, saved=True)
            self.update_generation()
        self.update_can_train()
        tab = project.view.get("tab", 0)
        self.right_tabs.setCurrentIndex(tab if isinstance(tab, int) and 0 <= tab < self.right_tabs.count() else 0)

    def export_state(self) -> dict[str, str]:
        reasons = super().export_state()
        reasons["onnx"] = "ONNX export is for forecasters and classifiers; a language model is saved as a bundle."
        reasons["predictions"] = "Predictions are for forecasters and classifiers; generate text instead."
        if self.generation.generated_text() or self.generation.samples():
            reasons.pop("text", None)
        else:
            reasons["text"] = "Generate text on the Generate tab, or train a model to collect samples."
        return reasons

    def generated_text_export(self) -> str:
        """The panel's output and the sample timeline as one plain-text document."""
        from workbench.core.export.text_samples import samples_document

        output = self.generation.generated_text()
        return samples_document(
            source=Path(self.source.path).name if self.source else "",
            generated={**self.generator.last_settings, "text": output} if output else None,
            samples=self.generation.samples(),
        )
