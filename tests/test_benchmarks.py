"""Each benchmark script runs at its smallest (`--smoke`) and prints its figure lines, so none can rot unnoticed.

The figures themselves are not checked: at these sizes, and on a shared machine, they mean nothing. The scripts
that only train (or only read files) run in this process, as `python -m` would run them (torch is loaded here
already, which saves seconds); the ones that start processes of their own or a Qt application run as a user runs them.
"""

import os
import re
import runpy
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NUMBER = r"[\d,]+(\.\d+)?"


# What each script must print (a regular expression per line), by script.
TRAINING_ONLY = {
    "bench_training": [rf"ratio engine/bare: +{NUMBER}"],
    "bench_classify": [rf"ratio trainer/bare: +{NUMBER}", rf"ratio trainer/bare \(with validation\): {NUMBER}"],
    "bench_lm": [rf"ratio trainer/bare: +{NUMBER}", rf"generation, batch 1, temperature 1: {NUMBER} chars/s",
                 rf"best val loss: {NUMBER} nats"],
    "bench_read_tables": [rf"wide total: {NUMBER} s", rf"long total: {NUMBER} s"],
    "bench_anomalies": [rf"spikes of {NUMBER} sd: recall {NUMBER}, false alarm rate {NUMBER}"],
    "bench_horizon": [r"us real gdp quarterly +4 .* (win|lose) ", rf"geometric mean over series: {NUMBER}"],
    "bench_runs": [rf"list: {NUMBER} ms", rf"add: {NUMBER} ms per run"],
    "find_units": [r"held out: median r [-+]\d\.\d\d"],
    "bench_inspect": [rf"states, \d+x\d+ {cell} over {NUMBER} steps, 1 thread: {NUMBER} s" for cell in ("LSTM", "GRU")],
}
OWN_PROCESSES = {
    "bench_load_windows": [rf"lookback  16: read {NUMBER} s, .* peak memory {NUMBER} MB"],
    "bench_startup": ["platform offscreen",  # chosen by the script: the test leaves QT_QPA_PLATFORM unset
                      rf"bare QMainWindow and a label: +start to first paint: median {NUMBER} s",
                      rf"workbench window: +start to first paint: median {NUMBER} s",
                      rf"ratio workbench/bare: {NUMBER}"],
    "bench_ui_latency": [rf"series: training time: .* throughput ratio window/core {NUMBER}",
                         *(rf"read rows \(.*; {when}[^)]*\): ready in {NUMBER} s; "
                           rf"heartbeat gaps \({NUMBER} beats\): median {NUMBER} ms, p99 {NUMBER} ms, max {NUMBER} ms"
                           for when in ("first open", "opened again"))],
}


@pytest.mark.parametrize("name", TRAINING_ONLY)
def test_training_benchmark_runs(name, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [f"benchmarks/{name}.py", "--smoke"])
    runpy.run_module(f"benchmarks.{name}", run_name="__main__")
    out = capsys.readouterr().out
    for figure in TRAINING_ONLY[name]:
        assert re.search(figure, out), f"no line matching {figure!r} in:\n{out}"


@pytest.mark.parametrize("name", OWN_PROCESSES)
def test_benchmark_with_processes_or_qt_runs(name, tmp_path):
    env = {**os.environ, "WORKBENCH_LOG_DIR": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    env.pop("QT_QPA_PLATFORM", None)  # the scripts choose offscreen themselves when the caller did not choose
    done = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--smoke"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for figure in OWN_PROCESSES[name]:
        assert re.search(figure, done.stdout), f"no line matching {figure!r} in:\n{done.stdout}"
