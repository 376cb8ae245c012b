"""One crawl at a time per store: a lock file in the store's STATE_DIR.

Two crawls writing into one store would interleave their captures, race on the catalog and flush
each other's spool.  `CrawlLock` (an extension, loaded first) takes an exclusive ``flock``
(storage/locks.py, the one lock mechanism) on ``STATE_DIR/<store id>/crawl.lock`` when the
crawler is built, before anything is fetched or written, and writes the holder's pid, host, run
start and command line into it. A second crawl on the same store stops at once (exit code 1)
with one line naming the holder and what to do.  The kernel drops the lock when the holding
process ends, however it ends, so a crashed crawl never leaves a stale lock; the file's contents
are only a note of who held it.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

from scrapy import signals

from crawler import settings as defaults
from storage.catalog import state_dir
from storage.locks import FileLock, LockHeld

logger = logging.getLogger(__name__)


class CrawlLocked(RuntimeError):
    """Another crawl holds this store's lock."""


def lock_path(settings) -> Path:
    root = settings.get("STATE_DIR", defaults.STATE_DIR)
    return state_dir(root, settings.get("STORE_URI", defaults.STORE_URI)) / "crawl.lock"


def acquire(path: Path) -> FileLock:
    """The lock, held; CrawlLocked naming the holder when another process has it."""
    note = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv)[:300],
    }
    try:
        return FileLock(path, note)
    except LockHeld as exc:
        holder = exc.holder
        pid = holder.get("pid", "?")
        raise CrawlLocked(
            f"another crawl is running on this store: pid {pid} on {holder.get('host', '?')}, "
            f"started {holder.get('started', '?')} ({holder.get('command', '?')}); lock {path}. "
            f"Wait for it to finish or stop it (kill {pid}); the lock is released when that "
            "process ends, so there is nothing to delete"
        ) from None


class CrawlLock:
    def __init__(self, crawler):
        self.path = lock_path(crawler.settings)
        try:
            self.lock: FileLock | None = acquire(self.path)
        except CrawlLocked as exc:
            logger.error("%s", exc)
            raise

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.release, signal=signals.engine_stopped)
        return ext

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None
