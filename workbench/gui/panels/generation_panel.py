"""The generation panel: sampling settings, Generate/Stop, the streamed text and the samples taken during training."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.panels.sample_timeline import SampleTimeline, show_prompt_and_text, text_formats

PROBLEM_COLOR = "#c62828"
_STATUS_COLORS = {"info": "#555555", "done": "#333333", "failed": PROBLEM_COLOR}
# torch seeds its generators with a 64-bit integer; staying below 2**63 keeps every platform happy.
MAX_SEED = 2**63 - 1
SEED_PROBLEM = "Use a whole number, or leave it empty"
GENERATE_TIP = "Continue the prompt with the model (Ctrl+Enter in the prompt box)."
TEMPERATURE_TIP = ("How adventurous the sampling is. 0 always picks the likeliest token; 1 follows the model's "
                   "own probabilities; higher values give wilder text.")
TOP_K_TIP = "Sample only among the k likeliest tokens; off uses the whole vocabulary."
SEED_TIP = "The same seed, prompt and settings give the same text again. Empty: a new random text each time."


def parse_seed(text: str) -> tuple[int | None, str]:
    """(seed, problem): (None, "") for empty text, a problem in words for text that is not a usable seed."""
    text = text.strip()
    if not text:
        return None, ""
    try:
        value = int(text)
    except ValueError:
        return None, SEED_PROBLEM
    if not 0 <= value <= MAX_SEED:
        return None, f"Use 0 to {MAX_SEED:,}"
    return value, ""


def status_message(result: dict[str, Any], source: str = "") -> str:
    """A status line for a GenerationJob's `finished` dict, e.g. "412 characters in 0.31 s (1,330 chars/s)"."""
    chars = result["characters"]
    text = (f"{chars:,} character{'s' if chars != 1 else ''} in {result['seconds']:.2f} s "
            f"({result['chars_per_s']:,.0f} chars/s)")
    if source:
        text += f" from {source}"
    return f"Stopped after {text}" if result.get("reason") == "stopped" else text


