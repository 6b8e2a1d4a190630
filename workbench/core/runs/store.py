"""The run store: every training run in one SQLite file (WAL, safe with several writer processes), bundles beside it.

A folder holds `runs.sqlite`, `bundles/<id>.swb` and the lock file `.runs.lock`. A file that is not a run
store (another program's database, a damaged one, one from a newer workbench) is refused with the reason and
never written to: checks read it in read-only mode before anything opens it for writing, and a new store is
built under a temporary name and linked into place, so it can never replace a file that appeared meanwhile.

Processes that open a new folder at the same moment take turns (lock.py) to create, check and upgrade it, and
a lock or I/O race with another process is retried for a few seconds and, if it lasts, said as "busy", never as
"damaged": only SQLite's own verdict (corrupt, not a database) calls a store damaged.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from workbench.core.export.atomic import atomic_path
from workbench.core.runs.files import (
    BUSY_SECONDS,
    RunStoreBusy,
    RunStoreError,
    check_store_file,
    create_store_file,
    file_sha256,
    open_connection,
    sqlite_problem,
)
from workbench.core.runs.lock import LockTimeout, exclusive_lock
from workbench.core.runs.records import RunRecord, dumps
from workbench.core.runs.schema import SCHEMA_VERSION, migrate

APP_NAME = "sequence-workbench"
DB_NAME = "runs.sqlite"
BUNDLES = "bundles"
# Held while a store is created, checked and upgraded, so processes opening a new folder at once take turns.
LOCK_NAME = ".runs.lock"
# How long a transient lock or I/O race (files.TRANSIENT_CODES) is retried before it is reported.
RETRY_SECONDS = 5.0
T = TypeVar("T")

_COLUMNS = ("id", "name", "kind", "status", "message", "started", "ended", "data_path", "data_sha256",
            "read_options", "settings", "seed", "environment", "metrics", "verdict", "epochs", "best_val_loss",
            "bundle", "starred", "notes", "study", "trial")
_JSON_COLUMNS = ("read_options", "settings", "environment", "metrics")


def default_runs_folder() -> Path:
    """$WORKBENCH_RUNS_DIR when set (tests use it), else `runs` in the platform's user data folder."""
    override = os.environ.get("WORKBENCH_RUNS_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME)) / "runs"


class RunStore:
    """The runs kept in `folder` (default: default_runs_folder()). Methods may be called from any thread: each
    thread gets its own connection."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = (Path(folder) if folder is not None else default_runs_folder()).absolute()
        self.path = self.folder / DB_NAME
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise RunStoreError(f"Could not create the runs folder {self.folder}: {error.strerror or error}.",
                                hint="Choose another runs folder (--runs DIR).") from error
        try:
            with exclusive_lock(self.folder / LOCK_NAME, BUSY_SECONDS):
                self._retrying(self._open)
        except LockTimeout as error:
            raise RunStoreBusy(f"The run store {self.path} stayed busy for {BUSY_SECONDS:g} s: another process was "
                               "creating or upgrading it.", hint="Try again when it has finished.") from error
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        """Create the store or check that the file is one, then bring its schema up to date."""
        if self.path.exists():
            check_store_file(self.path)
        else:
            create_store_file(self.path)
        with self._guard():
            db = self._db()
            if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:  # reading needs no write lock
                migrate(db)

    # ---- reading

    def list_runs(self, *, data: str | Path | None = None, data_sha256: str | None = None, kind: str | None = None,
                  study: str | None = None, starred: bool | None = None, with_history: bool = False) -> list[RunRecord]:
        """Runs, oldest first, filtered by data file (its current bytes, or the same path), kind, study, star."""
        where, params = [], []
        if data is not None:
            path = str(Path(data).resolve())
            digest = file_sha256(path)
            where.append("(data_path = ? OR data_sha256 = ?)" if digest else "data_path = ?")
            params += [path, digest] if digest else [path]
        for column, value in (("data_sha256", data_sha256), ("kind", kind), ("study", study)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if starred is not None:
            where.append("starred = ?")
            params.append(int(starred))
        sql = f"SELECT {', '.join(_COLUMNS)} FROM runs"
        sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        with self._guard():
            rows = self._db().execute(sql, params).fetchall()
            histories = self._histories([row[0] for row in rows]) if with_history else {}
        return [self._record(row, histories.get(row[0], [])) for row in rows]

    def get_run(self, run_id: int) -> RunRecord:
        """One run with its whole history; RunStoreError when there is no such run."""
        with self._guard():
            row = self._db().execute(f"SELECT {', '.join(_COLUMNS)} FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                raise RunStoreError(f"There is no run {run_id} in {self.folder}.",
                                    hint="`workbench runs list` shows the runs it holds.")
            return self._record(row, self._histories([run_id]).get(run_id, []))

    # ---- writing

    def add_run(self, record: RunRecord, bundle: str | Path | None = None) -> int:
        """Store `record` (its id is ignored) and a copy of its `bundle` file; returns the new id."""
        values = self._row_values(record)
        names = [c for c in _COLUMNS if c not in ("id", "bundle")]

        def insert() -> int:
            with self._guard(), self._transaction() as db:
                cursor = db.execute(f"INSERT INTO runs ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                                    [values[c] for c in names])
                run_id = int(cursor.lastrowid)
                db.execute("INSERT INTO histories (run_id, history) VALUES (?, ?)", (run_id, dumps(record.history)))
            return run_id

        run_id = self._retrying(insert)  # a rolled-back insert is safe to repeat
        record.id = run_id
        if bundle is not None:
            self.attach_results(run_id, bundle=bundle)
            record.bundle = str(self._bundle_path(run_id))
        return run_id

    def attach_results(self, run_id: int, *, metrics: dict[str, Any] | None = None, verdict: str | None = None,
                       bundle: str | Path | None = None) -> None:
        """Set a run's metrics and verdict, and keep a copy of its model file (a search's best, scored later)."""
        if bundle is not None:
            target = self._bundle_path(run_id)
            target.parent.mkdir(exist_ok=True)
            with atomic_path(target) as tmp:
                shutil.copyfile(bundle, tmp)
        changes = {"metrics": dumps(metrics) if metrics is not None else None, "verdict": verdict,
                   "bundle": f"{BUNDLES}/{run_id}.swb" if bundle is not None else None}
        self._update(run_id, {k: v for k, v in changes.items() if v is not None})

    def update_run(self, run_id: int, *, name: str | None = None, starred: bool | None = None,
                   notes: str | None = None) -> None:
        """Change what the user may edit: the name, the star and the notes."""
        changes = {"name": name, "starred": None if starred is None else int(starred), "notes": notes}
        self._update(run_id, {k: v for k, v in changes.items() if v is not None})

    def delete_run(self, run_id: int) -> None:
        """Forget a run and delete its bundle file."""
        with self._guard(), self._transaction() as db:
            if db.execute("DELETE FROM runs WHERE id = ?", (run_id,)).rowcount == 0:
                raise RunStoreError(f"There is no run {run_id} in {self.folder}.",
                                    hint="`workbench runs list` shows the runs it holds.")
        self._bundle_path(run_id).unlink(missing_ok=True)

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- inside

    def _bundle_path(self, run_id: int) -> Path:
        return self.folder / BUNDLES / f"{run_id}.swb"

    def _update(self, run_id: int, changes: dict[str, Any]) -> None:
        if not changes:
            return
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with self._guard(), self._transaction() as db:
            found = db.execute(f"UPDATE runs SET {assignments} WHERE id = ?", [*changes.values(), run_id])
            if found.rowcount == 0:
                raise RunStoreError(f"There is no run {run_id} in {self.folder}.",
                                    hint="`workbench runs list` shows the runs it holds.")

    def _histories(self, ids: list[int]) -> dict[int, list[dict[str, float]]]:
        found: dict[int, list[dict[str, float]]] = {}
        db = self._db()
        # SQLite limits the parameters of one statement, so ask in slices.
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            sql = f"SELECT run_id, history FROM histories WHERE run_id IN ({', '.join('?' * len(part))})"
            found.update((run_id, json.loads(text)) for run_id, text in db.execute(sql, part))
        return found

    def _record(self, row: tuple, history: list[dict[str, float]]) -> RunRecord:
        values = dict(zip(_COLUMNS, row))
        for column in _JSON_COLUMNS:
            values[column] = json.loads(values[column])
        values["starred"] = bool(values["starred"])
        if values["bundle"]:
            values["bundle"] = str(self.folder / values["bundle"])
        return RunRecord(history=history, **values)

    @staticmethod
    def _row_values(record: RunRecord) -> dict[str, Any]:
        values = {c: getattr(record, c) for c in _COLUMNS}
        for column in _JSON_COLUMNS:
            values[column] = dumps(values[column])
        values["starred"] = int(record.starred)
        return values

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = open_connection(self.path)
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    def _drop_connection(self) -> None:
        """Close this thread's connection (the next call opens a fresh one); other threads keep theirs."""
        db = getattr(self._local, "db", None)
        if db is None:
            return
        self._local.db = None
        with self._lock:
            if db in self._connections:
                self._connections.remove(db)
        with contextlib.suppress(sqlite3.Error):
            db.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # an I/O error may have ended the transaction already
                db.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """SQLite's errors as RunStoreError, in words (files.sqlite_problem)."""
        try:
            yield
        except sqlite3.Error as error:
            raise sqlite_problem(self.path, error) from error

    def _retrying(self, action: Callable[[], T]) -> T:
        """`action()`, tried again for up to RETRY_SECONDS while it meets a transient lock or I/O race."""
        deadline = time.monotonic() + RETRY_SECONDS
        pause = 0.01
        while True:
            try:
                return action()
            except RunStoreBusy:
                if time.monotonic() + pause > deadline:
                    raise
                self._drop_connection()  # a connection that met an I/O error is not reused
                time.sleep(pause)
                pause = min(2 * pause, 0.5)
