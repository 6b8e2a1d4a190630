"""The end of a search: pick the trial with the lowest validation loss, score its test part once, keep its model.

The best trial's weights are the ones its worker kept (the Trainer's best epoch). When another process or
machine trained it, its weights are not here, so it is trained again from its settings and seed, which gives
the same curve on the CPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.export.kinds import LANGUAGE_MODEL
from workbench.core.runs.record import record_run, run_scores
from workbench.core.search.stages import LoadedData, config_class, finish, make_bundle, prepare, train
from workbench.core.training.events import TrainResult

SELECTION_NOTE = ("Chosen on the validation part only; the test part was scored once, for this model alone, "
                  "after the search.")
SELECTION_NOTE_TEXT = "Chosen on the validation part; a language model has no test part."


@dataclass
class BestModel:
    """The chosen trial, with its test scores (where the kind has a test part) and its model."""

    trial: int
    params: dict[str, Any]
    settings: dict[str, Any]
    validation: dict[str, Any]  # val_loss, best_epoch, epochs_run, stopped_reason
    run: Any  # the kind's run object: bundle, "Use best"
    metrics: dict[str, Any]  # run_scores(): validation, and test beside the baselines
    verdict: str
    note: str
    retrained: bool  # trained again here (it was trained by another process)
    run_id: int | None = None
    bundle: str | None = None
    warnings: list[str] = field(default_factory=list)


def best_trial(study: Any) -> Any:
    """The complete trial with the lowest validation loss, or None when none completed."""
    import optuna

    done = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    return min(done, key=lambda t: t.value) if done else None


def score_best(trial: Any, loaded: LoadedData, weights_folder: str) -> BestModel:
    """Rebuild the best trial's model (its kept weights, or trained again) and score its test part, once."""
    config = config_class(loaded.kind).from_dict(trial.user_attrs["settings"])
    staged = prepare(loaded, config)
    weights = Path(trial.user_attrs.get("weights") or "")
    ours = weights.parent == Path(weights_folder) and weights.is_file()
    if ours:
        from safetensors.torch import load_file

        staged.model.load_state_dict(load_file(str(weights)))
        staged.model.eval()
        result = TrainResult.from_dict(trial.user_attrs["result"])
    else:
        result = train(staged)
    run = finish(loaded, staged, result)
    metrics, verdict = run_scores(loaded.kind, run)
    note = SELECTION_NOTE_TEXT if loaded.kind == LANGUAGE_MODEL else SELECTION_NOTE
    metrics["selection"] = note
    return BestModel(trial.number, dict(trial.params), run.config.to_dict(), metrics["validation"], run, metrics,
                     verdict, note, retrained=not ours, run_id=trial.user_attrs.get("run_id") if ours else None)


def keep_best(best: BestModel, loaded: LoadedData, out: str | None, store: Any, scratch: str, study: str,
              trial_run_id: int | None = None) -> None:
    """Save the best model to `out` (or a scratch file) and give its run in `store` the test scores and a copy;
    a best trained elsewhere (and so trained again here) gets a run of its own unless this store holds it
    (`trial_run_id`: the run id its worker recorded, in the store of the machine that trained it)."""
    from workbench.core.export.kinds import save_model

    path = out or str(Path(scratch) / "best.swb")
    save_model(path, make_bundle(loaded.kind, best.run))
    best.bundle = out
    if store is None:
        return
    try:
        if best.run_id is None:
            best.run_id = _recorded_trial(store, best.trial, study, trial_run_id)
        if best.run_id is not None:
            store.attach_results(best.run_id, metrics=best.metrics, verdict=best.verdict, bundle=path)
        else:
            best.run_id = record_run(store, loaded.kind, loaded.path, loaded.read_options, best.run.config,
                                     best.run, bundle=path, study=study, trial=best.trial)
            store.attach_results(best.run_id, metrics=best.metrics)
    except Exception as error:  # noqa: BLE001 - the store must never fail the search
        best.warnings.append(f"the best model's scores were not recorded: {error}")


def _recorded_trial(store: Any, trial: int, study: str, run_id: int | None) -> int | None:
    """`run_id` when this store's run of that id is that trial of that study (it was trained on this machine)."""
    if run_id is None:
        return None
    try:
        record = store.get_run(run_id)
    except Exception:  # noqa: BLE001 - not in this store: trained on another machine
        return None
    return run_id if (record.study, record.trial) == (study, trial) else None
