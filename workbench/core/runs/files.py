"""The run store's file: checking that a file is a run store before anything writes to it, and opening it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.runs.schema import APPLICATION_ID, SCHEMA_VERSION, TABLES

SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a writer waits for another process's transaction before giving up (sqlite3's busy timeout).
BUSY_SECONDS = 30.0
LEAVE_IT = "It was left as it is. Choose another runs folder (--runs DIR, or the setting in the window)."


class RunStoreError(WorkbenchError):
    """The run store cannot be used: not ours, damaged, newer, busy or unwritable. Training goes on without it."""


def open_connection(path: Path) -> sqlite3.Connection:
    """A connection for reading and writing: autocommit (transactions are explicit), WAL, cascading deletes."""
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode = WAL")
    # In WAL mode NORMAL loses at most the last commits on power loss, never the file, and skips an fsync per run.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def check_store_file(path: Path) -> None:
    """Raise RunStoreError, saying why, unless `path` is a run store this version can open; only reads it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise RunStoreError(f"The run store {path} cannot be read: {error.strerror or error}.", hint=LEAVE_IT) \
            from error
    if head != SQLITE_MAGIC:
        what = "it is empty" if not head else "it is not an SQLite database"
        raise RunStoreError(f"{path} is not a run store: {what}.", hint=LEAVE_IT)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)
        try:
            app = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise RunStoreError(f"The run store {path} is damaged: {error}.", hint=LEAVE_IT) from error
    if app != APPLICATION_ID:
        raise RunStoreError(f"{path} is not a run store: it is an SQLite database without the workbench's marker "
                            "(another program's file).", hint=LEAVE_IT)
    if version > SCHEMA_VERSION:
        raise RunStoreError(f"The run store {path} was written by a newer version of the workbench (schema {version}; "
                            f"this version reads up to {SCHEMA_VERSION}).", hint="Update the workbench to open it.")
    missing = TABLES - tables
    if version >= 1 and missing:
        raise RunStoreError(f"The run store {path} is damaged: its tables {', '.join(sorted(missing))} are missing.",
                            hint=LEAVE_IT)


def file_sha256(path: str | Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    import hashlib

    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None
