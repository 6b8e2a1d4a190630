"""The text workspace's Generate tab at work: text from the weights the workspace names, generated on the runner
and streamed into the panel as it comes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.gui.generation import CHUNK_INTERVAL_S, TEXT, generation_function
from workbench.gui.panels.generation_panel import GenerationPanel, status_message

if TYPE_CHECKING:
    from workbench.gui.runner import Job
    from workbench.gui.services import Services

# (model, vocabulary, which weights these are in words); with no model, the words say why there is none.
Weights = Callable[[], tuple[Any, Any, str]]


class TextGeneration:
    """Runs the panel's Generate and Stop; `update` enables Generate when `weights()` has a model to use."""

    def __init__(self, services: Services, panel: GenerationPanel, weights: Weights) -> None:
        self._services = services
        self.panel = panel
        self._weights = weights
        self.job: Job | None = None
        self._job_weights = ""
        self.last_settings: dict[str, Any] = {}  # of the generation the panel shows
        panel.generate_requested.connect(self.generate)
        panel.stop_requested.connect(self.stop)

    def update(self) -> None:
        """Enable Generate when there are weights to use, and say which."""
        model, _, words = self._weights()
        if model is None:
            self.panel.set_can_generate(False, words)
            self.panel.set_weights_label("")
        else:
            self.panel.set_can_generate(True)
            self.panel.set_weights_label(words)

    def generate(self, settings: dict[str, Any]) -> None:
        if self.job is not None and self.job.is_running():
            return
        model, vocabulary, words = self._weights()
        if model is None:
            self.panel.generation_failed(words)
            return
        self._job_weights = words
        self.last_settings = dict(settings)
        function = generation_function(model, vocabulary, settings["prompt"], settings["length"],
                                       settings["temperature"], settings["top_k"], settings["seed"])
        self.panel.generation_started()
        self.job = self._services.runner.start(
            "generation", function, batch_interval=CHUNK_INTERVAL_S, delivered=self._on_generated,
            succeeded=lambda job: self.panel.generation_finished(
                status_message(job.result, f"the {self._job_weights}") + "."),
            refused=lambda message, _hint: self.panel.generation_failed(message),
            crashed=self._on_crashed)

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def close(self) -> None:
        """Stop and wait: a generation thread must not outlive the model it reads."""
        self.stop()
        if self.job is not None:
            self.job.wait()

    def _on_generated(self, channel: str, chunks: list[str]) -> None:
        if channel == TEXT:
            self.panel.append_text("".join(chunks))

    def _on_crashed(self, message: str, details: str) -> None:
        self.panel.generation_failed(f"Generating text failed unexpectedly ({message}).")
        self._services.report_bug(f"Generating text failed unexpectedly ({message}).", details)
