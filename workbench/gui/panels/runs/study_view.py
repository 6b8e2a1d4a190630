"""The "Shared study" page: a study that searches run here or on other machines (`workbench sweep --storage URL
--study NAME`), opened by its storage URL and watched live: its trials, the best score so far, one line of words,
and "Use best settings", which hands the best trial's whole settings to the workspace's forms.

Every read of the storage runs off the GUI thread (a remote database can take seconds to answer), through the
workspace's background jobs, where the newest request wins.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.messages import MessageBar
from workbench.gui.panels.runs.study_reading import (
    best_row,
    best_so_far,
    list_studies,
    open_study,
    poll_study,
    storage_url_for_file,
    study_words,
    use_best_words,
)
from workbench.gui.panels.runs.trials_view import BestSoFarPlot, TrialsTable

if TYPE_CHECKING:
    from workbench.core.search.studies import TrialRow
    from workbench.gui.latest_job import LatestJob
    from workbench.gui.services import Services

POLL_MS = 2000  # how often a watched study is read again
# A read that takes longer (a journal of thousands of trials is replayed whole on each read: 0.3-0.6 s for 300
# trials of 20 epochs on the development machine) waits this many times its own duration before the next one, so
# watching never takes more than a fifth of a core.
POLL_BACKOFF = 4
STUDY_FILTER = "Study storage (*.journal *.log *.db *.sqlite *.sqlite3);;All files (*)"


class StudyView(QWidget):
    """A shared study of a workspace of `kind` (a kind of model). `lister` and `reader` are the workspace's
    background jobs for listing a storage's studies and reading one; `folder_source()` is the runs folder
    (None: the default), whose study journal the URL field starts with."""

    use_settings = Signal(dict)  # "Use best settings": the best trial's whole settings (a run configuration's dict)

    def __init__(self, services: Services, kind: str, lister: LatestJob, reader: LatestJob,
                 folder_source: Callable[[], str | None] = lambda: None, poll_ms: int = POLL_MS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.kind, self.folder_source = services, kind, folder_source
        self.lister, self.reader, self.poll_ms = lister, reader, poll_ms
        self.key: tuple[str, str] | None = None  # the (storage URL, study) shown
        self.rows: list[TrialRow] = []
        self._shown: dict[int, TrialRow] = {}  # what each table row shows, so a read repaints only what changed
        self._plotted: list[float | None] = []  # the best values the plot shows
        self._default_url = ""  # the URL the field was last filled with by default (replaced while unedited)
        self._listed = False  # the storage was listed once (on the first show)
        self._asked_at = 0.0
        self._last_read_s = 0.0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.poll)
        self._build()
        self.url.returnPressed.connect(self.list_studies)
        self.list_button.clicked.connect(self.list_studies)
        self.browse_button.clicked.connect(self._on_browse)
        self.study.currentIndexChanged.connect(lambda _index: self.open_chosen())
        self.watch.toggled.connect(self._on_watch_toggled)
        self.use_button.clicked.connect(self._on_use_best)

    def _build(self) -> None:
        self.url = QLineEdit()
        self.url.setPlaceholderText("journal:/shared/studies.journal, sqlite:///studies.db or postgresql://...")
        self.url.setToolTip("Where the study is kept: the --storage given to `workbench sweep`. Press Enter to "
                            "list its studies.")
        self.browse_button = QPushButton("Browse...")
        self.browse_button.setToolTip("Choose a study journal or an SQLite file.")
        self.list_button = QPushButton("List studies")
        self.message_bar = MessageBar()
        self.study = QComboBox()
        self.study.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.study.setMinimumContentsLength(24)
        self.watch = QCheckBox(f"Watch live (every {self.poll_ms / 1000:g} s)")
        self.watch.setToolTip("Read the study again and again while this page is on screen: trials that other "
                              "processes or machines add appear as they start and end.")
        self.watch.setChecked(True)
        self.words = QLabel("Give the storage of a study, then choose the study.")
        self.words.setWordWrap(True)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trials = TrialsTable(hosts=True)
        self.best_plot = BestSoFarPlot()
        self.use_button = QPushButton("Use best settings")
        self.best_label = QLabel()  # which trial "Use best settings" takes, and its settings
        self.best_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._set_use_button(None)
        top = QGridLayout()
        top.addWidget(QLabel("Storage"), 0, 0)
        top.addWidget(self.url, 0, 1)
        top.addWidget(self.browse_button, 0, 2)
        top.addWidget(self.list_button, 0, 3)
        top.addWidget(self.message_bar, 1, 1, 1, 3)
        top.addWidget(QLabel("Study"), 2, 0)
        study_row = QHBoxLayout()
        study_row.addWidget(self.study)
        study_row.addWidget(self.watch)
        study_row.addStretch(1)
        top.addLayout(study_row, 2, 1, 1, 3)
        top.setColumnStretch(1, 1)
        live = QSplitter(Qt.Orientation.Vertical)
        live.addWidget(self.trials)
        live.addWidget(self.best_plot)
        live.setStretchFactor(0, 3)
        live.setStretchFactor(1, 2)
        live.setSizes([600, 400])  # the table first: the plot's own size hint would take most of the height
        self.words.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.words)
        layout.addWidget(live, 1)
        use_row = QHBoxLayout()
        use_row.addWidget(self.use_button)
        use_row.addWidget(self.best_label, 1)
        layout.addLayout(use_row)

    # ----- on screen or not: a study is read only while the page shows it
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fill_default_url()
        if not self._listed:
            self._listed = True
            if self._default_exists():
                self.list_studies()
                return
        if self.watch.isChecked():
            self.poll()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self.timer.stop()

    def stop_watching(self) -> None:
        """Read no more (the window is closing); the Watch choice is kept."""
        self.timer.stop()

    def _fill_default_url(self) -> None:
        from workbench.core.runs.store import default_runs_folder
        from workbench.core.search.storage import default_storage_url

        default = default_storage_url(self.folder_source() or default_runs_folder())
        if self.url.text() in ("", self._default_url):  # the user's own URL stays
            self.url.setText(default)
            self._default_url = default

    def _default_exists(self) -> bool:
        """The pre-filled journal is there (a search ran): list it at once; a missing one would only be an error."""
        from workbench.core.search.storage import JOURNAL

        url = self.url.text()
        return url == self._default_url and Path(url[len(JOURNAL):]).is_file()

    # ----- a storage and its studies
    def list_studies(self) -> None:
        """Read which studies the storage in the field holds, in the background; the chosen one is then opened."""
        url = self.url.text().strip()
        self._close_study()
        if not url:
            self.message_bar.show_error("Give the storage of a study.", hint=_URL_HINT)
            return
        self.words.setText("Listing the studies...")
        self.lister.request("Listing the studies in the storage...", lambda _context: list_studies(url),
                            lambda names: self._on_names(url, names), self._on_list_refused)

    def _on_names(self, url: str, names: list[str]) -> None:
        self.message_bar.clear()
        before = self.study.currentText()
        self.study.blockSignals(True)  # the list is filled first, then the chosen study opened once
        self.study.clear()
        self.study.addItems(names)
        self.study.setCurrentIndex(max(0, self.study.findText(before)) if names else -1)
        self.study.blockSignals(False)
        if names:
            self.open_chosen()
        else:
            self.words.setText(f"No study is kept in {url} yet.")

    def _on_list_refused(self, message: str, hint: str) -> None:
        self.study.blockSignals(True)
        self.study.clear()
        self.study.blockSignals(False)
        self.words.setText("")
        self._show_error(message, hint)

    def _on_browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.services.dialog_parent, "Open a study storage",
                                              str(Path(self.folder_source() or self.services.last_folder())),
                                              STUDY_FILTER)
        if path:
            self.url.setText(storage_url_for_file(path))
            self.list_studies()

    # ----- one study, read now and while watched
    def open_chosen(self) -> None:
        """Open the study chosen in the list: refused in words when it searches another kind of model."""
        study = self.study.currentText()
        url = self.url.text().strip()
        self._close_study()
        if not study:
            return
        key = self.key = (url, study)
        self.words.setText(f"Reading the study {study}...")
        self._asked_at = time.perf_counter()
        self.reader.request(f"Reading the study {study}...", lambda _context: open_study(url, study, self.kind),
                            lambda rows: self._on_rows(key, rows), lambda m, h: self._on_open_refused(key, m, h))

    def poll(self) -> None:
        """Read the open study again (the timer's call while watching)."""
        key = self.key
        if key is None or not self.isVisible() or self.reader.is_pending():
            return
        self._asked_at = time.perf_counter()
        # No status line: a read every two seconds would only make it flicker.
        self.reader.request("", lambda _context: poll_study(*key), lambda rows: self._on_rows(key, rows),
                            lambda m, h: self._on_poll_refused(key, m, h))

    def _on_rows(self, key: tuple[str, str], rows: list[TrialRow]) -> None:
        if key != self.key:
            return
        self._last_read_s = time.perf_counter() - self._asked_at
        if self.message_bar.level() == "error":
            self.message_bar.clear()  # a storage that could not be read a moment ago answers again
        self.rows = rows
        for row in rows:
            if self._shown.get(row.number) != row:
                self.trials.show_trial(row)
                self._shown[row.number] = row
        best_values = best_so_far(rows)
        if best_values != self._plotted:
            self._plotted = best_values
            self.best_plot.set_best_values(best_values)
        self.words.setText(study_words(rows))
        self._set_use_button(best_row(rows))
        self._schedule()

    def _on_open_refused(self, key: tuple[str, str], message: str, hint: str) -> None:
        if key == self.key:
            self._close_study()
            self.words.setText("")
            self._show_error(message, hint)

    def _on_poll_refused(self, key: tuple[str, str], message: str, hint: str) -> None:
        """The storage stopped answering: said, the trials read so far stay, and watching tries again."""
        if key == self.key:
            self._show_error(message, hint)
            self._schedule()

    def _schedule(self) -> None:
        if self.watch.isChecked() and self.key is not None and self.isVisible():
            self.timer.start(max(self.poll_ms, int(POLL_BACKOFF * 1000 * self._last_read_s)))

    def _on_watch_toggled(self, watching: bool) -> None:
        if watching:
            self.poll()
        else:
            self.timer.stop()

    def _close_study(self) -> None:
        self.timer.stop()
        self.reader.forget()
        self.key, self.rows, self._shown, self._plotted = None, [], {}, []
        self.trials.clear_trials()
        self.best_plot.clear_points()
        self._set_use_button(None)

    # ----- the best trial
    def _set_use_button(self, best: TrialRow | None) -> None:
        usable, beside, tip = use_best_words(best)
        self.use_button.setEnabled(usable)
        self.use_button.setToolTip(tip)
        self.best_label.setText(beside if self.key is not None else "")  # nothing while no study is open

    def _on_use_best(self) -> None:
        best = best_row(self.rows)
        if best is not None and best.settings:
            self.use_settings.emit(dict(best.settings))

    def _show_error(self, message: str, hint: str) -> None:
        # The database drivers add their SQL and a link on the lines after the reason: the first line says it.
        self.message_bar.show_error(message.splitlines()[0] if message else message, hint)
        self.message_bar.setToolTip(message)


_URL_HINT = "For example journal:/shared/studies.journal, sqlite:///studies.db or postgresql://user@host/db."
