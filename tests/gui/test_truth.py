"""Every sentence the window says is true, current and consistent: the loss-curve reading and the verdict speak of
the run and the data on screen only, one recommendation is made in one place, and colours follow the verdict."""

import os

import pandas as pd
import pytest
from PySide6.QtCore import Qt

from tests.conftest import REVIEWS, SHIP_TEXT, seasonal_table, tiny_config
from tests.gui.conftest import open_data, open_project, set_form, settle, train
from workbench.core.training.advice import CAPACITY, advise
from workbench.gui.panels.runs.work import RUNS_FOLDER_KEY
from workbench.gui.training_job import EPOCHS

CLASSIFY_TINY = (("model", "hidden", 8), ("classify", "embedding", 8), ("train", "epochs", 3), ("train", "threads", 1),
                 ("train", "device", "cpu"))
TEXT_TINY = (("model", "layers", 1), ("model", "hidden", 8), ("text", "embedding", 8), ("text", "seq_len", 30),
             ("text", "batches_per_epoch", 3), ("text", "sample_length", 10), ("train", "epochs", 3),
             ("train", "threads", 1), ("train", "device", "cpu"))


def set_values(form, values):
    for section, name, value in values:
        form.form(section).editor(name).set_value(value)


def reviews_file(folder, rows_per_class=100, name="reviews.csv", numeric=False):
    frame = pd.read_csv(REVIEWS).groupby("sentiment", group_keys=False).head(rows_per_class)
    if numeric:
        frame["sentiment"] = frame["sentiment"].map({"negative": 0, "neutral": 1, "positive": 2})
    path = os.path.join(folder, name)
    frame.to_csv(path, index=False)
    return path


def open_kind(qtbot, window, kind, folder, which=0):
    """Open data of `kind` (a second, different file when `which` is 1) with tiny settings of 3 epochs or more."""
    if kind == "series":
        frame = seasonal_table()
        frame["load"] = frame["load"] * (1 + which)
        path = os.path.join(folder, f"load{which}.csv")
        frame.to_csv(path, index=False)
        workspace = open_data(qtbot, window, path)
        set_form(workspace, tiny_config(epochs=4))
    elif kind == "text":
        path = os.path.join(folder, f"log{which}.txt")
        with open(path, "w", encoding="utf-8") as file:
            file.write(SHIP_TEXT if not which else SHIP_TEXT.replace("north", "south"))
        workspace = open_data(qtbot, window, path)
        set_values(workspace.form, TEXT_TINY)
    else:
        workspace = open_data(qtbot, window, reviews_file(folder, 100 + 20 * which, f"reviews{which}.csv"))
        set_values(workspace.form, CLASSIFY_TINY)
    workspace.update_can_train()
    settle(qtbot, workspace)
    assert workspace.kind == kind
    return workspace


def expected_advice(workspace):
    """The reading and recommendation the core gives for the model on screen, as the Training tab shows it."""
    model = workspace.model
    result = model.result
    if workspace.kind == "classify":
        from workbench.core.classify.report import classifier_advice

        advice = classifier_advice(model.metrics, model.config, result)
    else:
        beats = workspace.inspection.evaluation.summary()["beats_baselines"] if workspace.kind == "series" else None
        capacity = CAPACITY["forecaster" if workspace.kind == "series" else "language_model"]
        advice = advise(result["history"], result["best_epoch"], beats, capacity, result["stopped_reason"])
    return f"{advice.title}. {advice.text()}"


def train_and_watch(qtbot, workspace):
    """Train once more; what the Training tab showed at each delivery of epochs while the run went on."""
    seen = []
    deliver = workspace.on_delivered

    def watch(channel, items):
        deliver(channel, items)
        if channel == EPOCHS:
            panel = workspace.training_panel
            seen.append({"reading": panel.reading_text(), "status": panel.status_text(),
                         "tone": panel.verdict_tone(), "running": panel.state() != "idle"})

    workspace.on_delivered = watch
    try:
        assert train(qtbot, workspace) == "finished"
    finally:
        del workspace.on_delivered
    return seen


