"""The command line's forecasting commands: `train` on a table, and predict/export/info of a forecaster."""

from __future__ import annotations

import argparse
import sys
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
from workbench.core.formatting import readable_time
from workbench.core.training.advice import CAPACITY, advise

if TYPE_CHECKING:
    from workbench.core.data.series import SeriesData
    from workbench.core.data.sources import Table
    from workbench.core.export.forecaster_bundle import ForecasterBundle
    from workbench.core.forecast.pipeline import ForecastRun
    from workbench.core.run_config import RunConfig

KIND = FORECASTER
METRICS = ("mae", "rmse", "mape", "smape", "mase")
STEP_BASELINES = {"naive": "naive", "seasonal_naive": "seasonal", "ets": "ETS"}


def train(args: argparse.Namespace) -> int:
    """Train a forecaster on a table and save its bundle; print the scores beside the baselines."""
    from workbench.cli.runs import recorder_for
    from workbench.core.export.forecaster_bundle import bundle_from_forecast_run
    from workbench.core.export.kinds import save_model
    from workbench.core.forecast.pipeline import train_forecaster

    config, table, series = settings_and_series(args)
    stop = StopOnInterrupt()
    recorder = recorder_for(args, KIND, table.options)  # the run store keeps this run however it ends
    with stop, recorder.watch(config):
        run = train_forecaster(series, config, [*progress_callbacks(args), recorder.facts], should_stop=stop)
    for note in run.setup.notes():
        say(args, note)
    save_model(args.out, bundle_from_forecast_run(run))
    recorder.finished(run, bundle=args.out)
    say(args, run.result.message)
    summary = run.evaluation.summary()
    say(args, score_report(summary, run.setup.season, run.series.time_axis.frequency))
    # The one recommendation, weighing the curves and the verdict (the window shows the same under its progress bar).
    advice = advise(run.result.history, run.result.best_epoch, summary.get("beats_baselines"), CAPACITY["forecaster"],
                    run.result.stopped_reason)
    say(args, f"{advice.title}. {advice.text()}")
    say(args, f"Saved {args.out}")
    if args.metrics_json:
        write_json(args.metrics_json, _metrics_record(run))
    return 0


def settings_and_series(args: argparse.Namespace) -> tuple[RunConfig, Table, SeriesData]:
    """The settings (--config, then --set, then --target/--time/--inputs), the table and the series prepared
    with them; says how the file was read (delimiter, header, removed bytes, empty or duplicate columns) and
    what the series holds."""
    from workbench.core.data.series import prepare_series
    from workbench.core.data.sources import read_table
    from workbench.core.run_config import RunConfig, load_run_config

    config = load_run_config(args.config) if args.config else RunConfig()
    overrides = list(args.set)
    for option, key in ((args.target, "target"), (args.time, "time"), (args.inputs, "inputs")):
        if option is not None:
            overrides.append(f"data.{key}={option}")
    config = config.with_overrides(overrides)
    table = read_table(args.data)
    for note in table.notes:
        say(args, note)
    series = prepare_series(table.frame, config.data, source=str(args.data))
    for note in series.health:
        say(args, note)
    return config, table, series


def predict(args: argparse.Namespace, bundle: ForecasterBundle) -> int:
    """Write the table's history with the model's forecasts, and the steps past its end."""
    from workbench.cli.uncertainty import level_option
    from workbench.core.forecast.frames import forecast_frame
    from workbench.core.forecast.intervals import DEFAULT_LEVELS, add_bands
    from workbench.core.forecast.model_data import series_for_bundle

    if args.text is not None:
        raise ConfigError({"--text": "applies to text classifiers; this model forecasts a series."})
    level = level_option(args.level, DEFAULT_LEVELS[0])
    calibration = bundle.calibration
    if calibration is not None and not calibration.supports(level):
        raise ConfigError({"--level": calibration.limit_note(level)})
    series = series_for_bundle(bundle, args.data)
    frame = forecast_frame(bundle.model, series, bundle.schema["lookback"])
    if calibration is None:
        print(f"note: {bundle.intervals_note}", file=sys.stderr)  # the forecasts are written without bands
    else:
        frame = add_bands(frame, calibration, level)
    emit_table(frame, args.out)
    return 0


