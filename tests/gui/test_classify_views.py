"""The classification widgets, fed plain data: lengths, one encoded example, a confusion matrix, the scores
table, the misclassified texts and the try-it box."""

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.gui.panels.classify_metrics_view import ClassifyMetricsView, best_column
from workbench.gui.panels.misclassified_list import MisclassifiedList
from workbench.gui.panels.padded_example import PAD_TEXT, PaddedExample, truncation_sentence
from workbench.gui.panels.try_it_box import TryItBox
from workbench.gui.plots.confusion_matrix import DARK_TEXT, LIGHT_TEXT, ConfusionMatrixPlot
from workbench.gui.plots.length_histogram import LengthHistogram

CLASSES = ["positive", "neutral", "negative"]


def shown(qtbot, widget, width=440, height=360):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    return widget


# ---- length histogram

def test_histogram_share_line_and_bars(qtbot):
    plot = shown(qtbot, LengthHistogram())
    lengths = np.random.default_rng(0).integers(5, 80, 400)
    plot.set_lengths(lengths, 57)
    share = float(np.mean(lengths > 57))
    assert plot.truncated_share() == pytest.approx(share)
    assert plot.line_text() == f"max length 57: {share:.1%} of texts truncated"
    # The line sits between the kept lengths (<= 57) and the cut ones, and so does a bin edge.
    assert plot.max_len_line.value() == 57.5
    edges, counts = plot.bins()
    assert 57.5 in edges
    assert counts.sum() == 400
    cut = counts[edges[:-1] >= 57.5].sum()
    assert cut == np.sum(lengths > 57)
    assert plot.getPlotItem().getAxis("bottom").labelText == "text length (words)"


def test_histogram_folds_a_long_tail_and_clears(qtbot):
    plot = shown(qtbot, LengthHistogram())
    lengths = np.concatenate([np.full(300, 40), [5000]])
    plot.set_lengths(lengths, 200, unit="characters")
    edges, counts = plot.bins()
    assert edges[-1] < 1000 and counts[-1] == 1
    assert plot.line_text() == "max length 200: 0.3% of texts truncated"
    plot.set_lengths(np.full(10, 12), 50)
    assert plot.line_text() == "max length 50: no text truncated"
    plot.clear()
    assert plot.truncated_share() == 0.0 and plot.line_text() == ""


# ---- padded example

def test_padded_example_cells_and_sentence(qtbot):
    view = shown(qtbot, PaddedExample())
    tokens = ["great", " ", "film", "\n", "!"] + ["<pad>"] * 3
    view.set_example(tokens, [True] * 5 + [False] * 3, truncated_tokens=0, side="end", label="positive")
    assert view.cell_texts() == ["great", "\u2423", "film", "\u21b5", "!", PAD_TEXT, PAD_TEXT, PAD_TEXT]
    assert view.padding_cells() == 3 and view.padding_count() == 3
    assert view.truncation_text() == "Nothing cut: the whole text fits in the maximum length."
    assert view.counts.text() == "8 positions: 5 tokens, 3 padding"


def test_padded_example_collapses_long_padding_and_marks_the_cut(qtbot):
    view = shown(qtbot, PaddedExample())
    view.set_example(["a"] * 4 + [""] * 40, [True] * 4 + [False] * 40, 0, "end")
    assert view.padding_count() == 40
    assert view.cell_texts()[-1] == f"{PAD_TEXT} \u00d7 34 more"
    view.set_example(["w"] * 10, [True] * 10, truncated_tokens=12, side="end")
    assert view.truncation_text() == "12 tokens cut from the end (truncation keeps the start)"
    assert view.cell_texts()[-1] == "\u2702 12 cut"
    view.set_example(["w"] * 10, [True] * 10, truncated_tokens=1, side="pre")
    assert view.truncation_text() == "1 token cut from the start (truncation keeps the end)"
    assert view.cell_texts()[0] == "\u2702 1 cut"
    with pytest.raises(ValueError, match="one mask value per token"):
        view.set_example(["a", "b"], [True], 0, "end")
    with pytest.raises(ValueError, match="'middle'"):
        truncation_sentence(3, "middle")


def test_padded_example_previous_next(qtbot):
    view = shown(qtbot, PaddedExample())
    view.set_position(0, 3)
    assert view.position_text() == "Example 1 of 3"
    assert not view.previous_button.isEnabled() and view.next_button.isEnabled()
    with qtbot.waitSignal(view.example_requested) as blocker:
        qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1]
    view.set_position(2, 3)
    assert not view.next_button.isEnabled()
    with qtbot.waitSignal(view.example_requested) as blocker:
        qtbot.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1]


# ---- confusion matrix

