"""A store that never loses a write: when the backend fails, writes go to a local spool.

    store = SpoolingStore(backend, spool_root, max_bytes=2 * 1024**3)

* Writes go straight to the backend while it answers.  When a write fails (StoreUnavailable
  after boto3's retries, or any other StoreError) it is appended to the spool on local disk
  instead, and so is every later write until the spool is empty again: writes reach the store
  in the order they were made.
* A flusher thread replays the spool oldest first, one write at a time, backing off between
  failed attempts (0.5 s doubling to 15 s), and deletes each entry only after the backend
  accepted it.  A replayed write puts the same bytes under the same key, so a crash between
  "written" and "deleted" leaves no second object, only the same one written again.
* Reads see spooled writes: `get`/`exists` of a key waiting in the spool answer from it.
* Past ``max_bytes`` the write is still spooled (nothing is dropped), and while the store's
  last answer was a failure `over_limit` is true; the crawl's pipelines then stop the crawl with
  a message naming the URL and the step.  A spool over its size that the store is draining is
  a queue, not an outage: a crawl that starts on a large spool left by a killed one goes on
  while the spool is flushed.
* A spool left by a crawl that ended with the store down is found by the next crawl on the
  same store (same spool root) and flushed before that crawl's own writes; a crawl holds a
  flock on its own spool directory so two crawls never replay the same entries.

One entry is one file ``<seq>.entry``: a JSON header line (op, key, content type, SHA-256,
size), then the bytes.  It is written as ``<seq>.entry.part`` (a name the ``*.entry`` glob
cannot match), fsynced, renamed, and the directory fsynced, so a half-written entry never
exists under its name.  Before an entry is replayed its size and SHA-256 are checked again,
whatever its op; an entry that fails (a disk error, an edit) and a ``.part`` file left by a
crawl killed mid-write are moved to ``spool-corrupt/`` beside the spool, logged with the key
they carry, and counted in ``corrupt`` (the crawl reports it in its stats and run summary).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import itertools
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .base import Store, StoreError

logger = logging.getLogger(__name__)

_MIN_DELAY, _MAX_DELAY = 0.5, 15.0


class SpoolCorrupt(StoreError):
    pass


class SpoolingStore(Store):
    def __init__(
        self,
        backend: Store,
        spool_root: Path | str,
        max_bytes: int = 2 * 1024**3,
        max_concurrency: int = 8,
        name: str | None = None,
    ):
        self.backend = backend
        self.uri = backend.uri
        self.max_bytes = max_bytes
        self.root = Path(spool_root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.dir = Path(
            tempfile.mkdtemp(dir=self.root, prefix=(name or time.strftime("%Y%m%dT%H%M%SZ")) + "-")
        )
        # held (flock) for the spool's lifetime: another crawl must not adopt a live spool
        self._lockfile = open(self.dir / ".lock", "w")  # noqa: SIM115  (close() closes it)
        fcntl.flock(self._lockfile, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._sem = threading.BoundedSemaphore(max_concurrency)  # bounded concurrent backend calls
        self._lock = threading.Condition()
        self._pending: deque[Path] = deque()  # entries in write order
        self._by_key: dict[str, Path] = {}  # key -> latest spooled entry, for reads
        self._seq = itertools.count()
        self._bytes = 0
        self._flusher: threading.Thread | None = None
        self._closed = threading.Event()
        self.spooled = self.flushed = 0
        self.corrupt: list[str] = []  # entries set aside, "<file>: <why>"
        self.corrupt_dir = self.root.parent / "spool-corrupt"
        self.last_error: str | None = None
        self.failing = False  # the backend's last answer to a write was a failure
        self._adopt_leftovers()

    # -- the Store interface ------------------------------------------------------------------
    def put(self, key: str, data: bytes, content_type: str | None = None) -> None:
        self._write("put", key, data, content_type)

    def put_if_absent(self, key: str, data: bytes, content_type: str | None = None) -> bool:
        return self._write("put_if_absent", key, data, content_type)

    def put_file(self, key: str, path: str | Path, content_type: str | None = None) -> None:
        self._write("put_file", key, Path(path), content_type)

    def delete(self, key: str) -> None:
        self._write("delete", key, b"", None)

    def get(self, key: str) -> bytes:
        with self._lock:
            entry = self._by_key.get(key)
        if entry is not None:
            try:
                header, data = _read_entry(entry)
                if header["op"] == "delete":
                    raise KeyError(key)
                return data
            except FileNotFoundError:
                pass  # flushed meanwhile: the backend has it now
        with self._sem:
            return self.backend.get(key)

    def exists(self, key: str) -> bool:
        with self._lock:
            if key in self._by_key:
                return True
        with self._sem:
            return self.backend.exists(key)

    def list(self, prefix: str = "") -> Iterator[str]:
        with self._sem:
            keys = set(self.backend.list(prefix))
        with self._lock:
            keys |= {k for k in self._by_key if k.startswith(prefix)}
        yield from sorted(keys)

    def check(self) -> None:
        self.backend.check()

    # -- spooling -----------------------------------------------------------------------------
    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    @property
    def pending_bytes(self) -> int:
        with self._lock:
            return self._bytes

    @property
    def over_limit(self) -> bool:
        return self.failing and self.pending_bytes > self.max_bytes

    def _write(self, op: str, key: str, data: bytes | Path, content_type: str | None) -> bool:
        with self._lock:
            if self._pending:
                self._append(op, key, data, content_type)
                return True
        try:
            with self._sem:
                written = _apply(self.backend, op, key, data, content_type)
            self.failing = False
            return written
        except StoreError as exc:
            with self._lock:
                first = not self._pending
                self.last_error, self.failing = str(exc), True
                self._append(op, key, data, content_type)
            if first:
                logger.warning(
                    "store %s failed at %s: %s; spooling writes to %s and retrying in the "
                    "background, in order; the crawl goes on",
                    self.uri,
                    key,
                    exc,
                    self.dir,
                )
            return True

    def _append(self, op: str, key: str, data: bytes | Path, content_type: str | None) -> None:
        """Add an entry (caller holds the lock) and make sure a flusher runs."""
        path = self.dir / f"{next(self._seq):012d}.entry"
        size = _write_entry(path, op, key, data, content_type)
        self._pending.append(path)
        self._by_key[key] = path
        self._bytes += size
        self.spooled += 1
        if self._flusher is None:
            self._flusher = threading.Thread(
                target=self._flush_loop, name="store-spool-flusher", daemon=True
            )
            self._flusher.start()

    def _flush_loop(self) -> None:
        delay = _MIN_DELAY
        while True:
            with self._lock:
                if not self._pending or self._closed.is_set():
                    self._flusher = None
                    self._lock.notify_all()
                    return
                path = self._pending[0]
            try:
                header, data = _read_entry(path, header_only=_is_file_entry(path))
                if header["op"] == "put_file":
                    _check_file_entry(path, header)
            except (
                SpoolCorrupt,
                ValueError,
                KeyError,
                OSError,
            ) as exc:  # a damaged entry must not stop the rest
                with self._lock:
                    self._pending.popleft()
                    key = _key_of(path)
                    if key is not None and self._by_key.get(key) == path:
                        del self._by_key[key]
                    self._set_aside(path, str(exc))
                    if not self._pending:
                        self._remove_adopted_dirs()
                continue
            try:
                with self._sem:
                    if header["op"] == "put_file":
                        _apply(
                            self.backend,
                            "put_file",
                            header["key"],
                            path,
                            header.get("content_type"),
                            offset=len(json.dumps(header).encode()) + 1,
                        )
                    else:
                        _apply(
                            self.backend,
                            header["op"],
                            header["key"],
                            data,
                            header.get("content_type"),
                        )
            except StoreError as exc:
                self.last_error, self.failing = str(exc), True
                self._closed.wait(delay)
                delay = min(delay * 2, _MAX_DELAY)
                continue
            delay, self.failing = _MIN_DELAY, False
            with self._lock:
                self._pending.popleft()
                if self._by_key.get(header["key"]) == path:
                    del self._by_key[header["key"]]
                self._bytes -= path.stat().st_size
                path.unlink()
                self.flushed += 1
                if not self._pending:
                    logger.info(
                        "store %s is back: %d spooled writes flushed in order",
                        self.uri,
                        self.flushed,
                    )
                    self._remove_adopted_dirs()

    def _set_aside(self, path: Path, why: str, counted: bool = True) -> None:
        """Move a damaged entry out of every spool (nothing replays or deletes it) and report it."""
        self.corrupt_dir.mkdir(parents=True, exist_ok=True)
        target = self.corrupt_dir / f"{path.parent.name}-{path.name}"
        with contextlib.suppress(OSError):
            if counted:
                self._bytes -= path.stat().st_size
            path.rename(target)
        self.corrupt.append(f"{target}: {why}")
        logger.error(
            "spool entry %s cannot be replayed (%s); moved to %s for inspection, the flush goes "
            "on. Its write is not in the store: re-crawl the page it belongs to",
            path,
            why,
            target,
        )

    def drain(self, timeout: float) -> int:
        """Wait until the spool is empty or `timeout` seconds passed; return what is left."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(min(left, 0.5))
            return len(self._pending)

    def close(self) -> None:
        """Release the spool: an empty one is removed, a non-empty one waits for the next crawl."""
        self._closed.set()
        flusher = self._flusher
        if flusher is not None:
            flusher.join()  # ends after the write in hand: nobody else may replay it meanwhile
        with self._lock:
            left = len(self._pending)
        if not left:
            shutil.rmtree(self.dir, ignore_errors=True)
        self._lockfile.close()
        for _, lock in self._adopted:
            lock.close()

    def _adopt_leftovers(self) -> None:
        """Queue the entries of spools left by earlier crawls on this store, oldest first."""
        self._adopted: list[tuple[Path, IO[str]]] = []
        for old in sorted(p for p in self.root.iterdir() if p.is_dir() and p != self.dir):
            if old.name == self.corrupt_dir.name:
                continue
            lock = open(old / ".lock", "a")  # noqa: SIM115  (held until its entries are replayed)
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
                continue  # a running crawl owns it
            entries = sorted(old.glob("*.entry"))
            for part in sorted(old.glob("*.part")):  # killed mid-write: never a whole entry
                self._set_aside(
                    part,
                    "half-written: the crawl writing it was killed before it finished",
                    counted=False,
                )
            if not entries:
                lock.close()
                shutil.rmtree(old, ignore_errors=True)
                continue
            self._adopted.append((old, lock))
            with self._lock:
                for path in entries:
                    try:
                        key = _read_entry(path, header_only=True)[0]["key"]
                    except (ValueError, KeyError):
                        key = None  # damaged: the flusher sets it aside
                    self._pending.append(path)
                    if key is not None:
                        self._by_key[key] = path
                    self._bytes += path.stat().st_size
        if self._pending:
            logger.warning(
                "store %s: %d writes left spooled by an earlier crawl in %s; flushing them first",
                self.uri,
                len(self._pending),
                self.root,
            )
            with self._lock:
                self._flusher = threading.Thread(
                    target=self._flush_loop, name="store-spool-flusher", daemon=True
                )
                self._flusher.start()

    def _remove_adopted_dirs(self) -> None:
        for old, lock in self._adopted:
            lock.close()
            shutil.rmtree(old, ignore_errors=True)
        self._adopted = []


