"""GUI fixtures: settings and logs in a temporary folder, a main-window factory that cleans up after itself, and
helpers that act as a user would and wait for the window's background work (reading, training) to end."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from tests.conftest import tiny_config

READ_TIMEOUT_MS = 60000
TRAIN_TIMEOUT_MS = 180000


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Never read or write the user's real settings or logs."""
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(tmp_path / "logs"))
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def runner():
    """A runner of its own; afterwards no job's thread is left emitting into deleted objects."""
    from workbench.gui.runner import Runner

    runner = Runner()
    yield runner
    runner.cancel_all()
    assert runner.wait_all(20)


@pytest.fixture
def make_main_window(qtbot, isolated_settings):
    from workbench.gui.main_window import MainWindow

    windows = []

    def factory(tiny: bool = True) -> MainWindow:
        window = MainWindow(settings=isolated_settings)
        # Closing mid-run asks the user; a modal question would block the test run forever.
        window.ask_stop_on_close = lambda: True
        window.ask_save_model_on_close = lambda workspace: True  # discard: tests close windows with unsaved models
        # Opening a model or project, or training again, over an unsaved model asks too; tests discard unless they
        # answer the question themselves (tests/gui/test_never_lose_work.py).
        window.files.guard.ask = lambda workspace, text: QMessageBox.StandardButton.Discard
        if tiny:
            window.workspace_created.connect(lambda workspace: make_tiny(workspace))
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield factory
    for window in windows:
        window.runner.cancel_all()
        window.runner.wait_all(30)


def make_tiny(workspace) -> None:
    """A series workspace gets the shared tiny settings (hidden 8, 2 epochs); the others keep theirs."""
    if workspace.kind == "series":
        set_form(workspace, tiny_config())


def set_form(workspace, config) -> None:
    """Put a RunConfig's model/train/windows values into the series form (as a user typing them would end up)."""
    workspace.model_form.set_config(config)
    workspace.update_can_train()


def settle(qtbot, workspace, timeout=READ_TIMEOUT_MS) -> None:
    """Wait until what the workspace computes in the background for the screen (the series for chosen columns,
    the settings checked against the data, token counts, a model's forecasts) is shown: the busy cursor is gone."""
    qtbot.waitUntil(lambda: not workspace.is_working(), timeout=timeout)


def open_data(qtbot, window, path):
    """Open `path` as File > Open does and wait until it is read and shown, its background work (checks, counts,
    forecasts) done: the workspace it opened in, or None if refused."""
    outcome = []

    def opened(kind):
        outcome.append(kind)

    def failed():
        outcome.append(None)

    window.opener.opened.connect(opened)
    window.opener.failed.connect(failed)
    try:
        window.open_path(str(path))
        qtbot.waitUntil(lambda: bool(outcome), timeout=READ_TIMEOUT_MS)
    finally:
        window.opener.opened.disconnect(opened)
        window.opener.failed.disconnect(failed)
    if not outcome[0]:
        return None
    workspace = window.workspaces[outcome[0]]
    settle(qtbot, workspace)
    return workspace


def open_project(qtbot, window, path) -> bool:
    """Open a project as File > Open Project does and wait until it is read and shown, its background work
    done: True, or False when it was refused (or not started)."""
    outcome = []

    def opened(_path):
        outcome.append(True)

    def failed():
        outcome.append(False)

    window.files.project_opened.connect(opened)
    window.files.project_failed.connect(failed)
    try:
        if not window.files.open_project(str(path)):
            return False
        qtbot.waitUntil(lambda: bool(outcome), timeout=READ_TIMEOUT_MS)
    finally:
        window.files.project_opened.disconnect(opened)
        window.files.project_failed.disconnect(failed)
    if outcome[0]:
        settle(qtbot, window.active())  # what the project's screen computes in the background, shown
    return outcome[0]


def train(qtbot, workspace, timeout=TRAIN_TIMEOUT_MS) -> str:
    """Press Train once the window has checked the settings (as a user waits for the button), and wait until the
    run has ended and the window has shown it, every tab filled: "finished", "refused" or "crashed"."""
    settle(qtbot, workspace)
    with qtbot.waitSignal(workspace.run_ended, timeout=timeout) as ended:
        assert workspace.start_training(), workspace.can_train
    settle(qtbot, workspace)  # the results tabs fill one a turn after the run has been shown
    return ended.args[0]
