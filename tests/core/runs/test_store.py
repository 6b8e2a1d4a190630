"""The run store: round trips, edits, filters, migrations, refusing files that are not ours, processes creating
and writing one store at once, transient errors tried again."""

import multiprocessing
import sqlite3

import pytest

from workbench.core.runs import store as store_module
from workbench.core.runs.files import RunStoreBusy, RunStoreError
from workbench.core.runs.records import RunRecord
from workbench.core.runs.schema import APPLICATION_ID, SCHEMA_VERSION, migrate
from workbench.core.runs.store import DB_NAME, RunStore
from workbench.core.runs.table import differing_settings, runs_frame


def a_run(**changes) -> RunRecord:
    values = dict(kind="forecaster", status="finished", message="Finished all 2 epochs.", started=1.7e9,
                  ended=1.7e9 + 3, data_path="/data/load.csv", data_sha256="ab" * 32, read_options={"delimiter": ","},
                  settings={"model": {"cell": "gru", "hidden": 8}, "train": {"seed": 0}}, seed=0,
                  environment={"versions": {"torch": "2.13.0"}, "device": "cpu", "threads": 1},
                  history=[{"epoch": 1, "loss": 0.9, "val_loss": 1.1}, {"epoch": 2, "loss": 0.5, "val_loss": 0.7}],
                  metrics={"validation": {"val_loss": 0.7}, "test": {"mase": 0.8}}, verdict="Beats both.", epochs=2,
                  best_val_loss=0.7)
    return RunRecord(**{**values, **changes})


def test_a_run_comes_back_as_it_went_in_with_every_epoch(tmp_path):
    with RunStore(tmp_path) as store:
        run_id = store.add_run(a_run())
        back = store.get_run(run_id)
    assert back == a_run(id=run_id)
    assert [e["epoch"] for e in back.history] == [1, 2]
    assert back.to_dict()["data"] == {"path": "/data/load.csv", "sha256": "ab" * 32, "read_options": {"delimiter": ","}}


def test_name_star_notes_are_editable_and_delete_removes_the_bundle(tmp_path):
    bundle = tmp_path / "m.swb"
    bundle.write_bytes(b"model bytes")
    store = RunStore(tmp_path / "runs")
    run_id = store.add_run(a_run(), bundle=bundle)
    kept = store.get_run(run_id).bundle
    assert kept == str(tmp_path / "runs" / "bundles" / f"{run_id}.swb") and open(kept, "rb").read() == b"model bytes"
    store.update_run(run_id, name="wide GRU", starred=True, notes="try more epochs")
    edited = store.get_run(run_id)
    assert (edited.name, edited.starred, edited.notes) == ("wide GRU", True, "try more epochs")
    store.delete_run(run_id)
    assert store.list_runs() == [] and not (tmp_path / "runs" / "bundles" / f"{run_id}.swb").exists()
    with pytest.raises(RunStoreError, match=f"There is no run {run_id} in "):
        store.get_run(run_id)


def test_filters_by_data_file_study_kind_and_star(tmp_path):
    data = tmp_path / "load.csv"
    data.write_text("t,y\n1,2\n")
    store = RunStore(tmp_path / "runs")
    moved = store.add_run(a_run(data_path="/elsewhere/load.csv", data_sha256=__import__("hashlib").sha256(
        data.read_bytes()).hexdigest()))
    same_path = store.add_run(a_run(data_path=str(data), data_sha256="0" * 64, study="s", trial=0))
    store.add_run(a_run(kind="classifier", starred=True))
    assert [r.id for r in store.list_runs(data=data)] == [moved, same_path]  # the same bytes, or the same path
    assert [r.trial for r in store.list_runs(study="s")] == [0]
    assert [r.kind for r in store.list_runs(starred=True)] == ["classifier"]
    assert store.list_runs(kind="classifier")[0].history == []  # listed without curves unless asked
    assert store.list_runs(kind="forecaster", with_history=True)[0].history == a_run().history


def test_the_table_flattens_settings_and_scores_and_names_what_differs(tmp_path):
    runs = [a_run(id=1), a_run(id=2, settings={"model": {"cell": "lstm", "hidden": 8}, "train": {"seed": 0}})]
    frame = runs_frame(runs)
    assert list(frame["settings.model.cell"]) == ["gru", "lstm"] and list(frame["metrics.test.mase"]) == [0.8, 0.8]
    assert differing_settings(runs) == {"model.cell": ["gru", "lstm"]}


