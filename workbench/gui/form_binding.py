"""Form editors built from the core's setting metadata: one widget per dataclass field, checked by the core."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.core.fields import coerce, field_problem

PROBLEM_COLOR = "#c62828"
# Only the frame changes colour; padding is kept so the text does not jump when a problem appears.
_PROBLEM_STYLE = {
    QLineEdit: f"QLineEdit {{ border: 1px solid {PROBLEM_COLOR}; border-radius: 3px; padding: 2px 3px; }}",
    QComboBox: f"QComboBox {{ border: 1px solid {PROBLEM_COLOR}; border-radius: 3px; padding: 2px 6px; }}",
}


def _format(value: Any) -> str:
    """Text for a line edit: empty for None, shortest round-trip text for floats, raw text for invalid input."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class FieldEditor(QWidget):
    """One setting: its editor (combo box, check box or line edit) with a problem message underneath."""

    changed = Signal()

    def __init__(self, f: dataclasses.Field, choice_text: Mapping[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = f
        meta = f.metadata
        self.label_text = meta["label"]
        self._setting = False  # True while set_value runs, so programmatic changes do not count as edits
        self._problem: str | None = None
        if meta.get("choices"):
            self.editor: QWidget = QComboBox()
            for choice in meta["choices"]:
                self.editor.addItem((choice_text or {}).get(choice, choice), choice)
            self.editor.currentIndexChanged.connect(self._on_edited)
        elif meta["kind"] is bool:
            # The check box carries its own label, so its form row has none.
            self.editor = QCheckBox(self.label_text)
            self.label_text = ""
            self.editor.toggled.connect(self._on_edited)
        else:
            self.editor = QLineEdit()
            self.editor.setPlaceholderText("auto" if meta.get("optional") else "")
            self.editor.textChanged.connect(self._on_edited)
        self.editor.setToolTip(meta["help"])
        self.editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._message = QLabel()
        self._message.setWordWrap(True)
        self._message.setStyleSheet(f"color: {PROBLEM_COLOR}; font-size: 90%;")
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.editor)
        layout.addWidget(self._message)
        self.set_value(f.default if f.default is not dataclasses.MISSING else f.default_factory())

    @property
    def name(self) -> str:
        return self.field.name

    def value(self) -> Any:
        """The current value as the core reads it; text that does not parse comes back as the raw text."""
        if isinstance(self.editor, QComboBox):
            return self.editor.currentData()
        if isinstance(self.editor, QCheckBox):
            return self.editor.isChecked()
        return coerce(self.field, self.editor.text())

    def set_value(self, value: Any) -> None:
        """Show `value` without emitting `changed`; a choice the editor lacks leaves the combo box empty."""
        self._setting = True
        try:
            if isinstance(self.editor, QComboBox):
                self.editor.setCurrentIndex(self.editor.findData(value))
            elif isinstance(self.editor, QCheckBox):
                self.editor.setChecked(bool(value))
            else:
                self.editor.setText(_format(value))
        finally:
            self._setting = False
        self.set_problem(self.own_problem())

    def own_problem(self) -> str | None:
        """What the core says about this value on its own (cross-field checks come from outside)."""
        return field_problem(self.field, self.value())

    def set_problem(self, text: str | None) -> None:
        """Show `text` under the editor with a red frame, or clear both with None."""
        if text == self._problem:
            return
        self._problem = text
        self._message.setText(text or "")
        self._message.setVisible(bool(text))
        style = next((s for cls, s in _PROBLEM_STYLE.items() if isinstance(self.editor, cls)), "")
        self.editor.setStyleSheet(style if text else "")

    def problem(self) -> str | None:
        return self._problem

    def set_read_only(self, read_only: bool) -> None:
        self.editor.setEnabled(not read_only)

    def _on_edited(self, *_: Any) -> None:
        if self._setting:
            return
        self.set_problem(self.own_problem())
        self.changed.emit()


class SectionForm(QWidget):
    """The editors of one config section (`data`, `model` or `train`), laid out as label/editor rows."""

    changed = Signal()

    def __init__(
        self,
        cls: type,
        section: str,
        names: Iterable[str] | None = None,
        *,
        include_lists: bool = False,
        choice_text: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.cls = cls
        self.section = section
        by_name = {f.name: f for f in dataclasses.fields(cls)}
        wanted = list(names) if names is not None else list(by_name)
        self._editors: dict[str, FieldEditor] = {}
        self._labels: list[QLabel] = []
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for name in wanted:
            f = by_name[name]
            if f.metadata["kind"] is list and not include_lists:
                continue
            editor = FieldEditor(f, choice_text)
            editor.changed.connect(self.changed)
            self._editors[name] = editor
            label = QLabel(editor.label_text)
            label.setToolTip(f.metadata["help"])
            label.setBuddy(editor.editor)
            # As tall as the editor and top-aligned: the label stays beside the editor, not the message below.
            label.setFixedHeight(editor.editor.sizeHint().height())
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self._labels.append(label)
            layout.addRow(label, editor)

    def editor(self, name: str) -> FieldEditor:
        return self._editors[name]

    def keys(self) -> list[str]:
        """The dotted keys (`section.field`) this form shows."""
        return [f"{self.section}.{name}" for name in self._editors]

    def label_width(self) -> int:
        return max((label.sizeHint().width() for label in self._labels), default=0)

    def set_label_width(self, width: int) -> None:
        """Give every label this width, so the editors of several forms stacked together line up."""
        for label in self._labels:
            label.setMinimumWidth(width)

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self._editors.items()}

    def set_values(self, obj: Any) -> None:
        """Show the fields of config dataclass `obj`."""
        for name, editor in self._editors.items():
            editor.set_value(getattr(obj, name))

    def set_problems(self, problems: Mapping[str, str]) -> None:
        """Show problems keyed `section.field`; an editor not named keeps showing its own field problem."""
        for name, editor in self._editors.items():
            editor.set_problem(problems.get(f"{self.section}.{name}") or editor.own_problem())

    def set_read_only(self, read_only: bool) -> None:
        for editor in self._editors.values():
            editor.set_read_only(read_only)
