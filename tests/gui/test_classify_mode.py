"""The window's classification side driven as a user would: open labelled texts, train, read results, try texts."""

import os

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from tests.conftest import SAMPLE_DATA
from tests.gui.conftest import READ_TIMEOUT_MS, open_data, open_project, settle

TEXTS_TAB, TRAINING_TAB, RESULTS_TAB, MISTAKES_TAB, TRY_TAB = range(5)  # the classify workspace's right tabs

REVIEWS = os.path.join(SAMPLE_DATA, "reviews.csv")
CO2 = os.path.join(SAMPLE_DATA, "co2_mauna_loa_weekly.csv")


def tab_titles(tabs):
    return [tabs.tabText(i) for i in range(tabs.count())]


@pytest.fixture
def small_reviews(tmp_path):
    """600 rows of the sample table: enough for every class in every part, quick to train on."""
    frame = pd.read_csv(REVIEWS).groupby("sentiment", group_keys=False).head(200)
    path = tmp_path / "reviews_small.csv"
    frame.to_csv(path, index=False)
    return str(path)


@pytest.fixture
def classify_window(make_main_window, qtbot, small_reviews):
    """The classification workspace with the small table open and tiny settings; the window is at `.window`."""
    window = make_main_window()
    classify = open_data(qtbot, window, small_reviews)
    form = classify.form
    for section, name, value in (("model", "hidden", 8), ("classify", "embedding", 8), ("train", "epochs", 2),
                                 ("train", "threads", 1), ("train", "device", "cpu")):
        form.form(section).editor(name).set_value(value)
    classify.update_can_train()
    settle(qtbot, classify)  # the embedding changed: the table is summarized again
    classify.window = window
    return classify


def train_to_the_end(qtbot, classify):
    with qtbot.waitSignal(classify.run_ended, timeout=60000):
        qtbot.mouseClick(classify.training_panel.button, Qt.MouseButton.LeftButton)


def test_a_table_of_labelled_texts_opens_for_classification(classify_window):
    classify = classify_window
    assert classify.kind == "classify" and classify.right_tabs.currentIndex() == TEXTS_TAB
    assert tab_titles(classify.right_tabs) == ["Texts", "Training", "Results", "Mistakes", "Try it", "Inspect", "Runs",
                                              "Search"]
    assert tab_titles(classify.left_tabs) == ["Data", "Model"]
    panel = classify.data_panel
    assert [panel.classes.item(r, 0).text() for r in range(3)] == ["negative", "neutral", "positive"]
    assert [panel.classes.item(r, 2).text() for r in range(3)] == ["200", "200", "200"]
    summary = classify.summary
    assert classify.texts_view.histogram.truncated_share() == pytest.approx(summary.truncated_share)
    assert classify.texts_view.example.position_text().startswith("Training text 1 of 420 (table row ")
    assert "into 3 classes" in classify.form.summary_text()
    assert classify.window.actions_.train.isEnabled()


def test_picking_a_column_that_is_not_a_label_is_explained(classify_window, qtbot):
    classify, train_action = classify_window, classify_window.window.actions_.train
    classify.data_panel.label_combo.setCurrentIndex(classify.data_panel.label_combo.findData("review"))
    assert not train_action.isEnabled()  # while the table is summarized again, and after
    qtbot.waitUntil(lambda: "distinct values" in classify.data_panel.message_bar.text(), timeout=READ_TIMEOUT_MS)
    assert not train_action.isEnabled()
    classify.data_panel.label_combo.setCurrentIndex(0)  # back to the detected column
    qtbot.waitUntil(train_action.isEnabled, timeout=READ_TIMEOUT_MS)


def test_padding_example_pages_through_the_texts(classify_window, qtbot):
    example = classify_window.texts_view.example
    qtbot.mouseClick(example.next_button, Qt.MouseButton.LeftButton)
    assert example.position_text().startswith("Training text 2 of 420 (table row ")
    summary = classify_window.summary
    second = summary.example(pd.read_csv(classify_window.table.path)["review"][summary.train_rows[1]])
    assert example.padding_count() == int((~second.real).sum())