def test_confusion_matrix_cell_texts_and_colours(qtbot):
    plot = shown(qtbot, ConfusionMatrixPlot())
    matrix = np.array([[120, 14, 6], [18, 61, 21], [5, 12, 143]])
    plot.set_matrix(matrix, CLASSES)
    texts = plot.cell_texts()
    assert texts[0] == ["120\n86%", "14\n10%", "6\n4%"]
    assert texts[2][2] == "143\n89%"
    colours = plot.cell_text_colors()
    # White on the darkest cell, dark on the palest.
    assert colours[2][2] == LIGHT_TEXT and colours[2][0] == DARK_TEXT
    assert plot.column_names() == CLASSES
    assert plot.cell_tip(0, 1) == "14 texts of class positive were predicted neutral (10% of positive)"
    plot.set_matrix(matrix, CLASSES, normalise=True)
    assert plot.cell_texts()[1][1] == "61%\n(61)"
    plot.clear()
    assert plot.cell_texts() == []


def test_confusion_matrix_numbers_columns_when_names_do_not_fit(qtbot):
    plot = shown(qtbot, ConfusionMatrixPlot(), width=420)
    names = [f"newsgroup.topic.{i}" for i in range(10)]
    plot.set_matrix(np.eye(10) * 30 + 2, names)
    assert plot.column_names() == [str(i) for i in range(1, 11)]
    assert len(plot.cell_texts()) == 10
    with pytest.raises(ValueError, match="pass an 3 x 3 matrix"):
        plot.set_matrix(np.ones((2, 2)), CLASSES)


# ---- metrics table

REPORT = {
    "columns": ["model", "majority class", "bag of words"],
    "overall": {"accuracy": [0.81, 0.5, 0.84], "macro_f1": [0.79, 0.22, 0.79]},
    "per_class": {
        "positive": {"precision": [0.83, 0.5, 0.85], "recall": [0.86, 1.0, 0.88], "f1": [0.84, 0.67, 0.86],
                     "support": 140},
        "negative": {"precision": [math.nan, math.nan, 0.84], "recall": [0.89, 0.0, 0.9], "f1": [0.86, 0.0, 0.87],
                     "support": 160},
    },
    "verdict": "The model does not beat bag of words (0.81 vs 0.84 accuracy).",
    "verdict_tone": "worse",
}


def test_metrics_marks_the_best_and_colours_the_verdict(qtbot):
    view = shown(qtbot, ClassifyMetricsView())
    view.set_metrics(REPORT)
    assert view.row_labels()[:3] == ["Accuracy", "Macro-F1", "positive: precision"]
    best = view.best_cells()
    assert best["Accuracy"] == "Bag of words"
    assert best["Macro-F1"] == "Model"  # a tie goes to the model
    assert best["positive: recall"] == "Majority class"
    assert best["negative: precision"] == "Bag of words"  # NaN never wins
    assert view.cell_text("Accuracy", "Bag of words") == "0.840 \u2713"
    assert view.cell_text("negative: precision", "Model") == "-"
    assert view.verdict_text() == REPORT["verdict"] and view.verdict_tone() == "worse"
    view.set_metrics({**REPORT, "verdict_tone": "better"})
    assert view.verdict_tone() == "better"
    assert view.support.text() == "Test texts per class: positive 140, negative 160"
    view.clear()
    assert view.currentIndex() == 0 and view.best_cells() == {}


def test_best_column_rules():
    assert best_column([math.nan, math.nan], ["model", "bag of words"]) is None
    assert best_column([0.5, 0.5, 0.5], ["majority class", "bag of words", "model"]) == 2
    assert best_column([0.1, 0.5, 0.5], ["model", "majority class", "bag of words"]) == 1


# ---- misclassified texts

def misclassified_examples(n=20):
    rng = np.random.default_rng(3)
    examples = []
    for i in range(n):
        true, predicted = CLASSES[i % 3], CLASSES[(i + 1) % 3]
        probabilities = rng.dirichlet([1, 1, 1])
        probabilities[CLASSES.index(predicted)] += 2
        probabilities = list(probabilities / probabilities.sum())
        examples.append({"text": f"Review {i}: the plot was thin.\nThe cast did what they could.", "true": true,
                         "predicted": predicted, "probabilities": probabilities, "row": 100 + i})
    return examples


def test_misclassified_filters_narrow_the_rows(qtbot):
    view = shown(qtbot, MisclassifiedList(), height=520)
    examples = misclassified_examples()
    view.set_examples(examples, CLASSES, total=450)
    assert view.count_text() == "20 of 450 test examples misclassified"
    assert len(view.visible_rows()) == 20
    view.true_filter.setCurrentText("positive")
    rows = view.visible_rows()
    assert sorted(rows) == [e["row"] for e in examples if e["true"] == "positive"]
    view.predicted_filter.setCurrentText("negative")
    assert view.visible_rows() == []
    assert view.detail_text() == ""
    view.predicted_filter.setCurrentText("neutral")
    assert sorted(view.visible_rows()) == sorted(rows)
    assert view.count_text() == f"20 of 450 test examples misclassified \u00b7 {len(rows)} shown"
    view.true_filter.setCurrentIndex(0)
    view.predicted_filter.setCurrentIndex(0)
    assert len(view.visible_rows()) == 20


