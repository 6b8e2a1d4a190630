"""The cell race: LSTM, GRU and a plain RNN trained one after another on the same data, split and seed, each
recorded as a run, and the winner named against the baselines; and the scores table that shows runs side by
side with the baselines, best marked (the race and the window's Compare view both show it).

The winner is chosen on the validation loss, as a search chooses; the test scores of every cell are shown
beside the baselines, and the winner's verdict is the kind's own sentence.
"""

from __future__ import annotations

import dataclasses
import math
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.export.kinds import CLASSIFIER, FORECASTER, LANGUAGE_MODEL
from workbench.core.search.stages import LoadedData, Staged, finish, load_data, make_bundle, prepare, train

CELLS = ("lstm", "gru", "rnn")
MAX_HIDDEN = 4096  # ModelConfig.hidden's maximum
# The scores each kind is compared on, headline first: (part of the metrics, ((key, label, lower is better), ...)).
SCORES: dict[str, tuple[str, tuple[tuple[str, str, bool], ...]]] = {
    FORECASTER: ("test", (("mase", "MASE", True), ("mae", "MAE", True), ("rmse", "RMSE", True),
                          ("smape", "sMAPE (%)", True))),
    CLASSIFIER: ("test", (("macro_f1", "macro-F1", False), ("accuracy", "accuracy", False))),
    LANGUAGE_MODEL: ("validation", (("perplexity", "perplexity", True), ("val_loss", "nats per token", True),
                                    ("bits_per_token", "bits per token", True))),
}


# ----- the scores table ---------------------------------------------------------------------------------------------

@dataclass
class ScoreTable:
    """Scores of several runs and of their baselines: rows are scores, columns runs then baselines."""

    part: str  # "test" or "validation": which part of the data the scores are on
    rows: list[str]  # score labels
    columns: list[str]  # the runs' names, then the baselines'
    values: list[list[float]]  # [row][column]; NaN where a run has no such score
    best: list[set[int]]  # per row, the columns that are best (ties within TIE_SHARE included)
    baselines: int  # how many of the last columns are baselines
    note: str = ""  # said under the table (baselines that differ between the runs)


def score_table(kind: str, runs: Sequence[tuple[str, dict[str, Any]]]) -> ScoreTable:
    """The table of `runs` ((name, metrics as a run record keeps them)) beside the first scored run's baselines."""
    from workbench.core.forecast.score_words import compare

    part, scores = SCORES[kind]
    names = [name for name, _ in runs]
    parts = [metrics.get(part) or {} for _, metrics in runs]
    baselines, note = _baselines(kind, [metrics.get("baselines") or {} for _, metrics in runs], scores, names)
    if kind == FORECASTER:
        scores = _headline_first(scores, next((m.get("verdict_metric") for _, m in runs if m.get("verdict_metric")),
                                              None))
    columns = [*names, *baselines]
    values, best = [], []
    for key, _label, lower in scores:
        row = [_number(p.get(key)) for p in parts] + [_number(b.get(key)) for b in baselines.values()]
        finite = [v for v in row if math.isfinite(v)]
        top = (min(finite) if lower else max(finite)) if finite else math.nan
        best.append({c for c, v in enumerate(row) if finite and math.isfinite(v) and compare(v, top) == "tie"})
        values.append(row)
    return ScoreTable(part, [label for _, label, _ in scores], columns, values, best, len(baselines), note)


def _baselines(kind: str, found: list[dict[str, Any]], scores: Sequence[tuple[str, str, bool]], names: list[str],
               ) -> tuple[dict[str, dict[str, Any]], str]:
    """{label: scores} of the first run that has baselines, and a note when another run's differ."""
    first = next((i for i, b in enumerate(found) if b), None)
    if first is None:
        return {}, ""
    labels = _baseline_labels(kind)
    chosen = {labels.get(name, name): values for name, values in found[first].items() if isinstance(values, dict)}
    keys = [key for key, _, _ in scores]

    def shown(baselines: dict[str, Any]) -> dict[str, list[float | None]]:
        return {name: [_rounded(values.get(key)) for key in keys] for name, values in baselines.items()
                if isinstance(values, dict)}

    differ = [names[i] for i, b in enumerate(found) if b and shown(b) != shown(found[first])]
    note = (f"The baselines differ for {', '.join(differ)} (other data or split): shown are those of "
            f"{names[first]}." if differ else "")
    return chosen, note


def _baseline_labels(kind: str) -> dict[str, str]:
    if kind == FORECASTER:
        from workbench.core.forecast.score_words import BASELINES

        return {name: words[0] for name, words in BASELINES.items()}
    if kind == CLASSIFIER:
        from workbench.core.classify.baselines import BASELINE_LABELS

        return dict(BASELINE_LABELS)
    return {}


def _headline_first(scores: tuple[tuple[str, str, bool], ...], metric: str | None) -> tuple[tuple[str, str, bool], ...]:
    """The metric the verdict was decided on goes first (MAE when MASE is undefined)."""
    return tuple(sorted(scores, key=lambda s: s[0] != metric)) if metric else scores


