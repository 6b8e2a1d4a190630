"""The welcome page the window opens on: what the workbench reads, and buttons for a file or a sample.

It imports nothing heavy (no pandas, pyqtgraph or torch), so the window paints at once; each workspace loads
its own modules when it is first used.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

# Sample files in sample_data/ (see its README for their sources).
SAMPLE_SERIES = "co2_mauna_loa_weekly.csv"
SAMPLE_TEXT = "ships_log.txt"
SAMPLE_REVIEWS = "reviews.csv"


class WelcomePage(QWidget):
    open_requested = Signal()
    sample_requested = Signal(str)  # the sample's file name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("<h2>Open a series or a text to begin</h2>"
                       "<p>A CSV, TSV, Parquet or Excel table with a column of numbers to forecast (the time "
                       "column is found for you), a table of texts and their labels to classify, or a plain-text "
                       "file to learn to write like. Drop a file on this window, or:</p>", self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        # A paragraph reads best at about 80 characters a line, not the window's whole width.
        title.setMaximumWidth(title.fontMetrics().horizontalAdvance("x" * 90))
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        self.buttons: dict[str, QPushButton] = {}
        for text, sample in (("Open a file...", ""),
                             ("Try the sample: weekly CO2 at Mauna Loa", SAMPLE_SERIES),
                             ("Try a text: a ship's log, letter by letter", SAMPLE_TEXT),
                             ("Try labelled texts: 3,000 reviews and their sentiment", SAMPLE_REVIEWS)):
            button = QPushButton(text, self)
            button.setMinimumWidth(320)
            if sample:
                button.clicked.connect(lambda _checked=False, name=sample: self.sample_requested.emit(name))
            else:
                button.clicked.connect(self.open_requested.emit)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
            self.buttons[sample or "open"] = button
        layout.addStretch(2)