def test_training_shows_accuracy_results_mistakes_and_try_it(classify_window, qtbot):
    window = classify_window
    train_to_the_end(qtbot, window)
    panel = window.training_panel
    assert panel.accuracy_plot.isVisible() and len(panel.accuracy_plot.values()) == 2
    assert " acc " in panel.epoch_log.toPlainText()
    results = window.results_view
    assert results.metrics.row_labels()[:2] == ["Accuracy", "Macro-F1"]
    assert results.metrics.verdict_text().startswith("The model ")
    assert len(results.matrix.cell_texts()) == 3
    mistakes = window.mistakes
    wrong = len(window.mistakes.visible_rows())
    assert mistakes.count_text().startswith(f"{wrong} of 90 test examples misclassified")
    try_it = window.try_it
    with qtbot.waitSignal(try_it.text_changed, timeout=3000):
        try_it.set_text("Truly wonderful, I love it.")
    rows = try_it.bars.rows()
    assert [name for name, _, _ in rows] == ["negative", "neutral", "positive"]
    for tab in (RESULTS_TAB, MISTAKES_TAB, TRY_TAB, TRAINING_TAB):
        window.right_tabs.setCurrentIndex(tab)
    actions = window.window.actions_
    assert actions.export_onnx.isEnabled() and actions.export_predictions.isEnabled()


def test_a_saved_classifier_reopens_and_predicts_the_table(classify_window, qtbot, tmp_path, make_main_window,
                                                           small_reviews):
    train_to_the_end(qtbot, classify_window)
    model = tmp_path / "reviews.swb"
    assert classify_window.window.files.save_model(str(model))
    other = make_main_window()
    fresh = open_data(qtbot, other, small_reviews)
    assert other.files.open_model(str(model))
    assert other.active() is fresh and fresh.right_tabs.currentIndex() == RESULTS_TAB
    assert fresh.results_view.metrics.verdict_text() == classify_window.results_view.metrics.verdict_text()
    out = tmp_path / "predicted.csv"
    assert other.exports.export_predictions(str(out))
    predicted = pd.read_csv(out)
    assert {"predicted", "prob_negative", "prob_neutral", "prob_positive"} <= set(predicted.columns)
    assert len(predicted) == 600


def test_a_classification_project_round_trips(classify_window, qtbot, tmp_path, make_main_window):
    train_to_the_end(qtbot, classify_window)
    classify_window.right_tabs.setCurrentIndex(MISTAKES_TAB)
    project = tmp_path / "reviews.swproj"
    assert classify_window.window.files.save_project(str(project))
    other = make_main_window()
    open_data(qtbot, other, CO2)
    assert open_project(qtbot, other, str(project))
    fresh = other.active()
    assert fresh.kind == "classify" and fresh.right_tabs.currentIndex() == MISTAKES_TAB
    assert fresh.form.form("model").editor("hidden").value() == 8
    assert fresh.model is not None and fresh.results_view.metrics.verdict_text()


def test_onnx_export_of_a_classifier_runs_in_the_background(classify_window, qtbot, tmp_path, monkeypatch):
    # The export itself is tested in the core; here, what the window does with it, off the GUI thread.
    import threading

    import workbench.core.classify.onnx_export as onnx_export

    threads, checked = [], []

    def fake_export(model, path, max_len, check_ids=None, check_inputs=""):
        threads.append(threading.current_thread())
        checked.append(check_ids)
        open(path, "wb").write(b"onnx")
        return onnx_export.ParityCheck(3e-7, len(check_ids), check_inputs)

    monkeypatch.setattr(onnx_export, "export_classifier_onnx", fake_export)
    train_to_the_end(qtbot, classify_window)
    path = tmp_path / "reviews.onnx"
    exports = classify_window.window.exports
    assert exports.export_onnx(str(path))
    status = classify_window.window.statusBar()
    qtbot.waitUntil(lambda: "onnxruntime matches" in status.currentMessage(), timeout=30000)
    message = status.currentMessage()
    assert "onnxruntime matches the model to 3e-07 on 64 texts of the open table." in message
    assert "'probabilities' (batch, 3)" in message
    assert threads and threads[0] is not threading.main_thread()
    # Checked on the table's own texts as the model reads them: real ids, right-padded with 0.
    ids = checked[0]
    assert ids.shape == (64, classify_window.model.config.classify.max_len) and ids[:, 0].min() > 0


def test_a_trained_classifier_is_never_used_to_generate_text(classify_window, qtbot, tmp_path):
    train_to_the_end(qtbot, classify_window)
    window = classify_window.window
    text = open_data(qtbot, window, os.path.join(SAMPLE_DATA, "ships_log.txt"))
    panel = text.generation
    assert not panel.button.isEnabled()
    assert "Train a language model on a text" in panel.button.toolTip()
    # A project of the text does not take the classifier along (it would then refuse to open).
    project = tmp_path / "log.swproj"
    assert window.files.save_project(str(project))
    assert not (tmp_path / "log.swb").exists()
    assert open_project(qtbot, window, str(project))
    assert classify_window.model is not None  # still there, in its own workspace
