"""The Series tab: a welcome page until data is open, then the series plot above a preview of the table."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from workbench.core.data.series import SeriesData
from workbench.core.data.sources import Table
from workbench.core.data.splits import WindowPlan
from workbench.gui.panels.data_panel import DataPreview
from workbench.gui.plots.series_plot import SeriesPlot

WELCOME, CONTENT = 0, 1


class SeriesView(QStackedWidget):
    open_requested = Signal()
    sample_requested = Signal()
    text_sample_requested = Signal()
    reviews_sample_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addWidget(self._build_welcome())
        self.plot = SeriesPlot(self)
        self.preview = DataPreview(parent=self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.plot)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        # The plot is what the user came for: give it most of the height, the table a glance.
        self.splitter.setSizes([560, 220])
        self.addWidget(self.splitter)

    def _build_welcome(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        title = QLabel("<h2>Open a series or a text to begin</h2>"
                       "<p>A CSV, TSV, Parquet or Excel table with a column of numbers to forecast (the time "
                       "column is found for you), a table of texts and their labels to classify, or a plain-text "
                       "file to learn to write like. Drop a file on this window, or:</p>", page)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        layout.addWidget(title)
        for text, signal in (("Open a file...", self.open_requested),
                             ("Try the sample: weekly CO2 at Mauna Loa", self.sample_requested),
                             ("Try a text: a ship's log, letter by letter", self.text_sample_requested),
                             ("Try labelled texts: 3,000 reviews and their sentiment", self.reviews_sample_requested)):
            button = QPushButton(text, page)
            button.setMinimumWidth(320)
            button.clicked.connect(signal.emit)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def set_table(self, table: Table) -> None:
        self.preview.set_table(table)
        self.setCurrentIndex(CONTENT)

    def set_series(self, series: SeriesData) -> None:
        self.plot.set_series(series)

    def set_plan(self, plan: WindowPlan) -> None:
        self.plot.set_plan(plan)

    def clear_plan(self) -> None:
        self.plot.clear_plan()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("series_splitter", self.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        value = settings.value("series_splitter")
        if isinstance(value, QByteArray):
            self.splitter.restoreState(value)
