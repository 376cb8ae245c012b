"""Per-host politeness that holds across workers: a Redis slot per host, taken with SET NX PX.

Scrapy's download delay is per process, so N workers would hit one host N times as often.
Before a request goes out this middleware takes the key ``<prefix>:host:<host:port>`` with
``SET key worker NX PX <delay ms>``; while another worker holds it, the request waits the key's
remaining time (``PTTL``) in an ``asyncio.sleep``, which the reactor keeps running around, and
tries again.  The key expires by itself, so a killed worker never holds a host for longer than
one delay.  The delay is ``CLUSTER_HOST_DELAY`` (seconds), by default ``DOWNLOAD_DELAY``; 0
turns the middleware off.  This is a slot (a minimum gap between the starts of two requests to
one host), not a lock held for the whole download.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy_redis.connection import get_redis_from_settings

from . import key_prefix, worker_id

logger = logging.getLogger(__name__)


class HostSlotMiddleware:
    def __init__(self, crawler: Any, server: Any, prefix: str, worker: str, delay: float) -> None:
        self.crawler = crawler
        self.server = server
        self.prefix = prefix
        self.worker = worker
        self.delay_ms = int(delay * 1000)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "HostSlotMiddleware":
        settings = crawler.settings
        if not settings.get("CLUSTER_REDIS_URL"):
            raise NotConfigured("no CLUSTER_REDIS_URL")
        value = settings.get("CLUSTER_HOST_DELAY")
        delay = settings.getfloat("DOWNLOAD_DELAY") if value in (None, "") else float(value)
        if delay <= 0:  # the loopback simulator, or politeness left to the portals' own limits
            raise NotConfigured
        return cls(crawler, get_redis_from_settings(settings), key_prefix(settings),
                   worker_id(settings), delay)

    def _key(self, request: Request) -> str:
        prefix = self.prefix % {"spider": self.crawler.spider.name}
        return f"{prefix}:host:{urlsplit(request.url).netloc.lower()}"

    async def process_request(self, request: Request) -> None:
        key = self._key(request)
        waited = False
        while not self.server.set(key, self.worker, nx=True, px=self.delay_ms):
            waited = True
            remaining = self.server.pttl(key)
            await asyncio.sleep(max(remaining, 5) / 1000)
        if waited:
            self.crawler.stats.inc_value("cluster/host_slot_waits")
