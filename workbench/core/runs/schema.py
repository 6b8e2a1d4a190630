"""The run store's SQLite schema: the marker that says a file is ours, and the migrations that build it.

A database is ours when its header's application_id is APPLICATION_ID. Its PRAGMA user_version counts the
migrations applied to it; opening a store applies the missing ones in one transaction. Never edit a step
that has shipped: append a new one, so every older file upgrades the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

# "SWBR" (Sequence WorkBench Runs) in the SQLite header: a file without it is not a run store.
APPLICATION_ID = 0x53574252


def _create_tables(db: sqlite3.Connection) -> None:
    # Columns the table view sorts and filters on are real columns; the rest of a run is JSON text.
    # History sits in its own table so listing 10,000 runs never reads their curves.
    db.execute("""
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            message TEXT NOT NULL DEFAULT '',
            started REAL,
            ended REAL,
            data_path TEXT NOT NULL DEFAULT '',
            data_sha256 TEXT,
            read_options TEXT NOT NULL DEFAULT '{}',
            settings TEXT NOT NULL DEFAULT '{}',
            seed INTEGER,
            environment TEXT NOT NULL DEFAULT '{}',
            metrics TEXT NOT NULL DEFAULT '{}',
            verdict TEXT NOT NULL DEFAULT '',
            epochs INTEGER NOT NULL DEFAULT 0,
            best_val_loss REAL,
            bundle TEXT,
            starred INTEGER NOT NULL DEFAULT 0,
            notes TEXT NOT NULL DEFAULT '',
            study TEXT,
            trial INTEGER
        )""")
    db.execute("""
        CREATE TABLE histories (
            run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
            history TEXT NOT NULL
        )""")


def _index_filters(db: sqlite3.Connection) -> None:
    # The filters of `runs list` and the Runs tab: by data file, by study, by kind.
    db.execute("CREATE INDEX runs_by_data ON runs (data_sha256)")
    db.execute("CREATE INDEX runs_by_path ON runs (data_path)")
    db.execute("CREATE INDEX runs_by_study ON runs (study)")
    db.execute("CREATE INDEX runs_by_kind ON runs (kind)")


# Step k brings a database from user_version k to k + 1.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_create_tables, _index_filters]
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = frozenset({"runs", "histories"})


def migrate(db: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing steps up to `target` inside one write transaction; returns the version found before.

    The version is read again inside the transaction, so two processes opening an old store at once upgrade
    it once."""
    db.execute("BEGIN IMMEDIATE")
    try:
        found = db.execute("PRAGMA user_version").fetchone()[0]
        for step in MIGRATIONS[found:target]:
            step(db)
        if found < target:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {target}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return found
