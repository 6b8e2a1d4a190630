"""The experiment figures of issue 14: what recording a run costs, sweep throughput with two workers, what pruning
saves, and a default search against the default settings.

    python -m benchmarks.bench_sweep recording [--repeats 3]     # the default forecaster on CO2, with and without
    python -m benchmarks.bench_sweep throughput [--trials 16] [--repeats 3]  # one grid, --workers 1 and 2
    python -m benchmarks.bench_sweep pruning [--trials 24]       # a seeded random search, median pruner or none
    python -m benchmarks.bench_sweep default-search [--minutes 10]   # each sample series: defaults against a search
    python -m benchmarks.bench_sweep --smoke                     # every figure at its smallest: proves it runs

Each search runs as a user runs it, `python -m workbench sweep ...` in a fresh process with its own run store
and study journal, so its time includes starting up; the figures are read from its --metrics-json and from the
runs it recorded. "recording" trains in this process as `workbench train` does (core/runs/record.py's
RunRecorder), and times the store separately from the training. Selection in "default-search" uses the
validation part only; each model's test part is scored once (the search scores only its best).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
CO2 = SAMPLES / "co2_mauna_loa_weekly.csv"
# The four sample series and the target the README names for each.
SERIES = {"co2": (CO2, "co2_ppm"), "elnino": (SAMPLES / "elnino_sst_monthly.csv", "sst_nino12_c"),
          "sunspots": (SAMPLES / "sunspots_yearly.csv", "sunspot_number"),
          "us_macro": (SAMPLES / "us_macro_quarterly.csv", "realgdp")}
# Throughput: a grid, so both worker counts train exactly the same trials; all epochs, no pruning.
THROUGHPUT_SPACE = ('[model]\ncell = ["lstm", "gru"]\nhidden = [16, 32]\n[train]\nlr = [0.001, 0.003]\n'
                    'batch_size = [32, 64]\n')
THROUGHPUT_SETTINGS = ["train.epochs=6", "train.patience=0"]
# Pruning: a wide space of networks and fitting, up to 30 epochs with the default early stopping.
PRUNING_SPACE = ('[model]\ncell = ["lstm", "gru", "rnn"]\nhidden = { low = 8, high = 64, log = true }\n'
                 'layers = [1, 2]\n[train]\nlr = { low = 3e-4, high = 1e-2, log = true }\nbatch_size = [32, 64, 128]\n')
PRUNING_SETTINGS = ["train.epochs=30"]
SMOKE_SETTINGS = ["train.epochs=1", "model.hidden=8"]
SMOKE_DATA = SAMPLES / "sunspots_yearly.csv"  # 309 rows: the smallest sample


# --smoke runs every command in this process, one worker each: a fresh process costs seconds of imports.
IN_THIS_PROCESS = False


def workbench(*argv: str) -> None:
    """Run a `workbench` command in a fresh process, as a user runs it (in this one under --smoke)."""
    if IN_THIS_PROCESS:
        from workbench.cli import main

        if main(list(argv)) != 0:
            raise SystemExit(f"workbench {argv[0]} failed; its error is above")
    else:
        subprocess.run([sys.executable, "-m", "workbench", *argv], check=True)


def sweep_command(folder: Path, data: Path, *options: str) -> list[str]:
    """`workbench sweep` with its own run store and study journal in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return ["sweep", str(data), "--runs", str(folder / "runs"), "--storage", f"journal:{folder / 'study.log'}",
            "--study", "bench", "--metrics-json", str(folder / "metrics.json"), "--quiet", *options]


def sweep(folder: Path, data: Path, *options: str) -> tuple[float, dict[str, Any], list[Any]]:
    """Run `workbench sweep`: (seconds, its metrics JSON, the runs it recorded)."""
    started = time.perf_counter()
    workbench(*sweep_command(folder, data, *options))
    return time.perf_counter() - started, *sweep_results(folder)


def sweep_results(folder: Path) -> tuple[dict[str, Any], list[Any]]:
    """The metrics JSON of the sweep that ran in `folder` and the runs it recorded."""
    from workbench.core.runs.store import RunStore

    report = folder / "metrics.json"
    if not report.is_file():
        raise SystemExit(f"the sweep in {folder} failed (no {report.name}); its error is above")
    with RunStore(folder / "runs") as store:
        runs = store.list_runs(study="bench")
    return json.loads(report.read_text()), runs


def settings(values: list[str]) -> list[str]:
    return [part for value in values for part in ("--set", value)]


# ----- (a) recording --------------------------------------------------------------------------------------------

