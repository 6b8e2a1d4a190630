"""Runs as tables: one row per run with flattened settings and scores, curves side by side, and what differs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.runs.records import RunRecord, iso_time

if TYPE_CHECKING:
    import pandas as pd

# The columns every runs table starts with, in this order; settings, metrics and environment follow.
RUN_COLUMNS = ("id", "name", "kind", "status", "started", "ended", "seconds", "epochs", "best_val_loss", "verdict",
               "study", "trial", "starred", "notes", "seed", "data_path", "data_sha256", "bundle", "message")


def flatten(value: Any, prefix: str) -> dict[str, Any]:
    """{"a.b.c": scalar} of nested dicts; lists (per-step scores, confusion matrices) are left out."""
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat.update(flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {} if isinstance(value, (list, tuple)) else {prefix: value}


def run_row(record: RunRecord) -> dict[str, Any]:
    """One run as a flat dict: RUN_COLUMNS, then settings.*, metrics.* and environment.*."""
    row = {name: getattr(record, name, None) for name in RUN_COLUMNS}
    row["started"], row["ended"] = iso_time(record.started), iso_time(record.ended)
    row.update(flatten(record.settings, "settings"))
    row.update(flatten(record.metrics, "metrics"))
    row.update(flatten(record.environment, "environment"))
    return row


def runs_frame(records: Sequence[RunRecord]) -> pd.DataFrame:
    """One row per run; a setting or score a run lacks is empty."""
    import pandas as pd

    rows = [run_row(record) for record in records]
    names = list(RUN_COLUMNS)
    seen = set(names)
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                names.append(key)
    return pd.DataFrame(rows, columns=names)


def export_runs_csv(records: Sequence[RunRecord], path: str | Path) -> int:
    """Write the runs table as CSV (formula-escaped, atomically); returns the number of rows."""
    from workbench.core.export.tables import write_csv

    write_csv(runs_frame(records), path)
    return len(records)


def curves_frame(records: Sequence[RunRecord]) -> pd.DataFrame:
    """Every epoch of every run (records with their history), long form: run, epoch, loss, val_loss, ..."""
    import pandas as pd

    from workbench.core.export.tables import loss_history_frame

    parts = []
    for record in records:
        frame = loss_history_frame(record.history)
        frame.insert(0, "run", record.id)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else loss_history_frame([]).assign(run=[])


def differing_settings(records: Sequence[RunRecord]) -> dict[str, list[Any]]:
    """{"section.setting": [value per run]} for the settings that are not the same in every run."""
    flats = [flatten(record.settings, "") for record in records]
    keys: list[str] = []
    for flat in flats:
        keys.extend(key for key in flat if key not in keys)
    return {key: [flat.get(key) for flat in flats] for key in keys
            if len({repr(flat.get(key)) for flat in flats}) > 1}
