"""The Runs tab's buttons under the table: use a run's settings, open its model, export, delete; and the count."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from workbench.gui.file_dialogs import CSV_FILTER
from workbench.gui.flow_layout import FlowLayout
from workbench.gui.panels.runs.rows import KIND_LABELS, RunRow


class ActionBar(QWidget):
    """The buttons, enabled for what is selected (`update`); the tab connects their `clicked`."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.use_button = QPushButton("Use these settings")
        self.open_button = QPushButton("Open model")
        self.export_table_button = QPushButton("Export table as CSV...")
        self.export_table_button.setToolTip("Every run shown (filtered and sorted as here), with all its settings and "
                                            "scores, one per row.")
        self.export_curves_button = QPushButton("Export selected curves as CSV...")
        self.export_curves_button.setToolTip("Every epoch of every selected run: run, epoch, loss, val_loss, ...")
        self.delete_button = QPushButton("Delete...")
        self.delete_button.setToolTip("Forget the selected runs and delete their kept model files.")
        self.count_label = QLabel()
        # The buttons wrap onto a second line in a narrow window rather than widening the workspace's right side.
        buttons = FlowLayout()
        for button in (self.use_button, self.open_button, self.export_table_button, self.export_curves_button,
                       self.delete_button):
            buttons.addWidget(button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons, 1)
        layout.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignTop)

    def update_for(self, current: RunRow | None, selected: int, shown: int, total: int, store_open: bool) -> None:
        """Enable what the `current` run (the highlighted selected row) and the `selected` count allow."""
        self.count_label.setText(f"{shown:,} of {total:,} run{'s' if total != 1 else ''} shown")
        own_kind = current is not None and current.kind == self.kind and store_open
        self.use_button.setEnabled(own_kind)
        self.use_button.setToolTip(
            "Select a run first." if current is None else
            f"Run #{current.run_id} is a {KIND_LABELS.get(current.kind, current.kind)}; this workspace trains "
            f"{KIND_LABELS.get(self.kind, self.kind)}s." if not own_kind else
            f"Put the settings of run #{current.run_id} (the highlighted row) into the Model tab.")
        has_model = current is not None and bool(current.bundle) and Path(current.bundle).is_file()
        self.open_button.setEnabled(has_model and own_kind)
        self.open_button.setToolTip(
            "Select a run first." if current is None else
            f"Open the model run #{current.run_id} kept." if has_model and own_kind else
            "The highlighted run kept no model file (stopped, failed, or a search trial other than the best).")
        self.export_curves_button.setEnabled(selected > 0 and store_open)
        self.delete_button.setEnabled(selected > 0 and store_open)
        self.export_table_button.setEnabled(shown > 0 and store_open)


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


def ask_csv_path(parent: QWidget, title: str, suggested: str) -> str:
    """A CSV file to write ("" when cancelled); a name without a suffix gets ".csv"."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, CSV_FILTER)
    return path + ".csv" if path and not Path(path).suffix else path
