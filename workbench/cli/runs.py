"""`workbench runs list|show|export|delete`, the `--runs DIR` option, and recording each `train` in the run store."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any

from workbench.cli.common import emit_table, print_json
from workbench.core.errors import WorkbenchError


def add_runs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", metavar="DIR", help="the run store's folder (default: `runs` in the user data "
                        "folder, or $WORKBENCH_RUNS_DIR)")


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("runs", help="the runs recorded by `train`, `sweep` and the window: list, show, export, "
                            "delete")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="one line per run (oldest first)")
    listing.add_argument("--data", metavar="FILE", help="only runs on this file (the same bytes, or the same path)")
    listing.add_argument("--study", metavar="NAME", help="only the trials of this search")
    listing.add_argument("--kind", choices=("forecaster", "language_model", "classifier"), help="only this kind")
    listing.add_argument("--json", action="store_true", help="print every run in full, with its per-epoch history")
    show = actions.add_parser("show", help="everything recorded about one run")
    show.add_argument("id", type=int, help="the run's id (see `workbench runs list`)")
    show.add_argument("--json", action="store_true", help="print it as JSON")
    export = actions.add_parser("export", help="the runs table as CSV: one row per run, settings and scores "
                                "flattened")
    export.add_argument("--out", help="CSV file (default: print to stdout)")
    delete = actions.add_parser("delete", help="forget a run and delete its model file")
    delete.add_argument("id", type=int, help="the run's id")
    for action in (listing, show, export, delete):
        add_runs_option(action)


def run(args: argparse.Namespace) -> int:
    from workbench.core.runs.store import RunStore

    with RunStore(args.runs) as store:
        if args.action == "list":
            records = store.list_runs(data=args.data, study=args.study, kind=args.kind, with_history=args.json)
            if args.json:
                print(json.dumps([record.to_dict() for record in records], indent=2))
            else:
                print_runs(records)
        elif args.action == "show":
            record = store.get_run(args.id)
            if args.json:
                print_json(record.to_dict())
            else:
                print_run(record)
        elif args.action == "export":
            from workbench.core.runs.table import runs_frame

            emit_table(runs_frame(store.list_runs()), args.out)
        else:
            store.delete_run(args.id)
            print(f"Deleted run {args.id} and its model file.", file=sys.stderr)
    return 0


def headline_score(record: Any) -> str:
    """The test score a runs table leads with: MASE (or MAE) of a forecaster, accuracy of a classifier."""
    test = record.metrics.get("test") or {}
    metric = record.metrics.get("verdict_metric") or ("accuracy" if "accuracy" in test else "mase")
    value = test.get(metric)
    return f"{metric} {value:.4g}" if isinstance(value, (int, float)) else ""


def print_runs(records: list[Any]) -> None:
    if not records:
        print("No runs recorded yet: `workbench train` and `workbench sweep` record each run they make.",
              file=sys.stderr)
        return
    from workbench.core.runs.records import iso_time

    print(f"{'id':>5}  {'started':<19}  {'kind':<14} {'status':<9} {'epochs':>6}  {'val loss':>10}  "
          f"{'test':<16} name / study")
    for r in records:
        started = (iso_time(r.started) or "")[:19].replace("T", " ")
        loss = f"{r.best_val_loss:.4g}" if r.best_val_loss is not None else ""
        label = r.name or (f"{r.study} #{r.trial}" if r.study else "")
        print(f"{r.id:>5}  {started:<19}  {r.kind:<14} {r.status:<9} {r.epochs:>6}  {loss:>10}  "
              f"{headline_score(r):<16} {'* ' if r.starred else ''}{label}")


def print_run(record: Any) -> None:
    from workbench.core.runs.table import flatten

    data = record.to_dict()
    for key in ("id", "name", "kind", "status", "message", "started", "ended", "seconds", "study", "trial",
                "starred", "notes", "verdict", "bundle"):
        if data[key] not in (None, ""):
            print(f"{key:<12}{data[key]}")
    print(f"{'data':<12}{record.data_path} (sha256 {str(record.data_sha256)[:16]})")
    for title, value in (("settings", record.settings), ("environment", record.environment),
                         ("metrics", record.metrics)):
        print(title)
        for key, inner in flatten(value, "").items():
            print(f"  {key:<40}{inner}")
    print(f"history     {record.epochs} epochs")
    for logs in record.history:
        print("  " + ", ".join(f"{k} {v:.5g}" if isinstance(v, float) else f"{k} {v}" for k, v in logs.items()))


def recorder_for(args: argparse.Namespace, kind: str, read_options: Any) -> Any:
    """A RunRecorder for `train` in the store of --runs; a store that cannot be used costs one warning, not the run."""
    from workbench.core.runs.record import RunRecorder
    from workbench.core.runs.store import RunStore

    def warn(line: str) -> None:
        print(f"warning: {line}", file=sys.stderr)

    if dataclasses.is_dataclass(read_options):
        read_options = dataclasses.asdict(read_options)
    try:
        store = RunStore(getattr(args, "runs", None))
    except WorkbenchError as error:
        warn(f"this run is not recorded: {error}")
        store = None
    return RunRecorder(store, kind, args.data, read_options, warn)
