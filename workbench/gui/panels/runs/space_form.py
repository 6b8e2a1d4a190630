"""The search-space form: for each setting a search may vary (core/search/space.py SEARCHABLE), whether it varies
and over what: a list of values ("lstm, gru") or a range ("16 to 128", optionally on a log scale).

The form only turns its text into values; the core checks them (parse_space), and its problems are shown under
the settings they name.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from workbench.core.errors import ConfigError
from workbench.core.search.space import SEARCHABLE, Dimension, SearchSpace, parse_space
from workbench.core.search.stages import config_class

RANGE_WORD = " to "
PROBLEM_STYLE = "color: #b3261e;"
TRUE_WORDS, FALSE_WORDS = ("true", "yes", "on"), ("false", "no", "off")


@dataclasses.dataclass
class SpaceRow:
    """The widgets of one setting."""

    key: str  # section.setting
    kind: type  # the setting's type: int, float, str or bool
    vary: QCheckBox
    values: QLineEdit
    log: QCheckBox
    problem: QLabel


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value:g}" if isinstance(value, float) else str(value)


def dimension_text(dimension: Dimension) -> str:
    """"lstm, gru, rnn" for a list; "16 to 128" for a range."""
    if dimension.values:
        return ", ".join(value_text(v) for v in dimension.values)
    low, high = dimension.kind(dimension.low), dimension.kind(dimension.high)
    return f"{value_text(low)}{RANGE_WORD}{value_text(high)}"


def parse_value(text: str, kind: type) -> Any:
    """The value `text` stands for in a setting of type `kind`; text that is not one is left as text (the core
    then says what it expected)."""
    text = text.strip()
    lowered = text.lower()
    if kind is bool:
        return True if lowered in TRUE_WORDS else False if lowered in FALSE_WORDS else text
    if kind in (int, float):
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if kind is int and number.is_integer() else number
    return text


def parse_entry(text: str, kind: type, log: bool) -> Any:
    """A list, or a range table {low, high, log}, as a search-space TOML file would hold it."""
    if kind in (int, float) and RANGE_WORD in text.lower():
        low, _, high = text.lower().partition(RANGE_WORD)
        return {"low": parse_value(low, kind), "high": parse_value(high, kind), "log": log}
    return [parse_value(part, kind) for part in text.split(",") if part.strip()]


class SpaceForm(QScrollArea):
    """A row per searchable setting of `kind` (a kind of model): a check box (vary it), its values, log scale."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.rows: dict[str, SpaceRow] = {}
        self.general_problem = QLabel()
        self.general_problem.setStyleSheet(PROBLEM_STYLE)
        self.general_problem.setWordWrap(True)
        self.general_problem.hide()
        page = QWidget()
        outer = QVBoxLayout(page)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        sections = config_class(kind).SECTIONS
        for number, key in enumerate(SEARCHABLE[kind]):
            section, _, name = key.partition(".")
            field = {f.name: f for f in dataclasses.fields(sections[section])}[name]
            row = self._row(key, field)
            grid.addWidget(row.vary, 2 * number, 0)
            grid.addWidget(row.values, 2 * number, 1)
            grid.addWidget(row.log, 2 * number, 2)
            grid.addWidget(row.problem, 2 * number + 1, 1, 1, 2)
            self.rows[key] = row
        outer.addWidget(self.general_problem)
        outer.addLayout(grid)
        outer.addStretch(1)
        self.setWidget(page)
        self.setWidgetResizable(True)

    def _row(self, key: str, field: dataclasses.Field) -> SpaceRow:
        meta = field.metadata
        kind = meta["kind"]
        vary = QCheckBox(f"{meta['label']} ({key.partition('.')[0]})")
        vary.setToolTip(f"{key}: {meta['help']}")
        values = QLineEdit()
        choices = meta.get("choices")
        numeric = kind in (int, float) and not choices
        values.setPlaceholderText("values: a, b, c" + (f"  or a range: low{RANGE_WORD}high" if numeric else ""))
        values.setToolTip("The values to try, separated by commas"
                          + (f"; or a range such as 16{RANGE_WORD}128." if numeric else
                             f"; one of {', '.join(choices)}." if choices else "."))
        log = QCheckBox("log")
        log.setToolTip("Sample the range evenly on a log scale (learning rates, sizes).")
        log.setEnabled(numeric)
        problem = QLabel()
        problem.setStyleSheet(PROBLEM_STYLE)
        problem.setWordWrap(True)
        problem.hide()
        values.textEdited.connect(lambda _text, box=vary: box.setChecked(True))
        return SpaceRow(key, kind, vary, values, log, problem)

    def set_space(self, space: SearchSpace, config: Any = None) -> None:
        """Check and fill the rows `space` varies; the others show the setting's value in `config`, unchecked."""
        varied = {d.key: d for d in space.dimensions}
        settings = config.to_dict() if config is not None else {}
        for key, row in self.rows.items():
            dimension = varied.get(key)
            row.vary.setChecked(dimension is not None)
            if dimension is not None:
                row.values.setText(dimension_text(dimension))
                row.log.setChecked(dimension.log)
            else:
                section, _, name = key.partition(".")
                value = settings.get(section, {}).get(name)
                row.values.setText("" if value is None else value_text(value))
                row.log.setChecked(False)
        self.show_problems({})

    def mapping(self) -> dict[str, dict[str, Any]]:
        """The checked rows as a search-space mapping: {section: {setting: list or range}}."""
        mapping: dict[str, dict[str, Any]] = {}
        for key, row in self.rows.items():
            if row.vary.isChecked():
                section, _, name = key.partition(".")
                mapping.setdefault(section, {})[name] = parse_entry(row.values.text(), row.kind, row.log.isChecked())
        return mapping

    def space(self) -> SearchSpace | None:
        """The space the form describes, checked by the core; None (and the problems shown) when it is not valid."""
        try:
            space = parse_space(self.mapping(), self.kind)
        except ConfigError as error:
            self.show_problems(error.problems)
            return None
        self.show_problems({})
        return space

    def show_problems(self, problems: dict[str, str]) -> None:
        for key, row in self.rows.items():
            row.problem.setText(problems.get(key, ""))
            row.problem.setVisible(key in problems)
        general = [text for key, text in problems.items() if key not in self.rows]
        self.general_problem.setText(" ".join(general))
        self.general_problem.setVisible(bool(general))

    def set_read_only(self, read_only: bool) -> None:
        self.widget().setEnabled(not read_only)
