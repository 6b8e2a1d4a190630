"""The window's text side driven as a user would: open a text, train a tiny model, generate, save, reopen."""

import os

import pytest
from PySide6.QtCore import Qt

from tests.conftest import SAMPLE_DATA
from tests.gui.conftest import READ_TIMEOUT_MS, open_data, open_project, settle

TEXT_TAB, TRAINING_TAB, GENERATE_TAB = range(3)  # the text workspace's right-hand tabs

SHIPS_LOG = os.path.join(SAMPLE_DATA, "ships_log.txt")
CO2 = os.path.join(SAMPLE_DATA, "co2_mauna_loa_weekly.csv")


def set_text_form(text, epochs=2, batches=3, sample=20, patience=3):
    """A tiny language model: 1 x 8 units, a few batches per epoch, one thread."""
    form = text.form
    for section, name, value in (("model", "layers", 1), ("model", "hidden", 8), ("text", "embedding", 8),
                                 ("text", "seq_len", 30), ("text", "batches_per_epoch", batches),
                                 ("text", "sample_length", sample), ("train", "epochs", epochs),
                                 ("train", "threads", 1), ("train", "device", "cpu"),
                                 ("train", "patience", patience)):
        form.form(section).editor(name).set_value(value)
    text.update_can_train()


def tab_titles(tabs):
    return [tabs.tabText(i) for i in range(tabs.count())]


@pytest.fixture
def text_window(make_main_window, qtbot):
    """The text workspace of a window with the ship's log open and tiny settings; the window is at `.window`."""
    window = make_main_window()
    text = open_data(qtbot, window, SHIPS_LOG)
    set_text_form(text)
    settle(qtbot, text)  # the tokens are counted again for the new settings
    text.window = window
    return text


def train_to_the_end(qtbot, text):
    with qtbot.waitSignal(text.run_ended, timeout=60000):
        qtbot.mouseClick(text.training_panel.button, Qt.MouseButton.LeftButton)


def test_opening_a_text_shows_its_tokens_and_the_text_settings(make_main_window, qtbot):
    window = make_main_window()
    text = open_data(qtbot, window, SHIPS_LOG)
    assert text.kind == "text" and text.right_tabs.currentIndex() == TEXT_TAB
    assert tab_titles(text.right_tabs) == ["Text", "Training", "Generate", "Inspect", "Runs", "Search"]
    assert tab_titles(text.left_tabs) == ["Model"]
    assert window.windowTitle() == "ships_log.txt - Sequence Workbench"
    summary = text.summary
    assert summary.n_chars == len(open(SHIPS_LOG, encoding="utf-8").read())
    assert f"{summary.n_chars:,}" in text.view.header_text()
    assert f"over {summary.vocab_size:,} characters" in text.form.summary_text()
    assert window.actions_.train.isEnabled()
    # Word tokens: the counts follow the form.
    text.form.form("text").editor("level").set_value("word")
    text.update_can_train()  # counted again in the background
    qtbot.waitUntil(lambda: "over" in text.form.summary_text() and text.summary.level == "word",
                    timeout=READ_TIMEOUT_MS)
    assert text.summary.n_tokens < summary.n_tokens and "words" in text.form.summary_text()


def test_an_invalid_text_setting_blocks_training_with_the_reason(text_window, qtbot):
    text, window = text_window, text_window.window
    editor = text.form.form("text").editor("seq_len")
    editor.editor.clear()
    qtbot.keyClicks(editor.editor, "1")
    text.update_can_train()
    assert editor.problem() == "got 1; it must be at least 2."
    assert not window.actions_.train.isEnabled()
    assert "Fix the 1 setting marked in the Model tab." in text.training_panel.button.toolTip()
    text.form.form("train").editor("batch_size").set_value(65536)
    text.form.form("text").editor("val_fraction").set_value(0.5)
    editor.set_value(50)
    text.update_can_train()
    settle(qtbot, text)  # the validation share changed: the tokens are counted again
    problem = text.form.form("train").editor("batch_size").problem()
    assert problem.startswith("the training part has ") and "lower the batch size" in problem


def test_training_shows_losses_in_nats_and_bits_and_a_sample_per_epoch(text_window, qtbot):
    train_to_the_end(qtbot, text_window)
    panel = text_window.training_panel
    assert [entry["epoch"] for entry in panel.plot.history()] == [1, 2]
    assert panel.plot.getPlotItem().getAxis("left").labelText == "loss (nats per character)"
    assert panel.plot.getPlotItem().getAxis("right").labelText == "bits per character"
    assert panel.plot.getPlotItem().getAxis("bottom").labelText == "epoch (3 batches)"
    assert " bits  lr " in panel.epoch_log.toPlainText()
    assert "Validation: " in panel.status_text() and "bits per character" in panel.status_text()
    samples = text_window.generation.samples()
    assert [s["epoch"] for s in samples] == [1, 2] and all(len(s["text"]) == 20 for s in samples)
    actions = text_window.window.actions_
    assert actions.save_model.isEnabled() and not actions.export_onnx.isEnabled()


def test_generate_streams_text_and_stop_ends_it(text_window, qtbot):
    train_to_the_end(qtbot, text_window)
    panel = text_window.generation
    text_window.right_tabs.setCurrentIndex(GENERATE_TAB)
    panel.prompt.setPlainText("Wind")
    panel.length.setValue(40)
    panel.seed.setText("3")
    with qtbot.waitSignal(panel.generate_requested, timeout=1000):
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_generating(), timeout=10000)
    assert len(panel.generated_text()) == 40
    assert panel.output.toPlainText() == "Wind" + panel.generated_text()
    assert "from the model's kept weights (epoch" in panel.status_text()
    # A long generation, stopped from the panel.
    panel.length.setValue(100000)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(panel.generated_text()) > 0, timeout=10000)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_generating(), timeout=10000)
    assert panel.status_text().startswith("Stopped after ") and len(panel.generated_text()) < 100000


