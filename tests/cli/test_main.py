"""The command line as a whole: its entry points, exit codes, and commands sent to the module of a model's kind."""

import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from tests.fixtures import SAVED_BUNDLES
from workbench.cli import USER_ERROR, main

LM_HINT = "  Generate text with it instead: open it in the window or run `workbench generate MODEL`.\n"


def test_the_workbench_command_runs_main():
    [script] = entry_points(group="console_scripts", name="workbench")
    assert script.load() is main


def test_the_command_line_starts_without_torch_or_qt():
    # torch is imported by the commands that need it, so `workbench info` on a bad path answers at once.
    code = ("import sys, workbench.cli; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'PySide6', 'pyqtgraph'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout == "[]\n", done.stdout + done.stderr


@pytest.mark.parametrize("module", ["workbench", "workbench.cli"])
def test_a_user_error_exits_2_with_the_message_and_no_traceback(module, tmp_path):
    missing = tmp_path / "missing.swb"
    done = subprocess.run([sys.executable, "-m", module, "info", str(missing)], capture_output=True, text=True)
    assert done.returncode == USER_ERROR == 2
    assert done.stderr == (f"error: There is no model file at {missing}.\n"
                           "  Check the path, or train and save a model first.\n")


@pytest.mark.parametrize("kind", sorted(SAVED_BUNDLES))
def test_info_opens_a_model_of_each_kind(kind, capsys):
    assert main(["info", str(SAVED_BUNDLES[kind])]) == 0
    assert capsys.readouterr().out.startswith("Model       ")


@pytest.mark.parametrize("command", ["predict", "export"])
def test_a_language_model_cannot_predict_or_export(command, tmp_path, capsys):
    model = str(SAVED_BUNDLES["language_model"])
    args = [model, str(tmp_path / "data.csv")] if command == "predict" else [model, "--onnx", str(tmp_path / "m.onnx")]
    assert main([command, *args]) == 2
    assert capsys.readouterr().err == (
        "error: language_model.swb is a language model, not a forecaster or a text classifier, so it cannot "
        "forecast a series or classify texts.\n" + LM_HINT)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind,label", [("forecaster", "a forecaster"), ("classifier", "a text classifier")])
def test_only_a_language_model_generates(kind, label, capsys):
    assert main(["generate", str(SAVED_BUNDLES[kind])]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {kind}.swb is {label}, not a language model, so it cannot generate text.\n  ")


def test_a_forecaster_refuses_the_classifiers_text_option(capsys):
    assert main(["predict", str(SAVED_BUNDLES["forecaster"]), "data.csv", "--text", "review"]) == 2
    assert "--text: applies to text classifiers; this model forecasts a series." in capsys.readouterr().err


# ---- the command line as a newcomer meets it


@pytest.mark.parametrize(("argv", "expected"), [
    (["trian", "data.csv"], "unknown command 'trian'. Did you mean `workbench train`?"),
    (["predcit"], "unknown command 'predcit'. Did you mean `workbench predict`?"),
    (["frobnicate"], "unknown command 'frobnicate'."),
    (["missing.csv"], "there is no file missing.csv."),
])
def test_a_word_that_is_neither_a_command_nor_a_file_is_refused(argv, expected, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == USER_ERROR
    err = capsys.readouterr().err
    assert err.startswith(f"workbench: {expected}") and "Traceback" not in err


def test_help_and_version_answer_without_opening_the_window(capsys):
    from workbench import __version__

    assert main(["help"]) == 0
    assert capsys.readouterr().out.startswith("usage: workbench")
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out == f"workbench {__version__}\n"


def test_without_a_display_the_window_says_so_in_one_line(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main([]) == USER_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no display" in err and "workbench --help" in err


@pytest.mark.parametrize("task", ["forecast", "lm", "classify"])
def test_settings_lists_every_key_with_its_default_and_range_from_the_field_metadata(task, capsys):
    import dataclasses
    import json

    from workbench.cli.settings import TASKS
    from workbench.core import run_config

    assert main(["settings", "--task", task, "--json"]) == 0
    rows = {row["key"]: row for row in json.loads(capsys.readouterr().out)["settings"]}
    config = getattr(run_config, TASKS[task])()
    expected = {f"{section}.{f.name}": getattr(getattr(config, section), f.name)
                for section in config.SECTIONS for f in dataclasses.fields(getattr(config, section))}
    assert {key: row["default"] for key, row in rows.items()} == expected
    assert rows["model.hidden"]["allowed"] == "whole number, >= 1 and <= 4096"
    assert rows["model.cell"]["allowed"] == "lstm | gru | rnn"
    assert all(row["help"] for row in rows.values())


def test_an_unwritable_output_is_refused_before_any_training(capsys, tmp_path, monkeypatch):
    import workbench.cli.forecast

    monkeypatch.setattr(workbench.cli.forecast, "train", lambda args: pytest.fail("training started"))
    import workbench.cli as cli

    monkeypatch.setitem(cli.TRAIN, "forecast", workbench.cli.forecast.train)
    data = tmp_path / "d.csv"
    data.write_text("t,v\n1,2\n")
    assert main(["train", str(data), "--out", str(tmp_path / "no" / "m.swb")]) == USER_ERROR
    assert "the folder" in capsys.readouterr().err
    assert main(["train", str(data), "--out", str(tmp_path / "m.swb"), "--metrics-json",
                 str(tmp_path / "gone" / "m.json")]) == USER_ERROR
    assert not (tmp_path / "m.swb").exists()


def test_a_table_of_labelled_texts_trains_a_classifier_without_being_told(tmp_path, monkeypatch, capsys):
    import workbench.cli as cli

    chosen = []
    for task in ("forecast", "classify"):
        monkeypatch.setitem(cli.TRAIN, task, lambda args, task=task: chosen.append(task) or 0)
    reviews = tmp_path / "reviews.csv"
    rows = [f"{i},This was a really lovely product and I would buy it again {i},positive" for i in range(30)]
    rows += [f"{i},Broke after two days and the shop would not take it back {i},negative" for i in range(30, 60)]
    reviews.write_text("review_id,review,sentiment\n" + "\n".join(rows) + "\n")
    assert main(["train", str(reviews), "--out", str(tmp_path / "m.swb")]) == 0
    assert chosen == ["classify"]
    assert "holds labelled texts, so this trains a text classifier" in capsys.readouterr().err
    assert main(["train", str(reviews), "--task", "forecast", "--out", str(tmp_path / "m.swb")]) == 0
    assert chosen == ["classify", "forecast"]
