"""Projects: one JSON file that reopens a session (data file, read options, settings, view) with the model beside it."""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.core.data.sniff import ReadOptions
from workbench.core.errors import ConfigError, ProjectError
from workbench.core.export import safe_json
from workbench.core.export.atomic import atomic_path
from workbench.core.export.bundle import SUFFIX as BUNDLE_SUFFIX
from workbench.core.export.kinds import ModelBundle, encode_model, kind_for_work, kind_of_file, load_model
from workbench.core.export.parts import PartProblem, Text, clip
from workbench.core.run_config import ClassifyRunConfig, RunConfig, SectionedConfig, TextRunConfig

PROJECT_SUFFIX = ".swproj"
PROJECT_FORMAT = "sequence-workbench-project"
PROJECT_VERSION = 1
# What a project holds: a table to forecast, a text for a language model, or labelled texts to classify.
# Files without "kind" are tables to forecast. The model kept beside a project is of kinds.kind_for_work(kind).
KINDS: dict[str, type[SectionedConfig]] = {"series": RunConfig, "text": TextRunConfig, "classify": ClassifyRunConfig}
_DATA_WORDS = {"series": "table", "text": "text", "classify": "labelled table"}

_CHUNK = 1 << 20
# What each read option may hold in the file; anything else would only fail later, deep inside the reader.
_OPTION_TYPES: dict[str, tuple[type, ...]] = {
    "delimiter": (str,), "decimal": (str,), "thousands": (str,), "header": (bool,),
    "encoding": (str,), "skip_rows": (int,), "sheet": (str,),
}
_MISSING_DATA_HINT = "Put the file back, or open the data again and save the project."
# A project holds settings and screen state: a few kilobytes. Anything far larger is not one, and is refused
# before it is read into memory.
MAX_PROJECT_BYTES = 16 << 20
# The screen state keeps plain values only, within what Qt's widgets take (a C int).
_VIEW_DEPTH, _QT_INT = 4, 2**31 - 1
_SKIP_ROWS_MAX = 10**9


@dataclass
class Project:
    """Everything needed to put the workbench back as it was, except the model, which lives in its own file."""

    data_path: str | None  # absolute path of the data file (None: no data opened)
    data_sha256: str = ""  # fingerprint of the file's bytes when saved ("" = compute it on save)
    read_options: ReadOptions = field(default_factory=ReadOptions)
    config: SectionedConfig = field(default_factory=RunConfig)  # RunConfig, or TextRunConfig for a text
    view: dict[str, Any] = field(default_factory=dict)  # the GUI's own screen state; must be JSON-serialisable
    kind: str = "series"  # a key of KINDS


@dataclass
class OpenedProject:
    project: Project
    bundle: ModelBundle | None  # the saved model (of the project's kind), loaded and validated, or None
    warnings: list[str]  # plain sentences, e.g. the data changed since the save
    model_path: Path | None = None  # the model file beside the project (None: saved without a model)


@dataclass(frozen=True)
class SavedProject:
    path: Path  # the project file
    model_path: Path | None  # where its model was written (None: saved without one)
    note: str = ""  # a sentence for the saved message ("" when there is nothing to add)


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks so large files do not fill memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def model_path_for(project_path: str | Path) -> Path:
    """The name a project's model gets by default: same folder and stem, ending in .swb (see `save_project`)."""
    return Path(project_path).with_suffix(BUNDLE_SUFFIX)


