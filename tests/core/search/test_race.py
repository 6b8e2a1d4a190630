"""The cell race: each cell trained on the same data and seed and recorded, the winner chosen on validation and
named against the baselines, equal parameter counts, Stop; and the scores table the race and Compare show."""

import math

from tests.conftest import seasonal_table, tiny_config
from workbench.core.runs.store import RunStore
from workbench.core.search.race import CellRun, count_parameters, judge_race, matched_hidden, race, score_table
from workbench.core.search.stages import LoadedData, prepare
from workbench.core.training.callbacks import Callback


def tiny_series(epochs: int = 1) -> tuple[LoadedData, object]:
    config = tiny_config(epochs=epochs)
    config.data.horizon = 3
    return LoadedData("forecaster", "/data/load.csv", seasonal_table(), {"delimiter": ","}, "ab" * 32), config


def test_each_cell_is_trained_recorded_and_the_winner_named_on_validation(tmp_path):
    loaded, config = tiny_series()
    store = RunStore(tmp_path)
    result = race("forecaster", loaded, config, equal_params=True, store=store)
    assert [c.cell for c in result.cells] == ["lstm", "gru", "rnn"] and not result.stopped
    winner = min(result.cells, key=lambda c: c.best_val_loss)
    assert result.winner == winner.cell
    assert result.words.startswith(f"{winner.cell.upper()} wins on validation loss ({winner.best_val_loss:.4g}; ")
    assert winner.verdict in result.words  # the kind's own sentence against the baselines
    assert result.tone == winner.metrics["verdict_tone"]
    # Equal parameter counts: each cell within one hidden unit's worth of the LSTM's count.
    lstm = result.cells[0]
    assert lstm.hidden == config.model.hidden
    for cell in result.cells[1:]:
        assert cell.hidden > lstm.hidden and abs(cell.parameters - lstm.parameters) < 0.1 * lstm.parameters
    records = store.list_runs(study=result.tag)
    assert [r.settings["model"]["cell"] for r in records] == ["lstm", "gru", "rnn"]
    assert {r.seed for r in records} == {config.train.seed} and all(r.bundle for r in records)
    assert [r.id for r in records] == [c.run_id for c in result.cells]
    assert records[1].name == f"race: GRU {result.cells[1].hidden}"
    table = result.scores()
    assert table.columns[:3] == ["LSTM", "GRU", "RNN"] and table.rows[0] == "MASE" and table.part == "test"


def test_stop_ends_the_race_after_the_cell_training_now():
    loaded, config = tiny_series(epochs=3)
    stop = []

    class StopAfterFirstEpoch(Callback):
        def on_epoch_end(self, epoch, logs):
            stop.append(True)

    result = race("forecaster", loaded, config, callbacks_for=lambda cell: [StopAfterFirstEpoch()],
                  should_stop=lambda: bool(stop))
    assert result.stopped and [c.cell for c in result.cells] == ["lstm"]
    assert result.cells[0].status == "stopped" and result.cells[0].metrics == {}
    assert result.winner == "lstm"


def test_matched_hidden_finds_the_size_with_the_nearest_parameter_count():
    loaded, config = tiny_series()
    config.model.hidden = 32
    reference = prepare(loaded, config)
    target = count_parameters(reference.model)
    hidden = matched_hidden("forecaster", reference, "rnn", target)
    counts = {h: count_parameters(prepare(loaded, _cell(config, "rnn", h)).model) for h in (hidden - 1, hidden,
                                                                                           hidden + 1)}
    assert min(counts, key=lambda h: abs(counts[h] - target)) == hidden


def _cell(config, cell, hidden):
    import dataclasses

    return dataclasses.replace(config, model=dataclasses.replace(config.model, cell=cell, hidden=hidden))


def test_the_scores_table_marks_the_best_per_row_in_its_direction_and_says_when_baselines_differ():
    forecasts = [("#1", {"test": {"mase": 0.80, "mae": 2.0}, "baselines": {"naive": {"mase": 1.0, "mae": 1.5}},
                         "verdict_metric": "mase"}),
                 ("#2", {"test": {"mase": 0.801, "mae": 3.0}, "baselines": {"naive": {"mase": 1.1, "mae": 1.5}}})]
    table = score_table("forecaster", forecasts)
    assert table.columns == ["#1", "#2", "naive"] and table.baselines == 1
    assert table.rows[:2] == ["MASE", "MAE"]
    assert table.best[0] == {0, 1}  # within half a percent: a tie
    assert table.best[1] == {2}
    assert table.note == "The baselines differ for #2 (other data or split): shown are those of #1."
    classifiers = [("#3", {"test": {"macro_f1": 0.6, "accuracy": 0.7},
                           "baselines": {"majority": {"macro_f1": 0.2, "accuracy": 0.5}}})]
    table = score_table("classifier", classifiers)
    assert table.columns == ["#3", "majority class"] and table.best == [{0}, {0}]  # higher is better
    unscored = score_table("language_model", [("#4", {}), ("#5", {"validation": {"val_loss": 1.5}})])
    assert unscored.rows == ["perplexity", "nats per token", "bits per token"] and unscored.baselines == 0
    assert math.isnan(unscored.values[1][0]) and unscored.best[1] == {1} and unscored.best[0] == set()


def test_the_race_without_a_finished_cell_names_no_winner():
    cells = [CellRun("lstm", 8, 100, "failed", [], None, {}, "")]
    assert judge_race("forecaster", cells) == (
        None, "No cell finished an epoch with a validation loss, so there is no winner.", "neutral")
