"""Several runs side by side: their loss curves overlaid, only the settings that differ, and their scores beside
the baselines with the best marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.runs.records import RunRecord
from workbench.core.runs.table import differing_settings
from workbench.core.search.race import score_table
from workbench.gui.panels.metrics_view import note_label, read_only_table
from workbench.gui.panels.runs.curves_plot import EPOCH, WALL_TIME, CurvesPlot
from workbench.gui.panels.runs.rows import KIND_LABELS
from workbench.gui.panels.runs.scores_view import fill_scores, scores_caption, scores_table

NOTHING_SELECTED = "Select runs in the table to compare them (Ctrl- or Shift-click to select several)."
NO_RUNS = ("No runs here yet. Every model trained in this window or with `workbench train`, every cell of a race "
           "and every trial of a search is recorded, and listed here.")
MAX_COMPARED = 12  # more curves than this cannot be told apart


class CompareView(QStackedWidget):
    """A hint until `set_runs` gets runs (with their history), then the curves, the settings and the scores."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = QLabel(NOTHING_SELECTED)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666666;")
        self.addWidget(self.hint)
        self.records: list[RunRecord] = []
        self.plot = CurvesPlot()
        self.scale = QComboBox()
        self.scale.addItem("by epoch", EPOCH)
        self.scale.addItem("by wall time", WALL_TIME)
        self.scale.setToolTip("Lay the curves out by epoch, or by the seconds each run had trained.")
        self.training = QCheckBox("training loss too")
        self.training.setChecked(True)
        self.training.setToolTip("Also draw each run's training loss (dashed).")
        self.heading = QLabel()
        self.settings_table = read_only_table(0, [])
        self.settings_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.settings_table.setToolTip("Only the settings whose values are not the same in every selected run.")
        self.settings_note = note_label()
        self.scores = scores_table()
        self.scores_note = note_label()
        self._build()
        self.scale.currentIndexChanged.connect(lambda: self.plot.set_scale(self.scale.currentData()))
        self.training.toggled.connect(self.plot.set_show_training)

    def _build(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(self.heading, 1)
        controls.addWidget(QLabel("Curves"))
        controls.addWidget(self.scale)
        controls.addWidget(self.training)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(controls)
        left_layout.addWidget(self.plot, 1)
        settings_box = QGroupBox("Settings that differ")
        settings_layout = QVBoxLayout(settings_box)
        settings_layout.addWidget(self.settings_note)
        settings_layout.addWidget(self.settings_table)
        scores_box = self.scores_box = QGroupBox("Scores beside the baselines")
        scores_layout = QVBoxLayout(scores_box)
        scores_layout.addWidget(self.scores)
        scores_layout.addWidget(self.scores_note)
        right = QWidget()
        # Side by side: the settings that differ are a few short rows, so stacked they would take the scores'
        # height and leave the curves a strip.
        right_layout = QHBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(settings_box, 2)
        right_layout.addWidget(scores_box, 3)
        page = QSplitter(Qt.Orientation.Vertical)  # stacked: side by side would not fit beside the forms
        page.addWidget(left)
        page.addWidget(right)
        page.setStretchFactor(0, 3)
        page.setStretchFactor(1, 2)
        page.setSizes([3000, 2000])  # in proportion: the tables need room for a column per run
        self.addWidget(page)

    def set_hint(self, text: str) -> None:
        """What the page says while no run is compared."""
        self.hint.setText(text)

    def set_runs(self, records: Sequence[RunRecord], selected: int | None = None) -> None:
        """Compare `records` (fetched with their history); `selected`: how many the user selected, when more."""
        self.records = list(records)
        if not self.records:
            self.setCurrentIndex(0)
            return
        count = len(self.records)
        more = f" (the first {count} of {selected} selected)" if selected and selected > count else ""
        self.heading.setText(f"{count} run{'s' if count > 1 else ''}{more}")
        self.plot.set_runs(self.records)
        self._fill_settings()
        self._fill_scores()
        self.setCurrentIndex(1)

    def differing(self) -> dict[str, list[Any]]:
        """What the settings table shows: {setting: [value per run]}."""
        return differing_settings(self.records) if len(self.records) > 1 else {}

    def _fill_settings(self) -> None:
        table = self.settings_table
        table.clear()
        differ = self.differing()
        table.setRowCount(len(differ))
        table.setColumnCount(len(self.records))
        table.setHorizontalHeaderLabels([f"#{r.id}" for r in self.records])
        table.setVerticalHeaderLabels(list(differ))
        for row, values in enumerate(differ.values()):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem("" if value is None else str(value)))
        if len(self.records) < 2:
            self.settings_note.setText("Select two or more runs to see the settings that differ.")
        elif not differ:
            self.settings_note.setText("These runs have the same settings (the seed included).")
        else:
            self.settings_note.setText("")
        self.settings_note.setVisible(bool(self.settings_note.text()))

    def _fill_scores(self) -> None:
        kind = self.records[0].kind
        same = [r for r in self.records if r.kind == kind]
        scores = score_table(kind, [(f"#{r.id}", r.metrics) for r in same])
        fill_scores(self.scores, scores)
        self.scores_box.setTitle(scores_caption(scores))
        notes = [scores.note] if scores.note else []
        if len(same) < len(self.records):
            notes.append(f"Scores are compared within one kind of model: shown are the "
                         f"{KIND_LABELS.get(kind, kind)} runs.")
        if not any(r.metrics.get(scores.part) for r in same):
            notes.append("None of these runs was scored (stopped, failed, or a search trial other than the best).")
        self.scores_note.setText(" ".join(notes))
        self.scores_note.setVisible(bool(notes))
