"""`workbench sweep`: search a space of settings for a better model, chosen on validation and tested once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.cli.common import StopOnInterrupt, say, write_json
from workbench.core.errors import ConfigError, WorkbenchError


def add_parser(sub: Any) -> None:
    from workbench.cli.runs import add_runs_option

    parser = sub.add_parser("sweep", help="find a better model: train many settings in parallel, keep the best on "
                            "validation, and score its test part once")
    parser.add_argument("data", help="the table or text to search on")
    parser.add_argument("--task", choices=("auto", "forecast", "lm", "classify"), default="auto",
                        help="as for `train` (auto decides the same way)")
    parser.add_argument("--target", help="forecast: the column to forecast")
    parser.add_argument("--time", help="forecast: the time column")
    parser.add_argument("--inputs", help="forecast: comma-separated input columns")
    parser.add_argument("--text", help="classify: the column of texts")
    parser.add_argument("--label", help="classify: the column of classes")
    parser.add_argument("--config", help="JSON settings every trial starts from (as for `train`)")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="a setting every trial shares, e.g. --set train.epochs=30 (repeatable)")
    parser.add_argument("--space", metavar="SPACE.toml", help="which settings vary and over what (default: a "
                        "space for the kind of model; --print-space shows it)")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--trials", type=int, help="the budget: this many trials (all workers together)")
    budget.add_argument("--minutes", type=float, help="the budget: start no trial after this many minutes")
    parser.add_argument("--workers", type=int, help="trials trained at once, each in its own process with one "
                        "thread (default: the CPUs this program may use)")
    parser.add_argument("--strategy", choices=("grid", "random", "tpe"), default="tpe",
                        help="how the next settings are picked: every combination (a range gives its ends and "
                        "middle), at random, or Bayesian TPE (default)")
    parser.add_argument("--seed", type=int, help="the sampler's seed: with one worker, the same seed tries the same "
                        "settings in the same order (each trial's training has its own seed, train.seed)")
    parser.add_argument("--no-pruning", action="store_true",
                        help="train every trial to its end (by default a trial whose validation loss is worse than "
                        "the median of earlier trials at the same epoch is stopped)")
    parser.add_argument("--storage", metavar="URL", help="the Optuna study storage: journal:PATH, sqlite:///PATH, "
                        "postgresql://... (default: a journal in the runs folder); share it to search on many "
                        "machines")
    parser.add_argument("--study", metavar="NAME", help="the study's name; an existing study of that name is joined")
    parser.add_argument("--out", metavar="BEST.swb", help="save the best model here")
    parser.add_argument("--metrics-json", help="write the best settings, validation score, test scores beside the "
                        "baselines and the trial counts as JSON here")
    parser.add_argument("--print-space", action="store_true", help="print the search space as TOML and stop")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    add_runs_option(parser)


def run(args: argparse.Namespace) -> int:
    from workbench.core.export.atomic import check_writable
    from workbench.core.search.stages import TASK_KINDS
    from workbench.core.search.sweep import SweepSpec, run_sweep

    task = args.task if args.task != "auto" else _detect_task(args)
    kind = TASK_KINDS[task]
    config = base_config(task, args)
    if args.print_space:
        print(_space(args, kind, config).to_toml(), end="")
        return 0
    if args.trials is None and args.minutes is None:
        raise ConfigError({"--trials/--minutes": "give the search a budget: --trials N or --minutes M."})
    from workbench.core.search.pool import start_early

    start_early(args.workers, args.trials)  # the workers' process starts while this one imports torch
    for path in (args.out, args.metrics_json):
        if path:
            check_writable(path)
    spec = SweepSpec(kind, args.data, config, _space(args, kind, config) if args.space else None, args.trials,
                     args.minutes, args.workers, args.strategy, args.storage, args.study, args.runs,
                     pruning=not args.no_pruning, out=args.out, seed=args.seed)
    say(args, f"Searching {kind.replace('_', ' ')} settings on {Path(args.data).name}: "
        f"{f'{args.trials} trials' if args.trials else f'{args.minutes:g} minutes'}, strategy {args.strategy}. "
        "Ctrl-C stops every worker and keeps the finished trials.")
    with StopOnInterrupt() as stop:
        result = run_sweep(spec, should_stop=stop, on_event=lambda event: _show(args, event))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.metrics_json:
        write_json(args.metrics_json, result.to_dict())
    counts = result.counts
    stopped = f", {counts['stopped']} stopped" if counts["stopped"] else ""
    say(args, f"Study {result.study}: {counts['complete']} complete, {counts['pruned']} pruned, {counts['failed']} "
        f"failed{stopped} trials (storage {result.storage}).")
    if result.best is None:
        raise WorkbenchError("No trial completed, so there is no best model.",
                             hint="See the trials' messages above (`workbench runs list --study NAME`).")
    _report(args, kind, result.best)
    return 0


def base_config(task: str, args: argparse.Namespace) -> Any:
    """The settings every trial starts from: --config, then the column options, then --set (as `train` reads them)."""
    from workbench.core.run_config import ClassifyRunConfig, RunConfig, TextRunConfig, load_run_config

    columns = {"forecast": (("target", "data"), ("time", "data"), ("inputs", "data")),
               "classify": (("text", "classify"), ("label", "classify")), "lm": ()}[task]
    misplaced = [name for name in ("target", "time", "inputs", "text", "label")
                 if getattr(args, name) is not None and name not in dict(columns)]
    if misplaced:
        raise ConfigError({f"--{name}": f"does not apply to --task {task}." for name in misplaced})
    cls = {"forecast": RunConfig, "lm": TextRunConfig, "classify": ClassifyRunConfig}[task]
    config = load_run_config(args.config, cls) if args.config else cls()
    overrides = [f"{section}.{name}={getattr(args, name)}" for name, section in columns
                 if getattr(args, name) is not None]
    return config.with_overrides(overrides + list(args.set))


def _detect_task(args: argparse.Namespace) -> str:
    from workbench.cli import _detect_task as detect

    return detect(args)


def _space(args: argparse.Namespace, kind: str, config: Any) -> Any:
    from workbench.core.search.space import read_space

    if args.space:
        return read_space(args.space, kind)
    from workbench.core.search.defaults import default_space
    from workbench.core.search.stages import load_data

    return default_space(load_data(kind, args.data), config)


def _show(args: argparse.Namespace, event: dict[str, Any]) -> None:
    """One line per finished trial (and any warning), on stderr."""
    if event["event"] == "trial_finished":
        value = f"val loss {event['value']:.5g}" if event["value"] is not None else "no score"
        best = f" (best {event['best_value']:.5g})" if event["best_value"] is not None else ""
        params = ", ".join(f"{k}={_short(v)}" for k, v in event["params"].items())
        say(args, f"Trial {event['trial']:>3} {event['state']:<8} {value}{best}  {params}")
        if event["state"] == "failed":
            say(args, f"    {event['message']}")
    elif event["event"] in ("warning", "worker_failed"):
        print(f"warning: {event['message']}", file=sys.stderr)


def _short(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _report(args: argparse.Namespace, kind: str, best: Any) -> None:
    """The best trial's settings and scores, in the words `train` uses."""
    say(args, f"Best: trial {best.trial}, validation loss {best.validation['val_loss']:.5g} "
        f"(epoch {best.validation['best_epoch']}). " + ", ".join(f"{k}={_short(v)}" for k, v in best.params.items()))
    run = best.run
    if kind == "forecaster":
        from workbench.cli.forecast import score_report

        say(args, score_report(run.evaluation.summary(), run.setup.season, run.series.time_axis.frequency))
    elif kind == "classifier":
        from workbench.cli.classify import metrics_table

        say(args, metrics_table(run.evaluation.summary()))
        say(args, run.evaluation.verdict)
    else:
        say(args, best.verdict)
    say(args, best.note)
    if best.retrained:
        say(args, "Its weights were trained in another process, so it was trained again here from its settings.")
    if best.bundle:
        say(args, f"Saved {best.bundle}")
