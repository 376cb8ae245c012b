"""Object storage: one `Store` chosen by the STORE_URI setting.

    from storage import open_store
    store = open_store("file:./data")          # the embedded default
    store = open_store("s3://bucket/prefix")   # boto3; endpoint/credentials from the environment
"""
from __future__ import annotations

from importlib import import_module
from urllib.parse import urlsplit

from .base import Store, StoreError, StoreUnavailable
from .keys import redact_uri

# scheme -> backend class path; the STORE_BACKENDS setting adds to or overrides these.
BACKENDS = {
    "file": "storage.fs.FileStore",
    "s3": "storage.s3.S3Store",
}


def open_store(uri: str, backends: dict[str, str] | None = None) -> Store:
    table = {**BACKENDS, **(backends or {})}
    scheme = urlsplit(uri).scheme
    if scheme not in table:
        raise StoreError(
            f"STORE_URI {redact_uri(uri)!r}: unknown scheme {scheme!r}; known schemes: {', '.join(sorted(table))}"
        )
    module, _, name = table[scheme].rpartition(".")
    return getattr(import_module(module), name)(uri)


__all__ = ["Store", "StoreError", "StoreUnavailable", "open_store"]
