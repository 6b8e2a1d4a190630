"""`workbench settings`: every setting of a kind of run with its default, its range and what it does.

Read from the same field metadata the window's forms and the checks use, so the three never disagree.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from workbench.cli.common import print_json

# The run configuration of each --task, imported late (run_config pulls in every kind's settings).
TASKS = {"forecast": "RunConfig", "lm": "TextRunConfig", "classify": "ClassifyRunConfig"}


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("settings", help="list every setting (SECTION.KEY) with its default, range and help")
    parser.add_argument("--task", choices=tuple(TASKS), default="forecast",
                        help="the kind of run whose settings to list (default: forecast)")
    parser.add_argument("--json", action="store_true", help="print them as JSON")


def setting_rows(task: str) -> list[dict[str, Any]]:
    """One dict per setting: key (section.name), default, allowed (range or choices, in words), label, help."""
    from workbench.core import run_config

    config = getattr(run_config, TASKS[task])()
    rows = []
    for section in config.SECTIONS:
        values = getattr(config, section)
        for field in dataclasses.fields(values):
            meta = field.metadata
            rows.append({"key": f"{section}.{field.name}", "default": getattr(values, field.name),
                         "allowed": allowed_values(meta), "label": meta.get("label", ""),
                         "help": meta.get("help", "")})
    return rows


def allowed_values(meta: dict[str, Any]) -> str:
    """What a field accepts, in words: its choices, its range, or its type."""
    if meta.get("choices"):
        return " | ".join(meta["choices"])
    kind = meta.get("kind")
    low, high = meta.get("minimum"), meta.get("maximum")
    words = {int: "whole number", float: "number", bool: "true or false", str: "text", list: "comma-separated list"}
    text = words.get(kind, "value")
    if low is not None or high is not None:
        above = ">" if meta.get("exclusive_min") else ">="
        bounds = [f"{above} {low:g}" if low is not None else "", f"<= {high:g}" if high is not None else ""]
        text += ", " + " and ".join(part for part in bounds if part)
    if meta.get("optional"):
        text += "; or auto"
    return text


def run(args: argparse.Namespace) -> int:
    rows = setting_rows(args.task)
    if args.json:
        print_json({"task": args.task, "settings": rows})
        return 0
    width = max(len(row["key"]) for row in rows)
    for row in rows:
        default = "auto" if row["default"] is None else row["default"]
        print(f"{row['key']:<{width}}  default {default!s:<10} {row['allowed']}")
        print(f"{'':<{width}}  {row['label']}: {row['help']}")
    print("\nChange one with --set SECTION.KEY=VALUE (repeatable), or all with --config FILE.json.")
    return 0
