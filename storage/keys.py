"""The store's key layout, in one place.

    raw/sha256/<h[:2]>/<h>                          exact bytes served, content-addressed
    pages/<host>/<url_id>/<stamp>-<h[:12]>/meta.json    capture record + metadata header
    pages/<host>/<url_id>/<stamp>-<h[:12]>/text.txt     extracted report text
    pages/<host>/<url_id>/<stamp>-<h[:12]>/report.json  normalized report
    runs/<run_id>/summary.json                      what one crawl found

`url_id` is the SHA-1 of the URL, so no URL, title or header value ever becomes part of a
path; `stamp` is the fetch time in ISO basic form, so listing a page's prefix gives its
captures in time order.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

_SAFE_KEY = re.compile(r"^[A-Za-z0-9._\-]+(/[A-Za-z0-9._\-]+)*$")
_HOST_CHARS = re.compile(r"[^a-z0-9.\-]")


class UnsafeKey(ValueError):
    """A key that could escape its prefix or is not portable across backends."""


def check_key(key: str) -> str:
    if not _SAFE_KEY.match(key) or any(part in (".", "..") for part in key.split("/")):
        raise UnsafeKey(f"refusing unsafe store key {key!r}: keys are built by storage.keys only")
    return key


def check_prefix(prefix: str) -> str:
    """A listing prefix: empty, or a key with an optional trailing slash."""
    if prefix:
        check_key(prefix.rstrip("/") if prefix.endswith("/") else prefix)
    return prefix


def redact_uri(uri: str) -> str:
    """The URI with any user:password@ replaced, for messages."""
    parts = urlsplit(uri)
    if parts.username is None and parts.password is None:
        return uri
    return parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]).geturl()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: on a ReportPage or an Attachment (not a field): ``(body, its SHA-256)``
_BODY_SHA256 = "_nb_body_sha256"


def known_body_sha256(holder: Any) -> str | None:
    """The SHA-256 of ``holder.body`` if it was taken already (``note_body_sha256``), else None.

    A body's digest is taken once per page, where the bytes first enter: the spider, whose
    verdict memo key is over it (crawler/verdicts.py), or else the first pipeline (ReusePipeline,
    ArchivePipeline, pipelines.store.sha256_of).  Every later step reads it here.  The digest is
    bound to the very bytes object it was taken of: a holder whose ``body`` was replaced since
    is hashed afresh, never given another body's digest.  These are the exact bytes archived
    under ``raw/sha256/`` (Scrapy's body, after transfer decoding); the WARC's payload digest is
    of other bytes (the body as it came off the wire, pipelines/warc.py) and is taken apart."""
    cached = getattr(holder, "__dict__", {}).get(_BODY_SHA256)
    return cached[1] if cached is not None and cached[0] is holder.body else None


def note_body_sha256(holder: Any, body: bytes, digest: str) -> None:
    """Carry ``digest``, the SHA-256 of ``body``, on ``holder`` (a ReportPage or Attachment),
    for as long as ``holder.body`` is that very object."""
    if holder.body is body:
        holder.__dict__[_BODY_SHA256] = (body, digest)


def raw_key(sha256: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise UnsafeKey(f"not a SHA-256 hex digest: {sha256!r}")
    return f"raw/sha256/{sha256[:2]}/{sha256}"


def host_slug(url: str) -> str:
    """The URL's host (and port) reduced to a safe path segment."""
    parts = urlsplit(url)
    host = (parts.hostname or "unknown-host").lower()
    if parts.port:
        host = f"{host}_{parts.port}"
    slug = _HOST_CHARS.sub("_", host.replace(":", "_")).strip(".")
    return slug or "unknown-host"


def url_prefix(url: str) -> str:
    """Prefix under which every capture of one URL lives."""
    return f"pages/{host_slug(url)}/{hashlib.sha1(url.encode('utf-8')).hexdigest()}"


def capture_prefix(url: str, fetched_at: str, sha256: str) -> str:
    stamp = datetime.fromisoformat(fetched_at.replace("Z", "+00:00")).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{url_prefix(url)}/{stamp}-{sha256[:12]}"


def run_summary_key(run_id: str) -> str:
    return check_key(f"runs/{run_id}/summary.json")
