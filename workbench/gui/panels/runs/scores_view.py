"""A scores table (core/search/race.py ScoreTable) in a QTableWidget: a row per run, then per baseline, a column
per score, the best marked."""

from __future__ import annotations

import math

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from workbench.core.search.race import ScoreTable
from workbench.gui.panels.metrics_view import BEST_MARK, format_metric, mark_best, read_only_table

BASELINE_BRUSH = QBrush(QColor("#f3f3f3"))


def scores_table() -> QTableWidget:
    table = read_only_table(0, [])
    table.setToolTip(f"Each run's scores beside the baselines' on the same part of the data; the best in each "
                     f"column is marked{BEST_MARK} (ties within half a percent included).")
    return table


def scores_caption(scores: ScoreTable) -> str:
    """What the table scored, for its title: "Scores on the test part, beside the baselines"."""
    beside = ", beside the baselines" if scores.baselines else ""
    return f"Scores on the {scores.part} part{beside} (the best in each column marked{BEST_MARK})"


def fill_scores(table: QTableWidget, scores: ScoreTable) -> None:
    """Show `scores` with a row per run and per baseline (runs first) and a column per score, so many runs still
    fit the width; each column's best cells are marked by metrics_view.mark_best, as on the Metrics tab."""
    table.clear()
    table.setRowCount(len(scores.columns))
    table.setColumnCount(len(scores.rows))
    table.setHorizontalHeaderLabels(scores.rows)
    table.setVerticalHeaderLabels(scores.columns)
    first_baseline = len(scores.columns) - scores.baselines
    for score, values in enumerate(scores.values):
        for row, value in enumerate(values):
            item = QTableWidgetItem(format_metric(value) if math.isfinite(value) else "-")
            if row >= first_baseline:
                item.setBackground(BASELINE_BRUSH)
                item.setToolTip("A baseline: what a model must beat to be worth using.")
            if row in scores.best[score]:
                mark_best(item)
            table.setItem(row, score, item)
