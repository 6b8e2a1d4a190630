"""The training panel: Train/Stop, progress, the loss plot, a compact epoch log and how the run ended."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.training.advice import Verdict
from workbench.gui.panels.verdict_label import VerdictLabel
from workbench.gui.plots.accuracy_plot import AccuracyPlot
from workbench.gui.plots.loss_plot import LossPlot

PROGRESS_STEPS = 1000
# How the run ended is news, not a judgement: only a failure has a colour. Whether the model is any good is the
# verdict's to say, in the colour of its own tone (VerdictLabel).
_STATUS_COLORS = {"diverged": "#c62828", "failed": "#c62828", "info": "#555555"}
TRAIN_TIP = "Train a model with the current data and settings."
# Room a plot needs beyond its vertical axis title: the epoch axis below it and the margins (pixels).
PLOT_MARGIN = 70
LOSS_PLOT_MIN_HEIGHT = 160
# When the accuracy plot appears, the epoch log keeps this many lines and the plots share the rest 3:2.
LOG_LINES_BESIDE_ACCURACY = 4


def _axis_title_height(plot: Any) -> int:
    """How tall a plot's left axis title is drawn (it is turned on its side)."""
    return int(plot.getPlotItem().getAxis("left").label.boundingRect().width()) + 1


def format_duration(seconds: float | None) -> str:
    """E.g. 0:07, 3:25, 1:02:10; an em dash when unknown."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "\u2014"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def short_number(value: float) -> str:
    """1e-3 rather than 0.001 or 1.0e-03: learning rates read best this way."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')}e{int(exponent)}"


def epoch_line(logs: dict[str, Any]) -> str:
    """One line of the epoch log: "epoch   3  loss 0.04120  val 0.05200  lr 1e-3  0.8 s  *best"."""
    best = "  *best" if logs.get("best_epoch") == logs["epoch"] else ""
    # A language model's validation loss also in bits (per character at character level).
    bits = f"  {logs['val_bits']:<6.3f} bits" if logs.get("val_bits") is not None else ""
    if logs.get("val_accuracy") is not None:  # a classifier's
        bits = f"  acc {logs['val_accuracy']:<6.1%}"
    # Padded to fixed widths so the columns line up in the monospace log.
    return (f"epoch {logs['epoch']:>4}  loss {logs['loss']:<9.4g}  val {logs['val_loss']:<9.4g}{bits}  "
            f"lr {short_number(logs['lr']):<6}  {logs['seconds']:>5.1f} s{best}")


