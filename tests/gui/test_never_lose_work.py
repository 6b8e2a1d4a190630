"""A trained model that is not saved is never lost without a question: Save, Discard or Cancel.

Opening a model or a project into the workspace that holds it, training again, dropping a model file and closing
the window all ask; Cancel changes nothing, Save saves first (and a failed or cancelled save changes nothing),
Discard goes on. Opening data never asks: each workspace keeps its model when new data opens in it.
"""

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from tests.conftest import REVIEWS, SAMPLE_DATA, SHIP_TEXT
from tests.gui.conftest import READ_TIMEOUT_MS, open_data, open_project, train

SAVE, DISCARD, CANCEL = (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard,
                         QMessageBox.StandardButton.Cancel)
MACRO = f"{SAMPLE_DATA}/us_macro_quarterly.csv"


@pytest.fixture
def data_files(tmp_path, forecast_bundle):
    """A data file of each kind (the forecaster's own table beside its bundle), and a second one of each."""
    from workbench.core.data.sources import read_table

    text, other_text = tmp_path / "log.txt", tmp_path / "other_log.txt"
    text.write_text(SHIP_TEXT, encoding="utf-8")
    other_text.write_text(SHIP_TEXT[::-1] + SHIP_TEXT, encoding="utf-8")
    reviews = read_table(REVIEWS).frame
    labelled, other_labelled = tmp_path / "reviews.csv", tmp_path / "more_reviews.csv"
    reviews.head(300).to_csv(labelled, index=False)
    reviews.tail(300).to_csv(other_labelled, index=False)
    return {"series": (forecast_bundle.parent / "load.csv", MACRO), "text": (text, other_text),
            "classify": (labelled, other_labelled)}


@pytest.fixture
def runs(request):
    """The shared trained runs, as each workspace's `training_finished` takes them."""

    def run(kind):
        if kind == "series":
            from workbench.core.forecast.inspection import inspect_run

            forecast_run = request.getfixturevalue("forecast_run")
            return forecast_run, inspect_run(forecast_run)
        return request.getfixturevalue({"text": "language_model_run", "classify": "classifier_run"}[kind])

    return run


@pytest.fixture
def unsaved(make_main_window, qtbot, data_files, runs):
    """A window whose `kind` workspace shows a model just trained (as at the end of a run), not saved; and the
    questions it asks, answered with `answer`."""

    def make(kind, answer=CANCEL):
        window = make_main_window()
        workspace = open_data(qtbot, window, data_files[kind][0])
        assert workspace.kind == kind
        workspace.training_finished(runs(kind))
        assert workspace.has_unsaved_model()
        asked = []
        window.files.guard.ask = lambda ws, text: asked.append((ws, text)) or answer
        return window, workspace, asked

    return make


def never_ask(window):
    def ask(workspace, text):
        raise AssertionError(f"asked: {text}")

    window.files.guard.ask = ask


BUNDLES = {"series": "forecast_bundle", "text": "language_model_bundle", "classify": "classifier_bundle"}
LABELS = {"series": "forecaster", "text": "language model", "classify": "text classifier"}


@pytest.mark.parametrize("kind", ["series", "text", "classify"])
def test_cancel_keeps_the_unsaved_model_when_a_model_is_opened(kind, unsaved, request):
    bundle_path = request.getfixturevalue(BUNDLES[kind])
    window, workspace, asked = unsaved(kind, CANCEL)
    model = workspace.model
    assert not window.files.open_model(str(bundle_path))
    assert asked == [(workspace, f"The trained {LABELS[kind]} has not been saved. Opening the model "
                                 f"{bundle_path.name} replaces it.\n\nSave it first?")]
    assert workspace.model is model and workspace.has_unsaved_model()
    assert window.statusBar().currentMessage() == (f"Kept the unsaved {LABELS[kind]}; {bundle_path.name} was "
                                                   "not opened.")


@pytest.mark.parametrize("kind", ["series", "classify"])
def test_discard_opens_the_model(kind, unsaved, request, qtbot):
    bundle_path = request.getfixturevalue(BUNDLES[kind])
    window, workspace, asked = unsaved(kind, DISCARD)
    model = workspace.model
    assert window.files.open_model(str(bundle_path))
    assert len(asked) == 1
    # A forecaster's forecasts on the open data are made in the background before it is shown.
    qtbot.waitUntil(lambda: workspace.model is not model, timeout=READ_TIMEOUT_MS)
    assert not workspace.has_unsaved_model()


def test_save_saves_first_then_opens_the_model(unsaved, forecast_bundle, tmp_path, monkeypatch, qtbot):
    window, workspace, asked = unsaved("series", SAVE)
    model = workspace.model
    target = tmp_path / "kept.swb"
    monkeypatch.setattr(window.files.dialogs, "ask_save", lambda *args: str(target))
    assert window.files.open_model(str(forecast_bundle))
    assert len(asked) == 1 and target.is_file()
    from workbench.core.export.kinds import load_model

    assert load_model(target).result == model.result  # what was saved is the model that was on screen
    qtbot.waitUntil(lambda: workspace.model is not model, timeout=READ_TIMEOUT_MS)
    assert not workspace.has_unsaved_model()


