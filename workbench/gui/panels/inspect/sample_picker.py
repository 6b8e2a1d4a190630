"""Which sample to look inside the model with: a series window by its origin, a passage, or a classified text."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL
from workbench.core.formatting import readable_time
from workbench.gui.panels.inspect.contexts import ClassifyContext, InspectContext, SeriesContext, TextContext

# A slider dragged or a row spun starts at most one inspection per pause this long (the newest wins anyway).
SETTLE_MS = 150
PAGES = {FORECASTER: 0, LANGUAGE_MODEL: 1, CLASSIFIER: 2}
TABLE_ROW, OWN_TEXT = "row", "text"


@dataclass(frozen=True)
class SampleChoice:
    """The sample the user picked; only the fields of the model's kind are set."""

    origin: int | None = None  # a series: the window's last row (from 0)
    text: str | None = None  # a passage, or a classifier's own text
    row: int | None = None  # a classifier: the table's row (from 0)
    step: int = 1  # a forecaster: the step ahead the attribution explains
    target: int | None = None  # a classifier: the class explained (None: the one it predicts)


def same_data(old: InspectContext | None, new: InspectContext) -> bool:
    """Whether `new` takes its samples from the same data as `old`."""
    if isinstance(old, SeriesContext) and isinstance(new, SeriesContext):
        return old.series is new.series
    if isinstance(old, TextContext) and isinstance(new, TextContext):
        return (old.text, old.prompt) == (new.text, new.prompt)
    if isinstance(old, ClassifyContext) and isinstance(new, ClassifyContext):
        return old.texts == new.texts and old.classes == new.classes
    return False


def _row(*widgets: QWidget, stretch: int = -1) -> QWidget:
    """The widgets side by side; the one at `stretch` takes the room left (-1: none does, they keep left)."""
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for index, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if index == stretch else 0)
    if stretch < 0:
        layout.addStretch(1)
    return holder


