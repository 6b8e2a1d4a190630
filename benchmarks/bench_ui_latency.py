"""Event-loop latency of the window while it trains, and its training speed against the core alone.

    python -m benchmarks.bench_ui_latency           # CO2 sample, LSTM 64, 8 epochs
    python -m benchmarks.bench_ui_latency --quick   # 2 epochs
    python -m benchmarks.bench_ui_latency --text    # the ship's log: a 2 x 128 character LSTM, 20 batches an
                                                    # epoch, a sample after each epoch, and 3,000 characters
                                                    # generated from the best weights while it trains
    python -m benchmarks.bench_ui_latency --classify  # the 3,000 reviews: the default classifier, then the
                                                      # results, mistakes and confusion matrix filled in

A 10 ms QTimer heartbeat runs in the GUI thread while the window trains through its real worker; each gap
beyond 10 ms is time the event loop could not answer the user. Then the same run is timed in the core alone
(no Qt) to compare throughput. Needs a display or QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

SAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sample_data",
                      "co2_mauna_loa_weekly.csv")
SAMPLE_TEXT = os.path.join(os.path.dirname(SAMPLE), "ships_log.txt")
SAMPLE_REVIEWS = os.path.join(os.path.dirname(SAMPLE), "reviews.csv")
SAMPLES = {"series": SAMPLE, "text": SAMPLE_TEXT, "classify": SAMPLE_REVIEWS}
TEXT_SETTINGS = ("text.batches_per_epoch=20", "text.sample_length=200", "model.hidden=128", "model.layers=2")
GENERATED = 3000


def gui_run(epochs: int, heartbeat_ms: int = 10, kind: str = "series") -> tuple[list[float], dict]:
    from PySide6.QtCore import QTimer

    from workbench.gui.app import create_window

    app, window = create_window()
    window.warm_up(wait=True)
    assert window.open_path(SAMPLES[kind])
    if kind == "classify":
        # Opening a labelled table starts importing the classifier's stack aside; a user reads the table
        # meanwhile. Wait for it here (an import in progress blocks a second one) so the run is timed alone.
        from workbench.gui.main_window import _warm_up_classify

        _warm_up_classify()
    _apply(window, epochs, kind)
    gaps: list[float] = []
    last = [time.perf_counter()]
    done: dict = {}

    def beat() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(heartbeat_ms)
    heartbeat.timeout.connect(beat)

    def finished(result: dict) -> None:
        # The window's own slot ran just before this one (it filled the results tabs): count that time too.
        beat()
        done.update(result)
        heartbeat.stop()
        app.quit()

    window.worker.run_finished.connect(finished)
    if kind == "text":
        # Once the first epoch's weights exist, stream text from them while training goes on.
        panel = window.text.generation
        panel.length.setValue(GENERATED)
        window.worker.epochs_logged.connect(
            lambda _logs: None if panel.is_generating() or panel.generated_text() else panel.button.click())
    window.worker.run_failed.connect(lambda message, details: (done.update(error=message), app.quit()))
    heartbeat.start()
    last[0] = time.perf_counter()
    window.start_training()
    # app.quit() closes the window too; a benchmark's model is thrown away without asking.
    window.ask_save_model_on_close = lambda: True
    app.exec()
    window.close()
    return gaps, done


def _apply(window, epochs: int, kind: str) -> None:
    form = {"series": window.model_form, "text": window.text.form, "classify": window.classify.form}[kind]
    if kind == "text":
        for setting in TEXT_SETTINGS:
            key, value = setting.split("=")
            section, name = key.split(".")
            form.form(section).editor(name).set_value(int(value))
    form.form("train").editor("epochs").set_value(epochs)
    form.form("train").editor("patience").set_value(0)
    form.form("train").editor("threads").set_value(1)
    window._refresh_setup()


def core_seconds(config, kind: str = "series") -> float:
    if kind == "classify":
        from workbench.core.classify.pipeline import train_classifier
        from workbench.core.data.sources import read_table

        return train_classifier(read_table(SAMPLE_REVIEWS).frame, config).result.seconds
    if kind == "text":
        from workbench.core.text.pipeline import train_language_model
        from workbench.core.text.source import read_text
        from workbench.core.text.text_callbacks import SampleTimeline

        # The window writes a sample after each epoch too: the core alone does the same work.
        timeline = SampleTimeline(config.text.sample_length, lambda sample: None)
        return train_language_model(read_text(SAMPLE_TEXT), config, [timeline]).result.seconds
    from workbench.core.data.series import prepare_series
    from workbench.core.data.sources import read_table
    from workbench.core.forecast.pipeline import train_forecaster

    series = prepare_series(read_table(SAMPLE).frame, config.data)
    return train_forecaster(series, config).result.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--text", action="store_true", help="train a language model on the sample text instead")
    parser.add_argument("--classify", action="store_true", help="train a classifier on the sample reviews instead")
    parser.add_argument("--heartbeat-ms", type=int, default=10,
                        help="probe period; a large value shows the window's own cost without the probe's")
    args = parser.parse_args()
    kind = "text" if args.text else "classify" if args.classify else "series"
    epochs = 2 if args.quick else {"series": 20, "text": 10, "classify": 8}[kind]
    from workbench.core.run_config import ClassifyRunConfig, RunConfig, TextRunConfig

    common = [f"train.epochs={epochs}", "train.patience=0", "train.threads=1"]
    config = {"series": lambda: RunConfig().with_overrides(common),
              "text": lambda: TextRunConfig().with_overrides([*common, *TEXT_SETTINGS]),
              "classify": lambda: ClassifyRunConfig().with_overrides(common)}[kind]()
    core_before = core_seconds(config, kind)
    gaps, result = gui_run(epochs, args.heartbeat_ms, kind)
    assert "error" not in result, result
    lateness = np.array(gaps) - args.heartbeat_ms  # the heartbeat's own period is not latency
    print(f"heartbeat gaps while training ({len(gaps)} beats, {result['epochs_run']} epochs): "
          f"median {statistics.median(gaps):.1f} ms, p99 {np.percentile(gaps, 99):.1f} ms, max {max(gaps):.1f} ms; "
          f"beats more than 100 ms late: {(lateness > 100).sum()}")
    # The core alone is timed before and after the window, and the faster is kept, so machine noise does
    # not flatter the window.
    core = min(core_before, core_seconds(config, kind))
    print(f"training time: window {result['seconds']:.2f} s, core alone {core:.2f} s, "
          f"throughput ratio window/core {core / result['seconds']:.3f}")


if __name__ == "__main__":
    main()