class TrainingPanel(QWidget):
    """Starts and stops training and shows it as it happens; the main window connects it to the worker."""

    train_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = "idle"  # idle, running or stopping
        self._can_train, self._reason = True, ""
        self._epochs = 0

        self.button = QPushButton("Train")
        self.button.setMinimumWidth(110)
        self.button.clicked.connect(self._on_button_clicked)
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(True)
        self.progress.setToolTip("Share of all batches done. Early stopping usually ends the run sooner.")
        self.elapsed_label = QLabel()
        self.eta_label = QLabel()
        self.eta_label.setToolTip("Time left if every epoch runs; early stopping usually ends the run sooner.")
        for label in (self.elapsed_label, self.eta_label):
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("Remaining 0:00:00") + 4)
        top = QHBoxLayout()
        top.addWidget(self.button)
        top.addWidget(self.progress, 1)
        top.addWidget(self.elapsed_label)
        top.addWidget(self.eta_label)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict = VerdictLabel()

        self.plot = LossPlot()
        # What the finished curves say and the one recommendation (core/training/advice.py); empty while a run
        # goes on, since the recommendation also weighs the test scores, which only exist once it has ended.
        self.reading = QLabel()
        self.reading.setWordWrap(True)
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reading.setStyleSheet("color: #333333; background: #f3f3f3; border-radius: 3px; padding: 4px;")
        self.reading.hide()
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setToolTip("Show the loss in powers of ten, so later small improvements stay visible.")
        self.log_scale.toggled.connect(self._on_log_scale_toggled)
        status_column = QVBoxLayout()
        status_column.setSpacing(2)
        status_column.addWidget(self.status)
        status_column.addWidget(self.verdict)
        status_row = QHBoxLayout()
        status_row.addLayout(status_column, 1)
        status_row.addWidget(self.log_scale, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)

        self.epoch_log = QPlainTextEdit()
        self.epoch_log.setReadOnly(True)
        self.epoch_log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.epoch_log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.epoch_log.setMaximumBlockCount(10000)
        self.epoch_log.setPlaceholderText("One line per epoch appears here while training.")
        self.epoch_log.setToolTip("Losses after each epoch; *best marks a new lowest validation loss.")
        # Below the plot, so the plot keeps the full width and log lines are never cut off.
        line_height = self.epoch_log.fontMetrics().lineSpacing()
        self.epoch_log.setMinimumHeight(3 * line_height + 12)
        # Shown only for runs that report a validation accuracy (classifiers). Never shorter than its vertical
        # axis title plus the epoch axis, which would otherwise be clipped; the loss plot keeps room for its own.
        self.accuracy_plot = AccuracyPlot()
        self.accuracy_plot.setMinimumHeight(_axis_title_height(self.accuracy_plot) + PLOT_MARGIN)
        self.plot.setMinimumHeight(LOSS_PLOT_MIN_HEIGHT)
        self.accuracy_plot.hide()
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.plot)
        splitter.addWidget(self.accuracy_plot)
        splitter.addWidget(self.epoch_log)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([700, 300, 7 * line_height + 12])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(status_row)
        layout.addWidget(self.reading)
        layout.addWidget(splitter, 1)
        self.reset()

    def set_can_train(self, can: bool, reason: str = "") -> None:
        """Allow or block the Train button; `reason` says in the tooltip why it is blocked."""
        self._can_train, self._reason = can, reason
        self._update_button()

    def run_started(self, info: dict[str, Any]) -> None:
        """A run began: clear the last one (its curves, verdict and reading) and turn the button into Stop."""
        self.plot.clear()
        self.accuracy_plot.clear()
        self.accuracy_plot.hide()
        self.epoch_log.clear()
        self.forget_verdict()
        self._epochs = int(info.get("epochs", 0))
        self._state = "running"
        self._update_button()
        self._set_progress(0.0, f"Epoch 0/{self._epochs}")
        self._set_times(0.0, None)
        threads = info.get("threads")
        self._set_status(f"Training {info.get('parameters', 0):,} parameters on {info.get('device', 'cpu')}"
                         + (f" with {threads} thread{'s' if threads != 1 else ''}." if threads else "."), "info")

    def update_progress(self, progress: dict[str, Any]) -> None:
        self._set_progress(progress["fraction_done"], f"Epoch {progress['epoch']}/{self._epochs}")
        self._set_times(progress.get("elapsed_s"), progress.get("eta_s"))

    def add_epochs(self, logs: list[dict[str, Any]]) -> None:
        """Plot and list newly finished epochs (one worker emission, in order)."""
        if not logs:
            return
        self.plot.add_epochs(logs)
        if any(entry.get("val_accuracy") is not None for entry in logs):
            if self.accuracy_plot.isHidden():
                self._show_accuracy_plot()
            self.accuracy_plot.add_epochs(logs)
        self.epoch_log.appendPlainText("\n".join(epoch_line(entry) for entry in logs))

    def run_ended(self, result: dict[str, Any]) -> None:
        """Show how the run ended (the core's message) and, under it, `result["verdict"]` (a `Verdict`: how the
        model compares with its baselines), coloured by its tone."""
        reason = result.get("stopped_reason", "finished")
        done = int(result.get("epochs_run", 0))
        self._state = "idle"
        self._update_button()
        if reason == "finished":
            self._set_progress(1.0, f"Epoch {done}/{self._epochs}")
        else:
            how = {"early_stopped": "early stop", "user_stopped": "stopped by you", "diverged": "diverged"}
            self.progress.setFormat(f"Epoch {done}/{self._epochs} ({how.get(reason, 'stopped')})")
        self._set_times(result.get("seconds"), None)
        self._set_status(result.get("message", ""), reason)
        verdict = result.get("verdict")
        self.verdict.set_verdict(verdict if isinstance(verdict, Verdict) else None)

    def show_model(self, result: dict[str, Any], name: str) -> None:
        """An opened model's training: its whole loss curve and how its run ended."""
        self.reset()
        history = result.get("history", [])
        self._epochs = len(history)
        self.add_epochs(history)
        done = int(result.get("epochs_run", len(history)))
        self._set_progress(1.0, f"Opened {name}: {done} epoch{'s' if done != 1 else ''}")
        self._set_times(result.get("seconds"), None)
        self._set_status(f"Opened model {name}. {result.get('message', '')}".strip(), result.get("stopped_reason", ""))

    def set_reading(self, title: str, text: str) -> None:
        """What the loss curves say and what to do next, in words; an empty text hides it."""
        self.reading.setText(f"<b>{html.escape(title)}.</b> {html.escape(text)}" if text else "")
        self.reading.setVisible(bool(text))

    def reading_text(self) -> str:
        """The reading as shown, in plain text ("" when hidden)."""
        return "" if self.reading.isHidden() else self._plain(self.reading.text())

    def forget_verdict(self) -> None:
        """Hide the verdict and the reading: they were about a run whose data or model is no longer the one on
        screen (a new run started, or other data opened). How the run ended stays."""
        self.verdict.set_verdict(None)
        self.set_reading("", "")

    def verdict_tone(self) -> str:
        """The tone the verdict is coloured by ("" when none is shown)."""
        return self.verdict.tone()

    def run_failed(self, message: str) -> None:
        """Show why the run could not start or went wrong, and allow another try."""
        self._state = "idle"
        self._update_button()
        self.progress.setFormat("Failed")
        self.eta_label.setText("")
        self._set_status(f"Training failed: {message}", "failed")

    def reset(self) -> None:
        """Back to the empty state (e.g. after new data was loaded)."""
        self.plot.clear()
        self.accuracy_plot.clear()
        self.accuracy_plot.hide()
        self.epoch_log.clear()
        self.forget_verdict()
        self._epochs = 0
        self._state = "idle"
        self._set_progress(0.0, "Not started")
        self.elapsed_label.setText("")
        self.eta_label.setText("")
        self._set_status("", "info")
        self._update_button()

    def state(self) -> str:
        """idle, running or stopping."""
        return self._state

    def status_text(self) -> str:
        """How the run ended and, on the next line, the verdict, as shown."""
        verdict = self.verdict.text() if not self.verdict.isHidden() else ""
        return f"{self.status.text()}\n{verdict}" if verdict else self.status.text()

    @staticmethod
    def _plain(rich: str) -> str:
        return html.unescape(rich.replace("<b>", "").replace("</b>", ""))

    def show_stopping(self) -> None:
        """Show "Stopping..." at once when a stop was asked for elsewhere (the toolbar, closing the window)."""
        if self._state == "running":
            self._state = "stopping"
            self._update_button()

    def _on_button_clicked(self) -> None:
        if self._state == "idle":
            self.train_requested.emit()
        elif self._state == "running":
            # Turn the button at once; the worker finishes its current batch before it stops.
            self._state = "stopping"
            self._update_button()
            self.stop_requested.emit()

    def _show_accuracy_plot(self) -> None:
        # The splitter gave the hidden plot no room; share the height out again so neither plot is squashed.
        # Before the panel is laid out the sizes are nominal; the splitter scales them to its height later.
        total = max(sum(self.splitter.sizes()), 1000)
        self.accuracy_plot.show()
        log = min(self.epoch_log.height(),
                  LOG_LINES_BESIDE_ACCURACY * self.epoch_log.fontMetrics().lineSpacing() + 12)
        plots = max(0, total - log)
        self.splitter.setSizes([plots * 3 // 5, plots - plots * 3 // 5, log])

    def _on_log_scale_toggled(self, on: bool) -> None:
        self.plot.set_log_scale(on)

    def _update_button(self) -> None:
        if self._state == "running":
            self.button.setText("Stop")
            self.button.setEnabled(True)
            self.button.setToolTip("Stop after the current batch and keep the best weights so far.")
        elif self._state == "stopping":
            self.button.setText("Stopping...")
            self.button.setEnabled(False)
            self.button.setToolTip("Finishing the current batch.")
        else:
            self.button.setText("Train")
            self.button.setEnabled(self._can_train)
            self.button.setToolTip(TRAIN_TIP if self._can_train else (self._reason or "Training is not possible now."))

    def _set_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(round(max(0.0, min(1.0, fraction)) * PROGRESS_STEPS))
        self.progress.setFormat(text)

    def _set_times(self, elapsed: float | None, eta: float | None) -> None:
        self.elapsed_label.setText(f"Elapsed {format_duration(elapsed)}")
        self.eta_label.setText(f"Remaining {format_duration(eta)}" if self._state != "idle" else "")

    def _set_status(self, text: str, kind: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {_STATUS_COLORS.get(kind, '#333333')};")
