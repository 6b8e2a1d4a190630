"""Regenerate the README's screenshots from the real window, trained on the bundled samples.

    nice -n 10 xvfb-run -s "-screen 0 1400x900x24" python resources/make_screenshots.py [--only NAME ...]

Each picture is `window.grab()` of the main window at 1320x820 after the steps a user would take; training
uses the default settings of each kind of work (a few minutes in all on two cores), except the backtest, which
runs three folds of a small model, and the experiments, which train small models for a few epochs (about two
minutes together): `runs` six runs in a fresh runs folder, `race` a cell race, `search` an eight-trial search,
and `study` a shared study made by two `workbench sweep` processes on a journal in a temporary folder. Runs are
recorded in temporary folders, never in the user's own. `--only` makes just the pictures named (and trains only
what they need); `--size`, `--out` and `--epochs` make quick pictures elsewhere to check a layout at another
window size:

    xvfb-run -s "-screen 0 1920x1080x24" python resources/make_screenshots.py --only metrics backtest \\
        --size 1920x1080 --epochs 3 --out /tmp/shots
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "resources" / "screenshots"
SAMPLES = ROOT / "sample_data"
# The pictures of the series workspace that need a trained model, and those of the other two kinds of work.
TRAINED_SERIES = {"training", "forecast", "forecast_fan", "metrics", "residuals", "anomalies"}
EXPERIMENTS = {"runs", "race", "search", "study"}
SERIES = {"data", "invalid_setting", "backtest", *TRAINED_SERIES, *EXPERIMENTS}
TEXT = {"text_view", "text_training", "text_generate"}
CLASSIFY = {"classify_texts", "classify_results", "classify_mistakes"}
BACKTEST_FOLDS = 3
# The backtest's model: small, so three folds train in seconds (its point is the folds, not the model).
BACKTEST_MODEL = {("model", "hidden"): 8, ("train", "epochs"): 3}
# The experiments' models: small and short, since their point is the comparison, not the model.
SMALL_MODEL = {("model", "hidden"): 16, ("train", "epochs"): 8}
# The runs of the Runs tab, trained in the window one after another: (cell, hidden units).
RUNS = (("lstm", 16), ("lstm", 32), ("lstm", 64), ("gru", 32), ("gru", 64), ("rnn", 32))
FIRST_RUN_NAME = "first try"
# The search: what varies (values or a range, log scale), its trials and workers.
SEARCH_SPACE = {"model.cell": ("lstm, gru, rnn", False), "model.hidden": ("8 to 64", True),
                "train.lr": ("0.0005 to 0.01", True)}
SEARCH_TRIALS, SEARCH_WORKERS = 8, 2
# The shared study: two sweeps of STUDY_TRIALS trials each, started together on one journal.
STUDY_NAME, STUDY_TRIALS = "co2-shared", 3
STUDY_SPACE = """[model]
cell = ["lstm", "gru", "rnn"]
hidden = { low = 8, high = 32, log = true }

