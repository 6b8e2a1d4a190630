"""The classifier's scores beside the baselines' (majority class, bag of words): overall, then class by class."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QStackedWidget, QTableWidgetItem, QVBoxLayout, QWidget

from workbench.core.training.advice import TONES, Verdict
from workbench.gui.panels.forecast_view import placeholder
from workbench.gui.panels.metrics_view import BEST_BRUSH, BEST_MARK, marked_best, read_only_table
from workbench.gui.panels.verdict_label import VerdictLabel

NO_REPORT_TEXT = "Train a classifier to compare it with the baselines here."
OVERALL_ROWS = (("accuracy", "Accuracy", "Share of test texts classified right."),
                ("macro_f1", "Macro-F1", "The mean of the per-class F1 scores: every class counts the same, "
                                         "however many texts it has."))
CLASS_ROWS = (("precision", "precision", "Of the texts predicted {name}, the share that are {name}."),
              ("recall", "recall", "Of the texts that are {name}, the share predicted {name}."),
              ("f1", "F1", "The harmonic mean of precision and recall for {name}."))
MODEL_COLUMN = "model"
# A one-class system's per-class cells: shown, but greyed and never compared.
ONE_CLASS_BRUSH = QBrush(QColor("#9e9e9e"))


def format_score(value: float) -> str:
    return "-" if not math.isfinite(value) else f"{value:.3f}"


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def best_column(values: list[float], columns: list[str]) -> int | None:
    """Index of the best (highest) score as shown; NaN never wins and a tie goes to the model, else to the first."""
    shown = [round(v, 3) if math.isfinite(v) else None for v in values]
    finite = [v for v in shown if v is not None]
    if not finite:
        return None
    top = max(finite)
    winners = [i for i, v in enumerate(shown) if v == top]
    for index in winners:
        if columns[index] == MODEL_COLUMN:
            return index
    return winners[0]


class ClassifyMetricsView(QStackedWidget):
    """A placeholder until `set_metrics`, then the verdict and one table: a column per system, higher is better."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addWidget(placeholder(NO_REPORT_TEXT))
        self.verdict = VerdictLabel()
        self.table = read_only_table(0, [])
        self.table.setToolTip(f"Higher is better in every row; the best in each row is marked{BEST_MARK}.")
        self.support = QLabel()
        self.support.setWordWrap(True)
        self.support.setStyleSheet("color: #555555;")
        self.footnote = QLabel()
        self.footnote.setWordWrap(True)
        self.footnote.setStyleSheet("color: #555555;")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table)
        layout.addWidget(self.support)
        layout.addWidget(self.footnote)
        layout.addStretch(1)
        self.addWidget(page)

    def set_metrics(self, report: dict[str, Any]) -> None:
        """Show a report (core/classify/report.py `metrics_report`): {"columns", "overall": {metric: [per column]},
        "per_class": {class: {metric: [...], "support": n}}, "verdict": str, "verdict_tone": str, "one_class":
        {column: the one class it predicts}, "one_class_note": str}."""
        columns = list(report.get("columns", []))
        one_class = dict(report.get("one_class") or {})
        rows = self._rows(report, len(columns))
        self.table.clear()
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels([name[:1].upper() + name[1:] for name in columns])
        bold = QFont()
        bold.setBold(True)
        for r, (label, tip, values, per_class) in enumerate(rows):
            header = QTableWidgetItem(label)
            header.setToolTip(tip)
            self.table.setVerticalHeaderItem(r, header)
            # Per class, a system that answers one class for every text is not compared: its scores come from
            # construction (recall 1 for its class), not from reading the texts.
            skipped = {c for c, name in enumerate(columns) if per_class and name in one_class}
            compared = [math.nan if c in skipped else v for c, v in enumerate(values)]
            best = best_column(compared, columns)
            for c, value in enumerate(values):
                item = QTableWidgetItem(format_score(value))
                if c in skipped:
                    item.setForeground(ONE_CLASS_BRUSH)
                    item.setToolTip(f"The {columns[c]} answers '{one_class[columns[c]]}' for every text, so this "
                                    "score comes from that, not from reading the texts: it is not compared.")
                if c == best:
                    item.setText(item.text() + BEST_MARK)
                    item.setFont(bold)
                    item.setBackground(BEST_BRUSH)
                    item.setToolTip("Best (highest) in this row")
                self.table.setItem(r, c, item)
        # No current cell: Qt would otherwise frame the first one as if the user had picked it.
        self.table.setCurrentItem(None)
        tone = report.get("verdict_tone")
        self.verdict.set_verdict(Verdict(str(report.get("verdict", "")), tone if tone in TONES else "neutral"))
        note = str(report.get("one_class_note", ""))
        self.footnote.setText(note)
        self.footnote.setVisible(bool(note))
        supports = [f"{name} {_number(scores.get('support')):,.0f}"
                    for name, scores in report.get("per_class", {}).items() if "support" in scores]
        self.support.setText("Test texts per class: " + ", ".join(supports) if supports else "")
        self.support.setVisible(bool(supports))
        self.setCurrentIndex(1)

    def clear(self) -> None:
        """Back to the placeholder."""
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.verdict.set_verdict(None)
        self.support.setText("")
        self.footnote.setText("")
        self.setCurrentIndex(0)

    def best_cells(self) -> dict[str, str]:
        """Row label -> column header of the cell marked best (what the user sees)."""
        return marked_best(self.table)

    def row_labels(self) -> list[str]:
        return [self.table.verticalHeaderItem(row).text() for row in range(self.table.rowCount())]

    def cell_text(self, row_label: str, column: str) -> str:
        """The text of one cell, found by row label and column header (as shown)."""
        row = self.row_labels().index(row_label)
        headers = [self.table.horizontalHeaderItem(c).text() for c in range(self.table.columnCount())]
        return self.table.item(row, headers.index(column)).text()

    def verdict_text(self) -> str:
        return self.verdict.text()

    def verdict_tone(self) -> str:
        """The tone the verdict is coloured by (training.advice.TONES)."""
        return self.verdict.tone()

    def footnote_text(self) -> str:
        return self.footnote.text() if not self.footnote.isHidden() else ""

    def _rows(self, report: dict[str, Any], width: int) -> list[tuple[str, str, list[float], bool]]:
        """(label, tooltip, one value per column, whether it is a per-class row) for each table row; missing
        values become NaN."""

        def values(scores: dict[str, Any], key: str) -> list[float]:
            given = list(scores.get(key) or [])
            return [_number(v) for v in given[:width]] + [math.nan] * max(0, width - len(given))

        overall = report.get("overall", {})
        rows = [(label, tip, values(overall, key), False) for key, label, tip in OVERALL_ROWS if key in overall]
        for name, scores in report.get("per_class", {}).items():
            for key, label, tip in CLASS_ROWS:
                if key in scores:
                    rows.append((f"{name}: {label}", tip.format(name=name), values(scores, key), True))
        return rows
