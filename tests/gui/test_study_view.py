"""The "Shared study" page: a study made here with Optuna (no training: trials asked and told, with the user
attributes a sweep's workers write) is listed, read, watched as trials are added, and its best settings used;
bad storages and a study of another kind of model are refused in words."""

import optuna
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from tests.conftest import tiny_config
from workbench.core.errors import WorkbenchError
from workbench.core.search.storage import STORAGE_HINT, open_storage
from workbench.core.search.studies import TrialRow
from workbench.gui.job_progress import JobProgress
from workbench.gui.latest_job import LatestJob
from workbench.gui.messages import MessageBar
from workbench.gui.panels.runs import study_view as study_view_module
from workbench.gui.panels.runs.study_reading import best_so_far, storage_url_for_file, study_words, use_best_words
from workbench.gui.panels.runs.study_view import StudyView
from workbench.gui.runner import Runner
from workbench.gui.services import Services

TIMEOUT_MS = 10000


@pytest.fixture
def services(qtbot, tmp_path):
    runner = Runner()
    parent = QWidget()
    qtbot.addWidget(parent)
    services = Services(runner, MessageBar(parent), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                        parent, lambda _text: None, lambda: None, JobProgress(parent), lambda _w, _a: True)
    yield services
    runner.cancel_all()
    assert runner.wait_all(20)


def settings_with(hidden: int) -> dict:
    settings = tiny_config().to_dict()
    settings["model"]["hidden"] = hidden
    return settings


def add_trial(study, hidden: int, value: float | None, host: str = "node-1", ended: bool = True) -> None:
    """A trial as a sweep's worker leaves it: its params, its curve, its settings and host; told complete (with
    `value`) or pruned (None), or left running."""
    trial = study.ask()
    trial.suggest_int("model.hidden", 8, 64)
    trial.report((value or 1.0) + 0.2, 1)
    if not ended:
        return
    trial.set_user_attr("settings", settings_with(hidden))
    trial.set_user_attr("host", host)
    study.tell(trial, value) if value is not None else study.tell(trial, state=optuna.trial.TrialState.PRUNED)


def make_study(path, name="load-forecaster", kind="forecaster"):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name=name, storage=open_storage(f"journal:{path}"), direction="minimize")
    study.set_user_attr("kind", kind)
    return study


def study_view(qtbot, services, folder, poll_ms=50) -> StudyView:
    view = StudyView(services, "forecaster", LatestJob(services, "list"), LatestJob(services, "read"),
                     lambda: str(folder), poll_ms=poll_ms)
    qtbot.addWidget(view)
    view.resize(900, 600)
    return view


def type_url(qtbot, view, url: str) -> None:
    view.url.clear()
    qtbot.keyClicks(view.url, url)
    qtbot.keyClick(view.url, Qt.Key.Key_Return)


def test_a_study_is_read_watched_live_and_its_best_settings_used(qtbot, services, tmp_path):
    journal = tmp_path / "shared.journal"
    study = make_study(journal)
    add_trial(study, 16, 0.5, host="node-1")
    add_trial(study, 32, 0.3, host="node-2")
    add_trial(study, 24, None)
    add_trial(study, 40, None, ended=False)
    make_study(journal, name="another")
    view = study_view(qtbot, services, tmp_path / "runs")
    view.show()
    assert view.url.text() == f"journal:{tmp_path / 'runs' / 'studies.journal'}"  # the runs folder's, pre-filled
    type_url(qtbot, view, f"journal:{journal}")
    qtbot.waitUntil(lambda: view.study.count() == 2, timeout=TIMEOUT_MS)
    view.study.setCurrentIndex(view.study.findText("load-forecaster"))
    view.watch.setChecked(True)
    qtbot.waitUntil(lambda: view.trials.rowCount() == 4, timeout=TIMEOUT_MS)
    assert view.trials.states() == {0: "complete", 1: "complete", 2: "pruned", 3: "running"}
    assert view.words.text() == "4 trials: 2 complete, 1 pruned, 1 running; best validation loss 0.3 (trial 1)."
    assert view.trials.item(1, 4).text() == "node-2" and view.best_plot.y == [0.5, 0.3, 0.3]
    add_trial(study, 48, 0.1, host="node-3")  # another process adds a trial: the next read shows it
    qtbot.waitUntil(lambda: view.trials.rowCount() == 5, timeout=TIMEOUT_MS)
    assert view.words.text().endswith("best validation loss 0.1 (trial 4).")
    used = []
    view.use_settings.connect(used.append)
    view.use_button.click()
    assert used == [settings_with(48)] and not view.message_bar.is_shown()