[train]
lr = { low = 0.001, high = 0.01, log = true }
"""


class Shots:
    """Where the pictures go and which are wanted."""

    def __init__(self, app: QApplication, window, folder: Path, only: set[str]) -> None:
        self.app, self.window, self.folder, self.only = app, window, folder, only

    def wants(self, names: set[str]) -> bool:
        return not self.only or bool(self.only & names)

    def grab(self, name: str) -> None:
        if not self.wants({name}):
            return
        for _ in range(20):  # let layouts and plots settle
            self.app.processEvents()
            time.sleep(0.02)
        self.window.grab().save(str(self.folder / f"{name}.png"))
        print("wrote", self.folder / f"{name}.png")

    def wait_until(self, condition, timeout_s: float = 900.0) -> None:
        end = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError("the window did not get there in time")
            self.app.processEvents()
            time.sleep(0.02)

    def open(self, path: Path):
        outcome = []
        self.window.opener.opened.connect(outcome.append)
        self.window.opener.failed.connect(lambda: outcome.append(None))
        self.window.open_path(str(path))
        self.wait_until(lambda: outcome)
        return self.window.active()

    def train(self, workspace) -> None:
        ended = []
        workspace.run_ended.connect(ended.append)
        assert workspace.start_training(), workspace.can_train
        self.wait_until(lambda: ended)


# The steps on their own, for other scripts that drive the window the same way.
def open_and_wait(app: QApplication, window, path: Path):
    return Shots(app, window, SHOTS, set()).open(path)


def train_and_wait(app: QApplication, workspace) -> None:
    Shots(app, None, SHOTS, set()).train(workspace)


def set_setting(workspace, section: str, name: str, value: object) -> None:
    workspace.model_form.form(section).editor(name).set_value(value)
    workspace.update_can_train()


def series_shots(shots: Shots, epochs: int | None) -> None:
    series = shots.open(SAMPLES / "co2_mauna_loa_weekly.csv")
    shots.grab("data")
    editor = series.model_form.form("model").editor("layers")
    series.left_tabs.setCurrentWidget(series.model_form)
    editor.editor.setText("0")
    editor._on_edited()
    series.update_can_train()
    shots.grab("invalid_setting")
    editor.set_value(1)
    series.update_can_train()
    series.left_tabs.setCurrentWidget(series.data_panel)
    # Eight weeks ahead, so the fan and the per-step table have something to show.
    set_setting(series, "data", "horizon", 8)
    if epochs is not None:
        set_setting(series, "train", "epochs", epochs)
    if shots.wants(TRAINED_SERIES):
        trained_series_shots(shots, series)
    if shots.wants({"backtest"}):
        backtest_shot(shots, series)
    if shots.wants(EXPERIMENTS):
        experiment_shots(shots, series)


def trained_series_shots(shots: Shots, series) -> None:
    shots.train(series)
    shots.grab("training")
    series.right_tabs.setCurrentWidget(series.forecast_view)
    shots.grab("forecast")
    view = series.forecast_view
    view.mode.setCurrentIndex(view.mode.findData("fan"))
    view.origin.setValue(view.origin.maximum() - 20)
    shots.grab("forecast_fan")
    view.mode.setCurrentIndex(view.mode.findData("step"))
    series.right_tabs.setCurrentWidget(series.metrics_view)
    shots.grab("metrics")
    series.right_tabs.setCurrentWidget(series.residuals_view)
    shots.grab("residuals")
    if shots.wants({"anomalies"}):
        anomalies = series.uncertainty.anomalies_view
        series.right_tabs.setCurrentWidget(anomalies)  # they are found when the tab first shows
        shots.wait_until(lambda: anomalies.anomalies is not None)
        shots.grab("anomalies")


def backtest_shot(shots: Shots, series) -> None:
    for (section, name), value in BACKTEST_MODEL.items():
        set_setting(series, section, name, value)
    view = series.uncertainty.backtest_view
    series.right_tabs.setCurrentWidget(view)
    view.folds.setValue(BACKTEST_FOLDS)
    view.run_button.click()
    shots.wait_until(lambda: view.result is not None and not view.stop_button.isEnabled())
    shots.grab("backtest")


def experiment_shots(shots: Shots, series) -> None:
    from workbench.gui.panels.runs.work import RUNS_FOLDER_KEY

    # A fresh runs folder: the Runs tab lists only the runs made here.
    series.services.settings.setValue(RUNS_FOLDER_KEY, tempfile.mkdtemp(prefix="workbench-runs-"))
    series.experiments.runs.reload()
    for (section, name), value in SMALL_MODEL.items():
        set_setting(series, section, name, value)
    if shots.wants({"runs"}):
        runs_shot(shots, series)
        set_setting(series, "model", "hidden", SMALL_MODEL[("model", "hidden")])
    search_tab = series.experiments.search
    series.right_tabs.setCurrentWidget(series.experiments.search_page)
    if shots.wants({"race"}):
        race = search_tab.race
        search_tab.setCurrentWidget(race)
        assert race.start()
        shots.wait_until(lambda: race.result is not None and not race.is_running())
        shots.grab("race")
    if shots.wants({"search"}):
        search_tab.setCurrentWidget(search_tab.search)
        search_shot(shots, search_tab.search)
    if shots.wants({"study"}):
        search_tab.setCurrentWidget(search_tab.study)
        study_shot(shots, search_tab.study)


def runs_shot(shots: Shots, series) -> None:
    """Six runs trained in the window; the best starred, the first named, and those two compared."""
    from workbench.gui.panels.runs.rows import COLUMN_INDEX

    for cell, hidden in RUNS:
        set_setting(series, "model", "cell", cell)
        set_setting(series, "model", "hidden", hidden)
        shots.train(series)
    runs = series.experiments.runs
    series.right_tabs.setCurrentWidget(series.experiments.runs_page)
    shots.wait_until(lambda: not runs.is_loading() and runs.model.rowCount() == len(RUNS))
    rows = runs.model.shown_rows()
    ids = sorted(row.run_id for row in rows)  # in the order of RUNS
    loss = COLUMN_INDEX["best_val_loss"]
    best = min(rows, key=lambda row: row.keys[loss]).run_id
    position = {row.run_id: number for number, row in enumerate(rows)}
    runs.model.set_starred(position[best], True)
    runs.model.setData(runs.model.index(position[ids[0]], COLUMN_INDEX["name"]), FIRST_RUN_NAME)
    compared = list(dict.fromkeys([best, ids[0], ids[1]]))[:2]
    runs.select_runs(compared)
    shots.wait_until(lambda: not runs.is_loading() and len(runs.compare.records) == len(compared))
    arrange_runs(shots, runs)
    shots.grab("runs")


def arrange_runs(shots: Shots, runs) -> None:
    """Drag the Runs tab's splitters as a user would: the table as tall as its rows, the compared runs' tables as
    tall as theirs, and the plot the rest."""
    view, outer, page = runs.view, runs.compare.parentWidget(), runs.compare.widget(1)
    rows = view.horizontalHeader().height() + view.verticalHeader().length() + 2 * view.frameWidth()
    top = outer.sizes()[0] - view.height() + rows + view.horizontalScrollBar().height()
    outer.setSizes([top, sum(outer.sizes()) - top])
    shots.app.processEvents()
    tables = page.widget(1).sizeHint().height()
    page.setSizes([sum(page.sizes()) - tables, tables])


def search_shot(shots: Shots, view) -> None:
    """A small random search, pruning on, two workers."""
    shots.wait_until(lambda: not view._defaults.is_pending())  # the data's default space would replace ours
    for key, row in view.space_form.rows.items():
        row.vary.setChecked(key in SEARCH_SPACE)
        if key in SEARCH_SPACE:
            row.values.setText(SEARCH_SPACE[key][0])
            row.log.setChecked(SEARCH_SPACE[key][1])
    view.trial_count.setValue(SEARCH_TRIALS)
    view.workers.setValue(SEARCH_WORKERS)
    view.strategy.setCurrentIndex(view.strategy.findData("random"))
    view.pruning.setChecked(True)
    shots.window.statusBar().clearMessage()  # the search says its end on the page, not in the status line
    assert view.start(), view.status.text()
    shots.wait_until(lambda: view.outcome is not None and not view.is_running())
    arrange_search(shots, view)
    shots.grab("search")


def arrange_search(shots: Shots, view) -> None:
    """Drag the search page's splitters as a user would: the form only as wide as its longest value needs, the
    trials table as tall as its rows."""
    table, live = view.trials, view.trials.parentWidget()
    across = live.parentWidget().parentWidget()
    fields = [row.values for row in view.space_form.rows.values()]
    spare = min(field.width() - field.fontMetrics().horizontalAdvance(field.text()) for field in fields) - 16
    if spare > 0:
        setup, results = across.sizes()
        across.setSizes([setup - spare, results + spare])
    shots.app.processEvents()
    rows = table.horizontalHeader().height() + table.verticalHeader().length() + 2 * table.frameWidth()
    live.setSizes([rows, sum(live.sizes()) - rows])


def study_shot(shots: Shots, view) -> None:
    """Two `workbench sweep` processes started together on one journal, then their study watched here."""
    folder = Path(tempfile.mkdtemp(prefix="workbench-study-"))
    (folder / "space.toml").write_text(STUDY_SPACE)
    url = f"journal:{folder / 'study.journal'}"
    command = [sys.executable, "-m", "workbench", "sweep", str(SAMPLES / "co2_mauna_loa_weekly.csv"),
               "--storage", url, "--study", STUDY_NAME, "--trials", str(STUDY_TRIALS), "--workers", "1",
               "--space", str(folder / "space.toml"), "--set", "train.epochs=3", "--runs", str(folder / "runs"),
               "--quiet"]
    sweeps = [subprocess.Popen([*command, "--seed", str(seed)], cwd=ROOT) for seed in (1, 2)]
    view.url.setText(url)
    shots.wait_until(lambda: all(sweep.poll() is not None for sweep in sweeps))
    assert all(sweep.returncode == 0 for sweep in sweeps), [sweep.returncode for sweep in sweeps]
    view.list_studies()
    # Every trial shown, and the words above them say so.
    shots.wait_until(lambda: len(view.rows) == 2 * STUDY_TRIALS and view.words.text().startswith(f"{len(view.rows)} "))
    shots.grab("study")


def text_shots(shots: Shots) -> None:
    text = shots.open(SAMPLES / "ships_log.txt")
    shots.grab("text_view")
    if shots.wants({"text_training", "text_generate"}):
        text.form.form("train").editor("epochs").set_value(5)
        text.update_can_train()
        shots.train(text)
        shots.grab("text_training")
        text.right_tabs.setCurrentWidget(text.generation)
        text.generation.prompt.setPlainText("Wind")
        text.generation.length.setValue(400)
        text.generation.seed.setText("1")
        text.generate(text.generation.settings())
        shots.wait_until(lambda: not text.generation.is_generating())
        shots.grab("text_generate")


def classify_shots(shots: Shots) -> None:
    classify = shots.open(SAMPLES / "reviews.csv")
    shots.grab("classify_texts")
    if shots.wants({"classify_results", "classify_mistakes"}):
        shots.train(classify)
        classify.right_tabs.setCurrentWidget(classify.results_view)
        shots.grab("classify_results")
        classify.right_tabs.setCurrentWidget(classify.mistakes)
        shots.grab("classify_mistakes")


def window_size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="names of the pictures to make (default: all)")
    parser.add_argument("--size", type=window_size, default=(1320, 820), help="window size, WIDTHxHEIGHT")
    parser.add_argument("--out", type=Path, default=SHOTS, help="folder for the pictures")
    parser.add_argument("--epochs", type=int, default=None, help="train the series model this many epochs at most "
                        "(default: the default settings)")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    sys.path.insert(0, str(ROOT))
    from workbench.gui.main_window import MainWindow
    from workbench.gui.panels.runs.work import RUNS_FOLDER_KEY

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    # Runs recorded in a temporary folder, never in the user's own; training again discards the last model.
    settings.setValue(RUNS_FOLDER_KEY, tempfile.mkdtemp(prefix="workbench-runs-"))
    window = MainWindow(settings)
    window.ask_save_model_on_close = lambda workspace: True
    window.files.guard.ask = lambda workspace, text: QMessageBox.StandardButton.Discard
    window.resize(*args.size)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)
    shots = Shots(app, window, args.out, set(args.only))
    shots.grab("welcome")
    if shots.wants(SERIES):
        series_shots(shots, args.epochs)
    if shots.wants(TEXT):
        text_shots(shots)
    if shots.wants(CLASSIFY):
        classify_shots(shots)
    window.close()


if __name__ == "__main__":
    main()