def save_project(path: str | Path, project: Project, bundle: ModelBundle | None = None) -> SavedProject:
    """Write the project JSON and, if given, its model beside it, so that neither is lost.

    The model goes to the project's own model file: the one the project at `path` already records, when that
    file still holds what the project saved, else `model_path_for(path)`. A model file there that belongs to
    something else is never overwritten: the model is written as STEM-2.swb (or -3, ...) and `note` says so.
    Both files are written in full to temp files before either is renamed; the model is renamed first. The
    project records the model's SHA-256, so the one mismatch a crash between the two renames can leave (the new
    model beside the old project) is reported when the project is opened.
    """
    path = Path(os.path.abspath(path))
    model, note, model_bytes, model_sha = None, "", b"", None
    if bundle is not None:
        model, note = _model_file(path)
        model_bytes = encode_model(bundle)  # refuses non-finite weights before anything is written
        model_sha = hashlib.sha256(model_bytes).hexdigest()
    # Build the text before writing anything, so a value that cannot become JSON leaves the disk untouched.
    text = json.dumps(_to_json(path, project, model, model_sha), indent=2, ensure_ascii=False) + "\n"
    with atomic_path(path) as project_tmp:
        project_tmp.write_bytes(text.encode("utf-8"))
        if model is not None:
            # Inner, so it is renamed first; an error in either removes both temp files and renames nothing.
            with atomic_path(model) as model_tmp:
                model_tmp.write_bytes(model_bytes)
    return SavedProject(path, model, note)


def _model_file(path: Path) -> tuple[Path, str]:
    """Where the model of the project at `path` goes, and a note when that is not the usual name."""
    default = model_path_for(path)
    recorded = _recorded_model(path)
    if recorded is not None:
        return recorded, ""
    if not _exists(default):
        return default, ""
    n = 2
    while _exists(candidate := default.with_name(f"{default.stem}-{n}{BUNDLE_SUFFIX}")):
        n += 1
    return candidate, (f"{default.name} beside it holds another model, which was kept; this project's model was "
                       f"saved as {candidate.name}.")


def _recorded_model(path: Path) -> Path | None:
    """The model file the project already at `path` records, if that file still holds what the project saved
    (projects saved before fingerprints were recorded: if it is there at all)."""
    try:
        raw = _read_json(path) if _exists(path) else {}
    except ProjectError:
        return None
    name, sha = raw.get("model"), raw.get("model_sha256")
    if not _bare_name(name):
        return None
    model = path.parent / name
    if not _exists(model):
        return None
    try:
        return model if sha is None or file_sha256(model) == sha else None
    except OSError:
        return None


def _to_json(path: Path, project: Project, model: Path | None, model_sha: str | None) -> dict[str, Any]:
    absolute = relative = None
    sha = project.data_sha256
    if project.data_path:
        absolute = os.path.abspath(project.data_path)
        try:
            # Forward slashes, so a project saved on Windows still finds its data on Linux or macOS.
            relative = Path(os.path.relpath(absolute, path.parent)).as_posix()
        except ValueError:
            relative = None  # Windows: the data is on another drive
        sha = sha or _fingerprint(Path(absolute))
    return {
        "format": PROJECT_FORMAT,
        "format_version": PROJECT_VERSION,
        "kind": project.kind,
        "data": {"path": absolute, "relative": relative, "sha256": sha,
                 "read_options": dataclasses.asdict(project.read_options)},
        "config": project.config.to_dict(),
        "model": model.name if model else None,
        "model_sha256": model_sha,
        "view": project.view,
        "saved": datetime.now().astimezone().isoformat(timespec="seconds"),
        "workbench_version": __version__,
    }


def open_project(path: str | Path) -> OpenedProject:
    """Read a project and the model saved beside it; changes nothing on disk and raises rather than half-opening.

    Every way the file can fail to be a project is a ProjectError (or a BundleError about its model) that says
    what is wrong and what to do."""
    path = Path(os.path.abspath(path))
    raw = _read_json(path)
    name, folder = path.name, path.parent
    kind = raw.get("kind", "series")
    if not isinstance(kind, str) or kind not in KINDS:
        raise _damaged(name, "kind")
    config = _config(raw.get("config"), name, KINDS[kind])
    data = raw.get("data") or {}
    if not isinstance(data, dict):
        raise _damaged(name, "data")
    view = _view(raw.get("view") or {}, name)
    options = _read_options(data.get("read_options") or {}, name)
    saved_sha = data.get("sha256") or ""
    if not isinstance(saved_sha, str):
        raise _damaged(name, "data")
    warnings: list[str] = []
    data_path = None
    if data.get("path") is not None:
        data_path = _locate_data(folder, data, name)
        if saved_sha and _fingerprint(data_path) != saved_sha:
            warnings.append(f"{data_path.name} has changed since the project was saved (its contents differ), "
                            "so the saved model's figures may not match it.")
    model_path = _model_path(folder, raw.get("model"), name)
    bundle = None
    if model_path is not None:
        warnings += _model_warnings(model_path, raw.get("model_sha256"), name)
        bundle = _load_model(model_path, kind)
    project = Project(str(data_path) if data_path else None, saved_sha, options, config, view, kind)
    return OpenedProject(project, bundle, warnings, model_path)


