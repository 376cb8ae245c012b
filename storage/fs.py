"""The embedded default backend: a directory on local disk."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .base import Store, StoreConfigError, StoreUnavailable
from .keys import check_key, check_prefix


class FileStore(Store):
    def __init__(self, uri: str):
        parts = urlsplit(uri)
        # file://relative/dir is not a URL form anyone means; accept file:./data and file:///abs.
        path = unquote(
            (parts.netloc + parts.path) if parts.netloc not in ("", "localhost") else parts.path
        )
        if not path:
            raise StoreConfigError(
                f"STORE_URI {uri!r} names no directory; use file:///abs/path or file:./data"
            )
        self.uri = uri
        self.root = Path(path).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str | None = None) -> None:
        path = self._path(key)
        # Write then rename, so a crash never leaves a half-written object under its key.
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        except OSError as exc:
            raise self._unavailable("put", key, exc) from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError as exc:  # disk full, a network mount gone: the crawl spools and retries
            Path(tmp).unlink(missing_ok=True)
            raise self._unavailable("put", key, exc) from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _unavailable(self, op: str, key: str, exc: OSError) -> StoreUnavailable:
        return StoreUnavailable(
            f"{op} {key} in {self.root}: {exc.strerror or exc}; check the disk "
            "(space, permissions, mount)"
        )

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise self._unavailable("delete", key, exc) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str = "") -> Iterator[str]:
        check_prefix(prefix)
        # Walk only the directory the prefix lies in, not the whole store.
        start = self.root / prefix.rpartition("/")[0]
        keys = []
        for dirpath, _dirnames, filenames in os.walk(start):
            for name in filenames:
                if name.startswith(".tmp-"):
                    continue
                key = Path(dirpath, name).relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    keys.append(key)
        yield from sorted(keys)
