"""Projects: one JSON file that reopens a session (data file, read options, settings, view) with the model beside it."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.core.data.sniff import ReadOptions
from workbench.core.errors import ConfigError, ProjectError
from workbench.core.export.atomic import atomic_write_text
from workbench.core.export.bundle import SUFFIX as BUNDLE_SUFFIX
from workbench.core.export.kinds import ModelBundle, kind_for_work, kind_of_file, load_model, save_model
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


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks so large files do not fill memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def model_path_for(project_path: str | Path) -> Path:
    """The bundle kept next to a project: same folder and stem, ending in .swb."""
    return Path(project_path).with_suffix(BUNDLE_SUFFIX)


def save_project(path: str | Path, project: Project, bundle: ModelBundle | None = None) -> None:
    """Write the model (if given) beside the project, then the project JSON; each write is atomic."""
    path = Path(os.path.abspath(path))
    model = model_path_for(path) if bundle is not None else None
    # Build the text before writing anything, so a value that cannot become JSON leaves the disk untouched.
    text = json.dumps(_to_json(path, project, model), indent=2, ensure_ascii=False) + "\n"
    if bundle is not None:
        save_model(model, bundle)
    atomic_write_text(path, text)


def _to_json(path: Path, project: Project, model: Path | None) -> dict[str, Any]:
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
        "view": project.view,
        "saved": datetime.now().astimezone().isoformat(timespec="seconds"),
        "workbench_version": __version__,
    }


def open_project(path: str | Path) -> OpenedProject:
    """Read a project and the model saved beside it; changes nothing on disk and raises rather than half-opening."""
    path = Path(os.path.abspath(path))
    raw = _read_json(path)
    name, folder = path.name, path.parent
    kind = raw.get("kind", "series")
    if kind not in KINDS:
        raise _damaged(name, "kind")
    config = _config(raw.get("config"), name, KINDS[kind])
    data = raw.get("data") or {}
    view = raw.get("view") or {}
    if not isinstance(data, dict) or not isinstance(view, dict):
        raise _damaged(name, "data" if not isinstance(data, dict) else "view")
    options = _read_options(data.get("read_options") or {}, name)
    saved_sha = data.get("sha256") or ""
    warnings: list[str] = []
    data_path = None
    if data.get("path") is not None:
        data_path = _locate_data(folder, data, name)
        if saved_sha and _fingerprint(data_path) != saved_sha:
            warnings.append(f"{data_path.name} has changed since the project was saved (its contents differ), "
                            "so the saved model's figures may not match it.")
    bundle = _load_model(folder, raw.get("model"), name, kind)
    project = Project(str(data_path) if data_path else None, str(saved_sha), options, config, view, kind)
    return OpenedProject(project, bundle, warnings)


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ProjectError(f"There is no project file at {path}.", hint="Check the path, or pick the file again.")
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise ProjectError(f"Could not read {path}: {error.strerror or error}.",
                           hint="Check that the file is not locked or hidden from you, then try again.") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProjectError(f"{path.name} is not a Sequence Workbench project (it is not valid JSON).",
                           hint=f"Open a {PROJECT_SUFFIX} file saved by the workbench.") from error
    if not isinstance(raw, dict) or raw.get("format") != PROJECT_FORMAT:
        raise ProjectError(f"{path.name} is JSON but not a Sequence Workbench project.",
                           hint=f"Open a {PROJECT_SUFFIX} file saved by the workbench.")
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
        raise ProjectError(f"{name} holds invalid settings: {problems}",
                           hint="Correct them in the file, or open the data again and save the project.") from error


def _read_options(raw: Any, name: str) -> ReadOptions:
    if not isinstance(raw, dict):
        raise _damaged(name, "read_options")
    unknown = sorted(set(raw) - set(_OPTION_TYPES))
    if unknown:
        raise ProjectError(f"{name} holds read options this version does not know: {', '.join(unknown)}.",
                           hint=f"Remove them from the file (known are {', '.join(_OPTION_TYPES)}), "
                                "or open the data again and save the project.")
    for key, value in raw.items():
        # bool is an int in Python, so a skip_rows of true would pass isinstance; refuse it by exact type.
        allowed = _OPTION_TYPES[key]
        if value is None and key != "skip_rows":
            continue
        if type(value) not in allowed or (key == "skip_rows" and value < 0):
            raise ProjectError(f"{name} holds an invalid read option: {key} = {value!r}.",
                               hint="Open the data again to choose how it is read, then save the project.")
    return ReadOptions(**raw)


def _locate_data(folder: Path, data: dict[str, Any], name: str) -> Path:
    absolute, relative = data.get("path"), data.get("relative")
    if not isinstance(absolute, str) or not isinstance(relative, str | None):
        raise _damaged(name, "data")
    # The relative path first: a project folder moved or copied together with its data then opens that data.
    candidates = ([folder / relative] if relative else []) + [Path(absolute)]
    for candidate in candidates:
        if candidate.is_file():
            return Path(os.path.abspath(candidate))
    raise ProjectError(f"The project's data file {absolute} is missing.", hint=_MISSING_DATA_HINT)


def _fingerprint(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError as error:
        raise ProjectError(f"Could not read the project's data file {path}: {error.strerror or error}.",
                           hint=_MISSING_DATA_HINT) from error


def _load_model(folder: Path, model: Any, name: str, kind: str) -> ModelBundle | None:
    if model is None:
        return None
    # Only a bare file name: the model always lives beside the project, never somewhere a path could point.
    if not isinstance(model, str) or not model or Path(model).name != model:
        raise _damaged(name, "model")
    bundle_path = folder / model
    if not bundle_path.is_file():
        raise ProjectError(f"The project's model file {bundle_path} is missing.",
                           hint="Put it back next to the project file, or train again and save the project.")
    if kind_of_file(bundle_path) != kind_for_work(kind):
        raise ProjectError(f"The project's model file {bundle_path.name} is not a model for this project's "
                           f"{_DATA_WORDS[kind]}.",
                           hint="Put the right model back next to the project file, or train again and save.")
    return load_model(bundle_path)
