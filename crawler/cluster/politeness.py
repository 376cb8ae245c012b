"""Per-host politeness that holds across workers: a Redis slot per host, held over the download.

Scrapy's download delay is per process, so N workers would hit one host N times as often.
Just before a request goes on the wire (in the download handler, after the downloader's own
queue and delay) the worker takes ``<prefix>:host:<host:port>`` with
``SET key worker NX PX <delay + DOWNLOAD_TIMEOUT>`` and holds it while the download runs; when
the answer is in (or the download failed) it leaves the key to expire one delay later
(``PEXPIRE``, only if it still holds it).  While another worker holds the key, the request
waits (``asyncio.sleep`` of the key's remaining time, at most one delay, which the reactor keeps
running around) and tries again.

So the gap the host sees between two requests of all workers together is at least the delay
counted from the end of the previous download: it holds whatever the client's own lag between
taking the slot and the request reaching the server (a new connection, a loaded machine).  A
killed worker holds a host at most one download timeout plus the delay; the key expires by
itself.  Per host this is one request at a time, ``1 / (delay + download time)`` per second
(the delay model ``make bench`` prints, bench/cluster.py).

The delay is ``CLUSTER_HOST_DELAY`` seconds, by default ``DOWNLOAD_DELAY``; at 0 the add-on
leaves the handlers alone.  The handlers wrap whatever ``DOWNLOAD_HANDLERS`` named for http and
https (the browser handler here), kept in ``CLUSTER_INNER_DOWNLOAD_HANDLERS``.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy_redis.connection import get_redis_from_settings

from . import key_prefix, worker_id


def host_delay(settings: BaseSettings) -> float:
    value = settings.get("CLUSTER_HOST_DELAY")
    return settings.getfloat("DOWNLOAD_DELAY") if value in (None, "") else float(value)


# KEYS: the host key; ARGV: worker, delay ms.  Only the holder shortens it (its hold may have
# lapsed and another worker taken the host since).
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


class HostSlots:
    """The Redis side: one expiring key per host:port, held over a download."""

    def __init__(
        self, server: Any, prefix: str, worker: str, delay: float, hold: float = 60.0
    ) -> None:
        self.server = server
        self.prefix = prefix
        self.worker = worker
        self.delay_ms = max(int(delay * 1000), 1)
        self.hold_ms = self.delay_ms + max(int(hold * 1000), 1)
        self._release = server.register_script(_RELEASE)

    def key(self, url: str) -> str:
        return f"{self.prefix}:host:{urlsplit(url).netloc.lower()}"

    async def acquire(self, url: str) -> bool:
        """Wait for the host's slot and take it; True if another request held it first."""
        key = self.key(url)
        waited = False
        while not self.server.set(key, self.worker, nx=True, px=self.hold_ms):
            waited = True
            left = self.server.pttl(key)
            await asyncio.sleep(min(max(left, 2), self.delay_ms) / 1000)
        return waited

    def release(self, url: str) -> None:
        """The download is over: the host is free again one delay from now."""
        self._release(keys=[self.key(url)], args=[self.worker, self.delay_ms])


class HostSlotDownloadHandler:
    """Takes the host's slot, then hands the request to the handler it wraps."""

    scheme = "http"
    lazy = False

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.slots = HostSlots(
            get_redis_from_settings(settings),
            key_prefix(settings) % {"spider": crawler.spidercls.name},
            worker_id(settings),
            host_delay(settings),
            settings.getfloat("DOWNLOAD_TIMEOUT", 60.0),
        )
        inner = settings.getdict("CLUSTER_INNER_DOWNLOAD_HANDLERS")[self.scheme]
        self.inner = build_from_crawler(load_object(inner), crawler)
        self._old_style = not inspect.iscoroutinefunction(self.inner.download_request)

    @classmethod
    def from_crawler(cls, crawler: Any) -> HostSlotDownloadHandler:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        if await self.slots.acquire(request.url):
            self.crawler.stats.inc_value("cluster/host_slot_waits")
        try:
            if self._old_style:
                return await maybe_deferred_to_future(
                    self.inner.download_request(request, self.crawler.spider)
                )
            return await self.inner.download_request(request)
        finally:
            self.slots.release(request.url)

    async def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            result = close()
            if inspect.isawaitable(result):
                await result
            elif hasattr(result, "addCallback"):
                await maybe_deferred_to_future(result)


class HttpsHostSlotDownloadHandler(HostSlotDownloadHandler):
    scheme = "https"
