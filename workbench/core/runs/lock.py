"""An exclusive lock between processes, held while a run store is created, checked and upgraded.

Two processes opening a new runs folder at the same moment would otherwise each build, check and migrate the
store while the other is half-way through; SQLite copes with most of that, but a read-only check racing another
process's first connection can see a transient I/O error. The lock is a file beside the store that is never
deleted (deleting a lock file lets a third process lock a new file while a second still holds the old one).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

POLL_SECONDS = 0.01


class LockTimeout(Exception):
    """Another process held the lock for longer than the caller would wait."""


@contextlib.contextmanager
def exclusive_lock(path: Path, timeout: float) -> Iterator[bool]:
    """Hold an exclusive lock on `path` (created if missing). Yields True when locked, False when this folder or
    filesystem cannot lock (read-only, or no locks over some network filesystems): the caller goes on without."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield False
        return
    try:
        locked = _acquire(fd, timeout)
        try:
            yield locked
        finally:
            if locked:
                _release(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        try:
            _try_lock(fd)
            return True
        except BlockingIOError:
            pass
        except OSError as error:
            if not _held_elsewhere(error):
                return False  # locking is not supported here
        if time.monotonic() >= deadline:
            raise LockTimeout(f"waited {timeout:g} s")
        time.sleep(POLL_SECONDS)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _release(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _held_elsewhere(error: OSError) -> bool:
        return error.errno in (13, 36)  # EACCES, EDEADLOCK: another process holds the byte

else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _held_elsewhere(error: OSError) -> bool:
        return False  # flock says "held elsewhere" only as BlockingIOError (EWOULDBLOCK)