def export(args: argparse.Namespace, bundle: ForecasterBundle) -> int:
    """Write the model as ONNX, checked against onnxruntime, and say what goes in and comes out."""
    from workbench.core.export.onnx import export_onnx

    schema = bundle.schema
    check = export_onnx(bundle.model, args.onnx, schema["lookback"])
    print(f"Wrote {args.onnx}: input 'window' (batch, {schema['lookback']}, {len(schema['columns'])}) raw values, "
          f"output 'forecast' (batch, {schema['horizon']}). {check.summary()}.")
    return 0


def info(args: argparse.Namespace, bundle: ForecasterBundle) -> int:
    """Print the model's shape, data, windows, training and test scores."""
    from workbench.core.forecast.transform import reference_words

    schema, data, cfg = bundle.schema, bundle.data, bundle.config
    print(f"Model       {cfg.model.layers} x {cfg.model.cell.upper()} {cfg.model.hidden} units"
          f"{', bidirectional' if cfg.model.bidirectional else ''}, dropout {cfg.model.dropout:g}")
    print(f"Data        target {schema['target']!r}, inputs {schema['inputs'] or 'none'}, time "
          f"{schema['time_column'] or 'row order'} ({schema['frequency'] or 'no fixed frequency'})")
    print(f"Windows     lookback {schema['lookback']}, horizon {schema['horizon']}, "
          f"{reference_words(int(bundle.model.difference))}")
    print(f"Trained on  {data['source'] or 'unknown file'}: {data['n_rows']:,} rows, "
          f"{readable_time(str(data['first_time']))} to {readable_time(str(data['last_time']))}, fingerprint "
          f"{data['fingerprint'][:16]}")
    print(training_line(bundle.result))
    print(score_report(bundle.metrics, schema.get("season_length"), schema.get("frequency")))
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


def steps_table(summary: dict[str, Any], metric: str) -> str:
    """The model's errors per step ahead, then `metric` (the verdict's) for each baseline, as aligned text."""
    keys = ("mae", "rmse", "smape", "mase")
    baselines = summary.get("per_step_baselines") or {}
    header = "By step ahead     " + "".join(f"{k.upper():>10}" for k in keys)
    header += "".join(f"{STEP_BASELINES.get(name, name) + ' ' + metric.upper():>16}" for name in baselines)
    lines = [header]
    for k, step in enumerate(summary["per_step"]):
        row = f"  t+{k + 1:<14}" + "".join(f"{step.get(key, float('nan')):>10.4g}" for key in keys)
        row += "".join(f"{steps[k].get(metric, float('nan')):>16.4g}" for steps in baselines.values())
        lines.append(row)
    return "\n".join(lines)


def score_report(summary: dict[str, Any], season: int | None, frequency: str | None) -> str:
    """The test scores and every sentence about them, in the words the Metrics tab uses (score_words)."""
    from workbench.core.forecast.score_words import score_words

    words = score_words(summary, season, frequency)
    parts = [metrics_table(summary), words.scope, words.mase]
    if len(summary.get("per_step") or []) > 1:
        parts += [steps_table(summary, words.verdict.metric), words.per_step]
    parts += [*words.coverage, words.ets, words.verdict.sentence]
    return "\n".join(part for part in parts if part)


def _metrics_record(run: ForecastRun) -> dict[str, Any]:
    words = run.evaluation.words()
    return {
        **run.evaluation.summary(),
        "scope": words.scope,
        "mase_note": words.mase,
        "epochs_run": run.result.epochs_run,
        "best_epoch": run.result.best_epoch,
        "stopped_reason": run.result.stopped_reason,
        "message": run.result.message,
        "train_seconds": round(run.result.seconds, 3),
        "lookback": run.setup.plan.lookback,
        "horizon": run.setup.plan.horizon,
        "difference": run.setup.scaling.difference,
        "reference_lag": run.setup.scaling.lag,  # 0 the standardised value, 1 the last value, m one season earlier
    }
