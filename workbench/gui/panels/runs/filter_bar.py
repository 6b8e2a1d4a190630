"""The Runs tab's filters: this data or all runs, the kind, a text to find, starred only; and Refresh."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from workbench.gui.panels.runs.model import Filters
from workbench.gui.panels.runs.rows import KIND_LABELS

THIS_DATA, ALL_DATA = "this", "all"


class FilterBar(QWidget):
    """Emits `changed` whenever a filter changes; `filters(...)` says what they are."""

    changed = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scope = QComboBox()
        self.scope.addItem("Runs on this data", THIS_DATA)
        self.scope.addItem("All runs", ALL_DATA)
        self.scope.setToolTip("Only the runs trained on the data file open here (the same bytes, or the same path), "
                              "or every run in the store.")
        self.kind = QComboBox()
        self.kind.addItem("All kinds", None)
        for name, label in KIND_LABELS.items():
            self.kind.addItem(f"{label}s", name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.text = QLineEdit()
        self.text.setPlaceholderText("Filter: name, notes, search or race, network, verdict...")
        self.text.setClearButtonEnabled(True)
        self.starred_only = QCheckBox("\u2605 only")
        self.starred_only.setToolTip("Show only the starred runs.")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("List the store again (runs recorded meanwhile by the command line, or by a "
                                       "search on another machine, appear).")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.scope, 0), (self.kind, 0), (self.text, 1), (self.starred_only, 0),
                                (self.refresh_button, 0)):
            layout.addWidget(widget, stretch)
        self.scope.currentIndexChanged.connect(self.changed)
        self.kind.currentIndexChanged.connect(self.changed)
        self.starred_only.toggled.connect(self.changed)
        self.text.textChanged.connect(self.changed)

    def filters(self, this_data: set[int] | None) -> Filters:
        """The filters now; `this_data`: the ids of the runs on the open data (None when no data is open)."""
        only = this_data if self.scope.currentData() == THIS_DATA and this_data is not None else None
        return Filters(self.kind.currentData(), only, self.starred_only.isChecked(), self.text.text().lower().split())
