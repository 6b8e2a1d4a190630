"""The window's structure holds: workspaces never reach into the main window, and each kind of work is whole."""

import ast
import importlib
from pathlib import Path

import pytest

import workbench.gui
from workbench.core.export.kinds import kind_for_work, model_kinds
from workbench.gui.main_window import WORKSPACES
from workbench.gui.workspaces.base import EXPORTS, Workspace

GUI = Path(workbench.gui.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_gui_module_but_the_entry_point_imports_the_main_window():
    offenders = [str(path.relative_to(GUI)) for path in GUI.rglob("*.py")
                 if path.name not in ("main_window.py", "app.py")
                 and "workbench.gui.main_window" in imported_modules(path)]
    assert offenders == []


def test_the_main_window_stays_small():
    assert len((GUI / "main_window.py").read_text(encoding="utf-8").splitlines()) < 300


@pytest.mark.parametrize("kind", sorted(WORKSPACES))
def test_each_workspace_matches_a_registered_kind_of_model(kind):
    module_name, class_name = WORKSPACES[kind].split(":")
    workspace_class = getattr(importlib.import_module(module_name), class_name)
    assert issubclass(workspace_class, Workspace)
    assert workspace_class.kind == kind
    assert kind_for_work(kind).name == workspace_class.model_kind
    # Everything the window asks of a workspace is its own, not the base's placeholder.
    for method in ("data_path", "refresh", "prepare_training", "training_finished", "use_model", "project",
                   "project_config", "use_project"):
        assert getattr(workspace_class, method) is not getattr(Workspace, method), (kind, method)


def test_every_registered_kind_of_model_has_a_workspace():
    assert {kind.work for kind in model_kinds()} == set(WORKSPACES)


def test_a_workspace_says_why_each_export_is_not_possible(make_main_window, qtbot):
    from tests.conftest import SAMPLE_DATA
    from tests.gui.conftest import open_data

    window = make_main_window()
    workspace = open_data(qtbot, window, Path(SAMPLE_DATA) / "ships_log.txt")
    reasons = workspace.export_state()
    assert set(reasons) <= set(EXPORTS) and all(reasons.values())
    assert not window.actions_.export_onnx.isEnabled()
    assert window.actions_.export_onnx.toolTip() == reasons["onnx"]


def test_the_welcome_window_is_built_without_pandas_pyqtgraph_or_torch():
    # Start-up time: each workspace imports its heavy modules when it is first used (docs/decisions.md, "Start-up").
    import subprocess
    import sys

    code = ("import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from workbench.gui.app import create_window\n"
            "app, window = create_window()\n"
            "app.processEvents()\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'pyqtgraph', 'torch', 'numpy'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
