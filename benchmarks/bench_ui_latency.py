"""Event-loop latency of the window while it trains or reads a large file, and its training speed against the core.

    python -m benchmarks.bench_ui_latency           # CO2 sample, LSTM 64, 20 epochs
    python -m benchmarks.bench_ui_latency --quick   # 2 epochs
    python -m benchmarks.bench_ui_latency --smoke   # the series run at 1 epoch of 8 units and the rows read at
                                                    # 2,000 rows (with --text, --classify or --read: that part,
                                                    # smallest): proves the script runs (the test suite); the
                                                    # figures mean nothing
    python -m benchmarks.bench_ui_latency --text    # the ship's log: a 2 x 128 character LSTM, 20 batches an
                                                    # epoch, a sample after each epoch, and 3,000 characters
                                                    # generated from the best weights while it trains
    python -m benchmarks.bench_ui_latency --classify  # the 3,000 reviews: the default classifier, then the
                                                      # results, mistakes and confusion matrix filled in
    python -m benchmarks.bench_ui_latency --read rows   # open a generated 1,000,000-row CSV (date + 2 numbers)
    python -m benchmarks.bench_ui_latency --read wide   # open a generated 5,000-column CSV (date + 5,000 numbers)

A 10 ms QTimer heartbeat runs in the GUI thread while the window trains through its real background runner;
each gap beyond 10 ms is time the event loop could not answer the user. Then the same run is timed in the core
alone (no Qt) to compare throughput. With --read, the heartbeat runs while the window reads a generated file
through File > Open's own path and shows it, twice: first into a new window (which builds the workspace), then
again; it prints the gaps and the time until the data is on screen. Qt renders offscreen unless the caller
chose a platform (QT_QPA_PLATFORM).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import traceback

import numpy as np

SAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sample_data",
                      "co2_mauna_loa_weekly.csv")
SAMPLE_TEXT = os.path.join(os.path.dirname(SAMPLE), "ships_log.txt")
SAMPLE_REVIEWS = os.path.join(os.path.dirname(SAMPLE), "reviews.csv")
SAMPLES = {"series": SAMPLE, "text": SAMPLE_TEXT, "classify": SAMPLE_REVIEWS}
TEXT_SETTINGS = ("text.batches_per_epoch=20", "text.sample_length=200", "model.hidden=128", "model.layers=2")
GENERATED = 3000
# --smoke: every kind at its smallest, so the script is proved to run in seconds; the figures mean nothing.
SMOKE_SETTINGS = ("model.hidden=8", "model.layers=1")
SMOKE_TEXT_SETTINGS = ("text.batches_per_epoch=3", "text.sample_length=20")
SMOKE_GENERATED = 100
SMOKE_REVIEWS_PER_CLASS = 100  # rows of the sample reviews
# --read: (rows, numeric columns) of the generated files; --smoke reads both at the small sizes.
READ_SIZES = {"rows": (1_000_000, 2), "wide": (500, 5_000)}
SMOKE_READ_SIZES = {"rows": (2_000, 2), "wide": (50, 200)}
AFTER_READY_S = 1.0  # the heartbeat keeps running this long after the data is shown: its first paints count too


def gui_run(config, path: str, heartbeat_ms: int = 10, kind: str = "series", generated: int = GENERATED
            ) -> tuple[list[float], dict]:
    """Train `config` in the window on the data at `path` while a heartbeat probes the event loop."""
    from PySide6.QtCore import QEventLoop

    from benchmarks.heartbeat import Heartbeat
    from workbench.gui.app import create_window

    app, window = create_window()
    _fail_fast(app, window)
    window.warm_up(wait=True)
    workspace = _open(window, path)
    _apply(workspace, config, kind)
    heartbeat = Heartbeat(heartbeat_ms)
    done: dict = {}

    def ended(outcome: str) -> None:
        # The workspace showed the run (results tabs filled in) just before it said so: count that time too.
        heartbeat.beat()
        done["outcome"] = outcome
        heartbeat.stop()
        loop.quit()

    workspace.run_ended.connect(ended)
    if kind == "text":
        # Once the first epoch's weights exist, stream text from them while training goes on.
        from workbench.gui.training_job import EPOCHS

        panel = workspace.generation
        panel.length.setValue(generated)

        def epochs_delivered(channel: str, _items: list) -> None:
            if channel == EPOCHS and not (panel.is_generating() or panel.generated_text()):
                panel.button.click()

        window.runner.job_started.connect(
            lambda job: job.delivered.connect(epochs_delivered) if job.name == "training" else None)
    loop = QEventLoop()
    _wait_until_ready(app, workspace)  # what opening the data started off the GUI thread (token counts, checks)
    heartbeat.start()
    assert workspace.start_training(), workspace.can_train
    loop.exec()
    if done.get("outcome") == "finished":
        result = workspace.job.result
        run = result[0] if kind == "series" else result  # the series workspace's job returns (run, inspection)
        done.update(seconds=run.result.seconds, epochs_run=run.result.epochs_run)
    # Closing the window would ask about the unsaved model; a benchmark's model is thrown away.
    window.ask_save_model_on_close = lambda *_: True
    window.close()
    app.processEvents()
    return heartbeat.gaps, done


def _fail_fast(app, window) -> None:
    """Print any error with its traceback and end the event loops, instead of the window's dialog and log file.

    Otherwise a bug in the window (or a changed API) would leave the benchmark waiting for a run that never ends.
    """

    def on_error(exc_type, exc, tb) -> None:
        traceback.print_exception(exc_type, exc, tb)
        app.exit(1)  # every running event loop returns

    def on_job(job) -> None:
        job.crashed.connect(lambda message, details: (print(details, file=sys.stderr), app.exit(1)))

    sys.excepthook = on_error
    threading.excepthook = lambda args: on_error(args.exc_type, args.exc_value, args.exc_traceback)
    window.runner.job_started.connect(on_job)


def _open(window, path: str):
    """Open `path` as File > Open does and wait until it is read: the workspace it opened in."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    opened: list = []
    window.opener.opened.connect(lambda kind: (opened.append(kind), loop.quit()))
    window.opener.failed.connect(lambda: (opened.append(None), loop.quit()))
    window.open_path(path)
    loop.exec()
    if not opened or opened[0] is None:
        raise SystemExit(f"the window could not open {path}")
    return window.workspaces[opened[0]]