def _rounded(value: Any) -> float | None:
    """A score as compared between runs' baselines: nine decimals, None when missing (NaN is never equal)."""
    number = _number(value)
    return round(number, 9) if math.isfinite(number) else None


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan


# ----- the race ----------------------------------------------------------------------------------------------------

@dataclass
class CellRun:
    """One cell's run in a race."""

    cell: str
    hidden: int
    parameters: int
    status: str  # finished, stopped or failed (core/runs/records.py)
    history: list[dict[str, float]]
    best_val_loss: float | None
    metrics: dict[str, Any]  # as record.run_scores returns them (empty when stopped or failed)
    verdict: str
    run: Any = None  # the kind's run object (None when stopped or failed)
    run_id: int | None = None  # its id in the run store, when recorded


@dataclass
class RaceResult:
    kind: str
    cells: list[CellRun]
    winner: str | None  # the cell with the lowest validation loss
    words: str  # the winner against the others and the baselines, in words
    tone: str  # the winner's verdict tone: "better", "worse", "tie", or "neutral"
    stopped: bool
    tag: str  # the study name the race's runs are recorded under
    warnings: list[str] = field(default_factory=list)

    def scores(self) -> ScoreTable:
        scored = [c for c in self.cells if c.metrics]
        return score_table(self.kind, [(c.cell.upper(), c.metrics) for c in scored])


def race(kind: str, data: str | Path | LoadedData, config: Any, cells: Sequence[str] = CELLS,
         equal_params: bool = False, callbacks_for: Callable[[str], list[Any]] | None = None,
         should_stop: Callable[[], bool] | None = None, store: Any = None,
         read_options: dict[str, Any] | None = None) -> RaceResult:
    """Train `config` once per cell in `cells`, in order, on the same data, split and seed; record each run in
    `store` (a RunStore, or None). With `equal_params`, each cell's hidden size is chosen so its network has
    about as many parameters as the first cell's (the LSTM's). `callbacks_for(cell)` gives the training
    callbacks of that cell's run; Stop ends the race after the cell training now. `data` is a file (read with
    `read_options`, as in stages.load_data) or a LoadedData the caller already read."""
    from workbench.core.runs.record import TrainingFacts, run_scores, status_of
    from workbench.core.runs.records import FAILED, STOPPED
    from workbench.core.training.events import USER_STOPPED

    loaded = data if isinstance(data, LoadedData) else load_data(kind, data, read_options)
    stop = should_stop or (lambda: False)
    tag = f"race {time.strftime('%Y-%m-%d %H:%M:%S')}"
    reference = prepare(loaded, _with_cell(config, cells[0], config.model.hidden))
    target = count_parameters(reference.model)
    done: list[CellRun] = []
    warnings: list[str] = []
    stopped = False
    with tempfile.TemporaryDirectory(prefix="workbench-race-") as scratch:
        for number, cell in enumerate(cells):
            if stop():
                stopped = True
                break
            hidden = matched_hidden(kind, reference, cell, target) if equal_params and number else config.model.hidden
            staged = reference if number == 0 else prepare(loaded, _with_cell(config, cell, hidden))
            facts = TrainingFacts()
            result = train(staged, [*(callbacks_for(cell) if callbacks_for else []), facts], stop)
            status = status_of(result)
            run, metrics, verdict = None, {}, ""
            if status != STOPPED and result.best_epoch is not None:
                run = finish(loaded, staged, result)
                metrics, verdict = run_scores(kind, run)
            else:
                status = STOPPED if result.stopped_reason == USER_STOPPED else FAILED
            entry = CellRun(cell, hidden, count_parameters(staged.model), status, list(result.history),
                            result.best_val_loss, metrics, verdict, run)
            entry.run_id = _record(store, loaded, staged, result, entry, facts, tag, number, scratch, warnings)
            done.append(entry)
            if result.stopped_reason == USER_STOPPED:
                stopped = True
                break
    winner, words, tone = judge_race(kind, done, equal_params)
    return RaceResult(kind, done, winner, words, tone, stopped, tag, warnings)


def count_parameters(model: Any) -> int:
    return int(sum(p.numel() for p in model.parameters() if p.requires_grad))


def matched_hidden(kind: str, reference: Staged, cell: str, target: int) -> int:
    """The hidden size at which a `cell` network of `reference`'s kind and data has the parameter count nearest
    `target`. A recurrent network's count is quadratic in its hidden size (the recurrent weights, then a head
    linear in it), so three tiny networks give the curve exactly, and its root gives the size."""
    counts = [_count(kind, reference, cell, h) for h in (1, 2, 3)]
    a = (counts[2] - 2 * counts[1] + counts[0]) / 2
    b = counts[1] - counts[0] - 3 * a
    c = counts[0] - a - b
    if a > 0:
        root = (-b + math.sqrt(max(0.0, b * b - 4 * a * (c - target)))) / (2 * a)
    else:
        root = (target - c) / b if b > 0 else 1.0

    def predicted(h: int) -> float:
        return a * h * h + b * h + c

    candidates = {min(MAX_HIDDEN, max(1, int(math.floor(root)) + k)) for k in (0, 1)}
    return min(sorted(candidates), key=lambda h: abs(predicted(h) - target))