@pytest.mark.parametrize("kind", ["series", "text", "classify"])
def test_a_second_run_never_shows_the_first_runs_reading_or_verdict(make_main_window, qtbot, tmp_path, kind):
    window = make_main_window()
    window.services.settings.setValue(RUNS_FOLDER_KEY, str(tmp_path / "runs"))  # only this test's runs
    workspace = open_kind(qtbot, window, kind, str(tmp_path))
    panel = workspace.training_panel
    assert train(qtbot, workspace) == "finished"
    first_reading, first_status = panel.reading_text(), panel.status_text()
    assert first_reading == expected_advice(workspace)
    first_verdict = first_status.split("\n", 1)[1] if "\n" in first_status else ""

    seen = train_and_watch(qtbot, workspace)

    assert seen and seen[0]["running"], "no epoch reached the window while the second run went on"
    for moment in seen:
        # While training, the reading is not shown at all (it weighs the test scores, which come at the end).
        assert moment["reading"] == "" and first_reading not in moment["reading"]
        assert moment["tone"] == ""
        if first_verdict:
            assert first_verdict not in moment["status"]
    assert panel.reading_text() == expected_advice(workspace)  # the second run's own, once it has ended
    assert_both_runs_listed(qtbot, workspace)


def assert_both_runs_listed(qtbot, workspace):
    """Every run of the window is recorded: the Runs tab lists both, finished, each with its kept model."""
    runs = workspace.experiments.runs
    workspace.right_tabs.setCurrentWidget(workspace.experiments.runs_page)
    qtbot.waitUntil(lambda: not runs.is_loading() and runs.model.rowCount() == 2, timeout=10_000)
    rows = runs.model.shown_rows()
    assert [row.status for row in rows] == ["finished", "finished"]
    assert all(row.bundle and os.path.exists(row.bundle) for row in rows)


@pytest.mark.parametrize("kind", ["series", "text", "classify"])
def test_other_data_clears_the_reading_and_the_verdict(make_main_window, qtbot, tmp_path, kind):
    window = make_main_window()
    workspace = open_kind(qtbot, window, kind, str(tmp_path))
    assert train(qtbot, workspace) == "finished"
    assert workspace.training_panel.reading_text()
    assert open_kind(qtbot, window, kind, str(tmp_path), which=1) is workspace
    assert workspace.training_panel.reading_text() == ""
    assert workspace.training_panel.verdict_tone() == ""


@pytest.fixture
def numbered_classes(make_main_window, qtbot, tmp_path):
    """A classify workspace on a table whose labels are 0, 1 and 2, in a 1280x720 window."""
    window = make_main_window()
    window.resize(1280, 720)
    workspace = open_data(qtbot, window, reviews_file(str(tmp_path), numeric=True))
    set_values(workspace.form, CLASSIFY_TINY)
    workspace.update_can_train()
    settle(qtbot, workspace)
    workspace.window = window
    return workspace


def test_numeric_labels_are_shown_as_they_are_and_can_be_named(numbered_classes, qtbot, tmp_path):
    workspace = numbered_classes
    panel = workspace.data_panel
    assert panel.shown_classes() == [("0", "0"), ("1", "1"), ("2", "2")]
    for value, name in (("0", "negative"), ("1", "neutral"), ("2", "positive")):
        with qtbot.waitSignal(panel.class_names_changed, timeout=2000):
            panel.rename_class(value, name)
    settle(qtbot, workspace)  # the table is summarized again with the names
    assert panel.shown_classes() == [("0", "negative"), ("1", "neutral"), ("2", "positive")]
    assert workspace.config().classify.class_names == ["0=negative", "1=neutral", "2=positive"]
    assert workspace.texts_view.example.label.text().startswith("Label: <b>")
    assert workspace.summary.classes[workspace.summary.train_labels[0]] in workspace.texts_view.example.label.text()

    assert train(qtbot, workspace) == "finished"
    assert workspace.results_view.metrics.row_labels()[2] == "negative: precision"
    with qtbot.waitSignal(workspace.try_it.text_changed, timeout=3000):
        workspace.try_it.set_text("Truly wonderful, I love it.")
    assert [name for name, _, _ in workspace.try_it.bars.rows()] == ["negative", "neutral", "positive"]
    out = tmp_path / "predicted.csv"
    assert workspace.window.exports.export_predictions(str(out))
    predicted = pd.read_csv(out)
    assert {"prob_negative", "prob_neutral", "prob_positive"} <= set(predicted.columns)
    assert set(predicted["predicted"]) <= {"negative", "neutral", "positive"}

    project = tmp_path / "named.swproj"
    assert workspace.window.files.save_project(str(project))
    assert open_project(qtbot, workspace.window, str(project))
    assert workspace.data_panel.shown_classes() == [("0", "negative"), ("1", "neutral"), ("2", "positive")]


