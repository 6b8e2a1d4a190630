"""Search spaces: read from TOML, checked against the settings' fields, sampled, gridded, applied to a config."""

import optuna
import pytest

from workbench.core.errors import ConfigError
from workbench.core.run_config import RunConfig
from workbench.core.search.space import apply_params, parse_space, read_space

SPACE = """
[model]
cell = ["lstm", "gru"]
hidden = { low = 16, high = 128, log = true }
[train]
lr = { low = 1e-4, high = 1e-2, log = true }
batch_size = [32, 64]
[data]
lookback = { low = 12, high = 24, step = 6 }
"""


def test_a_toml_space_is_read_sampled_and_gridded(tmp_path):
    path = tmp_path / "space.toml"
    path.write_text(SPACE)
    space = read_space(path, "forecaster")
    assert space.describe() == ["model.cell: lstm, gru", "model.hidden: 16 to 128, log scale",
                                "train.lr: 0.0001 to 0.01, log scale", "train.batch_size: 32, 64",
                                "data.lookback: 12 to 24, step 6"]
    params = space.suggest(optuna.create_study().ask())
    assert params["model.cell"] in ("lstm", "gru") and isinstance(params["model.hidden"], int)
    assert 16 <= params["model.hidden"] <= 128 and params["data.lookback"] in (12, 18, 24)
    grid = space.grid()
    assert grid["model.hidden"] == [16, 45, 128] and grid["data.lookback"] == [12, 18, 24]
    assert space.grid_size() == 2 * 3 * 3 * 2 * 3
    assert read_space(_write(tmp_path, space.to_toml()), "forecaster") == space


def _write(tmp_path, text):
    path = tmp_path / "again.toml"
    path.write_text(text)
    return path


def test_every_problem_is_named_at_once():
    with pytest.raises(ConfigError) as refused:
        parse_space({"model": {"cell": ["lstm", "transformer"], "hidden": {"low": 64, "high": 16}, "size": [1]},
                     "data": {"horizon": [1, 2]}, "train": {"lr": {"low": 0, "high": 1, "log": True}}}, "forecaster")
    assert refused.value.problems == {
        "model.cell": "got 'transformer'; choose one of lstm, gru, rnn.",
        "model.hidden": "low (64) must be below high (16); for one value use a list.",
        "model.size": "unknown setting; `workbench settings` lists them (sections: data, model, train).",
        "data.horizon": "cannot be searched: it changes the data or what the validation loss measures, so the "
                        "trials could not be compared. Fix it with --set instead.",
        "train.lr": "got 0; it must be above 0.",
    }


def test_a_language_model_space_may_not_change_what_the_loss_is_over():
    with pytest.raises(ConfigError, match="text.level: cannot be searched"):
        parse_space({"text": {"level": ["char", "word"]}}, "language_model")


def test_applying_a_trial_checks_the_settings_and_drops_dropout_a_single_layer_cannot_use():
    config = apply_params(RunConfig(), {"model.layers": 1, "model.dropout": 0.2, "model.cell": "gru"})
    assert (config.model.layers, config.model.dropout, config.model.cell) == (1, 0.0, "gru")
    assert apply_params(RunConfig(), {"model.layers": 2, "model.dropout": 0.2}).model.dropout == 0.2
