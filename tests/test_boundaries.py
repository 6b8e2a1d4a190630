"""The core must stay usable without Qt: importing it (and running the CLI's code paths) loads no Qt module."""

import subprocess
import sys


def test_core_imports_no_qt():
    # Every module of the core (series, text and classification alike), and the command line.
    code = (
        "import importlib, pkgutil, sys, workbench.core, workbench.cli, workbench.cli_text, workbench.cli_classify; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(workbench.core.__path__, 'workbench.core.')]; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_what_the_window_needs_before_training_imports_no_torch():
    # The window paints before torch loads (start-up time); reading data and checking forms must not pull it in.
    code = (
        "import sys, workbench.core.forecast.setup, workbench.core.data.sources, workbench.core.data.series, "
        "workbench.core.models.summary, workbench.core.run_config, workbench.core.text.summary, "
        "workbench.core.text.source, workbench.core.classify.dataset, workbench.core.classify.report; "
        "sys.exit(1 if 'torch' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_the_window_module_imports_no_torch():
    code = "import sys, workbench.gui.main_window; sys.exit(1 if 'torch' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
