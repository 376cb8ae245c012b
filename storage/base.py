"""The interface every object-store backend implements."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from pathlib import Path


class StoreError(RuntimeError):
    """A backend could not complete an operation; the message names the key and the store."""


class StoreConfigError(StoreError):
    """STORE_URI cannot name a store (unknown scheme, no bucket, credentials in it); the message
    names the setting and the fix."""


class StoreUnavailable(StoreError):
    """The store did not answer (connection refused, timeouts, 5xx) after the backend's retries.

    The write may succeed later: the crawl spools it (storage.spool) instead of losing it.
    """


class Store(abc.ABC):
    """A flat namespace of keys (see storage.keys) holding bytes.

    Backends are synchronous; callers on Scrapy's reactor run them in a thread.
    """

    uri: str

    @abc.abstractmethod
    def put(self, key: str, data: bytes, content_type: str | None = None) -> None:
        """Store `data` under `key`, replacing what was there, atomically."""

    @abc.abstractmethod
    def get(self, key: str) -> bytes:
        """Return the bytes under `key`; raise KeyError if there are none."""

    @abc.abstractmethod
    def exists(self, key: str) -> bool: ...

    @abc.abstractmethod
    def list(self, prefix: str = "") -> Iterator[str]:
        """Yield every key that starts with `prefix`, in lexicographic order."""

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Remove `key` if it is there (a capture rolled back after a crash, storage.recovery)."""

    def put_if_absent(self, key: str, data: bytes, content_type: str | None = None) -> bool:
        """Store content-addressed data once; True if it was written now."""
        if self.exists(key):
            return False
        self.put(key, data, content_type)
        return True

    def put_file(self, key: str, path: str | Path, content_type: str | None = None) -> None:
        """Store a local file (a WARC, a large attachment); backends may stream it in parts."""
        with open(path, "rb") as fh:
            self.put(key, fh.read(), content_type)

    def check(self) -> None:  # noqa: B027  (a hook: a backend with nothing to check keeps it)
        """Raise StoreError if the store cannot be used at all (called once when a crawl opens)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.uri}>"
