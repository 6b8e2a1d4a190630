"""The Series tab: the series plot above a preview of the table."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from workbench.core.data.series import SeriesData
from workbench.core.data.sources import Table
from workbench.core.data.splits import WindowPlan
from workbench.gui.panels.data_panel import DataPreview
from workbench.gui.plots.series_plot import SeriesPlot


class SeriesView(QWidget):
    """The series plot (with the split the settings make) above a preview of the table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = SeriesPlot(self)
        self.preview = DataPreview(parent=self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.plot)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        # The plot is what the user came for: give it most of the height, the table a glance.
        self.splitter.setSizes([560, 220])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def set_table(self, table: Table) -> None:
        self.preview.set_table(table)

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