def _apply(
    backend: Store, op: str, key: str, data: bytes | Path, content_type: str | None, offset: int = 0
) -> bool:
    if op == "put" and isinstance(data, bytes):
        backend.put(key, data, content_type)
        return True
    if op == "put_if_absent" and isinstance(data, bytes):
        return backend.put_if_absent(key, data, content_type)
    if op == "put_file" and isinstance(data, Path):
        if offset:  # replaying a spooled file: its bytes follow the header inside the entry
            with open(data, "rb") as fh:
                fh.seek(offset)
                with tempfile.NamedTemporaryFile(dir=Path(data).parent, prefix=".replay-") as tmp:
                    shutil.copyfileobj(fh, tmp)
                    tmp.flush()
                    backend.put_file(key, tmp.name, content_type)
            return True
        backend.put_file(key, data, content_type)
        return True
    if op == "delete":
        backend.delete(key)
        return True
    raise ValueError(f"unknown spool op {op!r} on {type(data).__name__} data")


def _write_entry(
    path: Path, op: str, key: str, data: bytes | Path, content_type: str | None
) -> int:
    if isinstance(data, Path):
        digest = _file_sha256(data)
        size = data.stat().st_size
    else:
        digest, size = hashlib.sha256(data).hexdigest(), len(data)
    header = json.dumps(
        {"op": op, "key": key, "content_type": content_type, "sha256": digest, "size": size}
    )
    tmp = path.with_name(path.name + ".part")  # not matched by the *.entry glob
    with open(tmp, "wb") as fh:
        fh.write(header.encode() + b"\n")
        if isinstance(data, Path):
            with open(data, "rb") as src:
                shutil.copyfileobj(src, fh)
        else:
            fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)  # the rename itself survives a power cut
    return path.stat().st_size


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _key_of(path: Path) -> str | None:
    try:
        key: str = _read_entry(path, header_only=True)[0]["key"]
    except (ValueError, KeyError, OSError):
        return None
    return key


def _check_file_entry(path: Path, header: dict[str, Any]) -> None:
    """The bytes of a put_file entry, after its header, have the size and SHA-256 it names."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        fh.readline()
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    if size != header["size"] or digest.hexdigest() != header["sha256"]:
        hashed = "matches" if digest.hexdigest() == header["sha256"] else "mismatch"
        raise SpoolCorrupt(
            f"spool entry {path} for key {header['key']} is corrupt ({size} of "
            f"{header['size']} bytes, SHA-256 {hashed})"
        )


def _read_entry(path: Path, header_only: bool = False) -> tuple[dict[str, Any], bytes]:
    with open(path, "rb") as fh:
        header = json.loads(fh.readline())
        if header_only:
            return header, b""
        data = fh.read()
    if header["op"] != "put_file" and (
        len(data) != header["size"] or hashlib.sha256(data).hexdigest() != header["sha256"]
    ):
        raise SpoolCorrupt(
            f"spool entry {path} for key {header['key']} is corrupt ({len(data)} of "
            f"{header['size']} bytes or SHA-256 mismatch)"
        )
    return header, data


def _is_file_entry(path: Path) -> bool:
    op: str = _read_entry(path, header_only=True)[0]["op"]
    return op == "put_file"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
