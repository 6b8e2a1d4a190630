"""The model form: typing, choosing and reading back a RunConfig, with the core's messages shown."""

import pytest
from PySide6.QtCore import Qt

from workbench.core.run_config import RunConfig
from workbench.gui.panels.model_form import ModelForm


@pytest.fixture
def form(qtbot):
    widget = ModelForm()
    qtbot.addWidget(widget)
    widget.set_config(RunConfig())
    widget.resize(380, 600)
    widget.show()
    return widget


def retype(qtbot, form, section, name, text):
    edit = form.form(section).editor(name).editor
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_round_trip_keeps_every_setting(form):
    base = RunConfig()
    base.data.target = "load"
    base.data.inputs = ["temp"]
    base.model.hidden = 32
    base.train.lr = 3e-4
    form.set_config(base)
    assert form.config(RunConfig(data=base.data)) == base


def test_layers_zero_shows_the_core_message(qtbot, form):
    retype(qtbot, form, "model", "layers", "0")
    editor = form.form("model").editor("layers")
    assert editor.problem() == "got 0; it must be at least 1."
    assert editor._message.isVisible()
    config = form.config(RunConfig())
    assert config.model.layers == 0
    assert config.problems() == {"model.layers": "got 0; it must be at least 1."}


def test_dropout_out_of_range(qtbot, form):
    retype(qtbot, form, "model", "dropout", "1.5")
    assert form.form("model").editor("dropout").problem() == "got 1.5; it must be at most 0.9."
    assert "model.dropout" in form.config(RunConfig()).problems()


def test_cross_check_problems_come_from_outside(qtbot, form):
    retype(qtbot, form, "model", "dropout", "0.2")
    problems = form.config(RunConfig()).problems()
    assert list(problems) == ["model.dropout"]  # needs 2 layers: a cross-field check, not a field check
    form.set_problems(problems)
    assert form.form("model").editor("dropout").problem().startswith("dropout acts between layers")


def test_choosing_gru(qtbot, form):
    combo = form.form("model").editor("cell").editor
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # LSTM -> GRU, as a user with the keyboard would
    assert combo.currentText() == "GRU"
    assert form.config(RunConfig()).model.cell == "gru"


def test_config_changed_is_debounced(qtbot, form):
    emitted = []
    form.config_changed.connect(lambda: emitted.append(1))
    with qtbot.waitSignal(form.config_changed, timeout=1000):
        retype(qtbot, form, "train", "epochs", "250")
    assert emitted == [1]  # four edits, one signal
    assert form.config(RunConfig()).train.epochs == 250


def test_problems_for_other_fields_go_to_the_message_line(form):
    form.set_problems({"data.target": "no column named 'x'.", "train.lr": "too big."})
    assert form.message() == "Target column: no column named 'x'."
    assert form.form("train").editor("lr").problem() == "too big."
    form.set_problems({})
    assert form.message() == ""


def test_read_only_disables_the_editors(form):
    form.set_read_only(True)
    assert not form.form("model").editor("layers").editor.isEnabled()
    assert not form.form("train").editor("device").editor.isEnabled()
    form.set_read_only(False)
    assert form.form("data").editor("lookback").editor.isEnabled()


def test_summary_line(form):
    form.set_summary("LSTM, 64 units: 17,217 parameters")
    assert form._summary.isVisible()
    assert "17,217" in form._summary.text()


def test_data_panel_fields_are_not_in_the_form(form):
    assert form.form("data").keys() == ["data.lookback", "data.horizon", "data.transform", "data.val_fraction",
                                        "data.test_fraction"]
