"""The text view: counts and notes, the shaded validation part, long texts cut short, visible whitespace tokens."""

import time

import pytest
from PySide6.QtCore import Qt

from workbench.core.text.config import TextConfig
from workbench.core.text.source import TextSource
from workbench.core.text.summary import summarize_text
from workbench.gui.panels.text_view import (
    EMPTY_TITLE,
    FULL_LIMIT,
    TextView,
    describe_token,
    excerpt,
    visible_token,
)

LINE = "It was the best of times, it was the worst of times, it was the age of wisdom.\n"


def summary_of(text, level="char", val_fraction=0.1):
    source = TextSource(text=text, path="/books/two_cities.txt", encoding="utf-8",
                        notes=[f"{len(text):,} characters.", "Read as UTF-8."])
    return summarize_text(source, TextConfig(level=level, val_fraction=val_fraction))


@pytest.fixture
def view(qtbot):
    widget = TextView()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    return widget


def test_the_header_and_notes_show_the_counts(view):
    text = LINE * 12
    summary = summary_of(text, level="word", val_fraction=0.25)
    view.set_summary(summary, text)
    header = view.header_text().splitlines()
    assert header[0] == "two_cities.txt"
    assert header[1] == (f"{len(text):,} characters \u00b7 12 lines \u00b7 {summary.n_tokens:,} word tokens "
                         f"\u00b7 vocabulary {summary.vocab_size}")
    assert header[2] == (f"Training {summary.n_train_tokens} tokens \u00b7 validation {summary.n_val_tokens} tokens "
                         f"(25%), from character {summary.split_char:,}")
    assert view.notes_text().splitlines() == [f"\u2022 {note}" for note in summary.notes]
    assert view.shown_text() == text
    assert view.go_button.isEnabled()


def test_the_validation_part_is_shaded_from_the_split(view):
    text = LINE * 10
    summary = summary_of(text)
    view.set_summary(summary, text)
    split = summary.split_char
    assert view.validation_position() == split
    assert not view.is_shaded(0)
    assert not view.is_shaded(split - 1)
    assert view.is_shaded(split)
    assert view.is_shaded(len(text) - 2)


def test_shading_counts_emoji_as_qt_does(view):
    # An emoji is one Python character but two UTF-16 units, so the shaded part starts one position later.
    text = "\U0001f600 " + LINE * 10
    summary = summary_of(text)
    view.set_summary(summary, text)
    assert view.validation_position() == summary.split_char + 1
    assert view.is_shaded(summary.split_char + 1)
    assert not view.is_shaded(summary.split_char)


def test_go_to_validation_start_scrolls_there(qtbot, view):
    text = LINE * 400
    view.set_summary(summary_of(text), text)
    assert view.text.verticalScrollBar().value() == 0
    qtbot.mouseClick(view.go_button, Qt.MouseButton.LeftButton)
    assert view.text.textCursor().position() == view.validation_position()
    rect = view.text.cursorRect()
    assert 0 <= rect.top() < view.text.viewport().height()
    assert view.text.verticalScrollBar().value() > 0


def test_a_long_text_is_cut_short_with_a_marker_and_stays_fast(view):
    text = "".join(f"{i:07d} {LINE}" for i in range(14000))  # about 1.2 MB
    summary = summary_of(text)
    started = time.perf_counter()
    view.set_summary(summary, text)
    seconds = time.perf_counter() - started
    assert seconds < 0.3
    shown = view.shown_text()
    assert len(shown) < FULL_LIMIT
    assert shown.startswith(text[:1000])
    assert "characters not shown \u2026" in shown
    markers = [line for line in shown.splitlines() if "characters not shown" in line]
    assert len(markers) == 2
    # The shaded part begins with the validation text itself.
    position = view.validation_position()
    assert shown[position:position + 200] == text[summary.split_char:summary.split_char + 200]
    assert view.is_shaded(position) and not view.is_shaded(position - 1)
    assert view.shown_label.text().startswith("Showing ")


def test_excerpt_counts_what_it_leaves_out():
    text = "".join(f"{i:07d} {LINE}" for i in range(14000))
    split = len(text) * 9 // 10
    shown, shown_split, markers = excerpt(text, split)
    hidden = sum(marker[2] for marker in markers)
    kept = "".join(line for line in shown.splitlines(keepends=True) if "characters not shown" not in line)
    assert len(kept) + hidden == len(text)
    assert shown[shown_split:shown_split + 50] == text[split:split + 50]
    for start, end, count in markers:
        assert shown[start:end] == f"\u2026 {count:,} characters not shown \u2026"
    assert excerpt("short", 3) == ("short", 3, [])


def test_whitespace_tokens_are_made_visible(view):
    text = "the cat sat\ton a mat.\n\nthe dog sat  on a log.\n    " * 12
    summary = summary_of(text, level="word", val_fraction=0.2)
    view.set_summary(summary, text)
    rows = view.top_tokens_rows()
    assert len(rows) == len(summary.top_tokens)
    shown = {token for token, _, _ in rows}
    # "␠" where the font has it, "␣" where it does not (DejaVu, common on Linux).
    space = view.tokens.item(0, 0).text()
    assert space in ("\u2420", "\u2423")
    assert {"the", "cat", "\u21e5", "\u21b5\u21b5", f"\u21b5{space}\u00d74", space * 2, "."} <= shown
    assert view.tokens.item(0, 0).toolTip() == "a space"
    token, count, share = rows[0]
    assert count == f"{summary.top_tokens[0][1]:,}"
    assert share == f"{summary.top_tokens[0][1] / summary.n_train_tokens:.1%}"


def test_visible_token_and_its_words():
    assert visible_token(" ") == "\u2420"
    assert visible_token("\n") == "\u21b5"
    assert visible_token("\t") == "\u21e5"
    assert visible_token("  ") == "\u2420\u2420"
    assert visible_token("\n        ") == "\u21b5\u2420\u00d78"
    assert visible_token("\u2003") == "U+2003"
    assert visible_token("cat") == "cat"
    assert describe_token("\n    ") == "a newline and 4 spaces"
    assert describe_token("\t\t") == "2 tabs"
    assert describe_token("cat") == "'cat'"


def test_clear_empties_the_view(view):
    text = LINE * 10
    view.set_summary(summary_of(text), text)
    view.clear()
    assert view.header_text().splitlines()[0] == EMPTY_TITLE
    assert view.shown_text() == ""
    assert view.top_tokens_rows() == []
    assert view.notes_text() == ""
    assert view.validation_position() == -1
    assert not view.go_button.isEnabled()