def test_misclassified_sorted_by_confidence_and_detail_follows_selection(qtbot):
    view = shown(qtbot, MisclassifiedList(), height=520)
    examples = misclassified_examples()
    view.set_examples(examples, CLASSES)
    by_row = {e["row"]: e for e in examples}
    confidences = [by_row[r]["probabilities"][CLASSES.index(by_row[r]["predicted"])] for r in view.visible_rows()]
    assert confidences == sorted(confidences, reverse=True)
    view.select(3)
    chosen = by_row[view.visible_rows()[3]]
    assert view.selected_example() == chosen
    assert view.detail_text() == chosen["text"]
    labels = [row[0] for row in view.bars.rows()]
    assert labels[CLASSES.index(chosen["true"])].endswith("\u2713 true")
    assert view.bars.winner() == CLASSES.index(chosen["predicted"])
    view.clear()
    assert view.visible_rows() == [] and view.detail_text() == ""


# ---- try it

def test_try_it_debounces_and_sends_changes_only(qtbot):
    box = shown(qtbot, TryItBox())
    sent = []
    box.text_changed.connect(sent.append)
    with qtbot.waitSignal(box.text_changed, timeout=2000) as blocker:
        for part in ("G", "Gr", "Great film"):
            box.set_text(part)
    assert blocker.args == ["Great film"]
    # The same text again (typed over itself) is not sent twice.
    box.set_text("Great film")
    with qtbot.assertNotEmitted(box.text_changed, wait=400):
        pass
    assert sent == ["Great film"]


def test_try_it_bars_and_message(qtbot):
    box = shown(qtbot, TryItBox())
    box.set_probabilities([0.2, 0.1, 0.7], CLASSES)
    assert box.bars.rows() == [("positive", "20%", False), ("neutral", "10%", False), ("negative", "70%", True)]
    assert "negative" in box.answer.text()
    box.set_message("Train or open a classifier first.")
    assert not box.editor.isEnabled() and box.message.isVisible()
    assert box.bars.rows() == []
    box.set_message("")
    assert box.editor.isEnabled() and not box.message.isVisible()
    box.clear()
    assert box.text() == ""


def test_widgets_fit_small_screens(qtbot):
    for widget in (LengthHistogram(), PaddedExample(), ConfusionMatrixPlot(), ClassifyMetricsView(),
                   MisclassifiedList(), TryItBox()):
        qtbot.addWidget(widget)
        assert widget.minimumSizeHint().width() <= 450, type(widget).__name__


# ---- the results of a real run

def test_results_say_when_the_difference_could_be_chance(qtbot, classifier_run):
    from workbench.gui.panels.classify_views import ClassifyResultsView

    view = shown(qtbot, ClassifyResultsView(), 900, 600)
    summary = classifier_run.evaluation.summary()
    bow = summary["baselines"]["bag_of_words"]
    # Ahead of bag-of-words by macro-F1, on too few disagreements for McNemar to rule out chance.
    summary = {**summary, "test": {**summary["test"], "macro_f1": 0.95, "accuracy": 0.9},
               "baselines": {**summary["baselines"], "bag_of_words": {**bow, "macro_f1": 0.9, "accuracy": 0.85}},
               "mcnemar_p": 0.21, "mcnemar_disagree": 14}
    view.set_summary(summary)
    assert view.metrics.verdict_text().startswith("The model beats bag-of-words logistic regression")
    assert ("The difference could be chance (McNemar p = 0.21 over the 14 test texts where the two disagree); a "
            "larger test part would tell.") in view.metrics.verdict_text()
    assert view.metrics.verdict_tone() == "tie"  # a lead chance could explain is not announced in green


def test_a_system_that_answers_one_class_is_never_marked_best_per_class(qtbot, classifier_run):
    from workbench.gui.panels.classify_views import ClassifyResultsView

    view = shown(qtbot, ClassifyResultsView(), 900, 600)
    view.set_summary(classifier_run.evaluation.summary())
    metrics = view.metrics
    # The majority class always answers "positive": recall 1.000 there, by construction, shown but not marked.
    assert metrics.cell_text("positive: recall", "Majority class") == "1.000"
    for label, column in metrics.best_cells().items():
        if ":" in label:
            assert "Majority class" not in column, label
    assert "The majority class answers 'positive' for every text." in metrics.footnote_text()
    assert metrics.best_cells()["Accuracy"]  # the overall rows still compare every system
