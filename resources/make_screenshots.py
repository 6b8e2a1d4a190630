"""Regenerate the README's screenshots from the real window, trained on the bundled samples.

    xvfb-run -s "-screen 0 1400x900x24" python resources/make_screenshots.py [--only NAME ...]

Each picture is `window.grab()` of the main window at 1320x820 after the steps a user would take; training
uses the default settings of each kind of work (a few minutes in all on two cores).
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


def wait_until(app: QApplication, condition, timeout_s: float = 900.0) -> None:
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def grab(app: QApplication, window, name: str, only: set[str]) -> None:
    if only and name not in only:
        return
    for _ in range(20):  # let layouts and plots settle
        app.processEvents()
        time.sleep(0.02)
    window.grab().save(str(SHOTS / f"{name}.png"))
    print("wrote", name)


def open_and_wait(app: QApplication, window, path: Path):
    outcome = []
    window.opener.opened.connect(outcome.append)
    window.opener.failed.connect(lambda: outcome.append(None))
    window.open_path(str(path))
    wait_until(app, lambda: outcome)
    return window.active()


def train_and_wait(app: QApplication, workspace) -> None:
    ended = []
    workspace.run_ended.connect(ended.append)
    assert workspace.start_training(), workspace.can_train
    wait_until(app, lambda: ended)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="names of the pictures to make (default: all)")
    only = set(parser.parse_args().only)
    app = QApplication(sys.argv[:1])
    sys.path.insert(0, str(ROOT))
    from workbench.gui.main_window import MainWindow

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.ask_save_model_on_close = lambda workspace: True
    window.resize(1320, 820)
    window.show()
    grab(app, window, "welcome", only)

    series = open_and_wait(app, window, SAMPLES / "co2_mauna_loa_weekly.csv")
    grab(app, window, "data", only)
    editor = series.model_form.form("model").editor("layers")
    series.left_tabs.setCurrentWidget(series.model_form)
    editor.editor.setText("0")
    editor._on_edited()
    series.update_can_train()
    grab(app, window, "invalid_setting", only)
    editor.set_value(1)
    series.update_can_train()
    series.left_tabs.setCurrentWidget(series.data_panel)
    if only & {"training", "forecast", "forecast_fan", "metrics", "residuals"} or not only:
        # Eight weeks ahead, so the fan and the per-step table have something to show.
        series.model_form.form("data").editor("horizon").set_value(8)
        series.update_can_train()
        train_and_wait(app, series)
        grab(app, window, "training", only)
        series.right_tabs.setCurrentWidget(series.forecast_view)
        grab(app, window, "forecast", only)
        view = series.forecast_view
        view.mode.setCurrentIndex(view.mode.findData("fan"))
        view.origin.setValue(view.origin.maximum() - 20)
        grab(app, window, "forecast_fan", only)
        view.mode.setCurrentIndex(view.mode.findData("step"))
        series.right_tabs.setCurrentWidget(series.metrics_view)
        grab(app, window, "metrics", only)
        series.right_tabs.setCurrentWidget(series.residuals_view)
        grab(app, window, "residuals", only)

    text = open_and_wait(app, window, SAMPLES / "ships_log.txt")
    grab(app, window, "text_view", only)
    if only & {"text_training", "text_generate"} or not only:
        text.form.form("train").editor("epochs").set_value(5)
        text.update_can_train()
        train_and_wait(app, text)
        grab(app, window, "text_training", only)
        text.right_tabs.setCurrentWidget(text.generation)
        text.generation.prompt.setPlainText("Wind")
        text.generation.length.setValue(400)
        text.generation.seed.setText("1")
        text.generate(text.generation.settings())
        wait_until(app, lambda: not text.generation.is_generating())
        grab(app, window, "text_generate", only)

    classify = open_and_wait(app, window, SAMPLES / "reviews.csv")
    grab(app, window, "classify_texts", only)
    if only & {"classify_results", "classify_mistakes"} or not only:
        train_and_wait(app, classify)
        classify.right_tabs.setCurrentWidget(classify.results_view)
        grab(app, window, "classify_results", only)
        classify.right_tabs.setCurrentWidget(classify.mistakes)
        grab(app, window, "classify_mistakes", only)
    window.close()


if __name__ == "__main__":
    main()