def _spin_box(low: int, high: int, value: int, tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setGroupSeparatorShown(True)
    box.setToolTip(tip)
    return box


class GenerationPanel(QWidget):
    """Asks for text from the current model and shows it as it streams in; the main window runs the job."""

    generate_requested = Signal(object)  # dict: prompt, length, temperature, top_k (None = off), seed (None = random)
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = "idle"  # idle, running or stopping
        self._can, self._reason = True, ""
        self._generated: list[str] = []
        self._prompt_format, self._text_format = text_formats()
        self._build()
        self._update_button()

    # ---- public

    def settings(self) -> dict[str, Any]:
        """What Generate would ask for now (seed None when empty or not a usable number)."""
        top_k = self.top_k.value()
        return {"prompt": self.prompt.toPlainText(), "length": self.length.value(),
                "temperature": self.temperature.value(), "top_k": top_k or None,
                "seed": parse_seed(self.seed.text())[0]}

    def set_can_generate(self, can: bool, reason: str = "") -> None:
        """Allow or block Generate; `reason` says why in the tooltip and the status line."""
        was_showing = not self._can and self.status.text() == self._reason
        self._can, self._reason = can, reason
        self._update_button()
        if self._state == "idle" and (not can or was_showing):
            self._set_status("" if can else reason, "info")

    def set_weights_label(self, text: str) -> None:
        """Which weights Generate uses, e.g. "best weights so far (epoch 3)"."""
        self.weights_label.setText(f"Uses the {text}." if text else "")

    def generation_started(self) -> None:
        """A generation began: show the prompt and turn Generate into Stop."""
        self._state = "running"
        self._generated = []
        show_prompt_and_text(self.output, self.prompt.toPlainText(), "")
        self._update_button()
        self._set_status("Generating\u2026", "info")

    def append_text(self, chunk: str) -> None:
        """Add streamed text at the end, following it only while the view is scrolled to the bottom."""
        self._generated.append(chunk)
        bar = self.output.verticalScrollBar()
        at_end = bar.value() >= bar.maximum()
        # An insert at the end lays out only the last block, unlike setPlainText, which redoes the document.
        cursor = QTextCursor(self.output.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(chunk, self._text_format)
        if at_end:
            bar.setValue(bar.maximum())

    def generation_finished(self, message: str) -> None:
        self._state = "idle"
        self._update_button()
        self._set_status(message, "done")

    def generation_failed(self, message: str) -> None:
        self._state = "idle"
        self._update_button()
        self._set_status(f"Generation failed: {message}", "failed")

    def add_sample(self, sample: dict[str, Any]) -> None:
        """A sample from training: epoch, val_loss (nats), bits (per character, or None), text, prompt."""
        self.timeline.add_sample(sample)

    def clear_samples(self) -> None:
        self.timeline.clear()

    def samples(self) -> list[dict[str, Any]]:
        return self.timeline.samples()

    def generated_text(self) -> str:
        """The text of the last generation, without its prompt."""
        return "".join(self._generated)

    def is_generating(self) -> bool:
        return self._state != "idle"

    def status_text(self) -> str:
        return self.status.text()

    def seed_problem(self) -> str:
        """The message beside the seed box; empty when the seed is usable."""
        return "" if self.seed_message.isHidden() else self.seed_message.text()

    # ---- layout

    def _build(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Prompt"))
        column.addWidget(self._build_prompt())
        column.addLayout(self._build_controls())
        column.addLayout(self._build_button_row())
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setPlaceholderText("Generated text appears here.")
        column.addWidget(self.output, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.status)
        self.timeline = SampleTimeline()
        box = QGroupBox("Samples by epoch")
        QVBoxLayout(box).addWidget(self.timeline)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])
        splitter.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(splitter)

    def _build_prompt(self) -> QPlainTextEdit:
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText("Text for the model to continue (empty: it starts on its own)")
        self.prompt.setTabChangesFocus(True)
        self.prompt.setFixedHeight(3 * self.prompt.fontMetrics().lineSpacing() + 12)
        QShortcut(QKeySequence("Ctrl+Return"), self.prompt, self._on_generate_shortcut,
                  context=Qt.ShortcutContext.WidgetShortcut)
        return self.prompt

    def _build_controls(self) -> QGridLayout:
        self.length = _spin_box(1, 100000, 500, "How many tokens (characters or words) to write after the prompt.")
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 5.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(0.8)
        self.temperature.setToolTip(TEMPERATURE_TIP)
        self.top_k = _spin_box(0, 100000, 0, TOP_K_TIP)
        self.top_k.setSpecialValueText("off")
        self.seed = QLineEdit()
        self.seed.setPlaceholderText("random")
        self.seed.setToolTip(SEED_TIP)
        self.seed.setFixedWidth(self.seed.fontMetrics().horizontalAdvance("0" * 8) + 12)
        self.seed.textChanged.connect(self._on_seed_changed)
        self.seed_message = QLabel()
        self.seed_message.setStyleSheet(f"color: {PROBLEM_COLOR};")
        self.seed_message.setWordWrap(True)
        self.seed_message.hide()
        # Two rows of two: side by side they made the panel (and so the whole tab widget) 800 px wide at least.
        controls = QGridLayout()
        controls.setHorizontalSpacing(8)
        pairs = (("Tokens", self.length), ("Temperature", self.temperature), ("Top-k", self.top_k),
                 ("Seed", self.seed))
        for index, (text, editor) in enumerate(pairs):
            label = QLabel(text)
            label.setBuddy(editor)
            label.setToolTip(editor.toolTip())
            row, column = divmod(index, 2)
            controls.addWidget(label, row, 2 * column)
            controls.addWidget(editor, row, 2 * column + 1)
        controls.addWidget(self.seed_message, 2, 0, 1, 4)
        controls.setColumnStretch(4, 1)
        return controls

    def _build_button_row(self) -> QHBoxLayout:
        self.button = QPushButton("Generate")
        self.button.setMinimumWidth(110)
        self.button.clicked.connect(self._on_button_clicked)
        self.weights_label = QLabel()
        self.weights_label.setStyleSheet("color: #555555;")
        self.weights_label.setWordWrap(True)  # long while training ("best weights so far ..."): wrap, never widen
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addWidget(self.weights_label, 1)
        return row

    # ---- slots

    def _on_button_clicked(self) -> None:
        if self._state == "idle":
            self.generate_requested.emit(self.settings())
        elif self._state == "running":
            # Turn the button at once; the job ends after its current token.
            self._state = "stopping"
            self._update_button()
            self.stop_requested.emit()

    def _on_generate_shortcut(self) -> None:
        if self._state == "idle" and self.button.isEnabled():
            self._on_button_clicked()

    def _on_seed_changed(self, text: str) -> None:
        problem = parse_seed(text)[1]
        self.seed_message.setText(problem)
        self.seed_message.setVisible(bool(problem))
        self.seed.setStyleSheet(f"QLineEdit {{ border: 1px solid {PROBLEM_COLOR}; border-radius: 3px; "
                                "padding: 2px 3px; }" if problem else "")
        self._update_button()

    def _update_button(self) -> None:
        if self._state == "running":
            self.button.setText("Stop")
            self.button.setEnabled(True)
            self.button.setToolTip("Stop after the current token and keep the text so far.")
        elif self._state == "stopping":
            self.button.setText("Stopping...")
            self.button.setEnabled(False)
            self.button.setToolTip("Finishing the current token.")
        else:
            seed_ok = not parse_seed(self.seed.text())[1]
            self.button.setText("Generate")
            self.button.setEnabled(self._can and seed_ok)
            if not self._can:
                self.button.setToolTip(self._reason or "Generating is not possible now.")
            else:
                self.button.setToolTip(GENERATE_TIP if seed_ok else "Fix the seed first.")

    def _set_status(self, text: str, kind: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {_STATUS_COLORS.get(kind, '#333333')};")
