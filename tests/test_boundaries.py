"""Import boundaries, each checked in a fresh process: the core loads no Qt, and the window loads no torch until
it trains (start-up time, docs/decisions.md "Start-up")."""

import json
import subprocess
import sys

import pytest

HEAVY = ("torch", "pandas", "pyqtgraph", "sklearn")


def test_core_imports_no_qt():
    # Every module of the core (series, text and classification alike) and of the command line; a package's
    # __main__ is left out, since importing it would run the program.
    code = (
        "import importlib, json, pkgutil, sys, workbench.core, workbench.cli\n"
        "names = []\n"
        "for package in (workbench.core, workbench.cli):\n"
        "    for m in pkgutil.walk_packages(getattr(package, '__path__', []), package.__name__ + '.'):\n"
        "        if not m.name.endswith('__main__'):\n"
        "            names.append(importlib.import_module(m.name).__name__)\n"
        "qt = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]\n"
        "print(json.dumps({'imported': names, 'qt': qt}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert len(found["imported"]) > 40, found["imported"]  # the walk really went through the packages
    assert found["qt"] == []


@pytest.fixture(scope="module")
def loaded():
    """Which heavy modules one fresh process holds after each stage of importing what the window needs.

    One process serves both tests below: first the window's own module, in a clean process, then on top of it
    the core the window uses before any training.
    """
    code = (
        "import json, sys\n"
        f"heavy = {HEAVY!r}\n"
        "def held(): return sorted(m for m in heavy if m in sys.modules)\n"
        "import workbench.gui.main_window\n"
        "stages = {'window module': held()}\n"
        "import workbench.core.forecast.setup, workbench.core.data.sources, workbench.core.data.series\n"
        "import workbench.core.models.summary, workbench.core.run_config, workbench.core.text.summary\n"
        "import workbench.core.text.source, workbench.core.classify.dataset, workbench.core.classify.report\n"
        "stages['and the core before training'] = held()\n"
        "print(json.dumps(stages))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_what_the_window_needs_before_training_imports_no_torch(loaded):
    # The window paints before torch loads (start-up time); reading data and checking forms must not pull it in.
    assert "torch" not in loaded["and the core before training"], loaded


def test_the_window_module_imports_no_torch(loaded):
    assert "torch" not in loaded["window module"], loaded
