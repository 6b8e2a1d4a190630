"""Reading a shared study for the "Shared study" page, and the words that sum it up. No widgets: the reading
functions run on a background job's thread, and the rest are plain functions of the trials read.

What lies here rather than in core/search/studies.py, until that module takes it over: a storage named by a file,
refusing a storage that does not exist (opening one would create it), a study's kind, and the best trial of rows
already read (so "Use best settings" takes exactly the trial the words name).
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.search.storage import JOURNAL, open_storage
from workbench.core.search.studies import TrialRow, study_names, study_trials
from workbench.gui.panels.runs.trials_view import params_text

SQLITE_START = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file
SQLITE = "sqlite:///"
# The states in the order the words list them; any other follows.
STATE_ORDER = ("complete", "pruned", "failed", "stopped", "running")


def storage_url_for_file(path: str | Path) -> str:
    """The storage URL of a study file: sqlite:///PATH for an SQLite database, else journal:PATH."""
    path = Path(path).resolve()
    try:
        with path.open("rb") as file:
            is_sqlite = file.read(len(SQLITE_START)) == SQLITE_START
    except OSError:
        is_sqlite = path.suffix.lower() in (".db", ".sqlite", ".sqlite3")
    return f"{SQLITE}{path}" if is_sqlite else f"{JOURNAL}{path}"


def list_studies(url: str) -> list[str]:
    """The studies kept in the storage `url` names; a WorkbenchError, in words, when it cannot be read."""
    _must_exist(url)
    return study_names(url)


def open_study(url: str, study: str, kind: str) -> list[TrialRow]:
    """The trials of `study`, first checking that it exists and searches models of `kind`."""
    _must_exist(url)
    found = _study_kind(url, study)
    if found is not None and found != kind:
        raise WorkbenchError(f"The study {study} searches {_label(found)} settings, not {_label(kind)} ones.",
                             hint=f"Open it in the workspace for {_label(found)} models, or choose another study.")
    return poll_study(url, study)


def poll_study(url: str, study: str) -> list[TrialRow]:
    """The trials of `study` now (called again and again while the page watches it)."""
    _must_exist(url)
    try:
        return study_trials(url, study)
    except KeyError:  # optuna's answer for a study that is not (or no longer) in the storage
        raise _no_study(url, study) from None


def best_row(rows: list[TrialRow]) -> TrialRow | None:
    """The complete trial with the lowest validation loss (the first of equals), or None."""
    done = [row for row in rows if row.state == "complete" and _finite(row.value)]
    return min(done, key=lambda row: row.value) if done else None


def best_so_far(rows: list[TrialRow]) -> list[float | None]:
    """For each ended trial, in the order of their numbers: the lowest validation loss of the complete ones so far
    (None before the first complete one)."""
    best: float | None = None
    values: list[float | None] = []
    for row in rows:
        if row.state == "running":
            continue
        if row.state == "complete" and _finite(row.value) and (best is None or row.value < best):
            best = row.value
        values.append(best)
    return values


def study_words(rows: list[TrialRow]) -> str:
    """ "12 trials: 9 complete, 2 pruned, 1 running; best validation loss 0.0123 (trial 7)." """
    if not rows:
        return "No trials yet."
    counts = Counter(row.state for row in rows)
    states = [state for state in STATE_ORDER if counts[state]] + sorted(set(counts) - set(STATE_ORDER))
    best = best_row(rows)
    ending = (f"best validation loss {best.value:.4g} (trial {best.number})" if best is not None
              else "no trial complete yet")
    return (f"{len(rows)} trial{'' if len(rows) == 1 else 's'}: "
            f"{', '.join(f'{counts[state]} {state}' for state in states)}; {ending}.")


def use_best_words(best: TrialRow | None) -> tuple[bool, str, str]:
    """Whether "Use best settings" can take `best`, what to say beside the button, and its tooltip."""
    if best is None:
        reason = "No trial of the study has completed yet."
        return False, reason, reason
    if not best.settings:
        reason = f"Trial {best.number} kept no settings: the study was not made by a Sequence Workbench search."
        return False, reason, reason
    return (True, f"Trial {best.number}: {params_text(best.params)}",
            f"Put trial {best.number}'s settings (validation loss {best.value:.4g}) in the Model tab.")


def _must_exist(url: str) -> None:
    """Opening a journal or SQLite file that is not there would create an empty one: say so instead."""
    if url.startswith(JOURNAL):
        path = Path(url[len(JOURNAL):]).expanduser()
        if not path.is_file():
            raise WorkbenchError(f"There is no study journal at {path}.",
                                 hint="Check the path, or choose the file with Browse. A search keeps its study in "
                                      "studies.journal in the runs folder unless it was given another storage.")
    elif url.startswith(SQLITE):
        name = url[len(SQLITE):].partition("?")[0]
        if name and name != ":memory:" and not Path(name).expanduser().is_file():
            raise WorkbenchError(f"There is no SQLite file at {name}.",
                                 hint="Check the path (sqlite:///relative/path or sqlite:////absolute/path), or "
                                      "choose the file with Browse.")


def _study_kind(url: str, study: str) -> str | None:
    """The kind of model a study searches, as the sweep wrote it in the study's user attributes (sweep.py
    `_tie_study`); None for a study made by something else."""
    import optuna

    try:
        found = optuna.load_study(study_name=study, storage=open_storage(url))
    except KeyError:
        raise _no_study(url, study) from None
    kind = found.user_attrs.get("kind")
    return str(kind) if kind is not None else None


def _no_study(url: str, study: str) -> WorkbenchError:
    return WorkbenchError(f"There is no study called {study!r} in {url}.",
                          hint="List the studies again and choose one of them.")


def _label(kind: str) -> str:
    from workbench.core.export.kinds import model_kind

    try:
        return model_kind(kind).label
    except WorkbenchError:  # a kind this version does not know: its own name
        return kind


def _finite(value: float | None) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)
