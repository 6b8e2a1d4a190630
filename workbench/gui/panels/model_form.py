"""The model form: window, network and training settings, bound to the core's RunConfig sections."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from workbench.core.run_config import CLASSIFY_SECTIONS, SECTIONS, TEXT_SECTIONS, SectionedConfig
from workbench.gui.form_binding import PROBLEM_COLOR, SectionForm

# (group title, section, fields): the data panel owns the other data fields (target, time, inputs, missing).
GROUPS = (
    ("Windows", "data", ("lookback", "horizon", "transform", "val_fraction", "test_fraction")),
    ("Network", "model", ("cell", "layers", "hidden", "dropout", "bidirectional")),
    ("Training", "train", ("epochs", "batch_size", "lr", "optimizer", "weight_decay", "patience",
                           "reduce_lr_patience", "grad_clip", "seed", "threads", "device")),
)
# A language model has no bidirectional choice: it would see the very tokens it is asked to predict.
TEXT_GROUPS = (
    ("Text", "text", ("level", "seq_len", "val_fraction", "max_vocab", "embedding", "batches_per_epoch",
                      "sample_length")),
    ("Network", "model", ("cell", "layers", "hidden", "dropout")),
    GROUPS[2],
)
# The data panel of a labelled table picks the text and label columns; the rest of the section is here.
CLASSIFY_GROUPS = (
    ("Texts", "classify", ("level", "lowercase", "max_len", "truncate", "max_vocab", "min_count", "embedding",
                           "pooling", "dropout", "class_weights", "val_fraction", "test_fraction")),
    ("Network", "model", ("cell", "layers", "hidden", "dropout", "bidirectional")),
    GROUPS[2],
)
_ALL_SECTIONS = {**SECTIONS, **TEXT_SECTIONS, **CLASSIFY_SECTIONS}
CHOICE_TEXT = {"char": "Characters", "word": "Words", "head": "Head (the start)", "tail": "Tail (the end)",
               "max": "Max", "mean": "Mean", "last": "Last state",
               "lstm": "LSTM", "gru": "GRU", "rnn": "RNN (plain)", "adam": "Adam", "adamw": "AdamW",
               "cpu": "CPU", "cuda": "CUDA (GPU)"}
DEBOUNCE_MS = 100


def field_label(key: str) -> str:
    """The form label of a dotted key such as `data.target` ("Target column"), or the key itself."""
    section, _, name = key.partition(".")
    cls = _ALL_SECTIONS.get(section)
    labels = {f.name: f.metadata.get("label", f.name) for f in dataclasses.fields(cls)} if cls else {}
    return labels.get(name, key)


class ModelForm(QWidget):
    """Edits the model-related part of a RunConfig (or, with TEXT_GROUPS, a TextRunConfig); fields it does
    not show (the data panel's) pass through unchanged."""

    config_changed = Signal()  # the user edited a field (debounced); read it back with config(base)

    def __init__(self, parent: QWidget | None = None, groups: tuple = GROUPS,
                 sections: Mapping[str, type] = SECTIONS) -> None:
        super().__init__(parent)
        self._forms: dict[str, SectionForm] = {}
        self._groups: list[QGroupBox] = []
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(6, 6, 6, 6)
        column.setSpacing(10)
        for title, section, names in groups:
            form = SectionForm(sections[section], section, names, choice_text=CHOICE_TEXT)
            form.changed.connect(self._on_form_changed)
            self._forms[section] = form
            group = QGroupBox(title)
            inner = QVBoxLayout(group)
            inner.setContentsMargins(8, 6, 8, 8)
            inner.addWidget(form)
            column.addWidget(group)
            self._groups.append(group)
        column.addStretch(1)
        width = max(form.label_width() for form in self._forms.values())
        for form in self._forms.values():
            form.set_label_width(width)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self._message = QLabel()
        self._message.setWordWrap(True)
        self._message.setStyleSheet(f"color: {PROBLEM_COLOR};")
        self._message.hide()
        self._summary = QLabel()
        self._summary.setWordWrap(True)
        self._summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._summary.setToolTip("The network these settings build, and how many weights it has to learn.")
        self._summary.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(scroll, 1)
        for label in (self._message, self._summary):
            label.setContentsMargins(8, 0, 8, 4)
            layout.addWidget(label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.config_changed)

    def form(self, section: str) -> SectionForm:
        """The SectionForm of a section such as `model` (tests and the main window reach editors through it)."""
        return self._forms[section]

    def config(self, base: SectionedConfig) -> SectionedConfig:
        """`base` with this form's fields applied; text that does not parse stays raw so problems() names it."""
        config = copy.deepcopy(base)
        for section, form in self._forms.items():
            # dataclasses.replace runs no checks, so it cannot raise on invalid values.
            setattr(config, section, dataclasses.replace(getattr(config, section), **form.values()))
        return config

    def set_config(self, config: SectionedConfig) -> None:
        for section, form in self._forms.items():
            form.set_values(getattr(config, section))

    def set_problems(self, problems: Mapping[str, str]) -> None:
        """Show each problem beside its field; those for fields shown elsewhere go to the message line."""
        shown: set[str] = set()
        for form in self._forms.values():
            form.set_problems(problems)
            shown.update(form.keys())
        rest = [f"{field_label(key)}: {text}" for key, text in problems.items() if key not in shown]
        self._message.setText("\n".join(rest))
        self._message.setVisible(bool(rest))

    def message(self) -> str:
        """The general message line (problems of fields not in this form), empty when hidden."""
        return self._message.text() if self._message.isVisibleTo(self) else ""

    def summary_text(self) -> str:
        return self._summary.text()

    def set_summary(self, text: str) -> None:
        """One line about the network, e.g. describe(...) from the core; empty hides it."""
        self._summary.setText(text)
        self._summary.setVisible(bool(text))

    def set_read_only(self, read_only: bool) -> None:
        """Lock the editors while a run trains on these settings."""
        for form in self._forms.values():
            form.set_read_only(read_only)

    def _on_form_changed(self) -> None:
        self._debounce.start()
