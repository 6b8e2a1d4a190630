"""The bundle file format, the same for every kind of model: one safetensors file whose metadata holds JSON parts.

Nothing here knows what a forecaster or a classifier is: each kind's bundle class (registered in kinds.py) says
which parts it writes and how it is rebuilt. Importing this module loads no torch, so the window can read a
file's header at start-up.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safetensors import SafetensorError, safe_open

from workbench import __version__
from workbench.core.errors import BundleError
from workbench.core.export import safe_json
from workbench.core.export.atomic import atomic_path
from workbench.core.export.parts import DAMAGED_HINT, PartProblem, found

if TYPE_CHECKING:
    import torch

FORMAT = "sequence-workbench-bundle"
FORMAT_VERSION = "1"
SUFFIX = ".swb"
# Written beside the parts by write_bundle; every loaded bundle keeps them in its `info`.
INFO_KEYS = ("created", "workbench_version")


def write_bundle(path: str | Path, model: torch.nn.Module, kind: str, parts: dict[str, Any]) -> None:
    """The weights of `model` and each JSON-ready part (stored as a JSON string) in one safetensors file,
    written atomically; non-finite weights are refused so a diverged model never reaches disk."""
    data = encode_bundle(model, kind, parts)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def encode_bundle(model: torch.nn.Module, kind: str, parts: dict[str, Any]) -> bytes:
    """The bytes of the bundle file `write_bundle` writes (for writers that place the file themselves)."""
    # Imported here: this module is read at start-up for headers, and safetensors.torch loads torch.
    from safetensors.torch import save

    tensors = {name: t.detach().cpu().contiguous() for name, t in model.state_dict().items()}
    check_weights(tensors)
    metadata = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        **{key: json.dumps(value, ensure_ascii=False) for key, value in parts.items()},
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "workbench_version": __version__,
    }
    # Bytes, not save_file: save_file writes a private temp file of its own (mode 0600) and renames it over ours.
    return save(tensors, metadata=metadata)


def read_header(path: str | Path) -> dict[str, str]:
    """The metadata of a workbench bundle of any kind, read without its tensors (and without torch).

    Raises BundleError for a missing file, anything that is not safetensors (a pickle renamed .swb included),
    a safetensors file the workbench did not write, and a format version this one cannot read.
    """
    return _read(Path(path), framework="numpy")[1]


def read_checked(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """The tensors and metadata of a workbench bundle of any kind, after the checks of `read_header`."""
    return _read(Path(path), framework="pt")


def saved_info(metadata: dict[str, str]) -> dict[str, str]:
    """When and by which version a bundle was written ("" where an old file lacks it)."""
    return {key: metadata.get(key, "") for key in INFO_KEYS}


def check_weights(tensors: dict[str, torch.Tensor]) -> None:
    """Refuse weights that are not finite, so a diverged model never reaches disk."""
    broken = _non_finite(tensors)
    if broken:
        raise BundleError(f"The model has non-finite weights ({', '.join(broken[:3])}), so it was not saved.",
                          hint="Train again with a lower learning rate.")


def check_tensors(model: torch.nn.Module, tensors: dict[str, torch.Tensor], path: Path) -> None:
    """Refuse tensors whose names or shapes differ from what `model` (built from the file's config) holds,
    that are not plain floats, or that are not finite."""
    expected = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    found = {name: tuple(t.shape) for name, t in tensors.items()}
    if expected != found:
        wrong = sorted(set(expected) ^ set(found)) or [n for n in expected if expected[n] != found[n]]
        raise BundleError(f"{path.name} does not match its own configuration (tensors differ: "
                          f"{', '.join(wrong[:4])}).", hint="The file is damaged or was edited; save it again.")
    odd = [name for name, t in tensors.items() if t.dtype not in _weight_types()]
    if odd:
        raise BundleError(f"{path.name} holds tensors of a type the workbench never writes ({', '.join(odd[:3])}: "
                          f"{tensors[odd[0]].dtype}).", hint="The file is damaged or was edited; save it again.")
    broken = _non_finite(tensors)
    if broken:
        raise BundleError(f"{path.name} holds non-finite weights ({', '.join(broken[:3])}) and cannot be used.")


def build_checked(build: Callable[[], torch.nn.Module], tensors: dict[str, torch.Tensor],
                  path: Path) -> torch.nn.Module:
    """The model `build` makes, holding `tensors`, in eval mode. The tensors are first checked against a model
    built on the meta device, which allocates nothing, so a header claiming a vast vocabulary or horizon
    costs no memory before it is refused."""
    import torch

    with torch.device("meta"):
        shell = build()
    check_tensors(shell, tensors, path)
    model = build()
    model.load_state_dict(tensors)
    model.eval()
    return model


def json_part(metadata: dict[str, str], key: str, path: Path) -> Any:
    """The part `key` of the metadata, parsed; BundleError when it is missing or not usable JSON."""
    if key not in metadata:
        raise BundleError(f"{path.name} is damaged: its '{key}' section is missing.", hint=DAMAGED_HINT)
    try:
        return safe_json.parse(metadata[key])
    except safe_json.JsonRefused as error:
        raise BundleError(f"{path.name} is damaged: its '{key}' section cannot be read: {error.reason}.",
                          hint=DAMAGED_HINT) from None


def read_parts(metadata: dict[str, str], specs: dict[str, Any], path: Path) -> dict[str, Any]:
    """Every part a kind reads, parsed and checked against its spec (see parts.py): one BundleError naming the
    first field at fault, so nothing later meets a missing or mistyped field."""
    values = {key: json_part(metadata, key, path) for key in specs}
    for key, spec in specs.items():
        if spec is not None:
            try:
                spec.check(values[key], key)
            except PartProblem as problem:
                raise damaged(path, problem.where, problem.problem) from None
    return values


def damaged(path: Path, where: str, problem: str) -> BundleError:
    """The refusal for a part that does not hold what the workbench writes: "x.swb is damaged: schema ..."."""
    return BundleError(f"{path.name} is damaged: {where} {problem}.", hint=DAMAGED_HINT)


def without_history(result: dict[str, Any]) -> dict[str, Any]:
    """A stored TrainResult without its per-epoch history: what a summary shows."""
    return {key: value for key, value in result.items() if key != "history"}


def _read(path: Path, framework: str) -> tuple[dict[str, Any], dict[str, str]]:
    if not _is_file(path):
        raise BundleError(f"There is no model file at {path}.", hint="Check the path, or train and save a model first.")
    # safetensors parses a JSON header and raw arrays only; a pickle renamed to look like a model fails here.
    try:
        with safe_open(str(path), framework=framework) as handle:
            metadata = handle.metadata() or {}
            tensors = {name: handle.get_tensor(name) for name in handle.keys()} if framework == "pt" else {}
    except (SafetensorError, OSError, ValueError, UnicodeDecodeError) as error:
        raise BundleError(f"{path.name} is not a Sequence Workbench model bundle (it could not be read as "
                          f"safetensors: {error}).",
                          hint="Model files are never unpickled; open a .swb file saved by the workbench.") from error
    if metadata.get("format") != FORMAT:
        raise BundleError(f"{path.name} is a safetensors file but not a Sequence Workbench model bundle.",
                          hint="Open a file saved by the workbench (File > Save Model or `workbench train --out`).")
    if metadata.get("format_version") != FORMAT_VERSION:
        raise BundleError(f"{path.name} uses bundle format {found(metadata.get('format_version'))}; this version reads "
                          f"{FORMAT_VERSION!r}.", hint="Open it with the workbench version that saved it.")
    return tensors, metadata


def _weight_types() -> tuple[Any, ...]:
    import torch

    return (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def _non_finite(tensors: dict[str, torch.Tensor]) -> list[str]:
    return [name for name, t in tensors.items() if t.is_floating_point() and not t.isfinite().all()]


def _is_file(path: Path) -> bool:
    # Path.is_file lets some OSErrors through (a name too long for the file system, a folder without access).
    try:
        return path.is_file()
    except OSError:
        return False
