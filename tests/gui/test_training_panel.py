"""The training panel: Train/Stop states, progress, loss curves, epoch log and the final message."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.core.training.advice import Verdict
from workbench.gui.panels.training_panel import TrainingPanel, epoch_line, format_duration, short_number

INFO = {"epochs": 50, "batches_per_epoch": 10, "parameters": 1234, "device": "cpu", "threads": 1}


def fake_epochs(first, last, best=None):
    logs = []
    for epoch in range(first, last + 1):
        logs.append({"epoch": epoch, "loss": 1.0 / epoch, "val_loss": 1.5 / epoch, "lr": 1e-3, "seconds": 0.5,
                     "best_epoch": best or epoch, "best_val_loss": 1.5 / (best or epoch)})
    return logs


@pytest.fixture
def panel(qtbot):
    widget = TrainingPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    return widget


def test_train_click_asks_for_a_run(qtbot, panel):
    assert panel.button.text() == "Train"
    with qtbot.waitSignal(panel.train_requested, timeout=1000):
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)


def test_stop_turns_the_button_at_once(qtbot, panel):
    panel.run_started(INFO)
    assert panel.button.text() == "Stop"
    with qtbot.waitSignal(panel.stop_requested, timeout=1000):
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert panel.button.text() == "Stopping..."
    assert not panel.button.isEnabled()
    with qtbot.assertNotEmitted(panel.stop_requested):
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)


def test_cannot_train_says_why(panel):
    panel.set_can_train(False, "Load a data file first.")
    assert not panel.button.isEnabled()
    assert panel.button.toolTip() == "Load a data file first."
    panel.set_can_train(True)
    assert panel.button.isEnabled()


def test_progress_and_times(panel):
    panel.run_started(INFO)
    panel.update_progress({"epoch": 3, "batch": 5, "batches_per_epoch": 10, "fraction_done": 0.05,
                           "elapsed_s": 12.0, "eta_s": 228.0})
    assert panel.progress.text() == "Epoch 3/50"
    assert panel.progress.value() == 50
    assert panel.elapsed_label.text() == "Elapsed 0:12"
    assert panel.eta_label.text() == "Remaining 3:48"


def test_epochs_update_curves_log_and_best_marker(panel):
    panel.run_started(INFO)
    panel.add_epochs(fake_epochs(1, 4))
    panel.add_epochs(fake_epochs(5, 7, best=4))
    x, y = panel.plot.train_curve.getData()
    assert list(x) == [1, 2, 3, 4, 5, 6, 7]
    np.testing.assert_allclose(panel.plot.val_curve.getData()[1], [1.5 / e for e in range(1, 8)])
    assert panel.plot.best_epoch() == 4
    lines = panel.epoch_log.toPlainText().splitlines()
    assert len(lines) == 7
    assert lines[3].endswith("*best") and not lines[6].endswith("*best")
    assert len(panel.plot.history()) == 7


def test_log_scale_checkbox(panel):
    panel.log_scale.setChecked(True)
    assert panel.plot.getPlotItem().ctrl.logYCheck.isChecked()


def test_run_ended_shows_the_message_and_allows_a_new_run(panel):
    panel.run_started(INFO)
    panel.add_epochs(fake_epochs(1, 12))
    panel.run_ended({"stopped_reason": "early_stopped", "epochs_run": 12, "seconds": 6.0,
                     "message": "Stopped early at epoch 12: no better validation loss for 10 epochs.",
                     "verdict": Verdict("The model beats the naive forecast by 20% on MASE.", "better")})
    assert panel.status_text().startswith("Stopped early at epoch 12")
    assert "beats the naive forecast" in panel.status_text()
    assert panel.verdict_tone() == "better"
    assert panel.button.text() == "Train" and panel.button.isEnabled()
    assert panel.progress.text() == "Epoch 12/50 (early stop)"
    panel.set_reading("Converged", "Both losses levelled off.")
    panel.run_started(INFO)
    assert panel.plot.history() == []  # a new run starts with an empty plot...
    assert panel.reading_text() == "" and panel.verdict_tone() == ""  # ...and says nothing of the last one
    assert panel.status_text().startswith("Training 1,234 parameters")


@pytest.mark.parametrize("tone", ["better", "worse", "tie", "neutral"])
def test_the_verdict_is_coloured_by_its_own_tone_only(panel, tone):
    from workbench.gui.panels.verdict_label import TONE_STYLES

    panel.run_started(INFO)
    # A run that finished normally but lost: the colour follows the verdict, not the way the run ended.
    panel.run_ended({"stopped_reason": "finished", "epochs_run": 50, "seconds": 6.0, "message": "Finished.",
                     "verdict": Verdict("The model does not beat bag-of-words.", tone)})
    assert panel.verdict_tone() == tone
    assert panel.verdict.styleSheet() == TONE_STYLES[tone]
    assert "#2e7d32" not in panel.status.styleSheet() and "#1b5e20" not in panel.status.styleSheet()


def test_other_data_forgets_the_verdict_and_reading_but_keeps_the_run(panel):
    panel.run_started(INFO)
    panel.add_epochs(fake_epochs(1, 3))
    panel.run_ended({"stopped_reason": "finished", "epochs_run": 3, "message": "Finished all 3 epochs.",
                     "verdict": Verdict("The model beats the naive forecast by 20% on MASE.", "better")})
    panel.set_reading("Still improving", "The validation loss is still falling.")
    panel.forget_verdict()
    assert panel.status_text() == "Finished all 3 epochs." and panel.reading_text() == ""
    assert len(panel.plot.history()) == 3


def test_the_accuracy_plot_keeps_room_for_its_axis_title_at_1280_by_720(qtbot):
    # The Training tab's share of a 1280x720 window: about 860 x 610 (measured with the window at that size).
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.resize(860, 610)
    panel.show()
    panel.run_started(INFO)
    logs = [{**entry, "val_accuracy": 0.5} for entry in fake_epochs(1, 8)]
    panel.add_epochs(logs)
    panel.run_ended({"stopped_reason": "finished", "epochs_run": 8, "message": "Finished all 8 epochs; kept the "
                     "weights of epoch 8, the best on validation.",
                     "verdict": Verdict("The model does not beat bag-of-words logistic regression (macro-F1 0.461 vs "
                                        "0.901, accuracy 0.467 vs 0.900): on this data, counting the words says "
                                        "more than the model learned from their order.", "worse")})
    panel.set_reading("Still improving", "The validation loss is still falling: the last 3 epochs lowered its best "
                      "by 2.51%, to 1.08 at epoch 4. Train for more epochs (or raise the learning rate).")
    qtbot.waitUntil(lambda: panel.accuracy_plot.height() > 0)
    title = panel.accuracy_plot.getPlotItem().getAxis("left").label.boundingRect().width()
    assert panel.accuracy_plot.height() >= title + 60, "the accuracy axis title would be clipped"
    assert panel.plot.height() >= 160
    assert panel.epoch_log.height() >= 3 * panel.epoch_log.fontMetrics().lineSpacing()
    bottom = panel.epoch_log.mapTo(panel, panel.epoch_log.rect().bottomLeft()).y()
    assert bottom <= panel.height(), "the panel's content runs past its bottom edge"


def test_run_failed_and_reset(panel):
    panel.run_started(INFO)
    panel.run_failed("The series has 40 rows but the lookback window is 60.")
    assert panel.status_text() == "Training failed: The series has 40 rows but the lookback window is 60."
    assert panel.button.text() == "Train"
    panel.reset()
    assert panel.status_text() == ""
    assert panel.progress.text() == "Not started"


def test_formatting_helpers():
    assert short_number(1e-3) == "1e-3"
    assert short_number(2.5e-4) == "2.5e-4"
    assert format_duration(3725) == "1:02:05"
    assert format_duration(None) == "\u2014"
    line = epoch_line({"epoch": 3, "loss": 0.0412, "val_loss": 0.052, "lr": 1e-3, "seconds": 0.8, "best_epoch": 3})
    assert line.split() == ["epoch", "3", "loss", "0.0412", "val", "0.052", "lr", "1e-3", "0.8", "s", "*best"]
