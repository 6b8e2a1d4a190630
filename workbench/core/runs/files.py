"""The run store's file: creating it, checking that a file is a run store before anything writes to it, opening
it, and SQLite's errors in words (damaged, or only busy for a moment)."""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.runs.schema import APPLICATION_ID, SCHEMA_VERSION, TABLES, migrate

SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a writer waits for another process's transaction before giving up (sqlite3's busy timeout).
BUSY_SECONDS = 30.0
LEAVE_IT = "It was left as it is. Choose another runs folder (--runs DIR, or the setting in the window)."


# SQLite's primary result codes (the low byte of an error's sqlite_errorcode).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_PROTOCOL, SQLITE_NOTADB = (
    5, 6, 10, 11, 14, 15, 26)
# What another process opening, checkpointing or closing the same store can cause for a moment: worth a retry,
# and never a reason to call the store damaged.
TRANSIENT_CODES = frozenset({SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PROTOCOL})
TRY_AGAIN = "Another process may be opening or closing it at this moment; try again. It was left as it is."


class RunStoreError(WorkbenchError):
    """The run store cannot be used: not ours, damaged, newer, busy or unwritable. Training goes on without it."""


class RunStoreBusy(RunStoreError):
    """The run store could not be used just now (locked, or a transient I/O error): trying again may work."""


def sqlite_problem(path: Path, error: sqlite3.Error) -> RunStoreError:
    """An SQLite error on the store at `path`, in words: damaged only when SQLite says so (corrupt, not a
    database); a lock or an I/O race with another process is a RunStoreBusy."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or (not code and type(error) is sqlite3.DatabaseError):
        return RunStoreError(f"The run store {path} is damaged: {error}.", hint=LEAVE_IT)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return RunStoreBusy(f"The run store {path} stayed busy for {BUSY_SECONDS:g} s ({error}).",
                            hint="Another program holds it; try again when it has finished.")
    if code in TRANSIENT_CODES:
        return RunStoreBusy(f"The run store {path} could not be read or written just now ({error}).", hint=TRY_AGAIN)
    return RunStoreError(f"The run store {path} cannot be used: {error}.", hint=LEAVE_IT)


def open_connection(path: Path) -> sqlite3.Connection:
    """A connection for reading and writing: autocommit (transactions are explicit), WAL, cascading deletes."""
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL loses at most the last commits on power loss, never the file, and skips an fsync per run.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        db.close()
        raise
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
    except sqlite3.Error as error:
        raise sqlite_problem(path, error) from error
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


def create_store_file(path: Path) -> None:
    """Build a new store under a temporary name, then link it into place as `path` (never over an existing
    file: a half-built store is never seen, and one made meanwhile by another process is checked instead)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        db = sqlite3.connect(tmp)
        try:
            db.isolation_level = None
            db.execute("PRAGMA journal_mode = WAL")
            migrate(db)
        finally:
            db.close()  # the last connection folds the WAL into the file and removes it
        try:
            os.link(tmp, path)
        except FileExistsError:
            check_store_file(path)  # another process made it first: theirs must be a store too
        except OSError:
            if not path.exists():  # no hard links on this filesystem (the caller's lock keeps this safe)
                os.replace(tmp, path)
    except (OSError, sqlite3.Error) as error:
        raise RunStoreError(f"Could not create the run store in {path.parent}: {error}.",
                            hint="Choose another runs folder (--runs DIR).") from error
    finally:
        tmp.unlink(missing_ok=True)


def file_sha256(path: str | Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    import hashlib

    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None
