"""Atomic file writes: write a hidden temp file in the same folder, fsync it, then rename it over the target."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from workbench.core.errors import WorkbenchError


def _write_error(path: str | Path, exc: OSError) -> WorkbenchError:
    reason = exc.strerror or str(exc)
    return WorkbenchError(f"Could not write {path}: {reason}.", hint="Choose another folder or free some space.")


def _make_temp(target: Path) -> tuple[Path, int]:
    """The empty temp file beside `target`, and the mode the finished file must have."""
    # Keep the target's suffix last: np.save appends ".npy" and pandas picks compression from the extension.
    tmp = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}")
    # O_EXCL never clobbers another writer's temp; mode 0o666 lets the umask decide, as a plain open() would.
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    if target.exists():
        os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
    return tmp, stat.S_IMODE(tmp.stat().st_mode)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; POSIX only, and best effort (some filesystems refuse).
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    with suppress(OSError):
        os.fsync(fd)
    os.close(fd)


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temp path beside `path`; on success it replaces `path`, on error it is deleted and `path` is untouched.

    OSErrors (from creating, writing or renaming) are raised as WorkbenchError; anything else is re-raised as is.
    """
    target = Path(path)
    try:
        tmp, mode = _make_temp(target)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    try:
        yield tmp
        # A writer may have replaced the temp file with its own: safetensors' save_file writes a private
        # temp file (mode 0600) and renames it over ours. Give the result the mode a plain open() would.
        os.chmod(tmp, mode)
        _fsync(tmp)
        os.replace(tmp, target)
    except BaseException as exc:
        # A failed cleanup must not hide the error that caused it.
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from exc
        raise
    _fsync_dir(target.parent)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write `text` atomically; newlines are written as given (no platform translation)."""
    atomic_write_bytes(path, text.encode(encoding))


def check_writable(path: str | Path) -> None:
    """Raise the same WorkbenchError a write would, before any slow work: the folder must exist and take a file.

    Creates and removes the temp file a real write would make, so permissions, a missing folder and a full or
    read-only disk are all caught; the target itself is not touched."""
    target = Path(path)
    if not target.parent.is_dir():
        raise WorkbenchError(f"Could not write {path}: the folder {target.parent} does not exist.",
                             hint="Create the folder first, or choose another one.")
    try:
        tmp, _ = _make_temp(target)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    with suppress(OSError):
        tmp.unlink()
