"""Project files: round trips with and without a model, moved folders, changed or missing data, refused files."""

import copy
import json
import os
import shutil

import numpy as np
import pandas as pd
import pytest
import torch

from tests.conftest import tiny_config
from tests.fixtures import SAVED_BUNDLES
from workbench.core.data.sniff import ReadOptions
from workbench.core.errors import BundleError, ProjectError, WorkbenchError
from workbench.core.export.forecaster_bundle import bundle_from_forecast_run
from workbench.core.export.kinds import load_model
from workbench.core.project import KINDS, Project, file_sha256, model_path_for, open_project, save_project

VIEW = {"tab": "predictions", "splitter": [300, 500], "plot": {"log_y": False}}


def write_sine(path):
    t = np.arange(200)
    days = pd.date_range("2024-01-01", periods=200, freq="D").strftime("%Y-%m-%d")
    pd.DataFrame({"day": days, "y": np.sin(t / 5) + 0.01 * t}).to_csv(path, index=False)
    return path


def make_config():
    config = tiny_config()
    config.data.target = "y"
    return config


@pytest.fixture(scope="module")
def bundle(forecast_run):
    """A forecaster to keep beside projects (the session's shared run; copy it before changing it)."""
    return bundle_from_forecast_run(forecast_run)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "data").mkdir()
    data = write_sine(tmp_path / "data" / "sine.csv")
    return Project(str(data), read_options=ReadOptions(delimiter=",", header=True), config=make_config(), view=VIEW)


def snapshot(folder):
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_round_trip_without_a_model(project, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project)
    opened = open_project(path)
    assert opened.bundle is None and opened.warnings == []
    assert opened.project.data_path == project.data_path
    assert opened.project.data_sha256 == file_sha256(project.data_path)
    assert opened.project.read_options == project.read_options
    assert opened.project.config == project.config
    assert opened.project.view == VIEW
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["model"] is None and saved["data"]["relative"] == "data/sine.csv"


def test_round_trip_with_a_model_keeps_its_weights(project, bundle, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project, bundle)
    assert model_path_for(path) == tmp_path / "study.swb" and (tmp_path / "study.swb").is_file()
    opened = open_project(path)
    assert opened.project.config == project.config
    assert opened.bundle.config == bundle.config
    before, after = bundle.model.state_dict(), opened.bundle.model.state_dict()
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_opening_changes_nothing_on_disk(project, bundle, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project, bundle)
    before = snapshot(tmp_path)
    open_project(path)
    assert snapshot(tmp_path) == before


def test_saving_without_a_model_leaves_an_old_model_file_alone(project, bundle, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project, bundle)
    old = (tmp_path / "study.swb").read_bytes()
    save_project(path, project)
    assert (tmp_path / "study.swb").read_bytes() == old
    assert open_project(path).bundle is None


def test_a_project_moved_with_its_data_opens_the_moved_data(tmp_path):
    (tmp_path / "a" / "data").mkdir(parents=True)
    data = write_sine(tmp_path / "a" / "data" / "sine.csv")
    save_project(tmp_path / "a" / "study.swproj", Project(str(data), config=make_config()))
    shutil.move(tmp_path / "a", tmp_path / "b")
    opened = open_project(tmp_path / "b" / "study.swproj")
    assert opened.project.data_path == str(tmp_path / "b" / "data" / "sine.csv")
    assert opened.warnings == []


def test_changed_data_gives_one_warning(project, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project)
    with open(project.data_path, "a", encoding="utf-8") as fh:
        fh.write("2024-07-19,1.5\n")
    opened = open_project(path)
    assert opened.warnings == ["sine.csv has changed since the project was saved (its contents differ), "
                               "so the saved model's figures may not match it."]


def test_missing_data_is_refused_with_the_path(project, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project)
    (tmp_path / "data" / "sine.csv").unlink()
    with pytest.raises(ProjectError) as info:
        open_project(path)
    assert info.value.message == f"The project's data file {tmp_path / 'data' / 'sine.csv'} is missing."
    assert info.value.hint == "Put the file back, or open the data again and save the project."


def test_missing_model_file_is_refused(project, bundle, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project, bundle)
    (tmp_path / "study.swb").unlink()
    with pytest.raises(ProjectError, match="The project's model file .*study.swb is missing."):
        open_project(path)


