"""Text generation: the panel's settings and states, the sample timeline, and the streaming job on its thread."""

import threading
import time

import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextCursor

from workbench.core.models.config import ModelConfig
from workbench.core.text.generate import generate
from workbench.core.text.lm_model import LanguageModel
from workbench.core.text.vocab import build_vocabulary
from workbench.gui.generation import CHUNK_INTERVAL_S, generation_function
from workbench.gui.panels.generation_panel import GenerationPanel, parse_seed, status_message

TEXT = "the cat sat on the mat and the dog sat on the log. " * 4


@pytest.fixture
def vocabulary():
    return build_vocabulary(TEXT, "char")


@pytest.fixture
def model(vocabulary):
    torch.manual_seed(0)
    return LanguageModel(ModelConfig(hidden=8), len(vocabulary), embedding=4)


@pytest.fixture
def panel(qtbot):
    widget = GenerationPanel()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    return widget



@pytest.fixture
def make_job(runner):
    """Start a generation job with `slots` connected before it starts (as the window does)."""

    def factory(*args, **slots):
        return runner.start("generation", generation_function(*args), batch_interval=CHUNK_INTERVAL_S, **slots)

    return factory


def collector():
    got = {"chunks": [], "threads": set(), "refused": [], "crashed": []}

    def on_chunks(channel, chunks):
        assert channel == "text"
        got["chunks"].append("".join(chunks))
        got["threads"].add(threading.current_thread())

    slots = {"delivered": on_chunks, "refused": lambda message, hint: got["refused"].append(message),
             "crashed": lambda message, details: got["crashed"].append((message, details))}
    return got, slots


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def sample(epoch, loss=1.5, text="sat on the mat"):
    return {"epoch": epoch, "val_loss": loss, "bits": loss / 0.6931, "text": f"{text} {epoch}", "prompt": "the "}


# ---- the panel


def test_defaults_and_tooltips(panel):
    assert panel.settings() == {"prompt": "", "length": 500, "temperature": 0.8, "top_k": None, "seed": None}
    assert panel.top_k.text() == "off"
    assert "0 always picks the likeliest token" in panel.temperature.toolTip()
    assert (panel.length.minimum(), panel.length.maximum()) == (1, 100000)
    assert (panel.temperature.minimum(), panel.temperature.maximum(), panel.temperature.singleStep()) == (0, 5, 0.1)


def test_generate_emits_the_settings(qtbot, panel):
    panel.prompt.setPlainText("the cat\nsat")
    panel.length.setValue(42)
    panel.temperature.setValue(0.5)
    panel.top_k.setValue(3)
    panel.seed.setText(" 7 ")
    with qtbot.waitSignal(panel.generate_requested, timeout=1000) as blocker:
        click(qtbot, panel.button)
    assert blocker.args[0] == {"prompt": "the cat\nsat", "length": 42, "temperature": 0.5, "top_k": 3, "seed": 7}


def test_an_invalid_seed_is_refused_beside_the_box(qtbot, panel):
    panel.seed.setText("4x2")
    assert panel.seed_message.isVisible()
    assert panel.seed_problem() == "Use a whole number, or leave it empty"
    assert not panel.button.isEnabled()
    with qtbot.assertNotEmitted(panel.generate_requested):
        click(qtbot, panel.button)
    panel.seed.setText("-1")
    assert panel.seed_problem().startswith("Use 0 to ")
    panel.seed.setText("")
    assert not panel.seed_message.isVisible()
    assert panel.button.isEnabled()


def test_parse_seed():
    assert parse_seed("") == (None, "")
    assert parse_seed("12") == (12, "")
    assert parse_seed("1.5")[0] is None and parse_seed("1.5")[1]


def test_generate_turns_into_stop_and_back(qtbot, panel):
    panel.generation_started()
    assert panel.is_generating()
    assert panel.button.text() == "Stop"
    with qtbot.waitSignal(panel.stop_requested, timeout=1000):
        click(qtbot, panel.button)
    assert panel.button.text() == "Stopping..."
    assert not panel.button.isEnabled()
    panel.generation_finished("12 characters in 0.01 s (1,200 chars/s)")
    assert not panel.is_generating()
    assert panel.button.text() == "Generate" and panel.button.isEnabled()
    assert panel.status_text() == "12 characters in 0.01 s (1,200 chars/s)"
    panel.generation_started()
    panel.generation_failed("The temperature must be 0 or more.")
    assert panel.button.text() == "Generate"
    assert panel.status_text() == "Generation failed: The temperature must be 0 or more."


def test_cannot_generate_says_why(panel):
    panel.set_can_generate(False, "Train or open a language model first.")
    assert not panel.button.isEnabled()
    assert panel.button.toolTip() == "Train or open a language model first."
    assert panel.status_text() == "Train or open a language model first."
    panel.set_can_generate(True)
    assert panel.button.isEnabled()
    assert panel.status_text() == ""
    panel.set_weights_label("best weights so far (epoch 3)")
    assert panel.weights_label.text() == "Uses the best weights so far (epoch 3)."


def test_streamed_text_follows_the_styled_prompt(panel):
    panel.prompt.setPlainText("the ")
    panel.generation_started()
    for chunk in ("cat ", "sat\non ", "the mat"):
        panel.append_text(chunk)
    assert panel.output.toPlainText() == "the cat sat\non the mat"
    assert panel.generated_text() == "cat sat\non the mat"
    cursor = QTextCursor(panel.output.document())
    cursor.setPosition(2)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    cursor.setPosition(6)
    assert cursor.charFormat().fontWeight() != QFont.Weight.Bold


