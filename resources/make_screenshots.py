"""Regenerate the README's screenshots from the real window, trained on the bundled samples.

    xvfb-run -s "-screen 0 1400x900x24" python resources/make_screenshots.py [--only NAME ...]

Each picture is `window.grab()` of the main window at 1320x820 after the steps a user would take; training
uses the default settings of each kind of work (a few minutes in all on two cores), except the backtest, which
runs three folds of a small model. `--only` makes just the pictures named (and trains only what they need);
`--size`, `--out` and `--epochs` make quick pictures elsewhere to check a layout at another window size:

    xvfb-run -s "-screen 0 1920x1080x24" python resources/make_screenshots.py --only metrics backtest \\
        --size 1920x1080 --epochs 3 --out /tmp/shots
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "resources" / "screenshots"
SAMPLES = ROOT / "sample_data"
# The pictures of the series workspace that need a trained model, and those of the other two kinds of work.
TRAINED_SERIES = {"training", "forecast", "forecast_fan", "metrics", "residuals", "anomalies"}
SERIES = {"data", "invalid_setting", "backtest", *TRAINED_SERIES}
TEXT = {"text_view", "text_training", "text_generate"}
CLASSIFY = {"classify_texts", "classify_results", "classify_mistakes"}
BACKTEST_FOLDS = 3
# The backtest's model: small, so three folds train in seconds (its point is the folds, not the model).
BACKTEST_MODEL = {("model", "hidden"): 8, ("train", "epochs"): 3}


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

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.ask_save_model_on_close = lambda workspace: True
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
