"""Per-host politeness that holds across workers: a Redis slot per host, taken with SET NX PX.

Scrapy's download delay is per process, so N workers would hit one host N times as often.
Just before a request goes on the wire (in the download handler, after the downloader's own
queue and delay) the worker takes ``<prefix>:host:<host:port>`` with
``SET key worker NX PX <delay ms>``; while another worker holds it, the request waits the key's
remaining time (``PTTL``) in an ``asyncio.sleep``, which the reactor keeps running around, and
tries again.  The key expires by itself, so a killed worker never holds a host for more than
one delay.  This is a slot, a minimum gap between the starts of two requests to one host from
all workers together, not a lock held for the whole download.

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


class HostSlots:
    """The Redis side: one expiring key per host:port."""

    def __init__(self, server: Any, prefix: str, worker: str, delay: float) -> None:
        self.server = server
        self.prefix = prefix
        self.worker = worker
        self.delay_ms = max(int(delay * 1000), 1)

    def key(self, url: str) -> str:
        return f"{self.prefix}:host:{urlsplit(url).netloc.lower()}"

    async def acquire(self, url: str) -> bool:
        """Wait for the host's slot and take it; True if another worker held it first."""
        key = self.key(url)
        waited = False
        while not self.server.set(key, self.worker, nx=True, px=self.delay_ms):
            waited = True
            await asyncio.sleep(max(self.server.pttl(key), 2) / 1000)
        return waited


class HostSlotDownloadHandler:
    """Takes the host's slot, then hands the request to the handler it wraps."""

    scheme = "http"
    lazy = False

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.slots = HostSlots(get_redis_from_settings(settings),
                               key_prefix(settings) % {"spider": crawler.spidercls.name},
                               worker_id(settings), host_delay(settings))
        inner = settings.getdict("CLUSTER_INNER_DOWNLOAD_HANDLERS")[self.scheme]
        self.inner = build_from_crawler(load_object(inner), crawler)
        self._old_style = not inspect.iscoroutinefunction(self.inner.download_request)

    @classmethod
    def from_crawler(cls, crawler: Any) -> HostSlotDownloadHandler:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        if await self.slots.acquire(request.url):
            self.crawler.stats.inc_value("cluster/host_slot_waits")
        if self._old_style:
            return await maybe_deferred_to_future(
                self.inner.download_request(request, self.crawler.spider))
        return await self.inner.download_request(request)

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
