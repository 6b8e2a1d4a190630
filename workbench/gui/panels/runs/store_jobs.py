"""What the Runs tab asks of the run store on a job's thread: whole runs read, tables written, runs deleted.
Each opens the store through a connection of its own and closes it. No Qt here."""

from __future__ import annotations

from pathlib import Path

from workbench.core.runs.records import RunRecord


def read_runs(folder: str | Path, run_ids: list[int]) -> list[RunRecord]:
    """The whole runs, curves included, in the order of `run_ids`."""
    from workbench.core.runs.store import RunStore

    with RunStore(folder) as store:
        return [store.get_run(run_id) for run_id in run_ids]


def export_table(folder: str | Path, run_ids: list[int], path: str) -> int:
    """The runs table (every setting and score) of `run_ids`, in that order, as CSV; returns the rows written."""
    from workbench.core.runs.store import RunStore
    from workbench.core.runs.table import export_runs_csv

    # Read whole again: the table on screen keeps only what it shows.
    with RunStore(folder) as store:
        by_id = {record.id: record for record in store.list_runs()}
    return export_runs_csv([by_id[run_id] for run_id in run_ids if run_id in by_id], path)


def export_curves(folder: str | Path, run_ids: list[int], path: str) -> int:
    """Every epoch of each run as CSV (run, epoch, loss, val_loss, ...); returns the rows written."""
    from workbench.core.export.tables import write_csv
    from workbench.core.runs.table import curves_frame

    frame = curves_frame(read_runs(folder, run_ids))
    write_csv(frame, path)
    return len(frame)


def delete_runs(folder: str | Path, run_ids: list[int]) -> set[int]:
    """Forget the runs and their kept model files; returns the ids deleted."""
    from workbench.core.runs.store import RunStore

    with RunStore(folder) as store:
        for run_id in run_ids:
            store.delete_run(run_id)
    return set(run_ids)