def _apply(workspace, config, kind: str) -> None:
    """Put the run's settings into the workspace's form, as a user typing them would."""
    if kind == "series":
        workspace.model_form.set_config(config)
    else:
        workspace.set_config(config)
    workspace.update_can_train()


def core_seconds(config, path: str, kind: str = "series") -> float:
    """Seconds the core alone takes to train `config` on the data at `path`."""
    if kind == "classify":
        from workbench.core.classify.pipeline import train_classifier
        from workbench.core.data.sources import read_table

        return train_classifier(read_table(path).frame, config).result.seconds
    if kind == "text":
        from workbench.core.text.pipeline import train_language_model
        from workbench.core.text.source import read_text
        from workbench.core.text.text_callbacks import SampleTimeline

        # The window writes a sample after each epoch too: the core alone does the same work.
        timeline = SampleTimeline(config.text.sample_length, lambda sample: None)
        return train_language_model(read_text(path), config, [timeline]).result.seconds
    from workbench.core.data.series import prepare_series
    from workbench.core.data.sources import read_table
    from workbench.core.forecast.pipeline import train_forecaster

    series = prepare_series(read_table(path).frame, config.data)
    return train_forecaster(series, config).result.seconds


def measure(kind: str, path: str, epochs: int, heartbeat_ms: int, smoke: bool) -> None:
    """Train one kind in the window and in the core alone, and print the gaps and the throughput ratio."""
    from workbench.core.run_config import ClassifyRunConfig, RunConfig, TextRunConfig

    common = [f"train.epochs={epochs}", "train.patience=0", "train.threads=1"]
    text = [*TEXT_SETTINGS, *(SMOKE_TEXT_SETTINGS if smoke else ())]
    smaller = SMOKE_SETTINGS if smoke else ()
    config = {"series": lambda: RunConfig().with_overrides([*common, *smaller]),
              "text": lambda: TextRunConfig().with_overrides([*common, *text, *smaller]),
              "classify": lambda: ClassifyRunConfig().with_overrides([*common, *smaller])}[kind]()
    core_before = core_seconds(config, path, kind)
    gaps, result = gui_run(config, path, heartbeat_ms, kind, SMOKE_GENERATED if smoke else GENERATED)
    if result.get("outcome") != "finished":
        raise SystemExit(f"the {kind} run in the window did not finish: {result}")
    lateness = np.array(gaps) - heartbeat_ms  # the heartbeat's own period is not latency
    print(f"{kind}: heartbeat gaps while training ({len(gaps)} beats, {result['epochs_run']} epochs): "
          f"median {statistics.median(gaps):.1f} ms, p99 {np.percentile(gaps, 99):.1f} ms, max {max(gaps):.1f} ms; "
          f"beats more than 100 ms late: {(lateness > 100).sum()}")
    # The core alone is timed before and after the window, and the faster is kept, so machine noise does
    # not flatter the window.
    core = min(core_before, core_seconds(config, path, kind))
    print(f"{kind}: training time: window {result['seconds']:.2f} s, core alone {core:.2f} s, "
          f"throughput ratio window/core {core / result['seconds']:.3f}")


def _wait_until_ready(app, workspace, timeout_s: float = 120.0) -> None:
    """Let the event loop run until the workspace can train (its background preparation has ended)."""
    deadline = time.perf_counter() + timeout_s
    while not workspace.can_train[0] and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)


def write_table(path: str, rows: int, columns: int) -> None:
    """A CSV of a daily (or per-minute, when long) date column and `columns` columns of noise, 4 decimals."""
    import pandas as pd

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(rows, columns)).round(4), columns=[f"x{i}" for i in range(columns)])
    freq = "min" if rows > 100_000 else "D"
    frame.insert(0, "date", pd.date_range("2000-01-01", periods=rows, freq=freq).strftime("%Y-%m-%d %H:%M"))
    frame.to_csv(path, index=False)


