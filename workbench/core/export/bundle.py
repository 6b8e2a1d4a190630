"""The model bundle: one safetensors file whose metadata map carries the JSON needed to rebuild and trust it."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file

from workbench import __version__
from workbench.core.errors import BundleError, ConfigError
from workbench.core.export.atomic import atomic_path
from workbench.core.models.recurrent import ForecastModel
from workbench.core.run_config import RunConfig

if TYPE_CHECKING:
    from workbench.core.forecast.pipeline import ForecastRun

FORMAT = "sequence-workbench-bundle"
FORMAT_VERSION = "1"
SUFFIX = ".swb"
FORECASTER = "forecaster"
LANGUAGE_MODEL = "language_model"
CLASSIFIER = "classifier"
KINDS = (FORECASTER, LANGUAGE_MODEL, CLASSIFIER)


@dataclass
class Bundle:
    """A loaded model with what it was trained on; `schema` says which columns it expects."""

    config: RunConfig
    model: ForecastModel
    schema: dict[str, Any]  # columns, target, inputs, time_column, frequency, season_length, lookback, horizon
    data: dict[str, Any]  # source, fingerprint, n_rows, first_time, last_time
    result: dict[str, Any]  # TrainResult.to_dict()
    metrics: dict[str, Any]  # Evaluation.summary()
    info: dict[str, str] = field(default_factory=dict)  # created, workbench_version


def save_bundle(path: str | Path, bundle: Bundle) -> None:
    """Write atomically; refuses weights that are not finite, so a diverged model never reaches disk."""
    write_bundle(path, bundle.model, FORECASTER, {
        "config": bundle.config.to_dict(), "schema": bundle.schema, "data": bundle.data, "result": bundle.result,
        "metrics": bundle.metrics,
    })


def write_bundle(path: str | Path, model: torch.nn.Module, kind: str, parts: dict[str, Any]) -> None:
    """The weights of `model` and each JSON-ready part (stored as a JSON string) in one safetensors file,
    written atomically; non-finite weights are refused so a diverged model never reaches disk."""
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
    with atomic_path(path) as tmp:
        save_file(tensors, str(tmp), metadata=metadata)


def load_bundle(path: str | Path) -> Bundle:
    """Read and validate a bundle: format, JSON, configuration, tensor names and shapes, finiteness."""
    path = Path(path)
    tensors, metadata = read_checked(path)
    kind = metadata.get("kind", FORECASTER)
    if kind == CLASSIFIER:
        raise BundleError(f"{path.name} is a text classifier, not a forecaster, so it cannot forecast a series.",
                          hint="Classify texts with it instead: open it in the window or run "
                          "`workbench predict MODEL TABLE.csv`.")
    if kind != FORECASTER:
        raise BundleError(f"{path.name} is a language model, not a forecaster, so it cannot forecast a series.",
                          hint="Generate text with it instead: open it in the window or run `workbench generate`.")
    parts = {key: json_part(metadata, key, path) for key in ("config", "schema", "data", "result", "metrics")}
    try:
        config = RunConfig.from_dict(parts["config"])
    except ConfigError as error:
        raise BundleError(f"{path.name} holds an invalid configuration: {error}") from error
    schema = parts["schema"]
    model = ForecastModel(config.model, len(schema["columns"]), schema["horizon"])
    check_tensors(model, tensors, path)
    model.load_state_dict(tensors)
    model.eval()
    info = {k: metadata.get(k, "") for k in ("created", "workbench_version")}
    return Bundle(config, model, schema, parts["data"], parts["result"], parts["metrics"], info)


def read_checked(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """The tensors and metadata of a workbench bundle of any kind, after the format checks."""
    tensors, metadata = _read_safetensors(path, with_tensors=True)
    if metadata.get("format_version") != FORMAT_VERSION:
        raise BundleError(f"{path.name} uses bundle format {metadata.get('format_version')!r}; this version reads "
                          f"{FORMAT_VERSION!r}.", hint="Open it with the workbench version that saved it.")
    return tensors, metadata


def bundle_kind(path: str | Path) -> str:
    """FORECASTER, LANGUAGE_MODEL or CLASSIFIER, read from the header alone; raises BundleError for anything else."""
    path = Path(path)
    _, metadata = _read_safetensors(path, with_tensors=False)
    kind = metadata.get("kind", FORECASTER)
    if kind not in KINDS:
        raise BundleError(f"{path.name} holds a model of kind {kind!r}, which this version cannot use.",
                          hint="Open it with the workbench version that saved it.")
    return kind


def check_weights(tensors: dict[str, torch.Tensor]) -> None:
    """Refuse weights that are not finite, so a diverged model never reaches disk."""
    broken = [name for name, t in tensors.items() if t.is_floating_point() and not torch.isfinite(t).all()]
    if broken:
        raise BundleError(f"The model has non-finite weights ({', '.join(broken[:3])}), so it was not saved.",
                          hint="Train again with a lower learning rate.")


def _read_safetensors(path: Path, with_tensors: bool) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    if not path.is_file():
        raise BundleError(f"There is no model file at {path}.", hint="Check the path, or train and save a model first.")
    # safetensors parses a JSON header and raw arrays only; a pickle renamed to look like a model fails here.
    try:
        with safe_open(str(path), framework="pt") as handle:
            metadata = handle.metadata() or {}
            tensors = {name: handle.get_tensor(name) for name in handle.keys()} if with_tensors else {}
    except (SafetensorError, OSError, ValueError, UnicodeDecodeError) as error:
        raise BundleError(f"{path.name} is not a Sequence Workbench model bundle (it could not be read as "
                          f"safetensors: {error}).",
                          hint="Model files are never unpickled; open a .swb file saved by the workbench.") from error
    if metadata.get("format") != FORMAT:
        raise BundleError(f"{path.name} is a safetensors file but not a Sequence Workbench model bundle.",
                          hint="Open a file saved by the workbench (File > Save Model or `workbench train --out`).")
    return tensors, metadata


def json_part(metadata: dict[str, str], key: str, path: Path) -> Any:
    try:
        return json.loads(metadata[key])
    except (KeyError, json.JSONDecodeError) as error:
        raise BundleError(f"{path.name} is damaged: its '{key}' section is missing or not valid JSON.") from error


def check_tensors(model: torch.nn.Module, tensors: dict[str, torch.Tensor], path: Path) -> None:
    expected = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    found = {name: tuple(t.shape) for name, t in tensors.items()}
    if expected != found:
        wrong = sorted(set(expected) ^ set(found)) or [n for n in expected if expected[n] != found[n]]
        raise BundleError(f"{path.name} does not match its own configuration (tensors differ: "
                          f"{', '.join(wrong[:4])}).", hint="The file is damaged or was edited; save it again.")
    broken = [name for name, t in tensors.items() if t.is_floating_point() and not torch.isfinite(t).all()]
    if broken:
        raise BundleError(f"{path.name} holds non-finite weights ({', '.join(broken[:3])}) and cannot be used.")


def bundle_from_run(run: ForecastRun) -> Bundle:
    """Package a finished run: the model, its resolved settings and what it expects of the data."""
    series, plan = run.series, run.setup.plan
    axis = series.time_axis
    schema = {
        "columns": list(series.columns),
        "target": series.target,
        "inputs": list(series.inputs),
        "time_column": axis.column,
        "time_kind": axis.kind,
        "frequency": axis.frequency,
        "season_length": int(series.season_length) if series.season_length else None,
        "lookback": plan.lookback,
        "horizon": plan.horizon,
        "difference": bool(run.setup.scaling.difference),
    }
    data = {
        "source": Path(series.source).name if series.source else "",
        "fingerprint": series.fingerprint,
        "n_rows": int(series.n_rows),
        "first_time": str(series.times[0]),
        "last_time": str(series.times[-1]),
        "split_rows": {"train_end": plan.train_end, "val_end": plan.val_end},
    }
    return Bundle(run.config, run.model, schema, data, run.result.to_dict(), run.evaluation.summary())
