"""The registry of model kinds: every kind saves, loads and describes itself through it; wrong kinds are refused."""

import subprocess
import sys

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from tests.fixtures import SAVED_BUNDLES
from workbench.core.errors import BundleError
from workbench.core.export.kinds import (
    CLASSIFIER,
    FORECASTER,
    LANGUAGE_MODEL,
    describe_model,
    kind_for_work,
    kind_of_file,
    load_model,
    model_kind,
    model_kinds,
    save_model,
)
from workbench.core.project import KINDS as PROJECT_KINDS


def rewrite(source, target, change):
    """Copy a bundle with its metadata changed by `change(metadata)`, the weights untouched."""
    with safe_open(str(source), framework="pt") as handle:
        metadata = dict(handle.metadata())
        tensors = {name: handle.get_tensor(name) for name in handle.keys()}
    change(metadata)
    save_file(tensors, str(target), metadata=metadata)
    return target


def test_the_registry_names_each_kind_its_class_and_its_work():
    assert [(k.name, k.label, k.work) for k in model_kinds()] == [
        (FORECASTER, "forecaster", "series"), (LANGUAGE_MODEL, "language model", "text"),
        (CLASSIFIER, "text classifier", "classify")]
    for kind in model_kinds():
        assert kind.bundle_type().kind == kind.name
        assert kind_for_work(kind.work) is kind and model_kind(kind.name) is kind
    assert {k.work for k in model_kinds()} == set(PROJECT_KINDS)  # every kind of project has its kind of model


def test_importing_the_registry_loads_no_torch():
    code = "import sys, workbench.core.export.kinds; sys.exit(1 if 'torch' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.parametrize("name", [FORECASTER, LANGUAGE_MODEL, CLASSIFIER])
def test_each_kind_round_trips_through_the_registry(name, tmp_path):
    bundle = load_model(SAVED_BUNDLES[name])
    assert bundle.kind == name and not bundle.model.training
    path = tmp_path / "again.swb"
    save_model(path, bundle)
    assert kind_of_file(path) is model_kind(name)
    again = load_model(path, expect=name)
    assert type(again) is type(bundle)
    before, after = bundle.model.state_dict(), again.model.state_dict()
    assert before.keys() == after.keys() and all(torch.equal(before[k], after[k]) for k in before)
    described, redescribed = describe_model(bundle), describe_model(again)
    assert described["kind"] == name and "history" not in described["result"]
    assert {**described, "info": {}} == {**redescribed, "info": {}}  # only the save time differs
    assert redescribed["info"]["workbench_version"]


@pytest.mark.parametrize("name,work", [(FORECASTER, "series"), (LANGUAGE_MODEL, "text"), (CLASSIFIER, "classify")])
def test_a_bundle_written_before_files_named_their_kind_is_recognised(name, work, tmp_path):
    legacy = rewrite(SAVED_BUNDLES[name], tmp_path / "old.swb", lambda metadata: metadata.pop("kind"))
    assert kind_of_file(legacy) is kind_for_work(work)
    assert load_model(legacy, expect=name).kind == name


def test_unknown_and_unrecognisable_kinds_are_refused(tmp_path):
    future = rewrite(SAVED_BUNDLES[FORECASTER], tmp_path / "future.swb", lambda m: m.update(kind="translator"))
    with pytest.raises(BundleError) as error:
        load_model(future)
    assert str(error.value) == ("future.swb holds a model of kind 'translator', which this version cannot use. "
                                "Open it with the workbench version that saved it.")
    bare = rewrite(SAVED_BUNDLES[FORECASTER], tmp_path / "bare.swb", lambda m: [m.pop(k) for k in ("kind", "schema")])
    with pytest.raises(BundleError, match="bare.swb does not say which kind of model it holds"):
        kind_of_file(bare)
    with pytest.raises(BundleError, match="There is no kind of model called 'translator'"):
        model_kind("translator")


def test_a_model_of_another_kind_is_refused_with_what_it_is_and_how_to_use_it():
    with pytest.raises(BundleError) as error:
        load_model(SAVED_BUNDLES[CLASSIFIER], expect=FORECASTER)
    assert error.value.message == ("classifier.swb is a text classifier, not a forecaster, so it cannot forecast a "
                                   "series.")
    assert error.value.hint == ("Classify texts with it instead: open it in the window or run "
                                "`workbench predict MODEL TABLE.csv`.")
    with pytest.raises(BundleError) as error:
        kind_of_file(SAVED_BUNDLES[FORECASTER], expect=(LANGUAGE_MODEL, CLASSIFIER))
    assert error.value.message == ("forecaster.swb is a forecaster, not a language model or a text classifier, so "
                                   "it cannot generate text or classify texts.")
    assert kind_of_file(SAVED_BUNDLES[LANGUAGE_MODEL], expect=(LANGUAGE_MODEL,)).label == "language model"


def test_a_pickle_named_like_a_bundle_is_refused_without_running_it(disguised_pickle):
    payload, marker = disguised_pickle
    for read in (kind_of_file, load_model):
        with pytest.raises(BundleError, match="evil.swb is not a Sequence Workbench model bundle"):
            read(payload)
    assert not marker.exists()


def test_the_disguised_pickle_would_run_if_unpickled(disguised_pickle):
    # Every refusal test that uses this fixture asserts the marker is absent; that proves something only if
    # unpickling the payload really creates it (a pickled dict would pass those tests whatever the loader did).
    import pickle

    payload, marker = disguised_pickle
    assert not marker.exists()
    pickle.loads(payload.read_bytes()).close()  # the payload opens the marker file for writing
    assert marker.exists()
