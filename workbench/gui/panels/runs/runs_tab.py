"""The Runs tab: every run in the run store, filtered and sorted, with name, star and notes editable; the selected
runs compared below; a run's settings or model taken into the workspace; tables and curves exported as CSV.

The store is listed off the GUI thread (10,000 runs take about a second to read) whenever the tab is shown after
something changed, the newest request winning; a store that cannot be used is refused in words above an empty
table, and everything else still works.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.gui.latest_job import LatestJob
from workbench.gui.messages import MessageBar
from workbench.gui.panels.runs import store_jobs
from workbench.gui.panels.runs.action_bar import ActionBar, ask_csv_path, ask_yes_no
from workbench.gui.panels.runs.compare import MAX_COMPARED, NO_RUNS, NOTHING_SELECTED, CompareView
from workbench.gui.panels.runs.filter_bar import FilterBar
from workbench.gui.panels.runs.listing import Listing, list_rows
from workbench.gui.panels.runs.model import STAR, RunsModel
from workbench.gui.panels.runs.rows import COLUMN_INDEX, COLUMNS, RunRow
from workbench.gui.panels.runs.work import RUNS_FOLDER_KEY, runs_folder

if TYPE_CHECKING:
    from workbench.gui.runner import Job
    from workbench.gui.services import Services

# Starting widths (pixels) of the columns that hold short values; the others share what is left.
WIDTHS = {"starred": 28, "id": 52, "kind": 96, "status": 70, "started": 120, "network": 96, "epochs": 56,
          "best_val_loss": 72, "score": 96, "study": 150, "name": 140, "notes": 140, "data": 120}


class RunsTab(QWidget):
    """The runs of the run store for a workspace of `kind` (a kind of model). `folder`: the store's folder
    (None: the one chosen in the window's settings, else the default); `loader` and `fetcher`: the workspace's
    background jobs for listing and for reading the compared runs (made here when not given)."""

    use_settings = Signal(dict)  # a run's settings (RunRecord.settings), for the workspace's form
    open_model = Signal(str)  # the path of a run's kept model file

    def __init__(self, services: Services, kind: str, folder: str | None = None, loader: LatestJob | None = None,
                 fetcher: LatestJob | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.kind = services, kind
        self._folder = folder
        self._data_path = ""
        self._store: Any = None  # the listed store, used on this thread only (each job opens its own)
        self._this_data: set[int] = set()
        self._stale = True  # listed again when next shown
        self._loading = loader or LatestJob(services, "runs", self)
        self._fetching = fetcher or LatestJob(services, "runs-compare", self)
        self.model = RunsModel(self)
        self.model.writer = self._write
        self.message_bar = MessageBar()
        self.filter_bar = FilterBar(kind)
        self.actions = ActionBar(kind)
        self.compare = CompareView()
        self.folder_label = QLabel()
        self.folder_label.setStyleSheet("color: #555555;")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_button = QPushButton("Change folder...")
        self.folder_button.setToolTip("Keep runs in another folder (also where the window records its runs).")
        self.view = self._table_view()
        self._layout()
        # Replaceable (tests answer them): a yes/no question, and the path a save dialog returns ("" cancels).
        self.confirm: Callable[[str], bool] = lambda text: ask_yes_no(self, "Delete runs", text)
        self.ask_save_path: Callable[[str, str], str] = lambda title, name: ask_csv_path(
            self, title, str(Path(services.last_folder()) / name))
        self.filter_bar.changed.connect(self._apply_filters)
        self.filter_bar.refresh_button.clicked.connect(self.reload)
        self.actions.use_button.clicked.connect(self._on_use)
        self.actions.open_button.clicked.connect(self._on_open)
        self.actions.export_table_button.clicked.connect(self._on_export_table)
        self.actions.export_curves_button.clicked.connect(self._on_export_curves)
        self.actions.delete_button.clicked.connect(self._on_delete)
        self.folder_button.clicked.connect(self._on_change_folder)
        self._apply_filters()

    def _table_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(22)
        header = view.horizontalHeader()
        # Fixed starting widths: sizing columns to their contents would measure thousands of rows.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for index, column in enumerate(COLUMNS):
            header.resizeSection(index, WIDTHS.get(column.key, 200))
        view.setSortingEnabled(True)
        view.sortByColumn(COLUMN_INDEX["id"], Qt.SortOrder.DescendingOrder)
        view.clicked.connect(self._on_clicked)
        view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        return view

    def _layout(self) -> None:
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.filter_bar)
        top_layout.addWidget(self.view, 1)
        top_layout.addWidget(self.actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.compare)
        splitter.setSizes([3500, 6500])  # in proportion: the comparison needs the room
        footer = QHBoxLayout()
        footer.addWidget(QLabel("Run store:"))
        footer.addWidget(self.folder_label, 1)
        footer.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # the tab page has its own; fits beside the forms at 1280 px
        layout.addWidget(self.message_bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

    # ----- what the workspace tells it
    def set_data(self, data_path: str) -> None:
        """The data file open in the workspace ("" when none): "Runs on this data" lists its runs."""
        self._data_path = data_path or ""
        self.reload()

    def reload(self) -> None:
        """List the store again now when the tab is on screen, else when it is next shown."""
        self._stale = True
        if self.isVisible():
            self._load()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self._load()

    def folder(self) -> str | None:
        """The runs folder this tab lists (None: the default folder)."""
        return self._folder if self._folder is not None else runs_folder(self.services.settings)

    def is_loading(self) -> bool:
        return self._loading.is_pending() or self._fetching.is_pending()

    # ----- listing and filtering
    def _load(self) -> None:
        self._stale = False
        folder, data_path = self.folder(), self._data_path
        self._loading.request("Listing the runs...", lambda _context: list_rows(folder, data_path), self._show)

    def _show(self, listing: Listing) -> None:
        if self._store is not None:
            self._store.close()
        self._store = listing.store
        self._this_data = listing.this_data
        if listing.refusal is not None:
            self.message_bar.show_error(*listing.refusal)
        elif self.message_bar.level() == "error":
            self.message_bar.clear()
        self.folder_label.setText(listing.folder)
        self.model.set_rows(listing.rows, self._filters())
        self.compare.set_hint(NOTHING_SELECTED if listing.rows else NO_RUNS)
        self.compare.set_runs([])
        self._update_actions()

    def _filters(self) -> Any:
        return self.filter_bar.filters(self._this_data if self._data_path else None)

    def _apply_filters(self) -> None:
        selected = [row.run_id for row in self.selected_rows()]
        self.model.set_filters(self._filters())
        if selected:
            self.select_runs(selected)  # the runs still shown stay selected
        self._update_actions()

    # ----- selection and comparing
    def selected_rows(self) -> list[RunRow]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.row(row) for row in rows]

    def current_row(self) -> RunRow | None:
        """The run the buttons act on: the highlighted row when it is selected, else the first selected."""
        current = self.view.currentIndex()
        if current.isValid() and self.view.selectionModel().isRowSelected(current.row(), QModelIndex()):
            return self.model.row(current.row())
        selected = self.selected_rows()
        return selected[0] if selected else None

    def select_runs(self, run_ids: list[int]) -> None:
        """Select the rows of these runs (as Ctrl-clicks would)."""
        wanted = set(run_ids)
        selection = QItemSelection()
        for row, shown in enumerate(self.model.shown_rows()):
            if shown.run_id in wanted:
                selection.select(self.model.index(row, 0), self.model.index(row, len(COLUMNS) - 1))
        self.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _on_selection_changed(self) -> None:
        self._update_actions()
        selected = self.selected_rows()
        store, ids = self._store, [row.run_id for row in selected[:MAX_COMPARED]]
        if store is None or not ids:
            self._fetching.forget()
            self.compare.set_runs([])
            return
        self._fetching.request("", lambda _context: store_jobs.read_runs(store.folder, ids),
                               lambda records: self.compare.set_runs(records, len(selected)), self._refused)

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.column() == STAR:
            self.model.set_starred(index.row(), not self.model.row(index.row()).starred)

    def _update_actions(self) -> None:
        self.actions.update_for(self.current_row(), len(self.selected_rows()), self.model.rowCount(),
                                self.model.total(), self._store is not None)

    # ----- edits
    def _write(self, run_id: int, change: dict[str, Any]) -> bool:
        if self._store is None:
            return False
        try:
            self._store.update_run(run_id, **change)
        except WorkbenchError as error:
            self.message_bar.show_error(error.message, error.hint)
            return False
        return True

    def _refused(self, message: str, hint: str) -> None:
        self.message_bar.show_error(message, hint)

    # ----- buttons
    def _on_use(self) -> None:
        row = self.current_row()
        if row is None or row.kind != self.kind or self._store is None:
            return
        try:
            record = self._store.get_run(row.run_id)  # a few milliseconds: one run, read whole
        except WorkbenchError as error:
            self.message_bar.show_error(error.message, error.hint)
            return
        self.use_settings.emit(dict(record.settings))

    def _on_open(self) -> None:
        row = self.current_row()
        if row is not None and row.bundle:
            self.open_model.emit(row.bundle)

    def _on_export_table(self) -> None:
        ids, store = [row.run_id for row in self.model.shown_rows()], self._store
        path = self.ask_save_path("Export the runs table", "runs.csv")
        if path and store is not None:
            self._run("export", lambda _context: store_jobs.export_table(store.folder, ids, path),
                      lambda count: f"Wrote {count:,} runs to {Path(path).name}.")

    def _on_export_curves(self) -> None:
        ids, store = [row.run_id for row in self.selected_rows()], self._store
        path = self.ask_save_path("Export the selected runs' curves", "curves.csv")
        if path and store is not None:
            self._run("export", lambda _context: store_jobs.export_curves(store.folder, ids, path),
                      lambda count: f"Wrote {count:,} epochs of {len(ids)} runs to {Path(path).name}.")

    def _on_delete(self) -> None:
        rows, store = self.selected_rows(), self._store
        if not rows or store is None:
            return
        what = f"run #{rows[0].run_id}" if len(rows) == 1 else f"these {len(rows)} runs"
        if not self.confirm(f"Delete {what} and the model files kept with them? This cannot be undone."):
            return
        ids = [row.run_id for row in rows]

        def deleted(gone: set[int]) -> str:
            self.model.remove_runs(gone)
            self._update_actions()
            return f"Deleted {len(gone)} run{'s' if len(gone) > 1 else ''}."

        self._run("runs-delete", lambda _context: store_jobs.delete_runs(store.folder, ids), deleted)

    def _on_change_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Keep runs in this folder", self.folder_label.text())
        if folder:
            self.services.settings.setValue(RUNS_FOLDER_KEY, folder)
            self._folder = None if self._folder is None else folder
            self.reload()

    def _run(self, name: str, function: Callable[[Any], Any], said: Callable[[Any], str]) -> Job:
        """A short job on the runner; its outcome is said in the status line, or its refusal above the table."""
        def succeeded(job: Job) -> None:
            self.services.show_status(said(job.result))

        return self.services.runner.start(name, function, succeeded=succeeded, refused=self._refused,
                                          crashed=lambda message, details: self.services.report_bug(
                                              f"The runs could not be written ({message}).", details))
