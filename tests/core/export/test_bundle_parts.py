"""Every part of a bundle is checked on load: a missing or mistyped field is refused with its name, never a
KeyError later; files are written with the mode the umask gives."""

import json
import os

import pytest
from safetensors import safe_open
from safetensors.torch import save_file

from tests.fixtures import SAVED_BUNDLES
from workbench.core.errors import BundleError
from workbench.core.export.classifier_bundle import PARTS as CLASSIFIER_PARTS
from workbench.core.export.forecaster_bundle import PARTS as FORECASTER_PARTS
from workbench.core.export.kinds import load_model, save_model
from workbench.core.export.lm_bundle import PARTS as LM_PARTS
from workbench.core.export.parts import DAMAGED_HINT, Fields

SPECS = {"forecaster": FORECASTER_PARTS, "language_model": LM_PARTS, "classifier": CLASSIFIER_PARTS}


def edited(kind, tmp_path, part, change):
    """The saved bundle of `kind` with its JSON part `part` replaced by `change(value)` (weights untouched)."""
    with safe_open(str(SAVED_BUNDLES[kind]), framework="pt") as handle:
        metadata = dict(handle.metadata())
        tensors = {name: handle.get_tensor(name) for name in handle.keys()}
    value = change(json.loads(metadata[part]))
    metadata[part] = value if isinstance(value, str) else json.dumps(value)
    path = tmp_path / "model.swb"
    save_file(tensors, str(path), metadata=metadata)
    return path


def refusal(path):
    with pytest.raises(BundleError) as info:
        load_model(path)
    return info.value


def without(key):
    return lambda value: {k: v for k, v in value.items() if k != key}


def required_fields():
    for kind, specs in SPECS.items():
        for part, spec in specs.items():
            if isinstance(spec, Fields):
                for key in spec.required:
                    yield kind, part, key


@pytest.mark.parametrize("kind,part,key", list(required_fields()))
def test_every_required_field_is_checked_on_load(kind, part, key, tmp_path):
    error = refusal(edited(kind, tmp_path, part, without(key)))
    assert error.message == f"model.swb is damaged: {part} has no field '{key}'."
    assert error.hint == DAMAGED_HINT


def test_a_forecaster_without_columns_or_horizon_is_refused_by_name(tmp_path):
    assert refusal(edited("forecaster", tmp_path, "schema", without("columns"))).message == \
        "model.swb is damaged: schema has no field 'columns'."
    error = refusal(edited("forecaster", tmp_path, "schema", lambda s: {**s, "horizon": "2"}))
    assert error.message == "model.swb is damaged: schema.horizon must be a whole number (found '2')."
    error = refusal(edited("forecaster", tmp_path, "schema", lambda s: {**s, "horizon": 0}))
    assert error.message == "model.swb is damaged: schema.horizon must be a whole number from 1 to 10,000 (found 0)."
    error = refusal(edited("forecaster", tmp_path, "schema", lambda s: {**s, "columns": ["other"]}))
    assert error.message == "model.swb is damaged: schema.columns must be the target followed by the inputs."


@pytest.mark.parametrize("kind,part,change,message", [
    ("forecaster", "data", lambda d: {**d, "n_rows": "120"}, "data.n_rows must be a whole number (found '120')"),
    ("forecaster", "metrics", lambda m: {**m, "per_step": [{"mae": "x"}]},
     "metrics.per_step[0].mae must be a number (found 'x')"),
    ("forecaster", "result", lambda r: {**r, "history": [{"loss": 1.0}]}, "result.history[0] has no field 'epoch'"),
    ("forecaster", "result", lambda r: {**r, "seconds": None}, "result.seconds must be a number (found None)"),
    ("language_model", "data", lambda d: {**d, "n_chars": [1]}, "data.n_chars must be a whole number (found a list)"),
    ("language_model", "metrics", lambda m: {**m, "perplexity": None},
     "metrics has a validation loss without its perplexity and bits per token"),
    ("language_model", "vocabulary", lambda v: {**v, "tokens": "abc"},
     "vocabulary.tokens must be a list (found 'abc')"),
    ("classifier", "metrics", lambda m: {**m, "classes": ["a", "b"]}, "metrics.classes must be the model's classes"),
    ("classifier", "metrics", lambda m: {**m, "test": {**m["test"], "confusion": [[1]]}},
     "metrics.test.confusion must be 3 rows of 3 counts"),
    ("classifier", "metrics", lambda m: {**m, "baselines": {"majority": m["baselines"]["majority"]}},
     "metrics.baselines has no field 'bag_of_words'"),
    ("classifier", "classes", lambda c: [1, 2], "classes[0] must be text (found 1)"),
])
def test_wrong_types_and_inconsistent_parts_are_refused_by_name(kind, part, change, message, tmp_path):
    assert refusal(edited(kind, tmp_path, part, change)).message == f"model.swb is damaged: {message}."


@pytest.mark.parametrize("text,reason", [
    ("[" * 100_000 + "]" * 100_000, "it nests lists or objects deeper than the workbench can read"),
    ('{"lookback": ' + "9" * 5000 + "}", "it holds a whole number of 5,000 digits, more than any value the "
                                         "workbench writes (30 at most)"),
    ("{not json", "it is not valid JSON (expecting property name enclosed in double quotes at line 1, column 2)"),
])
def test_unreadable_json_in_a_part_is_refused_in_words(text, reason, tmp_path):
    error = refusal(edited("forecaster", tmp_path, "schema", lambda _: text))
    assert error.message == f"model.swb is damaged: its 'schema' section cannot be read: {reason}."


def test_a_header_claiming_a_vast_model_is_refused_without_building_it(tmp_path):
    columns = [f"c{i}" for i in range(200_000)]
    path = edited("forecaster", tmp_path, "schema", lambda s: {**s, "columns": columns, "target": "c0",
                                                              "inputs": columns[1:], "horizon": 10_000})
    assert "does not match its own configuration" in refusal(path).message


def test_bundles_are_written_with_the_mode_the_umask_gives(tmp_path):
    bundle = load_model(SAVED_BUNDLES["language_model"])
    old = os.umask(0o022)
    try:
        save_model(tmp_path / "a.swb", bundle)
        os.umask(0o027)
        save_model(tmp_path / "b.swb", bundle)
    finally:
        os.umask(old)
    assert (tmp_path / "a.swb").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "b.swb").stat().st_mode & 0o777 == 0o640
    assert load_model(tmp_path / "a.swb").parts() == bundle.parts()