def _read_json(path: Path) -> dict[str, Any]:
    if not _exists(path):
        raise ProjectError(f"There is no project file at {path}.", hint="Check the path, or pick the file again.")
    not_a_project = f"Open a {PROJECT_SUFFIX} file saved by the workbench."
    try:
        size = path.stat().st_size
        if size > MAX_PROJECT_BYTES:
            raise ProjectError(f"{path.name} is not a Sequence Workbench project: it is {size / 2**20:,.0f} MB, "
                               f"and projects are a few kilobytes of settings.", hint=not_a_project)
        raw = safe_json.parse(path.read_bytes().decode("utf-8-sig"))
    except OSError as error:
        raise ProjectError(f"Could not read {path}: {error.strerror or error}.",
                           hint="Check that the file is not locked or hidden from you, then try again.") from error
    except UnicodeDecodeError as error:
        raise ProjectError(f"{path.name} is not a Sequence Workbench project: it is not UTF-8 text.",
                           hint=not_a_project) from error
    except safe_json.JsonRefused as error:
        raise ProjectError(f"{path.name} is not a Sequence Workbench project: {error.reason}.",
                           hint=not_a_project) from error
    if not isinstance(raw, dict) or raw.get("format") != PROJECT_FORMAT:
        raise ProjectError(f"{path.name} is JSON but not a Sequence Workbench project.", hint=not_a_project)
    version = raw.get("format_version")
    if type(version) is int and version > PROJECT_VERSION:
        raise ProjectError(f"{path.name} was saved by a newer workbench (project format {version}; this version "
                           f"reads {PROJECT_VERSION}).", hint="Update Sequence Workbench to open it.")
    if type(version) is not int or version != PROJECT_VERSION:
        raise _damaged(path.name, "format_version")
    return raw


def _damaged(name: str, part: str) -> ProjectError:
    return ProjectError(f"{name} is damaged: its '{part}' entry is not what the workbench writes.",
                        hint="The file was edited or cut short; open the data again and save a new project.")


def _config(raw: Any, name: str, kind: type[SectionedConfig]) -> SectionedConfig:
    try:
        return kind.from_dict(raw)
    except ConfigError as error:
        problems = " ".join(f"{key}: {msg}" for key, msg in error.problems.items())
        raise ProjectError(f"{name} holds invalid settings: {clip(problems, 400)}",
                           hint="Correct them in the file, or open the data again and save the project.") from error


def _read_options(raw: Any, name: str) -> ReadOptions:
    if not isinstance(raw, dict):
        raise _damaged(name, "read_options")
    unknown = sorted(set(raw) - set(_OPTION_TYPES))
    if unknown:
        raise ProjectError(f"{name} holds read options this version does not know: {', '.join(unknown)[:200]}.",
                           hint=f"Remove them from the file (known are {', '.join(_OPTION_TYPES)}), "
                                "or open the data again and save the project.")
    for key, value in raw.items():
        # bool is an int in Python, so a skip_rows of true would pass isinstance; refuse it by exact type.
        allowed = _OPTION_TYPES[key]
        if value is None and key != "skip_rows":
            continue
        if type(value) not in allowed or not _usable_option(key, value):
            raise ProjectError(f"{name} holds an invalid read option: {key} = {_short(value)}.",
                               hint="Open the data again to choose how it is read, then save the project.")
    return ReadOptions(**raw)


def _usable_option(key: str, value: Any) -> bool:
    if key == "skip_rows":
        return 0 <= value <= _SKIP_ROWS_MAX
    if isinstance(value, str) and not _valid_text(value):
        return False
    if key == "encoding":
        try:
            codecs.lookup(value)
        except (LookupError, ValueError):  # ValueError: a NUL in the name
            return False
    return True