def read_run(path: str, heartbeat_ms: int = 10) -> list[tuple[float, list[float], str]]:
    """Open `path` in a new window twice while a heartbeat probes the event loop: (seconds until the data was
    on screen, gaps, notes) for each open."""
    from workbench.gui.app import create_window

    app, window = create_window()
    _fail_fast(app, window)
    window.warm_up(wait=True)  # torch's import would otherwise compete with the reading for the GIL
    notes: list[str] = []

    def confirm(_path, table):
        # A file whose options had to be guessed opens the import dialog: accepted as read, as most users would.
        notes.append("the import dialog was accepted as it opened")
        return table

    window.opener.confirm_import = confirm
    results = []
    for _ in range(2):
        notes.clear()
        ready, gaps = _read_once(window, path, heartbeat_ms)
        results.append((ready, gaps, "; ".join(dict.fromkeys(notes))))
    window.close()
    app.processEvents()
    return results


def _read_once(window, path: str, heartbeat_ms: int) -> tuple[float, list[float]]:
    """Open `path` as File > Open does with the heartbeat running; the seconds until it is shown, and the gaps
    until AFTER_READY_S later."""
    from PySide6.QtCore import QEventLoop, QTimer

    from benchmarks.heartbeat import Heartbeat

    heartbeat = Heartbeat(heartbeat_ms)
    loop = QEventLoop()
    outcome: list = []

    def opened(kind: str) -> None:
        outcome.append(kind)
        loop.quit()

    def failed() -> None:
        outcome.append(None)
        loop.quit()

    window.opener.opened.connect(opened)
    window.opener.failed.connect(failed)
    start = heartbeat.start()
    window.open_path(path)
    loop.exec()
    ready = time.perf_counter() - start
    window.opener.opened.disconnect(opened)
    window.opener.failed.disconnect(failed)
    if outcome != ["series"]:
        raise SystemExit(f"the window did not open {path} as a series: {outcome}")
    QTimer.singleShot(int(AFTER_READY_S * 1000), loop.quit)
    loop.exec()
    heartbeat.beat()
    heartbeat.stop()
    return ready, heartbeat.gaps


def measure_read(which: str, folder: str, heartbeat_ms: int, smoke: bool) -> None:
    """Generate the file, open it in the window, and print the gaps and the time until it is shown."""
    rows, columns = (SMOKE_READ_SIZES if smoke else READ_SIZES)[which]
    path = os.path.join(folder, f"{which}.csv")
    write_table(path, rows, columns)
    size = os.path.getsize(path) / 1e6
    for first, (ready, gaps, notes) in zip((True, False), read_run(path, heartbeat_ms)):
        lateness = np.array(gaps) - heartbeat_ms
        when = "first open, workspace built" if first else "opened again"
        print(f"read {which} ({rows:,} rows x {columns + 1:,} columns, {size:.1f} MB; {when}): ready in "
              f"{ready:.2f} s; heartbeat gaps ({len(gaps)} beats): median {statistics.median(gaps):.1f} ms, "
              f"p99 {np.percentile(gaps, 99):.1f} ms, max {max(gaps):.1f} ms; beats more than 100 ms late: "
              f"{(lateness > 100).sum()}" + (f" ({notes})" if notes else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 epochs")
    parser.add_argument("--smoke", action="store_true",
                        help="the series training and the rows read at their smallest (or the kind chosen); the "
                             "figures mean nothing")
    parser.add_argument("--text", action="store_true", help="train a language model on the sample text instead")
    parser.add_argument("--classify", action="store_true", help="train a classifier on the sample reviews instead")
    parser.add_argument("--read", choices=sorted(READ_SIZES), action="append", default=[],
                        help="open a generated file instead of training: 'rows' (1,000,000 rows) or 'wide' "
                             "(5,000 columns); may be given twice")
    parser.add_argument("--heartbeat-ms", type=int, default=10,
                        help="probe period; a large value shows the window's own cost without the probe's")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    chosen = [kind for kind, flag in (("text", args.text), ("classify", args.classify)) if flag]
    # --smoke proves each path of the script runs: a window's training (series; the text and classification
    # runs take the same path with another workspace) and a first and second read of a generated file.
    kinds = chosen or ([] if args.read else ["series"])
    reads = args.read or (["rows"] if args.smoke and not chosen else [])
    with tempfile.TemporaryDirectory() as folder:
        for which in dict.fromkeys(reads):
            measure_read(which, folder, args.heartbeat_ms, args.smoke)
        paths = dict(SAMPLES)
        if args.smoke:
            import pandas as pd

            paths["classify"] = os.path.join(folder, "reviews.csv")
            reviews = pd.read_csv(SAMPLE_REVIEWS)
            reviews.groupby("sentiment").head(SMOKE_REVIEWS_PER_CLASS).to_csv(paths["classify"], index=False)
        for kind in kinds:
            epochs = 1 if args.smoke else 2 if args.quick else {"series": 20, "text": 10, "classify": 8}[kind]
            measure(kind, paths[kind], epochs, args.heartbeat_ms, args.smoke)


if __name__ == "__main__":
    main()
