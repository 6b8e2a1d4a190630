"""Reading a study by its storage URL, as it runs (here or on other machines): its trials, their curves, the best."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.core.search.storage import open_storage


@dataclass(frozen=True)
class TrialRow:
    """One trial as a live table shows it."""

    number: int
    state: str  # complete, pruned, failed, stopped (by Stop or the time limit, before its last epoch) or running
    value: float | None  # its best validation loss (complete trials)
    params: dict[str, Any]  # the settings the search chose: {"model.hidden": 32, ...}
    settings: dict[str, Any] | None  # the whole configuration it trained with, once it has ended
    curve: dict[int, float] = field(default_factory=dict)  # validation loss by epoch, as reported so far
    run_id: int | None = None  # its run in the store of the machine that trained it
    host: str = ""
    message: str = ""


STATES = {"COMPLETE": "complete", "PRUNED": "pruned", "FAIL": "failed", "RUNNING": "running", "WAITING": "running"}


def trial_state(trial: Any) -> str:
    """An Optuna trial's state in our words: a trial cut short by Stop is told to Optuna as failed (so nothing
    learns from it) and marked "stopped" in its user attributes."""
    if trial.state.name == "FAIL" and trial.user_attrs.get("stopped"):
        return "stopped"
    return STATES.get(trial.state.name, trial.state.name.lower())


def study_names(url: str) -> list[str]:
    """The studies kept in a storage."""
    import optuna

    return sorted(summary.study_name for summary in optuna.get_all_study_summaries(open_storage(url)))


def study_trials(url: str, study: str) -> list[TrialRow]:
    """Every trial of a study, in the order they started; call again to follow a running search."""
    import optuna

    found = optuna.load_study(study_name=study, storage=open_storage(url))
    rows = []
    for trial in found.get_trials(deepcopy=False):
        attrs = trial.user_attrs
        rows.append(TrialRow(trial.number, trial_state(trial), trial.value,
                             dict(trial.params), attrs.get("settings"), dict(trial.intermediate_values),
                             attrs.get("run_id"), attrs.get("host", ""), attrs.get("message", "")))
    return rows


def best_settings(url: str, study: str) -> dict[str, Any] | None:
    """The whole configuration of the complete trial with the lowest validation loss ("Use best"), or None."""
    done = [row for row in study_trials(url, study) if row.state == "complete" and row.value is not None]
    return min(done, key=lambda row: row.value).settings if done else None