def test_generation_during_training_uses_the_best_weights_so_far(make_main_window, qtbot):
    window = make_main_window()
    text = open_data(qtbot, window, SHIPS_LOG)
    set_text_form(text, epochs=500, batches=2, sample=0, patience=0)
    panel = text.generation
    assert not panel.button.isEnabled()  # nothing to generate from yet
    qtbot.mouseClick(text.training_panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.button.isEnabled(), timeout=30000)
    assert text.is_training()
    assert "best weights so far (epoch" in panel.weights_label.text()
    panel.length.setValue(30)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_generating() and bool(panel.generated_text()), timeout=10000)
    assert len(panel.generated_text()) == 30 and "while training goes on" in panel.status_text()
    with qtbot.waitSignal(text.run_ended, timeout=30000):
        text.stop_training()
    assert text.training_panel.status_text().startswith("Stopped by you")


def test_a_saved_language_model_reopens_ready_to_generate(text_window, qtbot, tmp_path, make_main_window):
    train_to_the_end(qtbot, text_window)
    path = tmp_path / "log.swb"
    assert text_window.window.files.save_model(str(path))
    other = make_main_window()
    assert other.files.open_model(str(path))
    text = other.active()
    assert text.kind == "text" and text.right_tabs.currentIndex() == GENERATE_TAB
    assert text.generation.button.isEnabled()
    assert [e["epoch"] for e in text.training_panel.plot.history()] == [1, 2]
    assert text.form.form("model").editor("hidden").value() == 8
    assert "Opened the language model log.swb" in other.message_bar.text()
    assert not other.actions_.export_onnx.isEnabled()


def test_export_generated_text_writes_the_output_and_the_samples(text_window, qtbot, tmp_path):
    out = tmp_path / "generated.txt"
    exports = text_window.window.exports
    assert not exports.export_generated_text(str(out))  # nothing generated yet
    assert "There is no generated text to export yet." in text_window.window.message_bar.text()
    train_to_the_end(qtbot, text_window)
    assert exports.export_generated_text(str(out))
    written = out.read_text(encoding="utf-8")
    assert written.startswith("Text generated by Sequence Workbench from a model trained on ships_log.txt.")
    assert written.count("== Sample after epoch") == 2


def test_a_broken_text_file_changes_nothing(text_window, qtbot, tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00\x01binary" * 50)
    window = text_window.window
    assert open_data(qtbot, window, broken) is None
    assert "looks like a binary file, not text" in window.message_bar.text()
    assert text_window.source.path == SHIPS_LOG and window.active() is text_window


def test_switching_between_a_text_and_a_table_keeps_each_workspace(text_window, qtbot):
    window = text_window.window
    series = open_data(qtbot, window, CO2)
    assert series.kind == "series" and window.active() is series and series.right_tabs.currentIndex() == 0
    assert tab_titles(series.right_tabs) == ["Series", "Training", "Forecast", "Metrics", "Residuals", "Anomalies",
                                            "Backtest", "Inspect", "Runs", "Search"]
    assert window.stack.currentWidget() is series.widget
    assert open_data(qtbot, window, SHIPS_LOG) is text_window
    assert window.active() is text_window and text_window.right_tabs.currentIndex() == TEXT_TAB


def test_a_text_project_reopens_the_text_the_settings_and_the_model(text_window, qtbot, tmp_path,
                                                                    make_main_window):
    train_to_the_end(qtbot, text_window)
    text_window.right_tabs.setCurrentIndex(GENERATE_TAB)
    project = tmp_path / "log.swproj"
    assert text_window.window.files.save_project(str(project))
    assert (tmp_path / "log.swb").is_file()
    other = make_main_window()
    open_data(qtbot, other, CO2)
    assert open_project(qtbot, other, str(project))
    text = other.active()
    assert text.kind == "text" and text.right_tabs.currentIndex() == GENERATE_TAB
    assert text.source.path == SHIPS_LOG
    assert text.form.form("text").editor("batches_per_epoch").value() == 3
    assert text.generation.button.isEnabled()
    assert [e["epoch"] for e in text.training_panel.plot.history()] == [1, 2]
    assert other.windowTitle() == "log.swproj - Sequence Workbench"


def test_a_text_project_whose_text_is_missing_changes_nothing(text_window, qtbot, tmp_path, make_main_window):
    copy = tmp_path / "copy.txt"
    copy.write_text(open(SHIPS_LOG, encoding="utf-8").read(), encoding="utf-8")
    assert open_data(qtbot, text_window.window, copy) is text_window
    project = tmp_path / "p.swproj"
    assert text_window.window.files.save_project(str(project))
    copy.unlink()
    other = make_main_window()
    series = open_data(qtbot, other, CO2)
    assert not open_project(qtbot, other, str(project))
    assert "data file" in other.message_bar.text() and "is missing" in other.message_bar.text()
    assert other.active() is series and series.table is not None


def test_the_training_tab_plot_exports_in_text_mode(text_window, qtbot, tmp_path):
    train_to_the_end(qtbot, text_window)
    text_window.right_tabs.setCurrentIndex(TRAINING_TAB)
    assert text_window.window.exports.export_plot(str(tmp_path / "loss.png"))
    assert (tmp_path / "loss.png").stat().st_size > 0