@pytest.mark.parametrize("where", ["cancelled", "unwritable"])
def test_a_save_that_fails_or_is_cancelled_changes_nothing(where, unsaved, forecast_bundle, tmp_path, monkeypatch):
    window, workspace, asked = unsaved("series", SAVE)
    model = workspace.model
    target = "" if where == "cancelled" else str(tmp_path / "no such folder" / "kept.swb")
    monkeypatch.setattr(window.files.dialogs, "ask_save", lambda *args: target)
    assert not window.files.open_model(str(forecast_bundle))
    assert len(asked) == 1
    assert workspace.model is model and workspace.has_unsaved_model()
    if where == "unwritable":
        assert window.message_bar.is_shown() and "kept.swb" in window.message_bar.text()


@pytest.fixture
def plain_project(make_main_window, qtbot, data_files, tmp_path):
    """A series project without a model, saved from another window."""
    other = make_main_window()
    open_data(qtbot, other, MACRO)
    path = tmp_path / "plain.swproj"
    assert other.files.save_project(str(path))
    return path


def test_cancel_keeps_the_unsaved_model_when_a_project_is_opened(unsaved, plain_project, qtbot):
    window, workspace, asked = unsaved("series", CANCEL)
    model, title = workspace.model, window.windowTitle()
    assert not open_project(qtbot, window, plain_project)
    assert asked == [(workspace, "The trained forecaster has not been saved. Opening the project plain.swproj "
                                 "replaces it.\n\nSave it first?")]
    assert workspace.model is model and workspace.has_unsaved_model()
    assert workspace.table.path.endswith("load.csv") and window.windowTitle() == title
    assert window.project_path is None


@pytest.mark.parametrize("answer", [DISCARD, SAVE])
def test_discard_or_save_opens_the_project(answer, unsaved, plain_project, qtbot, tmp_path, monkeypatch):
    window, workspace, asked = unsaved("series", answer)
    target = tmp_path / "kept.swb"
    monkeypatch.setattr(window.files.dialogs, "ask_save", lambda *args: str(target))
    assert open_project(qtbot, window, plain_project)
    assert len(asked) == 1 and target.is_file() == (answer == SAVE)
    assert workspace.model is None and workspace.table.path.endswith("us_macro_quarterly.csv")
    assert window.project_path == str(plain_project)


def test_a_project_of_another_kind_does_not_ask(unsaved, make_main_window, qtbot, data_files, tmp_path):
    other = make_main_window()
    open_data(qtbot, other, data_files["text"][0])
    text_project = tmp_path / "text.swproj"
    assert other.files.save_project(str(text_project))
    window, series, _ = unsaved("series")
    never_ask(window)
    assert open_project(qtbot, window, text_project)
    assert window.active().kind == "text" and series.has_unsaved_model()


def test_training_again_asks_first(unsaved, qtbot, tmp_path, monkeypatch):
    window, workspace, asked = unsaved("series", CANCEL)
    model = workspace.model
    assert not workspace.start_training()
    assert asked[0][1] == ("The trained forecaster has not been saved. Training again replaces it when the new "
                           "run ends.\n\nSave it first?")
    assert not workspace.is_training() and workspace.model is model
    target = tmp_path / "before.swb"
    monkeypatch.setattr(window.files.dialogs, "ask_save", lambda *args: str(target))
    window.files.guard.ask = lambda ws, text: SAVE
    assert train(qtbot, workspace) == "finished"
    assert target.is_file() and workspace.model is not model and workspace.has_unsaved_model()


def test_dropping_a_model_file_asks_too(unsaved, forecast_bundle):
    window, workspace, asked = unsaved("series", CANCEL)
    model = workspace.model
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(forecast_bundle))])
    window.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))
    assert len(asked) == 1 and workspace.model is model


@pytest.mark.parametrize("kind", ["series", "text", "classify"])
def test_opening_data_keeps_every_model_and_never_asks(kind, unsaved, qtbot, data_files):
    window, workspace, _ = unsaved(kind)
    model = workspace.model
    never_ask(window)
    # Other data of the same kind opens in the same workspace, beside the model.
    assert open_data(qtbot, window, data_files[kind][1]) is workspace
    assert workspace.model is model and workspace.has_unsaved_model()
    assert Path(workspace.data_path()).name == Path(data_files[kind][1]).name
    # Data of another kind opens in its own workspace; this one keeps its model.
    other = "text" if kind != "text" else "series"
    assert open_data(qtbot, window, data_files[other][0]).kind == other
    assert workspace.model is model and workspace.has_unsaved_model()


def test_closing_with_save_saves_then_closes(unsaved, tmp_path, monkeypatch):
    from workbench.gui.main_window import MainWindow

    window, workspace, asked = unsaved("text", SAVE)
    monkeypatch.setattr(window, "ask_save_model_on_close", MainWindow.ask_save_model_on_close.__get__(window))
    target = tmp_path / "closing.swb"
    monkeypatch.setattr(window.files.dialogs, "ask_save", lambda *args: "")
    window.close()
    assert window.isVisible() and asked[0][1].startswith("The trained language model has not been saved. "
                                                         "Closing the window discards it.")
    monkeypatch.setattr(window.files.dialogs, "ask_save", lambda *args: str(target))
    window.close()
    assert not window.isVisible() and target.is_file()
