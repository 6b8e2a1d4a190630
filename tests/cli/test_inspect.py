"""`workbench inspect` end to end for each kind of model, and its refusals in words with exit status 2."""

import argparse

import numpy as np
import pytest

from tests.conftest import REVIEWS, seasonal_table
from workbench.cli import USER_ERROR, build_parser, main


def _load(path):
    with np.load(path, allow_pickle=False) as arrays:
        return dict(arrays)


def test_a_forecasters_window_by_its_origin(forecast_bundle, tmp_path, capsys):
    out = tmp_path / "states.npz"
    table = forecast_bundle.parent / "load.csv"
    assert main(["inspect", str(forecast_bundle), str(table), "--origin", "2024-05-30", "--out", str(out)]) == 0
    arrays = _load(out)
    gates = ["input_gate", "forget_gate", "cell_candidate", "output_gate", "cell", "hidden"]
    assert [name for name in arrays if name.startswith("layer")] == [f"layer0.forward.{g}" for g in gates]
    assert all(arrays[f"layer0.forward.{g}"].shape == (12, 8) for g in gates)
    np.testing.assert_allclose(arrays["inputs"][:, 0], seasonal_table()["load"].to_numpy()[139:151])
    assert arrays["attribution"].shape == (12, 1) and np.isfinite(arrays["attribution"]).all()
    printed = capsys.readouterr().out
    assert printed.startswith("Inspected the window of 12 rows ending at row 150 (2024-05-30), where the forecast "
                              "of 'load' is made, from load.csv.\n")
    assert "  layer0.forward.forget_gate" in printed and f"Wrote {len(arrays)} arrays to {out}:" in printed


def test_a_language_models_line_of_a_file_and_a_given_text(language_model_bundle, tmp_path):
    text = tmp_path / "log.txt"
    text.write_text("The tide turned at noon.\nWe sailed north by the old light.\n" * 5)
    out = tmp_path / "lm.npz"
    assert main(["inspect", str(language_model_bundle), str(text), "--row", "1", "--out", str(out)]) == 0
    arrays = _load(out)
    assert "".join(arrays["inputs"][:, 0]) == "We sailed north by the old light.\n"
    assert arrays["layer0.forward.cell"].shape == (34, 8) and arrays["attribution"].shape == (34, 1)
    assert main(["inspect", str(language_model_bundle), "--text", "Ahoy", "--out", str(out)]) == 0
    assert _load(out)["layer0.forward.hidden"].shape == (4, 8)


def test_a_classifiers_row_and_a_given_text(classifier_bundle, tmp_path, capsys):
    out = tmp_path / "c.npz"
    assert main(["inspect", str(classifier_bundle), REVIEWS, "--row", "3", "--out", str(out)]) == 0
    arrays = _load(out)
    steps = len(arrays["token_ids"])
    assert arrays["layer0.backward.hidden"].shape == (steps, 8) and arrays["attribution"].shape == (steps, 1)
    assert "from row 3 of reviews.csv." in capsys.readouterr().out
    assert main(["inspect", str(classifier_bundle), "--text", "Sharp knife, good price.", "--out", str(out)]) == 0
    assert _load(out)["inputs"][:, 0].tolist() == ["sharp", "knife", ",", "good", "price", "."]


@pytest.mark.parametrize("kind, extra, message", [
    ("forecast", ["DATA", "--text", "hello"], "The setting is not valid. --text: applies to text models; load.swb is "
                                              "a forecaster: give its table and --origin or --row."),
    ("forecast", ["--row", "20"], "load.swb is a forecaster; inspecting it needs the table to take the window from."),
    ("lm", ["--text", "x", "--step", "2"], "The setting is not valid. --step: applies to forecasters; log.swb is a "
                                           "language model."),
    ("classify", [], "reviews.swb is a text classifier; inspecting it needs a table of texts and --row, or the text "
                     "itself with --text."),
    ("forecast", ["DATA", "--step", "4"], "The setting is not valid. --step: must be between 1 and 3, the steps "
                                          "load.swb forecasts (got 4)."),
    ("forecast", ["DATA", "--row", "3"], "Row 3 has no full window: the model reads 12 rows, so the window's last "
                                         "row must be between 11 and 239."),
])
def test_options_that_do_not_fit_are_refused_in_words(kind, extra, message, forecast_bundle, language_model_bundle,
                                                       classifier_bundle, tmp_path, capsys):
    model = {"forecast": forecast_bundle, "lm": language_model_bundle, "classify": classifier_bundle}[kind]
    args = [str(forecast_bundle.parent / "load.csv") if a == "DATA" else a for a in extra]
    out = tmp_path / "never.npz"
    assert main(["inspect", str(model), *args, "--out", str(out)]) == USER_ERROR
    assert capsys.readouterr().err.splitlines()[0] == f"error: {message}" and not out.exists()


def test_every_argument_has_help():
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    actions = [a for a in sub.choices["inspect"]._actions if not isinstance(a, argparse._HelpAction)]
    assert len(actions) == 10 and all(action.help for action in actions)