def test_watching_stops_when_the_page_is_hidden_or_watch_is_off(qtbot, services, tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    add_trial(make_study(runs / "studies.journal"), 16, 0.4)
    view = study_view(qtbot, services, runs, poll_ms=20)
    view.show()  # the runs folder's journal exists: listed and opened at once
    qtbot.waitUntil(lambda: view.trials.rowCount() == 1 and view.timer.isActive(), timeout=TIMEOUT_MS)
    view.hide()
    assert not view.timer.isActive()
    view.show()
    qtbot.waitUntil(view.timer.isActive, timeout=TIMEOUT_MS)
    view.watch.setChecked(False)
    assert not view.timer.isActive()


def refuse_as_a_driver_would(url):
    raise WorkbenchError(f"The study storage {url} cannot be opened: file is not a database\n"
                         "[SQL: PRAGMA main.table_info(\"studies\")]\n"
                         "(Background on this error at: https://sqlalche.me/e/21/4xp6).", hint=STORAGE_HINT)


def test_bad_storages_are_said_in_words_and_the_page_stays_usable(qtbot, services, tmp_path, monkeypatch):
    view = study_view(qtbot, services, tmp_path / "runs")
    view.show()
    type_url(qtbot, view, "nonsense")
    qtbot.waitUntil(view.message_bar.is_shown, timeout=TIMEOUT_MS)
    assert view.message_bar.text().startswith("'nonsense' is not a study storage.")
    type_url(qtbot, view, f"journal:{tmp_path / 'missing.journal'}")
    qtbot.waitUntil(lambda: "There is no study journal at" in view.message_bar.text(), timeout=TIMEOUT_MS)
    assert not (tmp_path / "missing.journal").exists()  # looking did not create it
    garbage = tmp_path / "garbage.db"
    garbage.write_text("not a database")  # (a real SQLite read costs 2 s to load SQLAlchemy: the driver's words)
    monkeypatch.setattr(study_view_module, "list_studies", refuse_as_a_driver_would)
    type_url(qtbot, view, f"sqlite:///{garbage}")
    qtbot.waitUntil(lambda: "cannot be opened" in view.message_bar.text(), timeout=TIMEOUT_MS)
    assert view.message_bar.text() == f"The study storage sqlite:///{garbage} cannot be opened: file is not a " \
                                      "database " + STORAGE_HINT  # the driver's SQL lines are left out
    monkeypatch.undo()
    add_trial(make_study(tmp_path / "good.journal"), 16, 0.4)
    type_url(qtbot, view, f"journal:{tmp_path / 'good.journal'}")
    qtbot.waitUntil(lambda: view.trials.rowCount() == 1, timeout=TIMEOUT_MS)
    assert not view.message_bar.is_shown() and view.use_button.isEnabled()


def test_a_study_of_another_kind_of_model_is_refused(qtbot, services, tmp_path, monkeypatch):
    journal = tmp_path / "texts.journal"
    add_trial(make_study(journal, name="reviews", kind="classifier"), 16, 0.4)
    view = study_view(qtbot, services, tmp_path / "runs")
    view.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(journal), ""))
    view.browse_button.click()
    assert view.url.text() == f"journal:{journal}"
    qtbot.waitUntil(view.message_bar.is_shown, timeout=TIMEOUT_MS)
    assert view.message_bar.text().startswith("The study reviews searches text classifier settings, not forecaster "
                                              "ones.")
    assert view.trials.rowCount() == 0 and not view.use_button.isEnabled() and view.key is None


def test_a_file_gives_its_storage_url_and_the_words_sum_up_the_trials(tmp_path):
    database, journal = tmp_path / "s.db", tmp_path / "s.journal"
    database.write_bytes(b"SQLite format 3\x00" + bytes(84))
    journal.write_text("")
    assert storage_url_for_file(database) == f"sqlite:///{database}"
    assert storage_url_for_file(journal) == f"journal:{journal}"
    rows = [TrialRow(0, "failed", None, {}, None), TrialRow(1, "complete", 0.0123, {}, None),
            TrialRow(2, "running", None, {}, None), TrialRow(3, "stopped", None, {}, None)]
    assert study_words(rows) == "4 trials: 1 complete, 1 failed, 1 stopped, 1 running; best validation loss 0.0123 " \
                                "(trial 1)."
    assert study_words(rows[:1]) == "1 trial: 1 failed; no trial complete yet."
    assert study_words([]) == "No trials yet."
    assert best_so_far(rows) == [None, 0.0123, 0.0123]
    assert use_best_words(rows[1])[:2] == (False, "Trial 1 kept no settings: the study was not made by a Sequence "
                                                  "Workbench search.")
    assert use_best_words(TrialRow(7, "complete", 0.5, {"model.hidden": 48}, {"model": {}}))[:2] == \
        (True, "Trial 7: hidden=48")
