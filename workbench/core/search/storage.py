"""Where a search keeps its study: an Optuna storage named by a URL, so processes on many machines can share one.

- `journal:PATH`: Optuna's journal file (an append-only log; works on a shared filesystem such as NFS).
- `sqlite:///PATH`, `postgresql://...`, `mysql://...`: an Optuna RDB storage (the server's driver must be installed).

The default is a journal file beside the run store. An SQLite RDB took 3.0 s to create and about 0.35 s per
trial's ask/report/tell on the development machine, the journal 0.03 s, and Optuna's documentation advises
against SQLite for several processes writing at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError

JOURNAL = "journal:"
STUDIES_FILE = "studies.journal"
STORAGE_HINT = "Give journal:PATH (a file, also on a shared filesystem), sqlite:///PATH, or a postgresql:// or " \
               "mysql:// URL."


def default_storage_url(runs_folder: str | Path) -> str:
    return f"{JOURNAL}{Path(runs_folder) / STUDIES_FILE}"


def open_storage(url: str) -> Any:
    """The Optuna storage `url` names; a WorkbenchError, in words, when it cannot be opened."""
    import optuna

    try:
        if url.startswith(JOURNAL):
            from optuna.storages.journal import JournalFileBackend

            path = Path(url[len(JOURNAL):]).expanduser()
            if not path.parent.is_dir():
                raise WorkbenchError(f"The folder of the study journal {path} does not exist.",
                                     hint="Create it first, or give another path.")
            return optuna.storages.JournalStorage(JournalFileBackend(str(path)))
        if "://" not in url:
            raise WorkbenchError(f"{url!r} is not a study storage.", hint=STORAGE_HINT)
        # SQLite waits for another process's write instead of failing at once.
        engine = {"connect_args": {"timeout": 60}} if url.startswith("sqlite") else {}
        return optuna.storages.RDBStorage(url, engine_kwargs=engine)
    except WorkbenchError:
        raise
    except ImportError as error:
        raise WorkbenchError(f"The study storage {url} needs a database driver that is not installed ({error}).",
                             hint="Install the driver (for example psycopg2 for PostgreSQL), or use journal:PATH.") \
            from error
    except Exception as error:  # noqa: BLE001 - SQLAlchemy and the drivers raise many kinds; all mean "cannot open"
        raise WorkbenchError(f"The study storage {url} cannot be opened: {error}.", hint=STORAGE_HINT) from error
