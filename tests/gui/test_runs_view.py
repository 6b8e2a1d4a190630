"""The Runs tab (listed in the background, sorted, edited, compared, exported, deleted; a damaged store said in
words), the search form (with a stand-in for run_sweep: no processes here) and the cell race's view."""

import csv
import threading

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget

from tests.conftest import tiny_config
from workbench.core.runs.records import RunRecord
from workbench.core.runs.store import DB_NAME, RunStore
from workbench.core.search import race as race_module
from workbench.core.search import sweep
from workbench.core.search.best import SELECTION_NOTE, BestModel
from workbench.gui.job_progress import JobProgress
from workbench.gui.messages import MessageBar
from workbench.gui.panels.runs.rows import COLUMN_INDEX
from workbench.gui.panels.runs.runs_tab import RunsTab
from workbench.gui.panels.runs.search_tab import SearchTab
from workbench.gui.panels.runs.work import Work
from workbench.gui.runner import Runner
from workbench.gui.services import Services

TIMEOUT_MS = 10000


def a_run(number: int, cell: str, hidden: int, val_loss: float, **changes) -> RunRecord:
    history = [{"epoch": 1, "loss": 1.0, "val_loss": val_loss + 0.5, "seconds": 0.5},
               {"epoch": 2, "loss": 0.6, "val_loss": val_loss, "seconds": 0.5}]
    values = dict(kind="forecaster", status="finished", message="Finished all 2 epochs.", started=1.7e9 + number,
                  ended=1.7e9 + number + 1, data_path="/data/load.csv", data_sha256="ab" * 32,
                  settings={"model": {"cell": cell, "hidden": hidden, "layers": 1}, "train": {"seed": 0, "lr": 0.001}},
                  seed=0, history=history, epochs=2, best_val_loss=val_loss, verdict="Beats all three baselines.",
                  metrics={"validation": {"val_loss": val_loss}, "test": {"mase": val_loss, "mae": 1.0},
                           "baselines": {"naive": {"mase": 1.0, "mae": 2.0}}, "verdict_metric": "mase"})
    return RunRecord(**{**values, **changes})


@pytest.fixture
def services(qtbot, tmp_path):
    runner = Runner()
    parent = QWidget()
    qtbot.addWidget(parent)
    said = {"status": [], "errors": []}
    services = Services(runner, MessageBar(parent), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                        parent, said["status"].append, lambda: None, JobProgress(parent), lambda _w, _a: True)
    services.message_bar.show_error = lambda message, hint="": said["errors"].append(message)
    services.said = said
    yield services
    runner.cancel_all()
    assert runner.wait_all(20)


@pytest.fixture
def store_folder(tmp_path):
    folder = tmp_path / "runs"
    with RunStore(folder) as store:
        store.add_run(a_run(1, "lstm", 32, 0.50, name="first"))
        store.add_run(a_run(2, "gru", 32, 0.30))
        store.add_run(a_run(3, "lstm", 64, 0.40, starred=True, notes="wide"))
        store.add_run(a_run(4, "gru", 8, 0.90, kind="classifier", metrics={}))
    return folder


def shown_tab(qtbot, services, folder, kind="forecaster") -> RunsTab:
    tab = RunsTab(services, kind, folder=str(folder))
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitUntil(lambda: tab.model.total() > 0 or tab.message_bar.is_shown(), timeout=TIMEOUT_MS)
    return tab


def column(tab, key):
    return [tab.model.index(row, COLUMN_INDEX[key]).data() for row in range(tab.model.rowCount())]


def test_the_table_lists_the_runs_of_its_kind_and_sorts_by_any_column(qtbot, services, store_folder):
    tab = shown_tab(qtbot, services, store_folder)
    assert column(tab, "id") == ["3", "2", "1"]  # forecasters, newest first; the classifier is filtered out
    assert tab.actions.count_label.text() == "3 of 4 runs shown"
    tab.view.sortByColumn(COLUMN_INDEX["best_val_loss"], Qt.SortOrder.AscendingOrder)
    assert column(tab, "best_val_loss") == ["0.3", "0.4", "0.5"]
    tab.view.sortByColumn(COLUMN_INDEX["name"], Qt.SortOrder.DescendingOrder)
    assert column(tab, "name") == ["first", "", ""]  # runs without a name come last either way
    tab.filter_bar.text.setText("wide")
    assert column(tab, "id") == ["3"]
    tab.filter_bar.text.setText("")
    tab.filter_bar.kind.setCurrentIndex(0)  # all kinds
    assert tab.model.rowCount() == 4