def _count(kind: str, reference: Staged, cell: str, hidden: int) -> int:
    """Parameters of `reference`'s network rebuilt with another cell and hidden size (nothing is trained)."""
    config = _with_cell(reference.config, cell, hidden)
    parts = reference.parts
    if kind == FORECASTER:
        from workbench.core.forecast.pipeline import build_model

        return count_parameters(build_model(config, parts["setup"], len(parts["series"].columns)))
    if kind == LANGUAGE_MODEL:
        from workbench.core.text.pipeline import build_language_model

        return count_parameters(build_language_model(config, len(parts["split"].vocabulary)))
    from workbench.core.classify.pipeline import build_classifier

    prepared = parts["prepared"]
    return count_parameters(build_classifier(config, len(prepared.vocabulary), len(prepared.data.classes)))


def _with_cell(config: Any, cell: str, hidden: int) -> Any:
    return dataclasses.replace(config, model=dataclasses.replace(config.model, cell=cell, hidden=hidden))


def _record(store: Any, loaded: LoadedData, staged: Staged, result: Any, entry: CellRun, facts: Any, tag: str,
            number: int, scratch: str, warnings: list[str]) -> int | None:
    """Add the cell's run (and its model, when it finished) to `store`; a store problem is a warning, never fatal."""
    if store is None:
        return None
    from workbench.core.runs.record import build_record

    try:
        record = build_record(loaded.kind, loaded.path, loaded.read_options, staged.config, entry.run,
                              result=result, scores=(entry.metrics, entry.verdict), status=entry.status, facts=facts,
                              study=tag, trial=number, data_sha256=loaded.sha256)
        record.name = f"race: {entry.cell.upper()} {entry.hidden}"
        bundle = None
        if entry.run is not None:
            from workbench.core.export.kinds import save_model

            bundle = str(Path(scratch) / f"{entry.cell}.swb")
            save_model(bundle, make_bundle(loaded.kind, entry.run))
        return store.add_run(record, bundle=bundle)
    except Exception as error:  # noqa: BLE001 - the store must never fail the race
        warnings.append(f"the {entry.cell.upper()} run was not recorded: {error}")
        return None


def judge_race(kind: str, cells: Sequence[CellRun], equal_params: bool = False) -> tuple[str | None, str, str]:
    """(winner, words, tone): the cell with the lowest validation loss, said against the others, with its own
    verdict against the baselines."""
    scored = [c for c in cells if c.best_val_loss is not None and math.isfinite(c.best_val_loss)]
    if not scored:
        return None, "No cell finished an epoch with a validation loss, so there is no winner.", "neutral"
    winner = min(scored, key=lambda c: c.best_val_loss)
    others = ", ".join(f"{c.cell.upper()} {c.best_val_loss:.4g}" for c in scored if c is not winner)
    words = [f"{winner.cell.upper()} wins on validation loss ({winner.best_val_loss:.4g}"
             + (f"; {others})." if others else ").")]
    unfinished = [c.cell.upper() for c in cells if c.best_val_loss is None]
    if unfinished:
        words.append(f"Not compared: {', '.join(unfinished)} (stopped or failed before a validation loss).")
    if equal_params and len(cells) > 1:
        sizes = ", ".join(f"{c.cell.upper()} {c.hidden}" for c in cells)
        words.append(f"Hidden sizes were set for about {cells[0].parameters:,} parameters each ({sizes}).")
    if winner.verdict:
        words.append(winner.verdict)
    words.append(_test_disagrees(kind, cells, winner))
    tone = winner.metrics.get("verdict_tone", "neutral") if kind != LANGUAGE_MODEL else "neutral"
    return winner.cell, " ".join(w for w in words if w), str(tone)


def _test_disagrees(kind: str, cells: Sequence[CellRun], winner: CellRun) -> str:
    """A sentence when another cell scored better on the test part's headline score than the winner."""
    if kind == LANGUAGE_MODEL or not winner.metrics:
        return ""
    table = score_table(kind, [(c.cell, c.metrics) for c in cells if c.metrics])
    names = table.columns[:len(table.columns) - table.baselines]
    best = [names[c] for c in table.best[0] if c < len(names)]
    if not best or winner.cell in best:
        return ""
    index = names.index(best[0])
    label = table.rows[0]
    return (f"On the test part {best[0].upper()} scored better ({label} {table.values[0][index]:.4g} against "
            f"{table.values[0][names.index(winner.cell)]:.4g}); the race chooses on validation, as a search does.")
