"""The test texts the classifier got wrong: a sortable, filterable table and the selected text in full."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProxyStyle,
    QSplitter,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.panels.probability_bars import ProbabilityBars

ANY = "any"
HEADERS = ("Row", "True", "Predicted", "Confidence", "Text")
TRUE_COLUMN, PREDICTED_COLUMN, CONFIDENCE_COLUMN = 1, 2, 3
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
INDEX_ROLE = Qt.ItemDataRole.UserRole + 2
# The table shows the start of each text on one line; the detail area below shows it whole.
SHOWN_CHARS = 200
EMPTY_DETAIL = "Select a row to read the whole text and the model's probabilities."


def one_line(text: str, limit: int = SHOWN_CHARS) -> str:
    """`text` on one line (runs of whitespace as single spaces), cut to `limit` characters with "…"."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "\u2026"


def confidence_of(example: dict[str, Any], classes: list[str]) -> float:
    """The probability the model gave to the class it predicted (NaN when it cannot be read)."""
    try:
        return float(example["probabilities"][classes.index(example["predicted"])])
    except (KeyError, IndexError, ValueError, TypeError):
        return float("nan")


class SortArrowStyle(QProxyStyle):
    """Draws a header's sort arrow pointing the way the values run down the column: up for ascending (smallest at
    the top), down for descending. Qt's own styles draw it the other way round (Fusion draws a downward arrow for
    ascending order), which reads as "largest first" to most people."""

    _FLIPPED = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
                QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,  # noqa: N802
                      widget: QWidget | None = None) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader):
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = self._FLIPPED.get(option.sortIndicator, option.sortIndicator)
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


class ClassFilter(QSortFilterProxyModel):
    """Keeps the rows whose true and predicted classes match the chosen ones (None: any)."""

    def __init__(self) -> None:
        super().__init__()
        self.true_class: str | None = None
        self.predicted_class: str | None = None
        self.setSortRole(SORT_ROLE)

    def set_classes(self, true_class: str | None, predicted_class: str | None) -> None:
        # Qt 6.10 deprecates invalidateFilter() for the begin/end pair; older Qt (we allow 6.6) has only the former.
        if not hasattr(self, "endFilterChange"):
            self.true_class, self.predicted_class = true_class, predicted_class
            self.invalidateFilter()
            return
        self.beginFilterChange()
        self.true_class, self.predicted_class = true_class, predicted_class
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        for column, wanted in ((TRUE_COLUMN, self.true_class), (PREDICTED_COLUMN, self.predicted_class)):
            if wanted is not None and model.index(source_row, column, source_parent).data() != wanted:
                return False
        return True