def recording(repeats: int, smoke: bool) -> None:
    """Train the default forecaster on CO2 `repeats` times each with and without a RunRecorder, interleaved.
    Training is single-threaded, so its CPU time is the steadier comparison on a shared machine."""
    plain, recorded, store_seconds = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        train_once(Path(folder) / "warm-up", True, smoke=True)  # imports and first-use costs, not counted
        for repeat in range(repeats):
            for record in (False, True):
                wall, cpu, spent = train_once(Path(folder), record, smoke)
                (recorded if record else plain).append((wall, cpu))
                if record:
                    store_seconds.append(spent)
            print(f"  repeat {repeat + 1}: without {plain[-1][0]:.2f} s (CPU {plain[-1][1]:.2f} s), with "
                  f"{recorded[-1][0]:.2f} s (CPU {recorded[-1][1]:.2f} s); the store's part "
                  f"{store_seconds[-1] * 1000:.0f} ms", flush=True)
    for index, what in ((0, "wall"), (1, "CPU")):
        base, with_store = (statistics.median(v[index] for v in runs) for runs in (plain, recorded))
        print(f"recording, {what} time: training {base:.2f} s without, {with_store:.2f} s with (medians of "
              f"{repeats}); difference {100 * (with_store - base) / base:+.2f}%")
    own, base = statistics.median(store_seconds), statistics.median(v[0] for v in plain)
    print(f"recording: the store's own time {own * 1000:.0f} ms = {100 * own / base:.2f}% of training")


def train_once(folder: Path, record: bool, smoke: bool) -> tuple[float, float, float]:
    """(wall and CPU seconds for the whole run as `workbench train` does it, seconds spent on the run store)."""
    from workbench.core.data.series import prepare_series
    from workbench.core.data.sources import read_table
    from workbench.core.export.forecaster_bundle import bundle_from_forecast_run
    from workbench.core.export.kinds import FORECASTER, save_model
    from workbench.core.forecast.pipeline import train_forecaster
    from workbench.core.run_config import RunConfig
    from workbench.core.runs.record import RunRecorder
    from workbench.core.runs.store import RunStore

    config = RunConfig().with_overrides(SMOKE_SETTINGS if smoke else [])
    data = SMOKE_DATA if smoke else CO2
    started, started_cpu = time.perf_counter(), time.process_time()
    table = read_table(data)
    series = prepare_series(table.frame, config.data, source=str(data))
    folder.mkdir(exist_ok=True)
    bundle = folder / "co2.swb"
    store_seconds = 0.0
    if record:
        opened = time.perf_counter()
        recorder = RunRecorder(RunStore(folder / "runs"), FORECASTER, data, dataclasses.asdict(table.options),
                               warn=print)
        store_seconds += time.perf_counter() - opened
        with recorder.watch(config):
            run = train_forecaster(series, config, [recorder.facts])
    else:
        run = train_forecaster(series, config)
    save_model(bundle, bundle_from_forecast_run(run))
    if record:
        kept = time.perf_counter()
        recorder.finished(run, bundle=bundle)
        store_seconds += time.perf_counter() - kept
        recorder.store.close()
    return time.perf_counter() - started, time.process_time() - started_cpu, store_seconds


# ----- (b) throughput -------------------------------------------------------------------------------------------

def throughput(trials: int, repeats: int, smoke: bool) -> None:
    """The same grid of trials with one worker and with two, in the order 1 2 2 1 1 2 ... so a change in the
    machine's load falls on both alike: trials per hour of the whole command and of its trial phase."""
    rates: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    order = [w for k in range(repeats) for w in ((1, 2) if k % 2 == 0 else (2, 1))]
    with tempfile.TemporaryDirectory() as scratch:
        space = Path(scratch) / "space.toml"
        space.write_text(THROUGHPUT_SPACE)
        options = ["--space", str(space), "--strategy", "grid", "--trials", str(trials), "--no-pruning",
                   *settings(SMOKE_SETTINGS if smoke else THROUGHPUT_SETTINGS)]
        for run, workers in enumerate(order):
            seconds, _report, runs = sweep(Path(scratch) / f"run{run}", SMOKE_DATA if smoke else CO2, *options,
                                           "--workers", str(workers))
            phase = max(r.ended for r in runs) - min(r.started for r in runs)
            rates[workers].append((len(runs) * 3600 / seconds, len(runs) * 3600 / phase))
            print(f"throughput, workers {workers}: {len(runs)} trials, command {seconds:.1f} s "
                  f"({rates[workers][-1][0]:.0f} trials/hour), trial phase {phase:.1f} s "
                  f"({rates[workers][-1][1]:.0f} trials/hour)", flush=True)
    for index, what in ((0, "whole command"), (1, "trial phase")):
        one, two = (statistics.median(rate[index] for rate in rates[w]) for w in (1, 2))
        print(f"throughput ratio 2 workers / 1, {what}: {two / one:.2f} (medians of {repeats}: {two:.0f} and "
              f"{one:.0f} trials/hour)")


# ----- (c) pruning ----------------------------------------------------------------------------------------------

