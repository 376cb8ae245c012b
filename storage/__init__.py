"""Object storage: one `Store` chosen by the STORE_URI setting.

from storage import open_store
store = open_store("file:./data")          # the embedded default
store = open_store("s3://bucket/prefix")   # boto3; endpoint/credentials from the environment
"""

from __future__ import annotations

from importlib import import_module
from urllib.parse import urlsplit

from .base import Store, StoreConfigError, StoreError, StoreUnavailable
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
        raise StoreConfigError(
            f"STORE_URI {redact_uri(uri)!r}: unknown scheme {scheme!r}; use file:./data, "
            f"file:///abs/path or s3://BUCKET/PREFIX (known schemes: {', '.join(sorted(table))})"
        )
    try:
        module, _, name = table[scheme].rpartition(".")
        backend = getattr(import_module(module), name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise StoreConfigError(
            f"STORE_BACKENDS[{scheme!r}] = {table[scheme]!r} cannot be loaded ({exc}); "
            "name a Store class as module.Class"
        ) from None
    store: Store = backend(uri)  # a Store class, as STORE_BACKENDS names it
    return store


__all__ = ["Store", "StoreConfigError", "StoreError", "StoreUnavailable", "open_store"]
