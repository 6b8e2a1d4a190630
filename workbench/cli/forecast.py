"""The command line's forecasting commands: `train` on a table, and predict/export/info of a forecaster."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from workbench.cli.common import (
    StopOnInterrupt,
    emit_table,
    progress_callbacks,
    saved_line,
    say,
    training_line,
    write_json,
)
from workbench.core.errors import ConfigError
from workbench.core.export.kinds import FORECASTER

if TYPE_CHECKING:
    from workbench.core.export.forecaster_bundle import ForecasterBundle
    from workbench.core.forecast.pipeline import ForecastRun

KIND = FORECASTER
METRICS = ("mae", "rmse", "mape", "smape", "mase")


def train(args: argparse.Namespace) -> int:
    """Train a forecaster on a table and save its bundle; print the scores beside the baselines."""
    from workbench.core.data.series import prepare_series
    from workbench.core.data.sources import read_table
    from workbench.core.export.forecaster_bundle import bundle_from_forecast_run
    from workbench.core.export.kinds import save_model
    from workbench.core.forecast.pipeline import train_forecaster
    from workbench.core.run_config import RunConfig, load_run_config

    config = load_run_config(args.config) if args.config else RunConfig()
    overrides = list(args.set)
    for option, key in ((args.target, "target"), (args.time, "time"), (args.inputs, "inputs")):
        if option is not None:
            overrides.append(f"data.{key}={option}")
    config = config.with_overrides(overrides)
    series = prepare_series(read_table(args.data).frame, config.data, source=str(args.data))
    for note in series.health:
        say(args, note)
    stop = StopOnInterrupt()
    with stop:
        run = train_forecaster(series, config, progress_callbacks(args), should_stop=stop)
    for note in run.setup.notes():
        say(args, note)
    save_model(args.out, bundle_from_forecast_run(run))
    say(args, run.result.message)
    say(args, metrics_table(run.evaluation.summary()))
    say(args, run.evaluation.verdict)
    say(args, f"Saved {args.out}")
    if args.metrics_json:
        write_json(args.metrics_json, _metrics_record(run))
    return 0


def predict(args: argparse.Namespace, bundle: ForecasterBundle) -> int:
    """Write the table's history with the model's forecasts, and the steps past its end."""
    from workbench.core.forecast.frames import forecast_frame
    from workbench.core.forecast.model_data import series_for_bundle

    if args.text is not None:
        raise ConfigError({"--text": "applies to text classifiers; this model forecasts a series."})
    series = series_for_bundle(bundle, args.data)
    emit_table(forecast_frame(bundle.model, series, bundle.schema["lookback"]), args.out)
    return 0


def export(args: argparse.Namespace, bundle: ForecasterBundle) -> int:
    """Write the model as ONNX, checked against onnxruntime, and say what goes in and comes out."""
    from workbench.core.export.onnx import export_onnx

    schema = bundle.schema
    difference = export_onnx(bundle.model, args.onnx, schema["lookback"])
    print(f"Wrote {args.onnx}: input 'window' (batch, {schema['lookback']}, {len(schema['columns'])}) raw values, "
          f"output 'forecast' (batch, {schema['horizon']}). onnxruntime matches the model to {difference:.2g}.")
    return 0


def info(args: argparse.Namespace, bundle: ForecasterBundle) -> int:
    """Print the model's shape, data, windows, training and test scores."""
    schema, data, cfg = bundle.schema, bundle.data, bundle.config
    print(f"Model       {cfg.model.layers} x {cfg.model.cell.upper()} {cfg.model.hidden} units"
          f"{', bidirectional' if cfg.model.bidirectional else ''}, dropout {cfg.model.dropout:g}")
    print(f"Data        target {schema['target']!r}, inputs {schema['inputs'] or 'none'}, time "
          f"{schema['time_column'] or 'row order'} ({schema['frequency'] or 'no fixed frequency'})")
    print(f"Windows     lookback {schema['lookback']}, horizon {schema['horizon']}, "
          f"{'predicts the change from the last value' if schema['difference'] else 'predicts the standardised value'}")
    print(f"Trained on  {data['source'] or 'unknown file'}: {data['n_rows']} rows, {data['first_time']} to "
          f"{data['last_time']}, fingerprint {data['fingerprint'][:16]}")
    print(training_line(bundle.result))
    print(metrics_table(bundle.metrics))
    print(bundle.metrics.get("verdict", ""))
    print(saved_line(bundle.info))
    return 0


# What this module does with a loaded forecaster, by command (the package's dispatcher reads it).
COMMANDS = {"predict": predict, "export": export, "info": info}


def metrics_table(summary: dict[str, Any]) -> str:
    """The model's test errors beside the baselines', as aligned text."""
    rows = {"model": summary["test"], **summary["baselines"]}
    lines = ["Test              " + "".join(f"{n.upper():>10}" for n in METRICS)]
    for label, values in rows.items():
        lines.append(f"  {label:<16}" + "".join(f"{values.get(n, float('nan')):>10.4g}" for n in METRICS))
    return "\n".join(lines)


def _metrics_record(run: ForecastRun) -> dict[str, Any]:
    return {
        **{k: v for k, v in run.evaluation.summary().items() if k in ("test", "baselines", "verdict")},
        "epochs_run": run.result.epochs_run,
        "best_epoch": run.result.best_epoch,
        "stopped_reason": run.result.stopped_reason,
        "message": run.result.message,
        "train_seconds": round(run.result.seconds, 3),
        "lookback": run.setup.plan.lookback,
        "horizon": run.setup.plan.horizon,
        "difference": run.setup.scaling.difference,
    }