def pruning(trials: int, smoke: bool) -> None:
    """A seeded random search on CO2 with the median pruner and without: one worker each, so both sample the same
    settings in the same order. The two run at the same time: their figures (scores, epochs) do not depend on
    timing, since each trial trains from its own seed."""
    found = {}
    with tempfile.TemporaryDirectory() as scratch:
        space = Path(scratch) / "space.toml"
        space.write_text(PRUNING_SPACE)
        options = ["--space", str(space), "--strategy", "random", "--seed", "0", "--trials", str(trials),
                   "--workers", "1", *settings(SMOKE_SETTINGS if smoke else PRUNING_SETTINGS)]
        folders = {pruned: Path(scratch) / ("pruned" if pruned else "all") for pruned in (True, False)}
        data = SMOKE_DATA if smoke else CO2
        commands = [sweep_command(folders[pruned], data, *options, *([] if pruned else ["--no-pruning"]))
                    for pruned in (True, False)]
        started = time.perf_counter()
        if IN_THIS_PROCESS:
            for command in commands:
                workbench(*command)
        else:
            running = [subprocess.Popen([sys.executable, "-m", "workbench", *command]) for command in commands]
            if any(process.wait() != 0 for process in running):
                raise SystemExit("a search failed; its error is above")
        print(f"pruning: both searches took {time.perf_counter() - started:.0f} s, side by side", flush=True)
        for pruned in (True, False):
            report, runs = sweep_results(folders[pruned])
            epochs = sum(r.epochs for r in runs)
            found[pruned] = (report["validation_score"], epochs)
            print(f"pruning {'on' if pruned else 'off'}: best validation loss {report['validation_score']:.5g} "
                  f"(trial {report['best_trial']}), {epochs} epochs trained, {report['trials']['pruned']} of "
                  f"{len(runs)} trials pruned", flush=True)
    (best_on, epochs_on), (best_off, epochs_off) = found[True], found[False]
    print(f"pruning: best validation loss {100 * (best_on - best_off) / best_off:+.2f}% against no pruning, "
          f"with {epochs_on / epochs_off:.2f} of its epochs")


# ----- (d) a default search against the default settings --------------------------------------------------------

def default_search(minutes: float, smoke: bool) -> None:
    """Each sample series: the default settings' test MASE against a default-space search's best (chosen on
    validation; its test part scored once)."""
    wins = 0
    names = ["sunspots"] if smoke else list(SERIES)
    with tempfile.TemporaryDirectory() as scratch:
        for name in names:
            data, target = SERIES[name]
            folder = Path(scratch) / name
            folder.mkdir()
            extra = settings(SMOKE_SETTINGS) if smoke else []
            default = folder / "default.json"
            workbench("train", str(data), "--target", target, "--out", str(folder / "default.swb"), "--metrics-json",
                      str(default), "--runs", str(folder / "runs"), "--quiet", *extra)
            base = json.loads(default.read_text())["test"]["mase"]
            budget = ["--trials", "1", "--workers", "1"] if smoke else ["--minutes", f"{minutes:g}"]
            _seconds, report, runs = sweep(folder / "search", data, "--target", target, *budget, *extra)
            found = report["test"]["mase"]
            wins += found < base
            counts = report["trials"]
            what = "1-trial" if smoke else f"{minutes:g}-minute"
            print(f"default search, {name} ({target}): default settings test MASE {base:.4f}, {what} "
                  f"search's best {found:.4f} ({'win' if found < base else 'lose'}; {counts['complete']} complete, "
                  f"{counts['pruned']} pruned, {counts['failed']} failed, {counts['stopped']} stopped of "
                  f"{len(runs)} trials)", flush=True)
    print(f"default search wins: {wins} of {len(names)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("figure", nargs="?", default="all",
                        choices=("recording", "throughput", "pruning", "default-search", "all"))
    parser.add_argument("--repeats", type=int, default=3, help="recording: trainings with and without (each); "
                        "throughput: searches with each worker count")
    parser.add_argument("--trials", type=int, default=None, help="throughput: 16 (the grid); pruning: 24")
    parser.add_argument("--minutes", type=float, default=10.0, help="default-search: each search's budget")
    parser.add_argument("--smoke", action="store_true", help="every figure at its smallest: proves the script runs")
    args = parser.parse_args()
    smoke = args.smoke
    global IN_THIS_PROCESS
    IN_THIS_PROCESS = smoke
    from workbench.core.training.engine import available_cpus

    print(f"started {time.strftime('%Y-%m-%d %H:%M')}; {available_cpus()} CPUs", flush=True)
    if args.figure in ("recording", "all"):
        recording(1 if smoke else args.repeats, smoke)
    if args.figure in ("throughput", "all"):
        throughput(1 if smoke else args.trials or 16, 1 if smoke else args.repeats, smoke)  # 1: in this process
    if args.figure in ("pruning", "all"):
        pruning(1 if smoke else args.trials or 24, smoke)
    if args.figure in ("default-search", "all"):
        default_search(args.minutes, smoke)


if __name__ == "__main__":
    main()
