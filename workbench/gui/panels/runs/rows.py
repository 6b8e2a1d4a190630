"""The Runs table's rows, made off the GUI thread: each run's shown texts, its sort keys and the text the filter
box searches, so the GUI thread only sorts keys and paints the rows on screen. No Qt here.

A row keeps only what the table shows and filters on, not the run's settings, scores and curves: those are
read again, for the few runs that need them, when runs are compared, used or exported. Ten thousand full
records kept in the window were about 200,000 more objects for every garbage collection to walk.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from typing import Any

from workbench.core.runs.records import RunRecord
from workbench.core.search.race import SCORES


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    tip: str
    editable: bool = False


COLUMNS = (
    Column("starred", "\u2605", "Starred runs: click the star to mark or unmark a run."),
    Column("id", "Run", "The run's number in the run store."),
    Column("name", "Name", "A name of your own: double-click to edit.", editable=True),
    Column("kind", "Kind", "The kind of model."),
    Column("status", "Status", "finished, stopped (by you or a search) or failed."),
    Column("started", "Started", "When the run started (local time)."),
    Column("network", "Network", "Cell, hidden units, layers (and bidirectional)."),
    Column("epochs", "Epochs", "Epochs completed."),
    Column("best_val_loss", "Val loss", "The lowest validation loss: what searches and the race choose on."),
    Column("score", "Score", "The headline score (test part; validation for a language model)."),
    Column("verdict", "Verdict", "What the run's scores say beside the baselines."),
    Column("study", "Search / race", "The search or race that ran it, and its trial."),
    Column("notes", "Notes", "Notes of your own: double-click to edit.", editable=True),
    Column("data", "Data", "The data file the run trained on."),
)
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS)}
SEARCHED = ("name", "notes", "study", "network", "verdict", "data", "status", "kind")  # what the filter box reads
KIND_LABELS = {"forecaster": "forecaster", "language_model": "language model", "classifier": "text classifier"}


@dataclass(slots=True)
class RunRow:
    """One run as the table shows it."""

    run_id: int
    kind: str
    status: str
    starred: bool
    bundle: str | None  # the kept model file, if any
    message: str  # how the run ended, in words
    data_path: str
    texts: list[str]  # per column
    keys: list[Any]  # per column: a number or lowercase text to sort on, None when missing (sorted last)
    search: str  # lowercase: what the filter box matches (the SEARCHED columns)


def make_row(record: RunRecord) -> RunRow:
    settings = record.settings
    model = settings.get("model", {}) if isinstance(settings.get("model"), dict) else {}
    score_label, score = headline_score(record)
    study = "" if record.study is None else (
        record.study + (f" #{record.trial}" if record.trial is not None else ""))
    values: dict[str, tuple[str, Any]] = {
        "starred": ("\u2605" if record.starred else "\u2606", int(record.starred)),
        "id": (str(record.id), record.id),
        "name": (record.name, record.name.lower() or None),
        "kind": (KIND_LABELS.get(record.kind, record.kind), record.kind),
        "status": (record.status, record.status),
        "started": (_short_time(record.started), record.started),
        "network": (network_text(model), (str(model.get("cell", "")), _number(model.get("hidden")) or 0.0)),
        "epochs": (str(record.epochs), record.epochs),
        "best_val_loss": (_format(record.best_val_loss), _number(record.best_val_loss)),
        "score": (f"{score_label} {_format(score)}" if score_label and _number(score) is not None else "",
                  _number(score)),
        "verdict": (record.verdict, record.verdict.lower() or None),
        "study": (study, (record.study or "", record.trial or 0) if record.study else None),
        "notes": (record.notes, record.notes.lower() or None),
        "data": (os.path.basename(record.data_path), record.data_path.lower() or None),
    }
    texts = [values[c.key][0] for c in COLUMNS]
    keys = [values[c.key][1] for c in COLUMNS]
    return RunRow(record.id, record.kind, record.status, record.starred, record.bundle, record.message,
                  record.data_path, texts, keys, _search(texts))


def edit_row(row: RunRow, change: dict[str, Any]) -> None:
    """Show an edit of the name, the notes or the star (as written to the store) in `row`."""
    for key, value in change.items():
        column = COLUMN_INDEX[key]
        if key == "starred":
            row.starred = bool(value)
            row.texts[column], row.keys[column] = "\u2605" if value else "\u2606", int(bool(value))
        else:
            row.texts[column], row.keys[column] = str(value), str(value).lower() or None
    row.search = _search(row.texts)


def _search(texts: list[str]) -> str:
    return " ".join(texts[COLUMN_INDEX[key]] for key in SEARCHED).lower()


def headline_score(record: RunRecord) -> tuple[str, float | None]:
    """(label, value) of the score a run of its kind is judged on first (core/search/race.py SCORES)."""
    if record.kind not in SCORES:
        return "", None
    part, scores = SCORES[record.kind]
    key, label, _lower = scores[0]
    metric = record.metrics.get("verdict_metric")
    if metric:
        key, label = next(((k, lab) for k, lab, _ in scores if k == metric), (key, label))
    values = record.metrics.get(part) or {}
    return label, values.get(key)


def network_text(model: dict[str, Any]) -> str:
    """E.g. "LSTM 64", "GRU 32 x2 bi"."""
    if not model:
        return ""
    text = f"{str(model.get('cell', '?')).upper()} {model.get('hidden', '?')}"
    if isinstance(model.get("layers"), int) and model["layers"] > 1:
        text += f" x{model['layers']}"
    return text + (" bi" if model.get("bidirectional") else "")


def _short_time(seconds: float | None) -> str:
    """Local time to the minute: "2026-12-01 14:03"."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds)) if seconds is not None else ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _format(value: Any) -> str:
    number = _number(value)
    return "" if number is None else f"{number:.4g}"


def sorted_order(rows: list[RunRow], column: int, descending: bool) -> list[int]:
    """Row positions ordered by `column`; rows without a value come last either way."""
    keys = [row.keys[column] for row in rows]
    present = [i for i, key in enumerate(keys) if key is not None]
    missing = [i for i, key in enumerate(keys) if key is None]
    present.sort(key=keys.__getitem__, reverse=descending)
    return present + missing