def _store_file(tmp_path):
    RunStore(tmp_path).close()
    return tmp_path / DB_NAME


@pytest.mark.parametrize("name, make, reason", [
    ("text", lambda path: path.write_text("id,name\n1,a\n"), "is not a run store: it is not an SQLite database"),
    ("empty", lambda path: path.write_bytes(b""), "is not a run store: it is empty"),
    ("foreign", lambda path: _foreign_sqlite(path), "without the workbench's marker (another program's file)"),
])
def test_a_file_that_is_not_a_run_store_is_refused_and_left_byte_identical(tmp_path, name, make, reason):
    path = tmp_path / DB_NAME
    make(path)
    before = path.read_bytes()
    with pytest.raises(RunStoreError) as refused:
        RunStore(tmp_path)
    assert reason in refused.value.message and "It was left as it is." in refused.value.hint
    assert path.read_bytes() == before


def _foreign_sqlite(path):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE people (name TEXT)")
    db.execute("INSERT INTO people VALUES ('Ada')")
    db.commit()
    db.close()


def test_a_damaged_store_is_refused_and_never_overwritten(tmp_path):
    path = _store_file(tmp_path)
    whole = path.read_bytes()
    path.write_bytes(whole[:100] + b"\xff" * (len(whole) - 100))  # the header survives, the pages do not
    before = path.read_bytes()
    with pytest.raises(RunStoreError, match="is damaged"):
        RunStore(tmp_path).list_runs()
    assert path.read_bytes() == before


def test_a_store_from_a_newer_workbench_is_refused(tmp_path):
    path = _store_file(tmp_path)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(RunStoreError, match=f"newer version of the workbench \\(schema {SCHEMA_VERSION + 1};"):
        RunStore(tmp_path)
    assert path.read_bytes() == before


def test_an_older_store_is_migrated_and_keeps_its_runs(tmp_path):
    # A store as the first schema version wrote it, with one run in it.
    db = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    migrate(db, target=1)
    db.execute("INSERT INTO runs (kind, status) VALUES ('forecaster', 'finished')")
    db.execute("INSERT INTO histories VALUES (1, '[]')")
    db.close()
    store = RunStore(tmp_path)
    assert [r.kind for r in store.list_runs()] == ["forecaster"]
    check = sqlite3.connect(tmp_path / DB_NAME)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert check.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert "runs_by_study" in {row[0] for row in check.execute("SELECT name FROM sqlite_master")}


def _open_and_add(folder, barrier, name, count):
    barrier.wait(timeout=20)  # every process opens the new folder at the same moment
    store = RunStore(folder)
    for k in range(count):
        store.add_run(RunRecord(kind="forecaster", status="finished", name=f"{name}-{k}",
                                history=[{"epoch": 1, "loss": 1.0, "val_loss": 1.0}]))
    store.close()


def test_processes_creating_one_new_store_at_once_all_write_and_lose_nothing(tmp_path):
    # The store and its folder do not exist yet: all four create them at once, then write at the same time.
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(4)
    writers = [context.Process(target=_open_and_add, args=(tmp_path / "runs", barrier, name, 15)) for name in "abcd"]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    assert [writer.exitcode for writer in writers] == [0, 0, 0, 0]  # a refused store raises: the traceback is above
    names = sorted(r.name for r in RunStore(tmp_path / "runs").list_runs())
    assert names == sorted(f"{w}-{k}" for w in "abcd" for k in range(15))


def test_a_transient_io_error_is_tried_again_and_never_called_damage(tmp_path, monkeypatch):
    path = _store_file(tmp_path)
    real, failures = sqlite3.connect, [2]

    def racing(*args, **kwargs):
        if failures[0]:  # what another process closing or creating the store can cause for a moment
            failures[0] -= 1
            error = sqlite3.OperationalError("disk I/O error")
            error.sqlite_errorcode = 10  # SQLITE_IOERR
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", racing)
    assert RunStore(tmp_path).list_runs() == []  # opened on the third try
    failures[0] = 10**6
    monkeypatch.setattr(store_module, "RETRY_SECONDS", 0.05)
    with pytest.raises(RunStoreBusy) as lasting:
        RunStore(tmp_path)
    assert lasting.value.message == f"The run store {path} could not be read or written just now (disk I/O error)."
    assert lasting.value.hint.startswith("Another process may be opening or closing it at this moment; try again.")
