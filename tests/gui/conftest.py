"""GUI fixtures: settings and logs in a temporary folder, and a main-window factory that cleans up after itself."""

import pytest
from PySide6.QtCore import QSettings

from tests.conftest import tiny_config


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Never read or write the user's real settings or logs."""
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(tmp_path / "logs"))
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_main_window(qtbot, isolated_settings):
    from workbench.gui.main_window import MainWindow

    windows = []

    def factory(tiny: bool = True) -> MainWindow:
        window = MainWindow(settings=isolated_settings)
        # Closing mid-run asks the user; a modal question would block the test run forever.
        window.ask_stop_on_close = lambda: True
        window.ask_save_model_on_close = lambda: True  # discard: tests close windows with unsaved models
        qtbot.addWidget(window)
        if tiny:
            set_form(window, tiny_config())
        window.show()
        windows.append(window)
        return window

    yield factory
    for window in windows:
        if window.worker.is_running():
            window.worker.request_stop()
            window.worker.wait(20000)


def set_form(window, config) -> None:
    """Put a RunConfig's model/train/windows values into the form (as a user typing them would end up)."""
    window.model_form.set_config(config)
    window._refresh_setup()
