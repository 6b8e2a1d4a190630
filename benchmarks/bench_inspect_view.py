"""The Inspect tab's cost on the GUI thread: redrawing the heatmap, and the event loop while it refreshes each epoch.

    python -m benchmarks.bench_inspect_view            # both parts below
    python -m benchmarks.bench_inspect_view --redraw   # only the redraw figures
    python -m benchmarks.bench_inspect_view --training # only the event loop while training
    python -m benchmarks.bench_inspect_view --training --hidden  # the same with the tab hidden: the baseline
    python -m benchmarks.bench_inspect_view --smoke    # both at their smallest: proves the script runs

Redraw: the states of a 2x256 LSTM over 1,000 steps (a language model's passage), drawn by the tab at 1,300 x 860:
the heatmap alone (a new array set and painted, as when the gate is changed), the whole tab's redraw for another
gate (heatmap, saturation, ranking, the followed unit, the coloured text, painted), and the whole tab taking a new
inspection (what happens on the GUI thread after each refresh). Medians of the repeats, after one warm-up.

Training: the window trains the ship's log's 2x128 character LSTM (20 batches an epoch, a sample after each, as in
bench_ui_latency --text) with the Inspect tab on screen, refreshed from the best weights so far after each epoch.
A 10 ms QTimer heartbeat measures the gaps of the event loop, as bench_ui_latency does. Qt renders offscreen
unless the caller chose a platform (QT_QPA_PLATFORM).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from benchmarks.bench_ui_latency import SAMPLE_TEXT, SMOKE_TEXT_SETTINGS, TEXT_SETTINGS, _apply, _fail_fast, _open

SIZE = (1300, 860)
QUANTITIES = ("hidden", "forget_gate", "cell", "input_gate")


def median_ms(run, repeats: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def staged_ms(app, view, action, repeats: int) -> tuple[float, float]:
    """Medians of the time from `action()` until the view has drawn everything (in parts, one per turn of the event
    loop), and of the longest stretch the event loop was blocked meanwhile (a 1 ms timer measures the gaps)."""
    from benchmarks.heartbeat import Heartbeat

    totals, longest = [], []
    for k in range(repeats + 1):
        probe = Heartbeat(1)
        start = probe.start()
        action()
        probe.beat()
        while view.is_working():
            app.processEvents()
        app.processEvents()  # the last part's paint
        probe.beat()
        probe.stop()
        if k:  # the first is a warm-up
            totals.append((time.perf_counter() - start) * 1000)
            longest.append(max(probe.gaps))
    return statistics.median(totals), statistics.median(longest)


def big_inspection(layers: int, hidden: int, steps: int):
    """An inspection of a random character LSTM (`layers` x `hidden`, embedding 64) over a `steps`-character
    passage; gradient x input for the attribution (the redraw does not depend on how it was computed)."""
    import torch

    from workbench.core.inspect.inspection import inspect_sample
    from workbench.core.inspect.samples import text_sample
    from workbench.core.models.config import ModelConfig
    from workbench.core.text.lm_model import LanguageModel
    from workbench.core.text.source import read_text
    from workbench.core.text.vocab import build_vocabulary

    text = read_text(SAMPLE_TEXT).text
    vocabulary = build_vocabulary(text, "char")
    torch.manual_seed(0)
    model = LanguageModel(ModelConfig(layers=layers, hidden=hidden), len(vocabulary.tokens), 64).eval()
    sample = text_sample(model, vocabulary, text[:steps])
    return model, vocabulary, text, inspect_sample(model, sample, method="gradient_x_input", vocabulary=vocabulary)


def measure_redraw(smoke: bool) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    from workbench.gui.panels.inspect.contexts import TextContext
    from workbench.gui.panels.inspect.inspect_view import InspectView
    from workbench.gui.panels.inspect.preview import standalone_services
    from workbench.gui.theme import configure_pyqtgraph

    layers, hidden, steps, repeats = (1, 16, 100, 2) if smoke else (2, 256, 1000, 9)
    app = QApplication.instance() or QApplication([])
    configure_pyqtgraph()
    model, vocabulary, text, inspection = big_inspection(layers, hidden, steps)
    window = QMainWindow()
    view = InspectView(standalone_services(window))
    window.setCentralWidget(view)
    window.resize(*SIZE)
    window.show()
    view.set_model("language_model", model, TextContext(vocabulary, text[:steps]))
    view.close_jobs()  # the view's own inspection is not needed: the prepared one is shown directly below
    view._on_inspected(inspection)
    app.processEvents()
    pictures, heatmap = view.pictures, view.pictures.heatmap
    from workbench.gui.panels.inspect.colors import scale_for

    trace = inspection.trace
    arrays = [np.ascontiguousarray(trace.get(layers - 1, "forward", q).T) for q in QUANTITIES]
    scales = [scale_for(q, trace.gates, a) for q, a in zip(QUANTITIES, arrays)]
    turn = [0]

    def heatmap_redraw() -> None:
        k = turn[0] = (turn[0] + 1) % len(arrays)
        heatmap.set_values(arrays[k], scales[k], QUANTITIES[k])
        heatmap.viewport().repaint()  # paints the scene now (the view's own repaint() leaves its viewport out)

    def view_redraw() -> None:
        k = turn[0] = (turn[0] + 1) % len(QUANTITIES)
        pictures.draw(layers - 1, "forward", QUANTITIES[k])

    def new_inspection() -> None:
        view._on_inspected(inspection)

    label = f"{layers}x{hidden} LSTM over {steps:,} steps"
    print(f"heatmap redraw, {label}: median {median_ms(heatmap_redraw, repeats):.1f} ms")
    for what, action in (("tab redraw for another gate", view_redraw),
                         ("tab showing a new inspection", new_inspection)):
        total, longest = staged_ms(app, view, action, repeats)
        print(f"{what}, {label}: median {total:.1f} ms in all, longest block of the event loop {longest:.1f} ms")
    window.close()
    app.processEvents()


def measure_training(epochs: int, heartbeat_ms: int, smoke: bool, hidden: bool = False) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    from benchmarks.heartbeat import Heartbeat
    from workbench.core.run_config import TextRunConfig
    from workbench.gui.app import create_window
    settings = [f"train.epochs={epochs}", "train.patience=0", "train.threads=1", *TEXT_SETTINGS,
                *(SMOKE_TEXT_SETTINGS if smoke else ()), *(("model.hidden=8", "model.layers=1") if smoke else ())]
    config = TextRunConfig().with_overrides(settings)
    app, window = create_window()
    _fail_fast(app, window)
    window.warm_up(wait=True)
    workspace = _open(window, SAMPLE_TEXT)
    _apply(workspace, config, "text")
    while workspace.is_working():  # the tokens are counted with these settings before training can start
        app.processEvents()
        time.sleep(0.005)
    workspace.update_can_train()
    # The workspace's own Inspect tab, which refreshes from the best weights so far after each epoch.
    view = workspace.inspect_view
    shown, done = [0], {}
    view.shown.connect(lambda: shown.__setitem__(0, shown[0] + 1))
    heartbeat = Heartbeat(heartbeat_ms)
    gaps = heartbeat.gaps
    loop = QEventLoop()

    def ended(outcome: str) -> None:
        done["outcome"] = outcome
        # The last epoch's inspection may still be on its way: its drawing counts too.
        QTimer.singleShot(0, wait_for_view)

    def wait_for_view() -> None:
        if view.is_working():
            QTimer.singleShot(20, wait_for_view)
            return
        heartbeat.beat()
        heartbeat.stop()
        loop.quit()

    workspace.run_ended.connect(ended)
    heartbeat.start()
    assert workspace.start_training(), workspace.can_train
    if not hidden:
        # Training shows the Training tab; the user looks at Inspect.
        workspace.right_tabs.setCurrentWidget(workspace.inspect_tab.page)
    loop.exec()
    if done.get("outcome") != "finished":
        raise SystemExit(f"the run in the window did not finish: {done}")
    run = workspace.job.result
    lateness = np.array(gaps) - heartbeat_ms
    where = "with the Inspect tab hidden" if hidden else "and inspecting"
    print(f"text: heartbeat gaps while training {where} ({len(gaps)} beats, {run.result.epochs_run} "
          f"epochs, {shown[0]} inspections shown): median {statistics.median(gaps):.1f} ms, "
          f"p99 {np.percentile(gaps, 99):.1f} ms, max {max(gaps):.1f} ms; beats more than 100 ms late: "
          f"{(lateness > 100).sum()}; training {run.result.seconds:.1f} s")
    window.ask_save_model_on_close = lambda *_: True
    window.close()
    app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redraw", action="store_true", help="only the redraw figures")
    parser.add_argument("--training", action="store_true", help="only the event loop while training")
    parser.add_argument("--epochs", type=int, default=10, help="epochs of the training run (default 10)")
    parser.add_argument("--smoke", action="store_true", help="the smallest sizes; the figures mean nothing")
    parser.add_argument("--hidden", action="store_true",
                        help="train with the Inspect tab hidden (it only keeps the weights): the baseline")
    parser.add_argument("--heartbeat-ms", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    both = not (args.redraw or args.training)
    if args.redraw or both:
        measure_redraw(args.smoke)
    if args.training or both:
        measure_training(1 if args.smoke else args.epochs, args.heartbeat_ms, args.smoke, args.hidden)


if __name__ == "__main__":
    main()