def test_star_name_and_notes_are_written_to_the_store(qtbot, services, store_folder):
    tab = shown_tab(qtbot, services, store_folder)
    row = column(tab, "id").index("2")
    assert tab.model.setData(tab.model.index(row, COLUMN_INDEX["name"]), "  the GRU ")
    assert tab.model.setData(tab.model.index(row, COLUMN_INDEX["notes"]), "try more epochs")
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=tab.view.visualRect(tab.model.index(row, COLUMN_INDEX["starred"])).center())
    with RunStore(store_folder) as store:
        back = store.get_run(2)
    assert (back.name, back.notes, back.starred) == ("the GRU", "try more epochs", True)
    assert tab.model.index(row, COLUMN_INDEX["starred"]).data() == "\u2605"
    tab.filter_bar.starred_only.setChecked(True)
    assert sorted(column(tab, "id")) == ["2", "3"]


def test_selected_runs_are_compared_and_their_settings_used(qtbot, services, store_folder):
    tab = shown_tab(qtbot, services, store_folder)
    used = []
    tab.use_settings.connect(used.append)
    tab.select_runs([1, 2])
    qtbot.waitUntil(lambda: tab.compare.currentIndex() == 1 and len(tab.compare.records) == 2, timeout=TIMEOUT_MS)
    assert tab.compare.differing() == {"model.cell": ["gru", "lstm"]}  # the hidden size and the seed are the same
    assert tab.compare.settings_table.rowCount() == 1
    assert tab.compare.plot.curve_count() == 2
    scores = tab.compare.scores
    assert [scores.verticalHeaderItem(r).text() for r in range(3)] == ["#2", "#1", "naive"]
    assert scores.horizontalHeaderItem(0).text() == "MASE"
    assert tab.compare.scores_box.title().startswith("Scores on the test part, beside the baselines")
    assert scores.item(0, 0).text().endswith("\u2713") and not scores.item(1, 0).text().endswith("\u2713")
    tab.view.setCurrentIndex(tab.model.index(column(tab, "id").index("2"), 0))
    tab.select_runs([1, 2])
    tab.actions.use_button.click()
    assert used == [a_run(2, "gru", 32, 0.30).settings]