def test_the_output_follows_the_end_unless_scrolled_up(panel):
    panel.generation_started()
    bar = panel.output.verticalScrollBar()
    for i in range(200):
        panel.append_text(f"line {i}\n")
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    bar.setValue(10)
    panel.append_text("more\n" * 20)
    assert bar.value() == 10


def test_the_timeline_follows_the_newest_sample(panel):
    for epoch in (1, 2, 3):
        panel.add_sample(sample(epoch))
    timeline = panel.timeline
    assert timeline.selected_row() == 2
    assert timeline.sample_text.toPlainText() == "the sat on the mat 3"
    assert [timeline.table.item(2, c).text() for c in range(3)] == ["3", "1.5000", "2.164"]
    assert [s["epoch"] for s in panel.samples()] == [1, 2, 3]


def test_the_timeline_keeps_a_row_the_user_picked(qtbot, panel):
    for epoch in (1, 2, 3):
        panel.add_sample(sample(epoch))
    table = panel.timeline.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(0, 0)).center())
    assert panel.timeline.selected_row() == 0
    panel.add_sample(sample(4))
    assert panel.timeline.selected_row() == 0
    assert panel.timeline.sample_text.toPlainText() == "the sat on the mat 1"
    # Picking the newest row again follows new samples again.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(3, 0)).center())
    panel.add_sample({**sample(5), "bits": None})
    assert panel.timeline.selected_row() == 4
    assert table.item(4, 2).text() == "\u2014"
    panel.clear_samples()
    assert panel.samples() == [] and table.rowCount() == 0


def test_status_message():
    result = {"reason": "done", "tokens": 412, "characters": 412, "seconds": 0.31, "chars_per_s": 1329.9}
    assert (status_message(result, "the best weights of epoch 4")
            == "412 characters in 0.31 s (1,330 chars/s) from the best weights of epoch 4")
    assert status_message({**result, "reason": "stopped"}).startswith("Stopped after 412 characters")


# ---- the job


def test_the_job_streams_what_generate_gives(qtbot, make_job, model, vocabulary):
    expected = "".join(generate(model, vocabulary, "the ", 300, 0.8, None, 3))
    threads = torch.get_num_threads()
    got, slots = collector()
    with qtbot.waitCallback(timeout=10000) as ended:
        job = make_job(model, vocabulary, "the ", 300, 0.8, None, 3, ended=ended, **slots)
    assert "".join(got["chunks"]) == expected
    # Chunks arrive on the GUI thread, where widgets may be touched.
    assert got["threads"] == {threading.main_thread()}
    result = job.result
    assert result["reason"] == "done"
    assert (result["tokens"], result["characters"]) == (300, len(expected))
    assert result["seconds"] > 0 and result["chars_per_s"] > 0
    assert torch.get_num_threads() == threads
    assert job.wait(5) and not job.is_running()


def test_stop_ends_a_long_generation_quickly(qtbot, make_job, model, vocabulary):
    got, slots = collector()
    job = make_job(model, vocabulary, "", 100000, 1.0, 5, None, **slots)
    qtbot.waitUntil(lambda: bool(got["chunks"]), timeout=10000)
    asked = time.perf_counter()
    with qtbot.waitSignal(job.succeeded, timeout=5000):
        job.cancel()
    assert time.perf_counter() - asked < 1.0
    result = job.result
    assert result["reason"] == "stopped"
    assert 0 < result["tokens"] < 100000
    assert len("".join(got["chunks"])) == result["characters"]
    # Throttled at the source: about 20 chunks a second, plus the last one.
    assert len(got["chunks"]) <= 20 * result["seconds"] + 2


def test_a_bad_temperature_is_refused_in_words(qtbot, make_job, model, vocabulary):
    got, slots = collector()
    with qtbot.waitCallback(timeout=5000) as ended:
        job = make_job(model, vocabulary, "the", 10, -1.0, None, None, ended=ended, **slots)
    with pytest.raises(ValueError) as expected:
        generate(model, vocabulary, "the", 10, -1.0)
    assert got["refused"] == [str(expected.value)] and not got["crashed"] and job.result is None


def test_a_bug_arrives_as_crashed_with_the_traceback(qtbot, make_job, vocabulary):
    got, slots = collector()
    with qtbot.waitCallback(timeout=5000) as ended:
        make_job(None, vocabulary, "the", 10, 1.0, None, None, ended=ended, **slots)
    [(message, details)] = got["crashed"]
    assert message.startswith("AttributeError")
    assert "Traceback" in details and not got["refused"]


# ---- together


def test_generate_and_stop_from_the_panel(qtbot, panel, make_job, model, vocabulary):
    jobs = []

    def on_generate_requested(settings):
        job = make_job(model, vocabulary, settings["prompt"], settings["length"], settings["temperature"],
                       settings["top_k"], settings["seed"],
                       delivered=lambda _channel, chunks: panel.append_text("".join(chunks)),
                       succeeded=lambda done: panel.generation_finished(status_message(done.result)),
                       refused=lambda message, _hint: panel.generation_failed(message))
        panel.stop_requested.connect(job.cancel)
        jobs.append(job)
        panel.generation_started()

    panel.generate_requested.connect(on_generate_requested)
    panel.prompt.setPlainText("the ")
    panel.length.setValue(100000)
    click(qtbot, panel.button)
    assert panel.button.text() == "Stop"
    qtbot.waitUntil(lambda: len(panel.generated_text()) > 0, timeout=10000)
    assert panel.output.toPlainText().startswith("the " + panel.generated_text()[:20])
    with qtbot.waitSignal(jobs[0].ended, timeout=5000):
        click(qtbot, panel.button)
    assert not panel.is_generating()
    assert panel.button.text() == "Generate"
    assert panel.status_text().startswith("Stopped after ")
    assert panel.output.toPlainText() == "the " + panel.generated_text()
