"""The kinds of model a bundle can hold, in one registry: what each is called, which work it does, how it loads.

Every bundle names its kind in its metadata, and every bundle class says its kind in `kind`; code that needs to
know which kind it holds asks here instead of looking for attributes. Refusing a model of the wrong kind happens
here too, so the command line, projects and the window say it the same way.

The window imports this module at start-up, so it loads no torch: each kind's bundle class is imported the first
time a model of that kind is loaded, saved or described.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from workbench.core.errors import BundleError
from workbench.core.export.bundle import encode_bundle, read_checked, read_header, write_bundle
from workbench.core.export.parts import found

FORECASTER = "forecaster"
LANGUAGE_MODEL = "language_model"
CLASSIFIER = "classifier"


class ModelBundle(Protocol):
    """What every bundle class provides (ForecasterBundle, LanguageModelBundle, ClassifierBundle)."""

    kind: ClassVar[str]  # a key of the registry, written into the file's metadata
    model: Any  # the torch module
    info: dict[str, str]  # created, workbench_version

    @classmethod
    def from_contents(cls, path: Path, tensors: dict[str, Any], metadata: dict[str, str]) -> ModelBundle:
        """Rebuild from a file's checked tensors and metadata (its kind already checked by the registry)."""
        ...

    def parts(self) -> dict[str, Any]:
        """The JSON-ready sections written beside the weights."""
        ...

    def describe(self) -> dict[str, Any]:
        """Plain data about the model (settings, data, scores), as `workbench info --json` prints it."""
        ...


@dataclass(frozen=True)
class ModelKind:
    """One kind of model: its names, the work it belongs to, and where its bundle class lives."""

    name: str  # as written in a bundle's metadata: "language_model"
    label: str  # as a user reads it: "language model"
    work: str  # the kind of project and workspace it belongs to: a key of core/project.py KINDS
    task: str  # what only this kind does, for refusals: "generate text"
    hint: str  # how to use a file of this kind, for when it was opened for something else
    bundle_class: str  # "module:Class", imported on first use (the bundle modules load torch)

    @property
    def a_label(self) -> str:
        """The label with its article: "a forecaster", "an ..."."""
        return f"{'an' if self.label[0] in 'aeiou' else 'a'} {self.label}"

    def bundle_type(self) -> Any:
        """The bundle class of this kind (imported now, with torch)."""
        module, _, cls = self.bundle_class.partition(":")
        return getattr(importlib.import_module(module), cls)


_KINDS = (
    ModelKind(FORECASTER, "forecaster", "series", "forecast a series",
              "Open it with a table of the columns it was trained on, or run `workbench predict MODEL TABLE.csv`.",
              "workbench.core.export.forecaster_bundle:ForecasterBundle"),
    ModelKind(LANGUAGE_MODEL, "language model", "text", "generate text",
              "Generate text with it instead: open it in the window or run `workbench generate MODEL`.",
              "workbench.core.export.lm_bundle:LanguageModelBundle"),
    ModelKind(CLASSIFIER, "text classifier", "classify", "classify texts",
              "Classify texts with it instead: open it in the window or run `workbench predict MODEL TABLE.csv`.",
              "workbench.core.export.classifier_bundle:ClassifierBundle"),
)
_BY_NAME = {kind.name: kind for kind in _KINDS}
_BY_WORK = {kind.work: kind for kind in _KINDS}
# Bundles written before files named their kind: the part only that kind writes tells them apart.
_LEGACY_PARTS = (("classes", CLASSIFIER), ("vocabulary", LANGUAGE_MODEL), ("schema", FORECASTER))


def model_kinds() -> tuple[ModelKind, ...]:
    """Every kind of model this version can load, in a fixed order."""
    return _KINDS


def model_kind(name: str) -> ModelKind:
    """The kind called `name`; BundleError for a kind this version does not know."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise BundleError(f"There is no kind of model called {name!r}; this version knows "
                          f"{', '.join(_BY_NAME)}.", hint="Open it with the workbench version that saved it.") from None


def kind_for_work(work: str) -> ModelKind:
    """The kind of model a project or workspace of kind `work` ("series", "text", "classify") trains."""
    try:
        return _BY_WORK[work]
    except KeyError:
        raise ValueError(f"No kind of model belongs to the work {work!r} (known: {', '.join(_BY_WORK)}).") from None


def kind_of_metadata(metadata: dict[str, str], path: str | Path) -> ModelKind:
    """The kind a bundle's metadata declares, or for older files the kind its parts show."""
    name = metadata.get("kind")
    if name is None:
        name = next((kind for part, kind in _LEGACY_PARTS if part in metadata), None)
    if name is None:
        raise BundleError(f"{Path(path).name} does not say which kind of model it holds, and its parts match none "
                          "this version knows.", hint="Open it with the workbench version that saved it.")
    if name not in _BY_NAME:
        raise BundleError(f"{Path(path).name} holds a model of kind {found(name)}, which this version cannot use.",
                          hint="Open it with the workbench version that saved it.")
    return _BY_NAME[name]


def kind_of_file(path: str | Path, expect: str | Iterable[str] | None = None) -> ModelKind:
    """The kind of the bundle at `path`, read from its header alone (no torch, no weights).

    With `expect` (a kind name or several), a model of another kind is refused with a BundleError that says
    what the file is and how to use it instead.
    """
    kind = kind_of_metadata(read_header(path), path)
    if expect is not None:
        _refuse_unless(kind, expect, path)
    return kind


def load_model(path: str | Path, expect: str | Iterable[str] | None = None) -> Any:
    """Read, check and rebuild the bundle at `path`, whatever its kind; `expect` as for `kind_of_file`.

    Returns the kind's bundle class (see `ModelBundle`), its model in eval mode. The kind is checked from the
    header before the weights are read, so a wrong file is refused quickly.
    """
    path = Path(path)
    kind = kind_of_file(path, expect)
    tensors, metadata = read_checked(path)
    return kind.bundle_type().from_contents(path, tensors, metadata)


def save_model(path: str | Path, bundle: ModelBundle) -> None:
    """Write `bundle` atomically as a file of its kind; non-finite weights are refused (BundleError)."""
    write_bundle(path, bundle.model, model_kind(bundle.kind).name, bundle.parts())


def encode_model(bundle: ModelBundle) -> bytes:
    """The bytes `save_model` writes, for a writer that places the file itself (projects); BundleError as there."""
    return encode_bundle(bundle.model, model_kind(bundle.kind).name, bundle.parts())


def describe_model(bundle: ModelBundle) -> dict[str, Any]:
    """Plain data about a loaded model: its kind first, then what its class describes."""
    return {"kind": model_kind(bundle.kind).name, **bundle.describe()}


def _refuse_unless(kind: ModelKind, expect: str | Iterable[str], path: str | Path) -> None:
    wanted = [model_kind(name) for name in ([expect] if isinstance(expect, str) else expect)]
    if kind in wanted:
        return
    raise BundleError(f"{Path(path).name} is {kind.a_label}, not {' or '.join(k.a_label for k in wanted)}, so it "
                      f"cannot {' or '.join(k.task for k in wanted)}.", hint=kind.hint)