def test_the_table_and_the_selected_curves_export_as_csv(qtbot, services, store_folder, tmp_path):
    tab = shown_tab(qtbot, services, store_folder)
    tab.filter_bar.text.setText("lstm")
    paths = iter([str(tmp_path / "runs.csv"), str(tmp_path / "curves.csv")])
    tab.ask_save_path = lambda title, name: next(paths)
    tab.actions.export_table_button.click()
    qtbot.waitUntil(lambda: (tmp_path / "runs.csv").exists(), timeout=TIMEOUT_MS)
    with open(tmp_path / "runs.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [row["id"] for row in rows] == ["3", "1"] and rows[0]["settings.model.hidden"] == "64"
    tab.select_runs([3])
    tab.actions.export_curves_button.click()
    qtbot.waitUntil(lambda: (tmp_path / "curves.csv").exists(), timeout=TIMEOUT_MS)
    with open(tmp_path / "curves.csv", newline="") as fh:
        curves = list(csv.DictReader(fh))
    assert [(row["run"], row["epoch"], row["val_loss"]) for row in curves] == [("3", "1", "0.9"), ("3", "2", "0.4")]


def test_delete_asks_first_then_forgets_the_runs(qtbot, services, store_folder):
    tab = shown_tab(qtbot, services, store_folder)
    questions = []
    tab.confirm = lambda text: questions.append(text) or len(questions) > 1
    tab.select_runs([1, 3])
    tab.actions.delete_button.click()
    assert questions == ["Delete these 2 runs and the model files kept with them? This cannot be undone."]
    assert tab.model.total() == 4  # answered no
    tab.actions.delete_button.click()
    qtbot.waitUntil(lambda: column(tab, "id") == ["2"], timeout=TIMEOUT_MS)
    with RunStore(store_folder) as store:
        assert [r.id for r in store.list_runs()] == [2, 4]


def test_a_damaged_store_is_refused_in_words_and_the_tab_works_empty(qtbot, services, tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / DB_NAME).write_text("id,name\n1,a\n")
    tab = shown_tab(qtbot, services, folder)
    assert tab.message_bar.level() == "error"
    assert "is not a run store: it is not an SQLite database" in tab.message_bar.text()
    assert tab.model.rowCount() == 0
    assert not tab.actions.delete_button.isEnabled() and not tab.actions.use_button.isEnabled()
    assert (folder / DB_NAME).read_text() == "id,name\n1,a\n"  # never overwritten


# ----- the search form and the race (no processes, no training) ------------------------------------------------------

def search_tab(qtbot, services, tmp_path) -> SearchTab:
    """The Search tab on a work of the tiny settings (the caller keeps it: qtbot holds widgets weakly)."""
    work = Work("forecaster", str(tmp_path / "load.csv"), tiny_config())
    tab = SearchTab(services, "forecaster", lambda: work, lambda: str(tmp_path / "runs"))
    qtbot.addWidget(tab)
    return tab


def fake_sweep(stop_after: int | None = None):
    """A stand-in for run_sweep: trials that start and end as events, then a best model; with `stop_after`, it
    waits for Stop after that many trials."""
    seen = {}

    def run_sweep(spec, should_stop=None, on_event=None):
        seen["spec"] = spec
        values = [0.5, 0.3, None, 0.4]
        for trial, value in enumerate(values):
            if stop_after is not None and trial == stop_after:
                while not should_stop():
                    threading.Event().wait(0.01)
                break
            params = {"model.cell": "gru", "model.hidden": 16 + trial}
            on_event({"event": "trial_started", "trial": trial, "worker": 0, "params": params})
            on_event({"event": "epoch", "trial": trial, "epoch": 1, "loss": 1.0, "val_loss": 0.9})
            done = [v for v in values[:trial + 1] if v is not None]
            on_event({"event": "trial_finished", "trial": trial, "worker": 0, "params": params, "value": value,
                      "state": "pruned" if value is None else "complete", "run_id": trial + 1, "message": "",
                      "epochs": 1, "best_value": min(done)})
        settings = tiny_config().to_dict()
        best = BestModel(1, {"model.hidden": 17}, settings, {"val_loss": 0.3}, None,
                         {"verdict_tone": "better"}, "On the test part the model beats both baselines.",
                         SELECTION_NOTE, retrained=False)
        ran = {"complete": 3, "pruned": 1, "failed": 0}
        return sweep.SweepResult("s", "journal:x", "forecaster", spec.strategy, ran, ran,
                                 stop_after is not None, best)

    return run_sweep, seen


def test_the_search_shows_its_trials_and_the_best_chosen_on_validation(qtbot, services, tmp_path, monkeypatch):
    run_sweep, seen = fake_sweep()
    monkeypatch.setattr(sweep, "run_sweep", run_sweep)
    tab = search_tab(qtbot, services, tmp_path)
    view = tab.search
    view.trial_count.setValue(4)
    view.strategy.setCurrentIndex(view.strategy.findData("random"))
    used = []
    view.use_best.connect(lambda settings, path: used.append((settings, path)))
    assert view.start()
    qtbot.waitUntil(lambda: not view.is_running() and view.outcome is not None, timeout=TIMEOUT_MS)
    spec = seen["spec"]
    assert (spec.trials, spec.minutes, spec.strategy, spec.workers, spec.pruning) == (4, None, "random", None, True)
    assert {d.key for d in spec.space.dimensions} >= {"model.cell", "model.hidden", "train.lr"}
    assert view.trials.states() == {0: "complete", 1: "complete", 2: "pruned", 3: "complete"}
    assert view.best_plot.y == [0.5, 0.3, 0.3, 0.3]
    assert view.status.text() == "Done: 3 complete, 1 pruned, 0 failed."
    assert view.selection_note.text() == SELECTION_NOTE and view.verdict.tone() == "better"
    view.use_button.click()
    assert used == [(tiny_config().to_dict(), "")]  # the stand-in kept no model file


def test_stop_ends_the_search_and_keeps_the_finished_trials(qtbot, services, tmp_path, monkeypatch):
    run_sweep, _seen = fake_sweep(stop_after=2)
    monkeypatch.setattr(sweep, "run_sweep", run_sweep)
    tab = search_tab(qtbot, services, tmp_path)
    view = tab.search
    view.start()
    qtbot.waitUntil(lambda: len(view.trials.states()) == 2, timeout=TIMEOUT_MS)
    view.stop_button.click()
    qtbot.waitUntil(lambda: not view.is_running(), timeout=TIMEOUT_MS)
    assert view.status.text().startswith("Stopped") and view.trials.states() == {0: "complete", 1: "complete"}


def test_a_space_the_core_refuses_is_marked_beside_its_setting(qtbot, services, tmp_path):
    tab = search_tab(qtbot, services, tmp_path)
    view = tab.search
    row = view.space_form.rows["model.hidden"]
    row.values.setText("0 to 10")
    assert not view.start()
    assert not row.problem.isHidden() and "hidden" not in row.problem.text()
    assert row.problem.text() and view.job is None


def test_the_race_plots_each_cell_as_it_trains_and_names_the_winner(qtbot, services, tmp_path, monkeypatch):
    def fake_race(kind, data, config, equal_params=False, callbacks_for=None, should_stop=None, store=None,
                  read_options=None):
        cells = []
        for number, cell in enumerate(race_module.CELLS):
            reporter = callbacks_for(cell)[0]
            reporter.on_train_begin({"epochs": 1, "parameters": 100})
            reporter.on_epoch_end(1, {"epoch": 1, "loss": 1.0, "val_loss": 0.5 - number / 10})
            metrics = {"test": {"mase": 0.9 - number / 10}, "baselines": {"naive": {"mase": 1.0}},
                       "verdict_tone": "better"}
            cells.append(race_module.CellRun(cell, 8, 100, "finished", [{"epoch": 1, "val_loss": 0.5 - number / 10}],
                                             0.5 - number / 10, metrics, "Beats the naive forecast."))
        winner, words, tone = race_module.judge_race(kind, cells)
        return race_module.RaceResult(kind, cells, winner, words, tone, False, "race x")

    monkeypatch.setattr(race_module, "race", fake_race)
    tab = search_tab(qtbot, services, tmp_path)
    recorded = []
    tab.runs_recorded.connect(lambda: recorded.append(True))
    assert tab.race.start()
    qtbot.waitUntil(lambda: tab.race.result is not None, timeout=TIMEOUT_MS)
    assert {cell: len(points) for cell, points in tab.race.plot.points.items()} == {"lstm": 1, "gru": 1, "rnn": 1}
    assert tab.race.verdict.text().startswith("RNN wins on validation loss (0.3; LSTM 0.5, GRU 0.4).")
    assert tab.race.verdict.tone() == "better" and recorded == [True]
    assert tab.race.scores.item(2, 0).text().endswith("\u2713")  # the RNN's MASE


# ----- the window's own runs --------------------------------------------------------------------------------------

def test_a_window_run_is_recorded_with_its_model_and_a_failed_one_too(forecast_run, tmp_path):
    from workbench.core.errors import DataError
    from workbench.gui.panels.runs.recording import recorded_training

    work = Work("forecaster", str(tmp_path / "load.csv"), forecast_run.config, read_options={"delimiter": ","})
    warnings, seen = [], []

    def train(callbacks, should_stop):
        seen.append(callbacks)
        return forecast_run, "forecasts"

    result = recorded_training(train, work, str(tmp_path / "runs"), warnings.append, run_of=lambda r: r[0])(
        ["reporting"], lambda: False)
    assert result == (forecast_run, "forecasts") and seen[0][0] == "reporting" and len(seen[0]) == 2

    def fails(callbacks, should_stop):
        raise DataError("The series has 40 rows but the lookback window is 60.")

    with pytest.raises(DataError):
        recorded_training(fails, work, str(tmp_path / "runs"), warnings.append)([], lambda: False)
    with RunStore(tmp_path / "runs") as store:
        finished, failed = store.list_runs()
    assert (finished.status, finished.read_options, finished.epochs) == ("finished", {"delimiter": ","}, 3)
    assert finished.bundle and (tmp_path / "runs" / "bundles" / f"{finished.id}.swb").is_file()
    assert (failed.status, failed.message) == ("failed", "The series has 40 rows but the lookback window is 60.")
    assert warnings == []