def _item(text: str, sort_key: Any, index: int, right: bool = False) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(sort_key, SORT_ROLE)
    item.setData(index, INDEX_ROLE)
    item.setEditable(False)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class MisclassifiedList(QWidget):
    """Misclassified test texts, most confident mistakes first; filters by true and predicted class."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._examples: list[dict[str, Any]] = []
        self._classes: list[str] = []
        self._total: int | None = None
        self.model = QStandardItemModel(0, len(HEADERS))
        self.proxy = ClassFilter()
        self.proxy.setSourceModel(self.model)
        self._build()
        self.clear()

    # ---- public

    def set_examples(self, examples: list[dict[str, Any]], classes: list[str], total: int | None = None) -> None:
        """Show the misclassified `examples` ({"text", "true", "predicted", "probabilities", "row"}).

        `total` is how many test texts were classified, for the count line ("37 of 450 ...").
        """
        self._examples = [dict(example) for example in examples]
        self._classes = list(classes)
        self._total = total
        self.model.removeRows(0, self.model.rowCount())
        for index, example in enumerate(self._examples):
            confidence = confidence_of(example, self._classes)
            row = int(example.get("row", index))
            self.model.appendRow([
                _item(str(row), row, index, right=True),
                _item(str(example["true"]), str(example["true"]), index),
                _item(str(example["predicted"]), str(example["predicted"]), index),
                _item(f"{confidence:.0%}" if confidence == confidence else "-", confidence, index, right=True),
                _item(one_line(str(example.get("text", ""))), str(example.get("text", "")).lower(), index),
            ])
        for combo in (self.true_filter, self.predicted_filter):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ANY, *self._classes])
            combo.blockSignals(False)
        self.proxy.set_classes(None, None)
        # The most confident mistakes first: they say the most about what the model has learnt wrong.
        self.table.sortByColumn(CONFIDENCE_COLUMN, Qt.SortOrder.DescendingOrder)
        self._after_filter()

    def clear(self) -> None:
        self.set_examples([], [], None)
        self.count.setText("No test results yet.")

    def visible_rows(self) -> list[int]:
        """The data-file row of each example in the table, top to bottom, as sorted and filtered."""
        return [int(self.proxy.index(r, 0).data(SORT_ROLE)) for r in range(self.proxy.rowCount())]

    def selected_example(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return dict(self._examples[rows[0].data(INDEX_ROLE)]) if rows else None

    def select(self, table_row: int) -> None:
        """Select the example shown in `table_row` (0 = top row)."""
        self.table.selectRow(table_row)

    def count_text(self) -> str:
        return self.count.text()

    def detail_text(self) -> str:
        return self.detail.toPlainText()

    # ---- building

    def _build(self) -> None:
        self.true_filter = QComboBox()
        self.true_filter.setToolTip("Show only texts whose true class is this one.")
        self.predicted_filter = QComboBox()
        self.predicted_filter.setToolTip("Show only texts the model put in this class.")
        for combo in (self.true_filter, self.predicted_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(6)
            combo.currentIndexChanged.connect(self._on_filter_changed)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("True"))
        filters.addWidget(self.true_filter)
        filters.addSpacing(8)
        filters.addWidget(QLabel("Predicted"))
        filters.addWidget(self.predicted_filter)
        filters.addStretch(1)
        self.count = QLabel()
        self.count.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        header = self.table.horizontalHeader()
        # Kept on self: the header does not own its style, and Python must not collect it while it is in use.
        self._arrow_style = SortArrowStyle()
        header.setStyle(self._arrow_style)
        for column in range(len(HEADERS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(EMPTY_DETAIL)
        self.detail_caption = QLabel()
        self.detail_caption.setStyleSheet("color: #555555;")
        self.bars = ProbabilityBars()
        details = QWidget()
        column = QVBoxLayout(details)
        column.setContentsMargins(0, 4, 0, 4)
        column.addWidget(self.detail_caption)
        column.addWidget(self.detail, 1)
        column.addWidget(self.bars)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(details)
        splitter.setChildrenCollapsible(False)
        # The table gets the larger share as the widget grows: the detail needs only a few lines and the bars.
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([300, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.count)
        layout.addWidget(splitter, 1)

    # ---- updating

    def _after_filter(self) -> None:
        """Refresh the count line and keep a visible row selected (the top one if the old one went away)."""
        shown, wrong = self.proxy.rowCount(), len(self._examples)
        of_total = f" of {self._total:,} test examples" if self._total is not None else " test examples"
        text = f"{wrong:,}{of_total} misclassified"
        if shown != wrong:
            text += f" \u00b7 {shown:,} shown"
        self.count.setText(text)
        if shown and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)
        self._show_selected()

    def _show_selected(self) -> None:
        example = self.selected_example()
        if example is None:
            self.detail.clear()
            self.detail_caption.setText("")
            self.bars.clear()
            return
        self.detail_caption.setText(f"Row {example.get('row', '?')}: true {example['true']}, "
                                    f"predicted {example['predicted']}")
        self.detail.setPlainText(str(example.get("text", "")))
        probabilities = list(example.get("probabilities") or [])
        if len(probabilities) == len(self._classes):
            self.bars.set_probabilities(probabilities, self._classes, marked=str(example["true"]))
        else:
            self.bars.clear()

    # ---- slots

    def _on_filter_changed(self) -> None:
        def chosen(combo: QComboBox) -> str | None:
            return None if combo.currentIndex() <= 0 else combo.currentText()

        self.proxy.set_classes(chosen(self.true_filter), chosen(self.predicted_filter))
        self._after_filter()

    def _on_selection_changed(self) -> None:
        self._show_selected()
