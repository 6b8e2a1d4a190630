"""Atomic writes: content lands whole, failures leave the old file and no temp file behind."""

import os

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.export.atomic import (
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
)


def test_writes_bytes_and_text(tmp_path):
    atomic_write_bytes(tmp_path / "a.bin", b"\x00\x01")
    atomic_write_text(tmp_path / "b.txt", "héllo\n")
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\x01"
    assert (tmp_path / "b.txt").read_bytes() == "héllo\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin", "b.txt"]


def test_atomic_path_yields_hidden_sibling_with_same_suffix(tmp_path):
    target = tmp_path / "data.csv"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".data.") and tmp.suffix == ".csv"
        tmp.write_text("x,y\n")
    assert target.read_text() == "x,y\n"
    assert not tmp.exists()


def test_exception_keeps_old_file_and_removes_temp(tmp_path):
    target = tmp_path / "model.json"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="boom"), atomic_path(target) as tmp:
        tmp.write_bytes(b"half-written")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["model.json"]


def test_replacing_keeps_file_mode(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_missing_folder_raises_workbench_error(tmp_path):
    path = tmp_path / "missing" / "out.json"
    with pytest.raises(WorkbenchError) as err:
        atomic_write_text(path, "{}")
    assert err.value.message == f"Could not write {path}: No such file or directory."
    assert err.value.hint == "Choose another folder or free some space."
    assert isinstance(err.value.__cause__, OSError)


def test_os_error_inside_writer_becomes_workbench_error(tmp_path):
    target = tmp_path / "out.bin"
    with pytest.raises(WorkbenchError, match="No space left on device"), atomic_path(target):
        raise OSError(28, "No space left on device")
    assert os.listdir(tmp_path) == []
