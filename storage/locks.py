"""Locks a process holds while it runs: an exclusive ``flock`` on a file, freed by the kernel
when the process ends however it ends, so no lock is ever left stale.

One mechanism for the two locks of a crawl: the one-crawl-per-store lock
(``crawler.runlock.CrawlLock``, ``STATE_DIR/<store id>/crawl.lock``, with a note of its holder)
and the "this run is alive" lock recovery asks about (``storage.recovery.RunLock``).
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import IO, Any


class LockHeld(RuntimeError):
    """Another process holds the lock; ``holder`` is the note it wrote into the file, if any."""

    def __init__(self, path: Path, holder: dict[str, Any]):
        super().__init__(f"{path} is held by another process")
        self.path, self.holder = path, holder


class FileLock:
    """The exclusive lock on ``path``, taken at once or ``LockHeld``.

    ``note`` (a dict) is written into the file for whoever finds it held; ``remove`` deletes the
    file on release (a lock file per run, not one reused).
    """

    def __init__(self, path: Path, note: dict[str, Any] | None = None, *, remove: bool = False):
        self.path, self.remove = Path(path), remove
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # held open until release(): the flock lives as long as the handle
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = _note(handle.read())
            handle.close()
            raise LockHeld(self.path, holder) from None
        if note is not None:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(note))
            handle.flush()
        self.handle: IO[str] | None = handle

    def release(self) -> None:
        if self.handle is None:
            return
        if self.remove:
            self.path.unlink(missing_ok=True)
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
        self.handle = None

    def close(self) -> None:
        self.release()


def held(path: Path) -> bool:
    """Whether another live process holds the lock on ``path`` (asked without waiting)."""
    with open(path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False


def _note(text: str) -> dict[str, Any]:
    try:
        note = json.loads(text or "{}")
    except ValueError:
        return {}
    return note if isinstance(note, dict) else {}
