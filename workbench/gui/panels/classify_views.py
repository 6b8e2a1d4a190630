"""The classification tabs built from the display widgets: the texts (lengths, one padded example) and the
test results (metrics beside the baselines, confusion matrix)."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QSplitter, QVBoxLayout, QWidget

from workbench.core.classify.dataset import ClassifySummary
from workbench.core.classify.report import metrics_report
from workbench.gui.panels.classify_metrics_view import ClassifyMetricsView
from workbench.gui.panels.padded_example import PaddedExample
from workbench.gui.plots.confusion_matrix import ConfusionMatrixPlot
from workbench.gui.plots.length_histogram import LengthHistogram

# The widget names the side tokens were cut from; the core names the side that is kept.
_CUT_SIDE = {"head": "end", "tail": "start"}


class ClassifyTextsView(QWidget):
    """How long the training texts are against the maximum length, and one of them as the model reads it (Previous
    and Next page through every training text)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.histogram = LengthHistogram()
        self.example = PaddedExample()
        self.example.example_requested.connect(self.show_example)
        self._summary: ClassifySummary | None = None
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.histogram)
        splitter.addWidget(self.example)
        splitter.setSizes([500, 300])
        splitter.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(splitter)

    def set_summary(self, summary: ClassifySummary) -> None:
        """The lengths of the training texts, and the first of them as the model reads it."""
        self._summary = summary
        unit = "characters" if summary.level == "char" else "tokens"
        self.histogram.set_lengths(summary.lengths, summary.max_len, unit)
        self.show_example(0)

    def show_example(self, index: int) -> None:
        """The training text at `index` (0-based, in table order)."""
        summary = self._summary
        if summary is None or not summary.train_texts:
            self.example.clear()
            return
        count = len(summary.train_texts)
        index = max(0, min(index, count - 1))
        encoded = summary.example(summary.train_texts[index])  # the core encodes; this view only shows it
        self.example.set_example(list(encoded.tokens), [bool(v) for v in encoded.real], len(encoded.dropped),
                                 _CUT_SIDE[encoded.truncate], summary.classes[summary.train_labels[index]])
        self.example.set_position(index, count, "Training text", f"table row {summary.train_rows[index]:,}")

    def clear(self) -> None:
        self._summary = None
        self.histogram.clear()
        self.example.clear()


class ClassifyResultsView(QWidget):
    """Test scores of the model beside the majority class and bag of words, and where it goes wrong."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.metrics = ClassifyMetricsView()
        self.matrix = ConfusionMatrixPlot()
        self.normalise = QCheckBox("Shares of each true class")
        self.normalise.setToolTip("Colour and label each cell by its share of the row (the true class) rather "
                                  "than by count: small classes then read as clearly as large ones.")
        self.normalise.toggled.connect(self._draw_matrix)
        self._summary: dict[str, Any] | None = None
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.matrix, 1)
        column.addWidget(self.normalise)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.metrics)
        splitter.addWidget(right)
        splitter.setSizes([500, 400])
        splitter.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(splitter)

    def set_summary(self, summary: dict[str, Any] | None) -> None:
        """ClassifyEvaluation.summary() or a classifier bundle's metrics; None empties the view."""
        self._summary = summary
        if summary is None:
            self.metrics.clear()
            self.matrix.clear()
            return
        self.metrics.set_metrics(metrics_report(summary))
        self._draw_matrix()

    def _draw_matrix(self) -> None:
        if self._summary is not None:
            self.matrix.set_matrix(np.asarray(self._summary["test"]["confusion"]), list(self._summary["classes"]),
                                   self.normalise.isChecked())