def test_files_that_are_not_projects_are_refused(tmp_path):
    with pytest.raises(ProjectError, match="There is no project file at"):
        open_project(tmp_path / "none.swproj")
    path = tmp_path / "p.swproj"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        open_project(path)
    assert info.value.message == ("p.swproj is not a Sequence Workbench project: it is not valid JSON (expecting "
                                  "property name enclosed in double quotes at line 1, column 2).")
    path.write_text(json.dumps({"format": "something-else", "format_version": 1}), encoding="utf-8")
    with pytest.raises(ProjectError, match="p.swproj is JSON but not a Sequence Workbench project."):
        open_project(path)


def edit_saved(path, change):
    raw = json.loads(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(json.dumps(raw), encoding="utf-8")


def test_newer_format_invalid_settings_and_unknown_options_are_refused(project, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project)
    edit_saved(path, lambda raw: raw.update(format_version=2))
    with pytest.raises(ProjectError) as info:
        open_project(path)
    assert str(info.value) == ("study.swproj was saved by a newer workbench (project format 2; this version reads 1). "
                               "Update Sequence Workbench to open it.")
    save_project(path, project)
    edit_saved(path, lambda raw: raw["config"]["model"].update(dropout=1.5))
    with pytest.raises(ProjectError) as info:
        open_project(path)
    assert info.value.message.startswith("study.swproj holds invalid settings: model.dropout: ")
    save_project(path, project)
    edit_saved(path, lambda raw: raw["data"]["read_options"].update(quote="'"))
    with pytest.raises(ProjectError, match="holds read options this version does not know: quote."):
        open_project(path)


def test_a_failed_save_leaves_the_old_project_intact(project, bundle, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project, bundle)
    before = snapshot(tmp_path)
    broken = copy.deepcopy(bundle)
    with torch.no_grad():
        next(broken.model.parameters()).fill_(float("nan"))
    changed = Project(project.data_path, config=make_config(), view={"tab": "other"})
    with pytest.raises(BundleError, match="non-finite weights"):
        save_project(path, changed, broken)
    assert snapshot(tmp_path) == before  # same files, same bytes, no temp files left behind


def test_a_pickle_named_like_the_model_is_refused(project, bundle, tmp_path, disguised_pickle):
    path = tmp_path / "study.swproj"
    save_project(path, project, bundle)
    payload, marker = disguised_pickle
    (tmp_path / "study.swb").write_bytes(payload.read_bytes())
    with pytest.raises(BundleError, match="study.swb is not a Sequence Workbench model bundle"):
        open_project(path)
    assert not marker.exists()  # unpickling it would have created this file


@pytest.mark.parametrize("work,kind", [("text", "language_model"), ("classify", "classifier")])
def test_a_project_keeps_the_model_of_its_kind(work, kind, tmp_path):
    bundle = load_model(SAVED_BUNDLES[kind])
    path = tmp_path / "study.swproj"
    save_project(path, Project(None, config=KINDS[work](), kind=work), bundle)
    opened = open_project(path)
    assert opened.project.kind == work and opened.bundle.kind == kind
    assert opened.bundle.parts() == bundle.parts()


def test_a_model_of_another_kind_beside_the_project_is_refused(project, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project)
    edit_saved(path, lambda raw: raw.update(model="study.swb"))
    shutil.copy(SAVED_BUNDLES["language_model"], tmp_path / "study.swb")
    with pytest.raises(ProjectError) as info:
        open_project(path)
    assert str(info.value) == ("The project's model file study.swb is not a model for this project's table. "
                               "Put the right model back next to the project file, or train again and save.")


@pytest.mark.parametrize("text,reason", [
    ('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "it nests lists or objects deeper than the workbench can read"),
    ('{"format_version": ' + "1" * 5000 + "}",
     "it holds a whole number of 5,000 digits, more than any value the workbench writes (30 at most)"),
    ("\ufeff\udcff", "it is not UTF-8 text"),
])
def test_deep_nesting_huge_numbers_and_binary_are_refused_in_words(text, reason, tmp_path):
    path = tmp_path / "p.swproj"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(ProjectError) as info:
        open_project(path)
    assert info.value.message == f"p.swproj is not a Sequence Workbench project: {reason}."
    assert info.value.hint == "Open a .swproj file saved by the workbench."


def test_a_model_file_of_the_same_name_that_is_not_the_projects_is_kept(project, bundle, tmp_path):
    other = tmp_path / "study.swb"
    shutil.copy(SAVED_BUNDLES["forecaster"], other)
    before = other.read_bytes()
    path = tmp_path / "study.swproj"
    saved = save_project(path, project, bundle)
    assert other.read_bytes() == before
    assert saved.model_path == tmp_path / "study-2.swb"
    assert saved.note == ("study.swb beside it holds another model, which was kept; this project's model was saved "
                          "as study-2.swb.")
    opened = open_project(path)
    assert opened.model_path == tmp_path / "study-2.swb" and opened.warnings == []
    # Saving again writes the project's own model, not a third file.
    again = save_project(path, project, bundle)
    assert (again.model_path, again.note) == (tmp_path / "study-2.swb", "")
    assert sorted(p.name for p in tmp_path.glob("*.swb")) == ["study-2.swb", "study.swb"]


def test_saving_again_replaces_the_projects_own_model(project, bundle, tmp_path):
    path = tmp_path / "study.swproj"
    assert save_project(path, project, bundle) == save_project(path, project, bundle)
    assert sorted(p.name for p in tmp_path.glob("*.swb")) == ["study.swb"]


def test_a_model_saved_over_the_projects_model_is_kept_at_the_next_save(project, bundle, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project, bundle)
    shutil.copy(SAVED_BUNDLES["forecaster"], tmp_path / "study.swb")  # File > Save Model over it, say
    assert open_project(path).warnings == [
        "study.swb is not the model this project was saved with: the file changed after the save (a model saved "
        "over it, or a save that was cut short), so the project's settings may not be the ones it was trained with."]
    assert save_project(path, project, bundle).model_path == tmp_path / "study-2.swb"


def test_a_crash_between_the_two_renames_is_reported_on_open(project, bundle, tmp_path, monkeypatch):
    path = tmp_path / "study.swproj"
    save_project(path, project, bundle)
    old_project = path.read_bytes()
    replace = os.replace

    def crash_at_the_project(source, target):
        if str(target).endswith(".swproj"):
            raise KeyboardInterrupt  # the process dies after the model was renamed
        replace(source, target)

    monkeypatch.setattr(os, "replace", crash_at_the_project)
    newer = copy.deepcopy(bundle)
    with torch.no_grad():
        next(newer.model.parameters()).add_(1.0)
    with pytest.raises(KeyboardInterrupt):
        save_project(path, Project(project.data_path, config=make_config(), view={"tab": 2}), newer)
    monkeypatch.undo()
    assert path.read_bytes() == old_project and sorted(p.name for p in tmp_path.iterdir()) == \
        ["data", "study.swb", "study.swproj"]
    opened = open_project(path)
    assert opened.warnings[0].startswith("study.swb is not the model this project was saved with")


def test_a_failure_while_writing_leaves_the_previous_pair_intact(project, bundle, tmp_path, monkeypatch):
    path = tmp_path / "study.swproj"
    save_project(path, project, bundle)
    before = snapshot(tmp_path)
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(WorkbenchError, match="No space left on device"):
        save_project(path, Project(project.data_path, config=make_config(), view={"tab": 2}), bundle)
    assert snapshot(tmp_path) == before


def test_unusable_screen_state_is_dropped_and_the_project_opens(project, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project)
    edit_saved(path, lambda raw: raw.update(view={"tab": 2**40, "forecast": {"step": 3, "mode": "\udc80"},
                                                  "deep": [[[[[1]]]]], "x": 1.5}))
    assert open_project(path).project.view == {"forecast": {"step": 3}, "deep": [[[]]], "x": 1.5}


@pytest.mark.parametrize("change,part", [
    (lambda raw: raw.update(kind=["series"]), "kind"),
    (lambda raw: raw.update(model="../elsewhere.swb"), "model"),
    (lambda raw: raw.update(model="x" * 5000 + ".swb"), None),
    (lambda raw: raw["data"].update(sha256=12), "data"),
    (lambda raw: raw["data"]["read_options"].update(encoding="no-such-codec"), None),
    (lambda raw: raw["data"]["read_options"].update(encoding="utf-8\x00"), None),
    (lambda raw: raw["data"].update(path="/tmp/a\x00b", relative="a\x00b"), None),
    (lambda raw: raw["data"]["read_options"].update(skip_rows=10**20), None),
])
def test_edited_entries_are_refused_in_words(change, part, project, tmp_path):
    path = tmp_path / "study.swproj"
    save_project(path, project)
    edit_saved(path, change)
    with pytest.raises(ProjectError) as info:
        open_project(path)
    if part:
        assert info.value.message == f"study.swproj is damaged: its '{part}' entry is not what the workbench writes."
    assert info.value.message and info.value.hint
