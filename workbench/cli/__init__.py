"""The command line: the same core calls as the window, for scripts and quick checks.

`train` goes to the module of the task's work (forecast, text, classify). Commands that take a saved model load it
through the registry of model kinds and hand it to the module whose kind it is; the registry refuses a model
whose kind has no such command, with a message that says what the file is and how to use it.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from workbench.cli import classify, forecast, inspect, runs, settings, sweep, text, uncertainty
from workbench.cli.common import print_json
from workbench.core.errors import ConfigError, WorkbenchError
from workbench.core.export.kinds import describe_model, load_model
from workbench.core.text.source import TEXT_SUFFIXES

COMMANDS = ("train", "predict", "export", "info", "generate", "inspect", "detect", "backtest", "settings", "runs",
            "sweep")
USER_ERROR = 2
# One module per kind of work; each names its kind of model (KIND) and what it does with one (COMMANDS).
WORK_MODULES = (forecast, text, classify)
TRAIN = {"forecast": forecast.train, "lm": text.train, "classify": classify.train}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Train and inspect recurrent sequence models. Without a command, opens the window "
        "(optionally on FILE).",
    )
    from workbench import __version__

    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
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
    runs.add_runs_option(train)
    train.add_argument("--quiet", action="store_true",
                       help="print nothing but errors: no progress bar, notes or scores (--metrics-json still "
                       "writes the scores)")
    predict = sub.add_parser("predict", help="forecasts over a table and the steps past its end, or each row's "
                             "class and class probabilities for a text classifier")
    predict.add_argument("model", help="a model bundle (.swb) saved by `workbench train` or the window")
    predict.add_argument("data", help="a table with the columns the model was trained on (texts for a classifier)")
    predict.add_argument("--out", help="CSV file (default: print to stdout)")
    predict.add_argument("--text", help="classifier: the column of texts (default: the one it was trained on)")
    predict.add_argument("--level", type=float, default=None, help="forecaster: the prediction interval written "
                         "as lower_k and upper_k beside each forecast_k, between 0 and 1 (default 0.8)")
    export = sub.add_parser("export", help="export a bundle to ONNX")
    export.add_argument("model", help="a forecaster or text classifier bundle (.swb)")
    export.add_argument("--onnx", required=True, help="output .onnx file")
    info = sub.add_parser("info", help="show a bundle's configuration, metrics and data fingerprint")
    info.add_argument("model", help="a model bundle (.swb) of any kind")
    info.add_argument("--json", action="store_true", help="print everything as JSON")
    generate = sub.add_parser("generate", help="continue a prompt with a language-model bundle")
    generate.add_argument("model", help="a language model saved by `workbench train FILE.txt --task lm`")
    generate.add_argument("--prompt", default="", help="text to continue (default: start from nothing)")
    generate.add_argument("--length", type=int, default=500, help="tokens to generate (default 500)")
    generate.add_argument("--temperature", type=float, default=0.8,
                          help="0 always picks the likeliest token; higher is more varied (default 0.8)")
    generate.add_argument("--top-k", type=int, default=None, help="sample only from the K likeliest tokens")
    generate.add_argument("--seed", type=int, default=None, help="the same seed gives the same text")
    inspect.add_parser(sub)
    uncertainty.add_parsers(sub)
    settings.add_parser(sub)
    runs.add_parser(sub)
    sweep.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status: 0, or USER_ERROR after printing a user error's message."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "help":
        build_parser().print_help()
        return 0
    if not args_list or args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        return _open_window(args_list)
    args = build_parser().parse_args(args_list)
    try:
        if args.command == "settings":
            return settings.run(args)
        if args.command == "inspect":
            return inspect.run(args)
        if args.command in ("detect", "backtest"):
            return uncertainty.detect(args) if args.command == "detect" else uncertainty.backtest(args)
        if args.command in ("runs", "sweep"):
            return runs.run(args) if args.command == "runs" else sweep.run(args)
        return _train(args) if args.command == "train" else _with_model(args)
    except BrokenPipeError:
        # The reader went away (`workbench settings | head`): stop quietly, as other command-line tools do.
        sys.stderr.close()
        return 0
    except WorkbenchError as error:
        print(f"error: {error.message}", file=sys.stderr)
        if error.hint:
            print(f"  {error.hint}", file=sys.stderr)
        return USER_ERROR


def _open_window(files: list[str]) -> int:
    """Open the window on `files`; a word that is neither a command nor a file is refused, not opened."""
    if files and not Path(files[0]).exists():
        close = difflib.get_close_matches(files[0], COMMANDS, n=1)
        if close or not Path(files[0]).suffix:
            hint = f" Did you mean `workbench {close[0]}`?" if close else ""
            print(f"workbench: unknown command {files[0]!r}.{hint} Commands: {', '.join(COMMANDS)}; see "
                  "`workbench --help`.", file=sys.stderr)
        else:
            print(f"workbench: there is no file {files[0]}. Check the path, or see `workbench --help`.",
                  file=sys.stderr)
        return USER_ERROR
    problem = _display_problem()
    if problem:
        print(f"workbench: {problem} The command line works without one: see `workbench --help`.",
              file=sys.stderr)
        return USER_ERROR
    try:
        from workbench.gui.app import run_app
    except ImportError as error:
        print(f"The window cannot start ({error}). Commands: {', '.join(COMMANDS)}; see `workbench --help`.",
              file=sys.stderr)
        return USER_ERROR
    return run_app(files)


def _display_problem() -> str:
    """Why the window cannot show on this machine, or "" (Qt would abort the process with exit 134 instead)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return ""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set)."
    return ""


def _train(args: argparse.Namespace) -> int:
    task = args.task if args.task != "auto" else _detect_task(args)
    used = [name for name in ("text", "label") if getattr(args, name) is not None]
    if task != "classify" and used:
        raise ConfigError({f"--{name}": "applies to --task classify." for name in used})
    # Every output path is checked before any work: a missing or read-only folder must not cost a whole run.
    from workbench.core.export.atomic import check_writable

    for path in (args.out, args.metrics_json):
        if path:
            check_writable(path)
    return TRAIN[task](args)


def _detect_task(args: argparse.Namespace) -> str:
    """The task --task auto means, decided as the window decides: by the file's suffix, the options given, and
    for a table whether it holds a column of sentences and a label column."""
    if Path(args.data).suffix.lower() in TEXT_SUFFIXES:
        return "lm"
    if args.text is not None or args.label is not None:
        return "classify"
    from workbench.core.classify.report import looks_like_labelled_texts
    from workbench.core.data.sources import read_table

    if looks_like_labelled_texts(read_table(args.data).frame):
        if not args.quiet:
            print(f"{Path(args.data).name} holds labelled texts, so this trains a text classifier (use "
                  "--task forecast to forecast one of its columns instead).", file=sys.stderr)
        return "classify"
    return "forecast"


def _with_model(args: argparse.Namespace) -> int:
    """Load the model for predict/export/info/generate and run the command of its kind's module."""
    handlers = {module.KIND: module.COMMANDS[args.command] for module in WORK_MODULES
                if args.command in module.COMMANDS}
    bundle = load_model(args.model, expect=tuple(handlers))
    if args.command == "info" and args.json:
        print_json(describe_model(bundle))
        return 0
    return handlers[bundle.kind](args, bundle)