def _view(raw: Any, name: str) -> dict[str, Any]:
    """The screen state, keeping only plain values a widget can take; it is cosmetic, so what does not fit
    (an edited file) is dropped rather than refusing the project."""
    if not isinstance(raw, dict):
        raise _damaged(name, "view")
    return _plain(raw, _VIEW_DEPTH)


_DROP = object()


def _plain(value: Any, depth: int) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if -_QT_INT <= value <= _QT_INT else _DROP
    if isinstance(value, float):
        return value if math.isfinite(value) else _DROP
    if isinstance(value, str):
        return value if _valid_text(value) else _DROP
    if depth == 0:
        return _DROP
    if isinstance(value, list):
        return [item for item in (_plain(v, depth - 1) for v in value) if item is not _DROP]
    return {k: item for k, v in value.items() if (item := _plain(v, depth - 1)) is not _DROP}


def _valid_text(value: str) -> bool:
    try:
        Text().check(value, "")
    except PartProblem:
        return False
    return True


def _short(value: Any) -> str:
    return clip(repr(value), 60)


def _locate_data(folder: Path, data: dict[str, Any], name: str) -> Path:
    absolute, relative = data.get("path"), data.get("relative")
    if not isinstance(absolute, str) or not isinstance(relative, str | None):
        raise _damaged(name, "data")
    if not _valid_text(absolute) or (relative is not None and not _valid_text(relative)):
        raise _damaged(name, "data")
    # The relative path first: a project folder moved or copied together with its data then opens that data.
    candidates = ([folder / relative] if relative else []) + [Path(absolute)]
    for candidate in candidates:
        if _exists(candidate):
            return Path(os.path.abspath(candidate))
    raise ProjectError(f"The project's data file {clip(absolute)} is missing.", hint=_MISSING_DATA_HINT)


def _fingerprint(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError as error:
        raise ProjectError(f"Could not read the project's data file {path}: {error.strerror or error}.",
                           hint=_MISSING_DATA_HINT) from error


def _model_path(folder: Path, model: Any, name: str) -> Path | None:
    if model is None:
        return None
    # Only a bare file name: the model always lives beside the project, never somewhere a path could point.
    if not _bare_name(model):
        raise _damaged(name, "model")
    bundle_path = folder / model
    if not _exists(bundle_path):
        raise ProjectError(f"The project's model file {clip(str(bundle_path))} is missing.",
                           hint="Put it back next to the project file, or train again and save the project.")
    return bundle_path


def _model_warnings(model: Path, saved_sha: Any, name: str) -> list[str]:
    """A sentence when the model file is not the one the project was saved with (older projects record none)."""
    if saved_sha is None:
        return []
    if not isinstance(saved_sha, str):
        raise _damaged(name, "model_sha256")
    try:
        sha = file_sha256(model)
    except OSError as error:
        raise ProjectError(f"Could not read the project's model file {model}: {error.strerror or error}.",
                           hint="Check that the file is not locked or hidden from you, then try again.") from error
    if sha == saved_sha:
        return []
    return [f"{model.name} is not the model this project was saved with: the file changed after the save (a model "
            "saved over it, or a save that was cut short), so the project's settings may not be the ones it was "
            "trained with."]


def _load_model(bundle_path: Path, kind: str) -> ModelBundle:
    if kind_of_file(bundle_path) != kind_for_work(kind):
        raise ProjectError(f"The project's model file {bundle_path.name} is not a model for this project's "
                           f"{_DATA_WORDS[kind]}.",
                           hint="Put the right model back next to the project file, or train again and save.")
    return load_model(bundle_path)


def _bare_name(name: Any) -> bool:
    return isinstance(name, str) and bool(name) and _valid_text(name) and "\0" not in name and Path(name).name == name


def _exists(path: Path) -> bool:
    """Whether `path` is a file; False also for a name the file system cannot take (too long, say), which
    Path.is_file would raise for."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