def test_two_classes_cannot_share_a_name(numbered_classes, qtbot):
    panel = numbered_classes.data_panel
    with qtbot.assertNotEmitted(panel.class_names_changed, wait=300):
        panel.rename_class("0", "1")
    assert "cannot both be called '1'" in panel.message_bar.text()
    assert panel.shown_classes()[0] == ("0", "0")


def test_the_classifier_says_one_thing_in_one_colour_and_fits_1280_by_720(numbered_classes, qtbot):
    workspace = numbered_classes
    assert train(qtbot, workspace) == "finished"
    panel, results = workspace.training_panel, workspace.results_view.metrics
    # The same verdict in the same tone on the Training tab and the Results tab...
    assert panel.status_text().split("\n", 1)[1] == results.verdict_text()
    assert panel.verdict_tone() == results.verdict_tone() == workspace.model.metrics["verdict_tone"]
    # ...which gives no advice: the one recommendation is the Training tab's, under the progress bar.
    for word in ("Try ", "Raise ", "Lower ", "Train for more"):
        assert word not in results.verdict_text()
    assert expected_advice(workspace) == panel.reading_text()

    window = workspace.window
    workspace.right_tabs.setCurrentWidget(panel)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: panel.accuracy_plot.isVisible() and panel.accuracy_plot.height() > 0)
    assert window.grab().size().width() == 1280 and window.size().height() == 720
    title = panel.accuracy_plot.getPlotItem().getAxis("left").label.boundingRect().width()
    assert panel.accuracy_plot.height() >= title + 60, "the accuracy plot's axis title is clipped"
    assert panel.plot.height() >= 160
    bottom = panel.epoch_log.mapTo(window, panel.epoch_log.rect().bottomLeft()).y()
    assert bottom <= window.height()


def test_the_mistakes_sort_arrow_points_the_way_the_rows_run(classifier_run, qtbot):
    from workbench.gui.panels.misclassified_list import CONFIDENCE_COLUMN, MisclassifiedList

    view = MisclassifiedList()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    examples = [mistake.to_dict() for mistake in classifier_run.evaluation.misclassified]
    view.set_examples(examples, list(classifier_run.classes))
    header = view.table.horizontalHeader()
    # Most confident first, and the arrow points down: the values fall as the rows go down.
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert sort_arrow(header, CONFIDENCE_COLUMN) == "down"
    view.table.sortByColumn(CONFIDENCE_COLUMN, Qt.SortOrder.AscendingOrder)
    assert sort_arrow(header, CONFIDENCE_COLUMN) == "up"
    shown = [float(view.proxy.index(r, CONFIDENCE_COLUMN).data().rstrip("%")) for r in range(view.proxy.rowCount())]
    assert shown == sorted(shown)


def sort_arrow(header, column):
    """"up" or "down": which way the sort triangle drawn in `column`'s title points (read off the pixels)."""
    image = header.grab().toImage()
    left = header.sectionViewportPosition(column)
    right = left + header.sectionSize(column)
    # The triangle sits at the right end of the section, clear of the title; count its dark pixels row by row.
    widths = []
    for y in range(image.height() - 2):
        dark = sum(image.pixelColor(x, y).lightness() < 160 for x in range(right - 14, right - 2))
        if dark:
            widths.append(dark)
    assert len(widths) >= 3, "no sort triangle drawn"
    return "down" if widths[0] > widths[-1] else "up"
