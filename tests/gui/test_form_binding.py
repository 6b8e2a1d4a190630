"""The form binder: editors built from setting metadata, read back and checked by the core."""

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

from workbench.core.data.config import DataConfig
from workbench.core.models.config import ModelConfig
from workbench.core.training.config import TrainConfig
from workbench.gui.form_binding import SectionForm


def make_form(qtbot, cls, section, **kwargs):
    form = SectionForm(cls, section, **kwargs)
    qtbot.addWidget(form)
    form.show()
    return form


def test_editors_follow_the_metadata(qtbot):
    form = make_form(qtbot, ModelConfig, "model")
    assert isinstance(form.editor("cell").editor, QComboBox)
    assert isinstance(form.editor("bidirectional").editor, QCheckBox)
    assert isinstance(form.editor("layers").editor, QLineEdit)
    assert form.editor("layers").editor.toolTip().startswith("Stacked recurrent layers.")
    assert form.values() == {"cell": "lstm", "layers": 1, "hidden": 64, "dropout": 0.0, "bidirectional": False}


def test_list_fields_are_skipped_unless_asked(qtbot):
    assert "data.inputs" not in make_form(qtbot, DataConfig, "data").keys()
    form = make_form(qtbot, DataConfig, "data", include_lists=True)
    form.set_values(DataConfig(inputs=["temp", "wind"]))
    assert form.editor("inputs").editor.text() == "temp, wind"
    assert form.values()["inputs"] == ["temp", "wind"]


def test_optional_field_shows_auto_and_reads_none(qtbot):
    form = make_form(qtbot, TrainConfig, "train", names=["threads"])
    edit = form.editor("threads").editor
    assert edit.placeholderText() == "auto"
    assert edit.text() == ""
    assert form.values() == {"threads": None}
    qtbot.keyClicks(edit, "3")
    assert form.values() == {"threads": 3}


def test_typing_an_invalid_value_shows_the_core_message(qtbot):
    form = make_form(qtbot, ModelConfig, "model")
    editor = form.editor("layers")
    with qtbot.waitSignal(form.changed):
        editor.editor.clear()
        qtbot.keyClicks(editor.editor, "0")
    assert editor.value() == 0
    assert editor.problem() == "got 0; it must be at least 1."
    assert editor._message.isVisible()
    assert "border" in editor.editor.styleSheet()
    qtbot.keyClicks(editor.editor, "2")  # "02" parses as 2
    assert editor.problem() is None
    assert not editor._message.isVisible()
    assert editor.editor.styleSheet() == ""


def test_text_that_is_not_a_number_stays_raw(qtbot):
    form = make_form(qtbot, TrainConfig, "train", names=["lr"])
    edit = form.editor("lr").editor
    edit.clear()
    qtbot.keyClicks(edit, "fast")
    assert form.values() == {"lr": "fast"}
    assert form.editor("lr").problem() == "got 'fast'; give a number."


def test_set_values_does_not_emit_changed(qtbot):
    form = make_form(qtbot, ModelConfig, "model")
    with qtbot.assertNotEmitted(form.changed):
        form.set_values(ModelConfig(cell="gru", layers=3, dropout=0.25, bidirectional=True))
    assert form.values() == {"cell": "gru", "layers": 3, "hidden": 64, "dropout": 0.25, "bidirectional": True}
    assert form.editor("dropout").editor.text() == "0.25"


def test_set_problems_by_dotted_key_and_keeps_field_problems(qtbot):
    form = make_form(qtbot, ModelConfig, "model")
    form.set_problems({"model.dropout": "needs 2 layers.", "train.lr": "not mine."})
    assert form.editor("dropout").problem() == "needs 2 layers."
    form.editor("hidden").editor.setText("0")
    form.set_problems({})
    assert form.editor("dropout").problem() is None
    assert form.editor("hidden").problem() == "got 0; it must be at least 1."


def test_read_only_disables_every_editor(qtbot):
    form = make_form(qtbot, ModelConfig, "model")
    form.set_read_only(True)
    assert not any(form.editor(name).editor.isEnabled() for name in form.values())
    form.set_read_only(False)
    assert all(form.editor(name).editor.isEnabled() for name in form.values())