class SamplePicker(QStackedWidget):
    """One page of controls per kind; `changed` fires when the choice settles (or Inspect is pressed)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: InspectContext | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.changed)
        self.addWidget(self._series_page())
        self.addWidget(self._text_page())
        self.addWidget(self._classify_page())

    # ----- pages ----------------------------------------------------------------------------------------------
    def _series_page(self) -> QWidget:
        self.origin = QSlider(Qt.Orientation.Horizontal)
        self.origin.setToolTip("The window's last row: the forecast made there reads this window.")
        self.origin_label = QLabel()
        self.origin_label.setMinimumWidth(self.origin_label.fontMetrics().horizontalAdvance("0000-00-00 00:00:00"))
        self.step = QSpinBox()
        self.step.setPrefix("t+")
        self.step.setToolTip("Which forecast of the window the attribution explains: this many rows ahead.")
        self.step_label = QLabel("explain")
        self.origin.valueChanged.connect(self._on_origin)
        self.step.valueChanged.connect(self._settle.start)
        return _row(QLabel("Window ending at"), self.origin, self.origin_label, self.step_label, self.step, stretch=1)

    def _text_page(self) -> QWidget:
        self.passage = QPlainTextEdit()
        self.passage.setPlaceholderText("A passage for the model to read")
        self.passage.setTabChangesFocus(True)
        self.passage.setFixedHeight(3 * self.passage.fontMetrics().lineSpacing() + 12)
        self.inspect_passage = QPushButton("Inspect")
        self.inspect_passage.setToolTip("Read the passage with the model (Ctrl+Return).")
        self.reset_passage = QPushButton("Start of the text")
        self.reset_passage.setToolTip("Put back the default passage: the start of the open text, or the prompt.")
        QShortcut(QKeySequence("Ctrl+Return"), self.passage, self.changed.emit,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.inspect_passage.clicked.connect(self.changed)
        self.reset_passage.clicked.connect(self._on_reset_passage)
        return _row(QLabel("Passage"), self.passage, self.inspect_passage, self.reset_passage, stretch=1)

    def _classify_page(self) -> QWidget:
        self.source = QComboBox()
        self.source.addItem("Table row", TABLE_ROW)
        self.source.addItem("Own text", OWN_TEXT)
        self.row = QSpinBox()
        self.row.setToolTip("The table's row (from 0).")
        self.own_text = QLineEdit()
        self.own_text.setPlaceholderText("Type a text and press Enter")
        self.target = QComboBox()
        self.target.setToolTip("Which class's probability the attribution explains.")
        self.source.currentIndexChanged.connect(self._on_source)
        self.row.valueChanged.connect(self._settle.start)
        self.own_text.returnPressed.connect(self.changed)
        self.target.currentIndexChanged.connect(self.changed)
        self.own_text.setMinimumWidth(320)
        return _row(QLabel("Text from"), self.source, self.row, self.own_text, QLabel("explain"), self.target)

    # ----- the context and the choice ---------------------------------------------------------------------------
    def set_context(self, context: InspectContext) -> None:
        """Show the controls for this kind of sample. On the same data (an epoch's refresh, the model a run ends
        with) the user's choices stay; on other data they start again."""
        same = same_data(self._context, context)
        self._context = context
        self.setCurrentIndex(PAGES[context.kind])
        for widget in (self.origin, self.step, self.row, self.source, self.target):
            widget.blockSignals(True)
        if isinstance(context, SeriesContext):
            self._set_series(context, same)
        elif isinstance(context, TextContext):
            if not same or not self.passage.toPlainText():
                self.passage.setPlainText(self.default_passage())
        elif isinstance(context, ClassifyContext):
            self._set_classify(context, same)
        for widget in (self.origin, self.step, self.row, self.source, self.target):
            widget.blockSignals(False)
        self._on_source_fields()

    def _set_series(self, context: SeriesContext, keep: bool) -> None:
        last = context.series.n_rows - 1
        value = self.origin.value()
        self.origin.setRange(min(context.first_origin, last), last)
        self.origin.setValue(value if keep and context.first_origin <= value <= last else last)
        self.step.setRange(1, max(1, context.horizon))
        self.step.setVisible(context.horizon > 1)
        self.step_label.setVisible(context.horizon > 1)
        self._show_origin()

    def _set_classify(self, context: ClassifyContext, keep: bool) -> None:
        self.row.setRange(0, max(0, len(context.texts) - 1))
        self.source.setItemData(0, len(context.texts) > 0, Qt.ItemDataRole.UserRole - 1)  # enabled or not
        if not context.texts:
            self.source.setCurrentIndex(1)
        if not keep:
            self.row.setValue(0)
            self.own_text.setText(context.try_text)
        chosen = self.target.currentIndex() if keep else 0
        self.target.clear()
        self.target.addItem("the predicted class", None)
        for index, name in enumerate(context.classes):
            self.target.addItem(f"'{name}'", index)
        self.target.setCurrentIndex(chosen if 0 <= chosen < self.target.count() else 0)

    def default_passage(self) -> str:
        """The start of the open text (as many tokens as a passage holds), or the generation prompt."""
        context = self._context
        if not isinstance(context, TextContext):
            return ""
        if not context.text:
            return context.prompt
        from workbench.core.inspect.samples import PASSAGE_TOKENS, passage

        return passage(context.text, None, PASSAGE_TOKENS, context.vocabulary.level)

    def choice(self) -> SampleChoice:
        """What the controls say now."""
        context = self._context
        if isinstance(context, SeriesContext):
            return SampleChoice(origin=self.origin.value(), step=self.step.value())
        if isinstance(context, TextContext):
            return SampleChoice(text=self.passage.toPlainText())
        if isinstance(context, ClassifyContext):
            if self.source.currentData() == OWN_TEXT:
                return SampleChoice(text=self.own_text.text(), target=self.target.currentData())
            return SampleChoice(row=self.row.value(), target=self.target.currentData())
        return SampleChoice()

    def use_text(self, text: str) -> None:
        """Inspect `text` (a passage, or a classifier's own text), as if the user had typed it."""
        if isinstance(self._context, ClassifyContext):
            self.source.setCurrentIndex(1)
            self.own_text.setText(text)
        else:
            self.passage.setPlainText(text)
        self.changed.emit()

    # ----- helpers --------------------------------------------------------------------------------------------
    def _on_origin(self) -> None:
        self._show_origin()
        self._settle.start()

    def _show_origin(self) -> None:
        context = self._context
        if isinstance(context, SeriesContext) and context.series.n_rows:
            self.origin_label.setText(readable_time(str(context.series.times[self.origin.value()])))

    def _on_reset_passage(self) -> None:
        self.passage.setPlainText(self.default_passage())
        self.changed.emit()

    def _on_source(self) -> None:
        self._on_source_fields()
        self.changed.emit()

    def _on_source_fields(self) -> None:
        own = self.source.currentData() == OWN_TEXT
        self.row.setVisible(not own)
        self.own_text.setVisible(own)
