"""Each benchmark script runs in its quick mode, so none of them can rot unnoticed (the figures are not checked)."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("name,expected", [
    ("bench_training", "ratio engine/bare"),
    ("bench_load_windows", "peak memory"),
    ("bench_startup", "start to first paint"),
    ("bench_ui_latency", "throughput ratio window/core"),
    ("bench_classify", "ratio trainer/bare"),
    ("bench_lm", "ratio trainer/bare"),
])
def test_benchmark_runs(name, expected, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_LOG_DIR": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--quick"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert expected in done.stdout
