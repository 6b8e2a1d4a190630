"""`detect` (anomalies a saved forecaster finds in a table) and `backtest` (rolling-origin evaluation of the
settings on a table): the command line's side of forecasts with honest uncertainty."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.common import StopOnInterrupt, emit_table, progress_callbacks, say, write_json
from workbench.core.errors import ConfigError


def add_parsers(sub: Any) -> None:
    detect = sub.add_parser("detect", help="flag the rows of a table whose value falls outside a forecaster's "
                            "one-step-ahead prediction interval")
    detect.add_argument("model", help="a forecaster bundle (.swb) saved with prediction intervals")
    detect.add_argument("data", help="a table with the columns the model was trained on")
    detect.add_argument("--level", type=float, default=None, help="the interval a value must fall outside to be "
                        "flagged, between 0 and 1 (default 0.99)")
    detect.add_argument("--out", help="CSV file with every row: time, actual, forecast, lower, upper, score, "
                        "anomaly (default: print to stdout)")
    detect.add_argument("--quiet", action="store_true", help="print nothing but errors")
    backtest = sub.add_parser("backtest", help="train and score the settings on K rolling origins (folds), each "
                              "fold's model against every baseline")
    backtest.add_argument("data", help="CSV/TSV/Parquet/Excel table with a column to forecast")
    backtest.add_argument("--folds", type=int, default=None, help="how many folds (default 3)")
    backtest.add_argument("--mode", choices=("expanding", "sliding"), default="expanding",
                          help="expanding: every fold trains on all rows before its test part; sliding: on as "
                          "many rows as the first fold (default expanding)")
    backtest.add_argument("--target", help="column to forecast (default: the last numeric column)")
    backtest.add_argument("--time", help="time column (default: detected)")
    backtest.add_argument("--inputs", help="comma-separated input columns")
    backtest.add_argument("--config", help="JSON file with data/model/train sections")
    backtest.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                          help="override one setting, e.g. --set model.hidden=32 (repeatable)")
    backtest.add_argument("--metrics-json", help="write the folds' metrics and baselines and their summary here")
    backtest.add_argument("--quiet", action="store_true", help="print nothing but errors and the summary")


def detect(args: argparse.Namespace) -> int:
    """Write every row of the table with the model's one-step forecast, its interval and whether it is flagged."""
    from workbench.core.export.kinds import FORECASTER, load_model
    from workbench.core.forecast.anomalies import DEFAULT_ANOMALY_LEVEL, bundle_anomalies, every_row
    from workbench.core.forecast.model_data import series_for_bundle

    if args.out:
        from workbench.core.export.atomic import check_writable

        check_writable(args.out)
    level = level_option(args.level, DEFAULT_ANOMALY_LEVEL)
    bundle = load_model(args.model, expect=(FORECASTER,))
    series = series_for_bundle(bundle, args.data)
    found = bundle_anomalies(bundle, series, level)
    say(args, found.note)
    emit_table(every_row(found, series), args.out)
    return 0


def backtest(args: argparse.Namespace) -> int:
    """Train one model per fold and print (and write) each fold's scores beside the baselines, and their mean."""
    from workbench.cli.forecast import settings_and_series
    from workbench.core.forecast.backtest import DEFAULT_FOLDS
    from workbench.core.forecast.backtest import backtest as run_backtest

    if args.metrics_json:
        from workbench.core.export.atomic import check_writable

        check_writable(args.metrics_json)
    config, _table, series = settings_and_series(args)
    folds = DEFAULT_FOLDS if args.folds is None else args.folds

    def progress(done: int, total: int) -> None:
        if done < total:
            say(args, f"Fold {done + 1} of {total}")

    with StopOnInterrupt() as stop:
        result = run_backtest(series, config, folds=folds, mode=args.mode, callbacks=progress_callbacks(args),
                              should_stop=stop, progress=progress)
    print(fold_table(result.folds))
    print(result.summary["sentence"])
    if args.metrics_json:
        write_json(args.metrics_json, result.to_json())
    return 0


def fold_table(folds: list[dict[str, Any]]) -> str:
    """Each fold's test period, the model's MAE and MASE and the best baseline's, as aligned text."""
    lines = [f"{'fold':<6}{'test from':<22}{'to':<22}{'MAE':>10}{'MASE':>10}  best baseline"]
    for fold in folds:
        first, last = (str(t) for t in fold["test_times"])
        scores, baselines = fold["scores"], fold["baselines"]
        best = min(baselines, key=lambda name: baselines[name].get("mae", float("inf")), default="")
        shown = f"{best} MAE {baselines[best]['mae']:.4g}" if best else "none"
        lines.append(f"{fold['fold']:<6}{first[:21]:<22}{last[:21]:<22}{scores.get('mae', float('nan')):>10.4g}"
                     f"{scores.get('mase', float('nan')):>10.4g}  {shown}")
    return "\n".join(lines)


def level_option(value: float | None, default: float) -> float:
    """The --level a user gave (checked), or `default`."""
    if value is None:
        return default
    if not 0 < value < 1:
        raise ConfigError({"--level": f"must lie between 0 and 1 (0.95 for a 95% interval), not {value:g}."})
    return value
