"""The command line: the same core calls as the window, for scripts and quick checks."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from workbench.cli_classify import export_classify, predict_classify, print_classify_info, train_classify
from workbench.cli_text import add_generate_parser, generate_text, print_text_info, train_text
from workbench.core.errors import BundleError, ConfigError, WorkbenchError
from workbench.core.text.source import TEXT_SUFFIXES

COMMANDS = ("train", "predict", "export", "info", "generate")
USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Train and inspect recurrent sequence models. Without a command, opens the window "
        "(optionally on FILE).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    train = sub.add_parser("train", help="train a forecaster or a text classifier on a table, or a language "
                           "model on a text")
    train.add_argument("data", help="CSV/TSV/Parquet/Excel file, or a text file with --task lm")
    train.add_argument("--task", choices=("auto", "forecast", "lm", "classify"), default="auto",
                       help="forecast a table's column, learn a text (lm), or classify a table's texts; auto: lm "
                       "for .txt/.text/.md files, classify when --text or --label is given, else forecast")
    train.add_argument("--target", help="column to forecast (default: the last numeric column)")
    train.add_argument("--time", help="time column (default: detected)")
    train.add_argument("--inputs", help="comma-separated input columns")
    train.add_argument("--text", help="classify: the column of texts (default: detected)")
    train.add_argument("--label", help="classify: the column of classes (default: detected)")
    train.add_argument("--config", help="JSON file with data/model/train sections (text/model/train for lm, "
                       "classify/model/train for classify)")
    train.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                       help="override one setting, e.g. --set model.hidden=32 (repeatable)")
    train.add_argument("--out", required=True, help="where to save the model bundle (.swb)")
    train.add_argument("--metrics-json", help="also write test metrics and baselines as JSON here")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    predict = sub.add_parser("predict", help="forecasts over a table and the steps past its end, or each row's "
                             "class and class probabilities for a text classifier")
    predict.add_argument("model")
    predict.add_argument("data")
    predict.add_argument("--out", help="CSV file (default: print to stdout)")
    predict.add_argument("--text", help="classifier: the column of texts (default: the one it was trained on)")
    export = sub.add_parser("export", help="export a bundle to ONNX")
    export.add_argument("model")
    export.add_argument("--onnx", required=True, help="output .onnx file")
    info = sub.add_parser("info", help="show a bundle's configuration, metrics and data fingerprint")
    info.add_argument("model")
    info.add_argument("--json", action="store_true", help="print everything as JSON")
    add_generate_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        return _open_window(args_list)
    args = build_parser().parse_args(args_list)
    try:
        commands = {"train": _train, "predict": _predict, "export": _export, "info": _info, "generate": _generate}
        return commands[args.command](args)
    except WorkbenchError as error:
        print(f"error: {error.message}", file=sys.stderr)
        if error.hint:
            print(f"  {error.hint}", file=sys.stderr)
        return USER_ERROR


def _open_window(files: list[str]) -> int:
    try:
        from workbench.gui.app import run_app
    except ImportError as error:
        print(f"The window cannot start ({error}). Commands: {', '.join(COMMANDS)}; see `workbench --help`.",
              file=sys.stderr)
        return USER_ERROR
    return run_app(files)


def _load_series(path: str, data_config):
    from workbench.core.data.series import prepare_series
    from workbench.core.data.sources import read_table

    table = read_table(path)
    return prepare_series(table.frame, data_config, source=str(path))


def _train(args: argparse.Namespace) -> int:
    from workbench.cli_progress import ProgressBar
    from workbench.core.export.bundle import bundle_from_run, save_bundle
    from workbench.core.forecast.pipeline import train_forecaster
    from workbench.core.run_config import RunConfig, load_run_config

    task = args.task
    if task == "auto":
        task = "lm" if Path(args.data).suffix.lower() in TEXT_SUFFIXES else \
            "classify" if args.text is not None or args.label is not None else "forecast"
    if task == "classify":
        return train_classify(args, lambda text: _say(args, text), [] if args.quiet else [ProgressBar()],
                              _StopOnInterrupt())
    used = [name for name in ("text", "label") if getattr(args, name) is not None]
    if used:
        raise ConfigError({f"--{name}": "applies to --task classify." for name in used})
    if task == "lm":
        return train_text(args, lambda text: _say(args, text), [] if args.quiet else [ProgressBar()],
                          _StopOnInterrupt())
    config = load_run_config(args.config) if args.config else RunConfig()
    overrides = list(args.set)
    for option, key in ((args.target, "target"), (args.time, "time"), (args.inputs, "inputs")):
        if option is not None:
            overrides.append(f"data.{key}={option}")
    config = config.with_overrides(overrides)
    series = _load_series(args.data, config.data)
    for note in series.health:
        _say(args, note)
    stop = _StopOnInterrupt()
    callbacks = [] if args.quiet else [ProgressBar()]
    with stop:
        run = train_forecaster(series, config, callbacks, should_stop=stop)
    for note in run.setup.notes():
        _say(args, note)
    save_bundle(args.out, bundle_from_run(run))
    _say(args, run.result.message)
    _say(args, _metrics_table(run.evaluation))
    _say(args, run.evaluation.verdict)
    _say(args, f"Saved {args.out}")
    if args.metrics_json:
        _write_metrics(args.metrics_json, run)
    return 0


def _write_metrics(path: str, run) -> None:
    from workbench.core.export.atomic import atomic_write_text

    payload = {
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
    atomic_write_text(path, json.dumps(payload, indent=2, allow_nan=True) + "\n")


def _predict(args: argparse.Namespace) -> int:
    from workbench.cli_output import emit_table
    from workbench.core.export.bundle import load_bundle
    from workbench.core.forecast.frames import forecast_frame
    from workbench.core.forecast.model_data import series_for_bundle

    if _is_classifier(args.model):
        return predict_classify(args)
    if args.text is not None:
        raise ConfigError({"--text": "applies to text classifiers; this model forecasts a series."})
    bundle = load_bundle(args.model)
    series = series_for_bundle(bundle, args.data)
    frame = forecast_frame(bundle.model, series, bundle.schema["lookback"])
    emit_table(frame, args.out)
    return 0


def _export(args: argparse.Namespace) -> int:
    from workbench.core.export.bundle import load_bundle
    from workbench.core.export.onnx import export_onnx

    if _is_classifier(args.model):
        return export_classify(args)
    bundle = load_bundle(args.model)
    difference = export_onnx(bundle.model, args.onnx, bundle.schema["lookback"])
    print(f"Wrote {args.onnx}: input 'window' (batch, {bundle.schema['lookback']}, {len(bundle.schema['columns'])}) "
          f"raw values, output 'forecast' (batch, {bundle.schema['horizon']}). onnxruntime matches the model to "
          f"{difference:.2g}.")
    return 0


def _info(args: argparse.Namespace) -> int:
    from workbench.core.export.bundle import CLASSIFIER, LANGUAGE_MODEL, bundle_kind, load_bundle

    kind = bundle_kind(args.model)
    if kind == LANGUAGE_MODEL:
        return print_text_info(args.model, args.json)
    if kind == CLASSIFIER:
        return print_classify_info(args.model, args.json)
    bundle = load_bundle(args.model)
    if args.json:
        print(json.dumps({"config": bundle.config.to_dict(), "schema": bundle.schema, "data": bundle.data,
                          "result": {k: v for k, v in bundle.result.items() if k != "history"},
                          "metrics": bundle.metrics, "info": bundle.info}, indent=2))
        return 0
    schema, data, result = bundle.schema, bundle.data, bundle.result
    cfg = bundle.config
    print(f"Model       {cfg.model.layers} x {cfg.model.cell.upper()} {cfg.model.hidden} units"
          f"{', bidirectional' if cfg.model.bidirectional else ''}, dropout {cfg.model.dropout:g}")
    print(f"Data        target {schema['target']!r}, inputs {schema['inputs'] or 'none'}, time "
          f"{schema['time_column'] or 'row order'} ({schema['frequency'] or 'no fixed frequency'})")
    print(f"Windows     lookback {schema['lookback']}, horizon {schema['horizon']}, "
          f"{'predicts the change from the last value' if schema['difference'] else 'predicts the standardised value'}")
    print(f"Trained on  {data['source'] or 'unknown file'}: {data['n_rows']} rows, {data['first_time']} to "
          f"{data['last_time']}, fingerprint {data['fingerprint'][:16]}")
    print(f"Training    {result['message']} ({result['seconds']:.1f} s)")
    print(_metrics_table_from(bundle.metrics))
    print(bundle.metrics.get("verdict", ""))
    print(f"Saved       {bundle.info.get('created', '')} by workbench {bundle.info.get('workbench_version', '')}")
    return 0


def _generate(args: argparse.Namespace) -> int:
    if _is_classifier(args.model):
        raise BundleError(f"{Path(args.model).name} is a text classifier, not a language model, so it cannot "
                          "generate text.", hint="Classify texts with it: `workbench predict MODEL TABLE.csv`.")
    return generate_text(args)


def _is_classifier(path: str) -> bool:
    """Whether the bundle at `path` is a text classifier (read from its header; BundleError if unreadable)."""
    from workbench.core.export.bundle import CLASSIFIER, bundle_kind

    return bundle_kind(path) == CLASSIFIER


def _metrics_table(evaluation) -> str:
    return _metrics_table_from(evaluation.summary())


def _metrics_table_from(summary: dict) -> str:
    rows = {"model": summary["test"], **summary["baselines"]}
    names = ("mae", "rmse", "mape", "smape", "mase")
    lines = ["Test              " + "".join(f"{n.upper():>10}" for n in names)]
    for label, values in rows.items():
        lines.append(f"  {label:<16}" + "".join(f"{values.get(n, float('nan')):>10.4g}" for n in names))
    return "\n".join(lines)


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(text, file=sys.stderr)


class _StopOnInterrupt:
    """The first Ctrl-C asks training to stop (keeping the best weights); a second one aborts."""

    def __init__(self) -> None:
        self.requested = False
        self._previous = None

    def __call__(self) -> bool:
        return self.requested

    def __enter__(self) -> _StopOnInterrupt:
        self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum, frame) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print("\nStopping after this batch (Ctrl-C again to abort)...", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
