"""Forecaster bundles: the model, its resolved settings and the schema of the table it reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import torch

from workbench.core.errors import BundleError, ConfigError
from workbench.core.export.bundle import check_tensors, json_part, saved_info, without_history
from workbench.core.export.kinds import FORECASTER, load_model
from workbench.core.models.recurrent import ForecastModel
from workbench.core.run_config import RunConfig

if TYPE_CHECKING:
    from workbench.core.forecast.pipeline import ForecastRun

_PARTS = ("config", "schema", "data", "result", "metrics")


@dataclass
class ForecasterBundle:
    """A loaded forecaster with what it was trained on; `schema` says which columns it expects."""

    kind: ClassVar[str] = FORECASTER

    config: RunConfig
    model: ForecastModel
    schema: dict[str, Any]  # columns, target, inputs, time_column, frequency, season_length, lookback, horizon
    data: dict[str, Any]  # source, fingerprint, n_rows, first_time, last_time
    result: dict[str, Any]  # TrainResult.to_dict()
    metrics: dict[str, Any]  # Evaluation.summary()
    info: dict[str, str] = field(default_factory=dict)  # created, workbench_version

    @classmethod
    def from_contents(cls, path: Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> ForecasterBundle:
        """Rebuild from a checked file: configuration, schema, then the weights checked against both."""
        parts = {key: json_part(metadata, key, path) for key in _PARTS}
        try:
            config = RunConfig.from_dict(parts["config"])
        except ConfigError as error:
            raise BundleError(f"{path.name} holds an invalid configuration: {error}") from error
        schema = parts["schema"]
        model = ForecastModel(config.model, len(schema["columns"]), schema["horizon"])
        check_tensors(model, tensors, path)
        model.load_state_dict(tensors)
        model.eval()
        return cls(config, model, schema, parts["data"], parts["result"], parts["metrics"], saved_info(metadata))

    def parts(self) -> dict[str, Any]:
        """The JSON-ready sections written beside the weights."""
        return {"config": self.config.to_dict(), "schema": self.schema, "data": self.data, "result": self.result,
                "metrics": self.metrics}

    def describe(self) -> dict[str, Any]:
        """Settings, schema, data, training summary (without the per-epoch history), scores and when saved."""
        return {"config": self.config.to_dict(), "schema": self.schema, "data": self.data,
                "result": without_history(self.result), "metrics": self.metrics, "info": self.info}


def bundle_from_forecast_run(run: ForecastRun) -> ForecasterBundle:
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
    return ForecasterBundle(run.config, run.model, schema, data, run.result.to_dict(), run.evaluation.summary())


def load_forecaster_bundle(path: str | Path) -> ForecasterBundle:
    """Load the forecaster at `path`; a model of another kind is refused (see kinds.load_model)."""
    return load_model(path, expect=FORECASTER)
