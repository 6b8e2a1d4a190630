"""Run configurations: JSON round trips, every problem named at once, and command-line overrides."""

import json

import pytest

from workbench.core.errors import ConfigError
from workbench.core.run_config import RunConfig, load_run_config, save_run_config


def test_round_trip_through_json(tmp_path):
    config = RunConfig().with_overrides(["model.cell=gru", "model.layers=2", "model.dropout=0.2", "train.lr=3e-4",
                                         "data.inputs=a,b", "data.lookback=auto"])
    save_run_config(config, tmp_path / "run.json")
    again = load_run_config(tmp_path / "run.json")
    assert again == config
    assert (again.model.cell, again.model.layers, again.train.lr, again.data.inputs) == ("gru", 2, 3e-4, ["a", "b"])
    assert again.data.lookback is None


def test_every_problem_is_listed_in_one_message(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"schema_version": 1, "model": {"layers": 0, "dropout": 1.5}, '
                    '"train": {"lr": NaN, "epochs": 2.5}, "data": {"lookbak": 10}, "extra": {}}')
    with pytest.raises(ConfigError) as info:
        load_run_config(path)
    assert info.value.problems == {
        "extra": "unknown section; known are data, model, train.",
        "data.lookbak": "unknown setting; known are target, time, inputs, missing, lookback, horizon, val_fraction, "
        "test_fraction, transform.",
        "model.layers": "got 0; it must be at least 1.",
        "model.dropout": "got 1.5; it must be at most 0.9.",
        "train.epochs": "got 2.5; give a whole number.",
        "train.lr": "got nan; give a finite number.",
    }
    assert str(info.value).startswith("The 6 settings are not valid.")


def test_broken_json_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "model": {"layers": 2,}\n}')
    with pytest.raises(ConfigError) as info:
        load_run_config(path)
    assert f"{path}: not valid JSON at line 2" in str(info.value)


def test_overrides_are_checked_and_badly_written_ones_named():
    with pytest.raises(ConfigError) as info:
        RunConfig().with_overrides(["model.hidden=abc", "hidden=3"])
    assert info.value.problems == {
        "hidden=3": "write it as section.key=value, e.g. model.hidden=32 (sections: data, model, train).",
    }
    with pytest.raises(ConfigError) as info:
        RunConfig().with_overrides(["model.hidden=abc", "model.cell=transformer", "data.val_fraction=0.5",
                                    "data.test_fraction=0.4"])
    assert info.value.problems["model.hidden"] == "got 'abc'; give a number."
    assert info.value.problems["model.cell"] == "got 'transformer'; choose one of lstm, gru, rnn."
    assert "less than 20% for training" in info.value.problems["data.test_fraction"]


def test_dropout_needs_two_layers():
    with pytest.raises(ConfigError) as info:
        RunConfig.from_dict({"model": {"dropout": 0.2}})
    assert "needs at least 2 layers" in info.value.problems["model.dropout"]


def test_problems_of_an_edited_config_for_forms():
    config = RunConfig()
    config.model.layers = 0
    config.train.batch_size = "x"
    assert config.problems() == {"model.layers": "got 0; it must be at least 1.",
                                 "train.batch_size": "got 'x'; give a number."}
    assert json.dumps(RunConfig().to_dict())  # plain JSON


def test_row_order_survives_json(tmp_path):
    config = RunConfig().with_overrides(["data.time="])
    assert config.data.time == ""
    save_run_config(config, tmp_path / "run.json")
    assert load_run_config(tmp_path / "run.json").data.time == ""


def test_an_unknown_setting_names_the_known_ones_and_the_closest():
    from workbench.core.errors import ConfigError
    from workbench.core.run_config import RunConfig, TextRunConfig

    with pytest.raises(ConfigError) as raised:
        RunConfig().with_overrides(["model.hiden=3", "modle.cell=gru", "nosuch.key=1", "hidden=3"])
    problems = raised.value.problems
    assert problems["model.hiden=3"] == ("unknown setting model.hiden; did you mean model.hidden? the settings of "
                                         "model are cell, layers, hidden, dropout, bidirectional (`workbench "
                                         "settings` lists them all).")
    assert problems["modle.cell=gru"] == "unknown section 'modle'; did you mean model? the sections are data, " \
                                         "model, train."
    assert problems["nosuch.key=1"] == "unknown section 'nosuch'; the sections are data, model, train."
    assert problems["hidden=3"].startswith("write it as section.key=value")
    with pytest.raises(ConfigError) as raised:
        TextRunConfig().with_overrides(["data.lookback=3"])
    assert raised.value.problems["data.lookback=3"] == "unknown section 'data'; the sections are text, model, train."
