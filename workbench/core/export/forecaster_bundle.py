"""Forecaster bundles: the model, its resolved settings and the schema of the table it reads."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import torch

from workbench.core.data.config import DataConfig
from workbench.core.errors import BundleError, ConfigError
from workbench.core.export.bundle import build_checked, damaged, read_parts, saved_info, without_history
from workbench.core.export.kinds import FORECASTER, load_model
from workbench.core.export.parts import (
    DAMAGED_HINT,
    TRAIN_RESULT,
    Fields,
    Flag,
    ListOf,
    MapOf,
    Maybe,
    Number,
    Text,
    Whole,
    clip,
)
from workbench.core.forecast.intervals import NO_INTERVALS, Calibration
from workbench.core.models.recurrent import ForecastModel
from workbench.core.run_config import RunConfig

if TYPE_CHECKING:
    from workbench.core.forecast.pipeline import ForecastRun

# What each part must hold: what `info`, predictions, the inspection and the window read of it. The window
# ranges are the settings' own (DataConfig).
_LIMITS = {f.name: f.metadata for f in dataclasses.fields(DataConfig)}
SCORES = MapOf(Number())
PARTS = {
    "config": None,  # RunConfig.from_dict checks every setting
    "schema": Fields(
        {"columns": ListOf(Text(nonempty=True), min_len=1), "target": Text(nonempty=True),
         "inputs": ListOf(Text(nonempty=True)), "time_column": Maybe(Text()), "frequency": Maybe(Text()),
         "season_length": Maybe(Whole(1)),
         "lookback": Whole(int(_LIMITS["lookback"]["minimum"]), int(_LIMITS["lookback"]["maximum"])),
         "horizon": Whole(int(_LIMITS["horizon"]["minimum"]), int(_LIMITS["horizon"]["maximum"])),
         "difference": Flag()},
        optional={"time_kind": Maybe(Text())}),
    "data": Fields(
        {"source": Text(), "fingerprint": Text(), "n_rows": Whole(0), "first_time": Text(), "last_time": Text()},
        optional={"split_rows": Fields({"train_end": Whole(0), "val_end": Whole(0)})}),
    "result": TRAIN_RESULT,
    # Evaluation.summary(); files saved before the verdict and per-step baselines were stored lack them.
    "metrics": Fields(
        {"test": SCORES, "baselines": MapOf(SCORES), "per_step": ListOf(SCORES)},
        optional={"per_step_baselines": MapOf(ListOf(SCORES)), "targets": Maybe(Whole(0)),
                  "mase_lag": Maybe(Whole(1)), "verdict": Text(), "beats_baselines": Flag(), "verdict_tone": Text(),
                  "verdict_metric": Text(), "baseline_notes": MapOf(Text()),
                  "intervals": Fields({"levels": ListOf(Number()), "points": Whole(0),
                                       "validation_residuals": Whole(0)})}),
}
# Parts only newer files hold: files saved before prediction intervals have no "calibration" and load without bands.
OPTIONAL_PARTS = {
    "calibration": Fields({"method": Text(), "count": Whole(1), "ranks": ListOf(Whole(1), min_len=1),
                           "widths": ListOf(ListOf(Number()), min_len=1)}),
}


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
    calibration: Calibration | None = None  # the prediction intervals; None in files saved before them

    @property
    def intervals_note(self) -> str:
        """"" when the model has prediction intervals, else why it has none (a file saved before them)."""
        return "" if self.calibration is not None else NO_INTERVALS

    @classmethod
    def from_contents(cls, path: Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> ForecasterBundle:
        """Rebuild from a checked file: configuration, schema, then the weights checked against both."""
        parts = read_parts(metadata, PARTS, path)
        try:
            config = RunConfig.from_dict(parts["config"])
        except ConfigError as error:
            raise BundleError(f"{path.name} holds an invalid configuration: {clip(str(error))}",
                              hint=DAMAGED_HINT) from error
        schema = parts["schema"]
        model = build_checked(lambda: ForecastModel(config.model, len(schema["columns"]), schema["horizon"]),
                              tensors, path)
        _check_consistent(schema, parts["metrics"], path)
        extra = read_parts(metadata, {key: spec for key, spec in OPTIONAL_PARTS.items() if key in metadata}, path)
        calibration = _calibration(extra.get("calibration"), schema["horizon"], path)
        return cls(config, model, schema, parts["data"], parts["result"], parts["metrics"], saved_info(metadata),
                   calibration)

    def parts(self) -> dict[str, Any]:
        """The JSON-ready sections written beside the weights."""
        parts = {"config": self.config.to_dict(), "schema": self.schema, "data": self.data, "result": self.result,
                 "metrics": self.metrics}
        if self.calibration is not None:
            parts["calibration"] = self.calibration.to_dict()
        return parts

    def describe(self) -> dict[str, Any]:
        """Settings, schema, data, training summary (without the per-epoch history), scores, intervals and when
        saved."""
        intervals = ({"method": "split conformal on the validation part's residuals",
                      "validation_residuals": self.calibration.count} if self.calibration is not None
                     else {"note": NO_INTERVALS})
        return {"config": self.config.to_dict(), "schema": self.schema, "data": self.data,
                "result": without_history(self.result), "metrics": self.metrics, "intervals": intervals,
                "info": self.info}


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
    return ForecasterBundle(run.config, run.model, schema, data, run.result.to_dict(), run.evaluation.summary(),
                            calibration=run.evaluation.calibration)


def load_forecaster_bundle(path: str | Path) -> ForecasterBundle:
    """Load the forecaster at `path`; a model of another kind is refused (see kinds.load_model)."""
    return load_model(path, expect=FORECASTER)


def _calibration(part: dict[str, Any] | None, horizon: int, path: Path) -> Calibration | None:
    """The stored intervals, checked against the model's horizon; None when the file has none."""
    if part is None:
        return None
    try:
        calibration = Calibration.from_dict(part)
    except ValueError as error:
        raise damaged(path, "calibration", clip(str(error))) from None
    if calibration.horizon != horizon:
        raise damaged(path, "calibration.widths", f"must hold {horizon} steps like the model (found "
                                                  f"{calibration.horizon})")
    return calibration


def _check_consistent(schema: dict[str, Any], metrics: dict[str, Any], path: Path) -> None:
    """What the specs cannot say alone: the columns are the target then the inputs, and every baseline was
    scored at every step the model was."""
    if schema["columns"] != [schema["target"], *schema["inputs"]]:
        raise damaged(path, "schema.columns", "must be the target followed by the inputs")
    steps = len(metrics["per_step"])
    for name, scores in (metrics.get("per_step_baselines") or {}).items():
        if len(scores) != steps:
            raise damaged(path, f"metrics.per_step_baselines.{name}", f"must hold {steps} steps like "
                                                                       f"metrics.per_step (found {len(scores)})")
