"""One store per crawl, shared by every pipeline and extension that writes to it.

`crawler_storage(crawler)` builds, once per crawl:
* the backend chosen by STORE_URI (storage.open_store), wrapped in a `SpoolingStore`: while
  the backend does not answer, writes go to a local spool and are flushed in order when it
  returns (STORE_SPOOL_MAX_BYTES, STORE_SPOOL_CLOSE_WAIT, STORE_MAX_CONCURRENCY);
* the catalog of captures (storage.catalog), a SQLite file;
* the crawl's run id, stamped on every capture record and on the run summary.  With
  ``-s JOBDIR=DIR`` it is kept in DIR, so a resumed crawl goes on as the same run (one capture
  and one WARC response per report, however often it was killed);
* at the start, `storage.recovery` for what killed crawls left (WARC files left open,
  half-written captures), before anything new is written.

Local state (catalog, spool) lives under STATE_DIR/<store id>/, one directory per store, so
two stores never share a catalog and a spool left by a crawl is found by the next crawl on the
same store.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.job import job_dir

from crawler import settings as defaults
from storage import Store, StoreConfigError, StoreError, StoreUnavailable, keys, open_store
from storage.catalog import Catalog, state_dir
from storage.recovery import RunLock, recover
from storage.spool import SpoolingStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class CrawlStorage:
    """The store, the catalog and the run id of one crawl, and their opening and closing."""

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        # A broken STORE_URI is not a reason to crawl without archiving: the crawl does not start
        # (StoreConfigError, not NotConfigured, which would quietly switch the pipelines off).
        uri = settings.get("STORE_URI")
        backend = open_backend(settings)
        self.crawler = crawler
        self.drained = False  # the run summary has already waited for the spool
        self.run_id, self.resumed = _run_id(job_dir(settings))
        self.state_dir = state_dir(settings.get("STATE_DIR", defaults.STATE_DIR), uri)
        self.lock = RunLock(self.state_dir, self.run_id)
        self.store = SpoolingStore(
            backend,
            self.state_dir / "spool",
            max_bytes=settings.getint("STORE_SPOOL_MAX_BYTES", defaults.STORE_SPOOL_MAX_BYTES),
            max_concurrency=settings.getint(
                "STORE_MAX_CONCURRENCY", defaults.STORE_MAX_CONCURRENCY
            ),
            name=self.run_id,
        )
        self.catalog = Catalog(self.state_dir / "catalog.sqlite")
        self.stopping = False
        # Held so the event loop's weak reference is not the only one to the closing task.
        self.closing: asyncio.Future[None] | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        # Connected after the extensions' handlers, so the run summary is written before we close.
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    async def spider_opened(self, spider=None):
        try:
            await in_thread(self.store.check)
            await in_thread(self._catalog_on_empty_store)
        except StoreUnavailable as exc:
            logger.warning(
                "store %s is not answering at the start of the crawl (%s); writes are spooled "
                "under %s until it does",
                self.store.uri,
                exc,
                self.store.dir,
            )
        except StoreError as exc:
            self.stop(
                f"the store cannot be used: {exc}. "
                "Fix STORE_URI or the credentials and crawl again",
                reason="store_error",
            )
            return
        # Before the first request: what killed crawls left (their writes go through the spool too).
        try:
            recovery = await in_thread(recover, self.state_dir, self.store, self.catalog)
        except StoreError as exc:
            logger.warning(
                "could not set right what a stopped crawl left in %s (%s); the next crawl on this "
                "store tries again",
                self.state_dir,
                exc,
            )
            return
        if recovery:
            logger.warning("recovered what stopped crawls left in %s: %s", self.state_dir, recovery)
            for name, value in vars(recovery).items():
                self.crawler.stats.set_value(f"nianbao/recovery/{name}", value)

    def _catalog_on_empty_store(self) -> None:
        """A catalog started on an empty store holds every capture the store will get."""
        # The backend's own list() is lazy: one request answers whether pages/ holds anything.
        if (
            not self.catalog.complete
            and self.catalog.count() == 0
            and next(self.store.backend.list("pages/"), None) is None
        ):
            self.catalog.mark_complete(f"started on the empty store {self.store.uri}")

    def stop(self, message: str, reason: str = "store_unreachable") -> None:
        """Stop the crawl once, with an error naming what happened and what to do."""
        if self.stopping:
            return
        self.stopping = True
        logger.error("stopping the crawl: %s", message)
        self.crawler.stats.set_value("nianbao/store/stop_reason", message)
        self.closing = asyncio.ensure_future(self.crawler.engine.close_spider_async(reason=reason))

    def check_spool(self, url: str, step: str) -> None:
        """Stop the crawl when the spool has grown past its limit (after `step` of `url`)."""
        store = self.store
        if store.over_limit and not self.stopping:
            self.stop(
                f"the store {store.uri} has not accepted writes for a while and the local spool "
                f"{store.root} holds {store.pending} writes, {store.pending_bytes / 1024**2:.1f} "
                f"MB, over STORE_SPOOL_MAX_BYTES={store.max_bytes} (last at {url}, step {step}; "
                f"last store error: {store.last_error}). Nothing is lost: bring the store back "
                "(check the endpoint, network and credentials) and run the crawl again, which "
                "flushes the spool first; or raise STORE_SPOOL_MAX_BYTES"
            )

    async def spider_closed(self, spider=None, reason=None):
        store, stats = self.store, self.crawler.stats
        # A crawl stopped because of the store would only wait for it in vain.
        settings = self.crawler.settings
        wait = (
            0
            if self.stopping
            else settings.getfloat("STORE_SPOOL_CLOSE_WAIT", defaults.STORE_SPOOL_CLOSE_WAIT)
        )
        if self.drained:  # only the run summary's own write is new since then
            wait = min(wait, 5)
        left = await in_thread(store.drain, wait) if store.pending else 0
        stats.set_value("nianbao/store/spooled", store.spooled)
        stats.set_value("nianbao/store/flushed", store.flushed)
        stats.set_value("nianbao/store/left_in_spool", left)
        if left:
            logger.error(
                "store %s still unreachable after waiting %.0fs: %d writes stay spooled in %s. "
                "Nothing is lost: the next crawl with this STORE_URI and STATE_DIR flushes them "
                "first (last store error: %s)",
                store.uri,
                wait,
                left,
                store.dir,
                store.last_error,
            )
        store.close()
        self.catalog.close()
        self.lock.release()


def _run_id(jobdir: str | None) -> tuple[str, bool]:
    """A new run id, or the one kept in JOBDIR (then True: this crawl resumes that run)."""
    path = Path(jobdir, "nianbao-run-id") if jobdir else None
    if path is not None and path.is_file():
        return path.read_text().strip(), True
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(run_id + "\n")
    return run_id, False


def open_backend(settings) -> Store:
    """The backend STORE_URI names; StoreConfigError (naming the setting and the fix) if none."""
    uri = settings.get("STORE_URI")
    if not uri:
        raise StoreConfigError("STORE_URI is empty: set it to file:./data or s3://BUCKET/PREFIX")
    return open_store(uri, settings.getdict("STORE_BACKENDS"))


def preflight(settings) -> str | None:
    """Why the crawl must not start (one line naming the setting and the fix), or None: the
    store STORE_URI names can be opened and answers.  Run before the first request."""
    try:
        backend = open_backend(settings)
    except StoreError as exc:
        return str(exc)
    try:
        backend.check()
    except StoreError as exc:
        return (
            f"the store of STORE_URI={settings.get('STORE_URI')} cannot be used at the start of "
            f"the crawl: {exc} (start the store, or fix STORE_URI, the endpoint or the "
            "credentials, and crawl again)"
        )
    return None


def crawler_storage(crawler: Crawler) -> CrawlStorage:
    storage = getattr(crawler, "_nianbao_storage", None)
    if storage is None:
        storage = crawler._nianbao_storage = CrawlStorage(crawler)
    return storage


def crawler_store(crawler: Crawler) -> Store:
    return crawler_storage(crawler).store


async def in_thread(func, *args):
    """Store calls block (disk, boto3); keep them off the reactor thread."""
    return await asyncio.to_thread(func, *args)


#: bodies up to this size are hashed in the reactor thread (under a millisecond); a larger one
#: (a 50 MB page: a few hundred ms) in a thread, where hashlib lets go of the GIL
_HASH_INLINE_BYTES = 1024**2


async def sha256_of(holder) -> str:
    """The SHA-256 (hex) of a page's or attachment's body (``holder.body``), without holding up
    the reactor: the digest taken already (by the spider, or an earlier pipeline) if there is
    one (storage.keys.known_body_sha256), else taken now and carried on ``holder``."""
    known = keys.known_body_sha256(holder)
    if known is not None:
        return known
    body = holder.body
    if len(body) <= _HASH_INLINE_BYTES:
        digest = keys.sha256_hex(body)
    else:
        digest = await in_thread(keys.sha256_hex, body)
    keys.note_body_sha256(holder, body, digest)
    return digest


class StorePipeline:
    """Base of the item pipelines that write to the crawl's store."""

    def __init__(self, store: Store, storage: CrawlStorage | None = None):
        self.store = store
        self.storage = storage

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        storage = crawler_storage(crawler)
        return cls(storage.store, storage)
