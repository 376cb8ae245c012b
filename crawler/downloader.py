"""Scrapy's downloader with one download slot per host *and port*.

Scrapy keys a download slot (its concurrency, delay and AutoThrottle state) by hostname alone,
so every server on one address shares one politeness budget: the simulator's portals, all on
127.0.0.1 with a port each, would be crawled as if they were a single host.  Here a URL on a
non-default port gets the slot ``host:port``; on the scheme's own port the slot stays ``host``,
so ``DOWNLOAD_SLOTS`` entries for real portals keep their plain host names.

The key is computed by ``get_slot_key``, which both the downloader and
``DownloaderAwarePriorityQueue`` call (the queue already at scheduling time, before any
middleware runs), so the queue's idea of "this host is busy" and the downloader's agree.
A request's own ``meta["download_slot"]`` still wins, as in Scrapy.
"""
from __future__ import annotations

from scrapy import Request
from scrapy.core.downloader import Downloader
from scrapy.utils.httpobj import urlparse_cached

_DEFAULT_PORTS = {"http": 80, "https": 443}


def slot_key(request: Request) -> str:
    """``host`` on the scheme's default port, else ``host:port``."""
    parts = urlparse_cached(request)
    host = parts.hostname or ""
    port = parts.port
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme):
        return host
    return f"{host}:{port}"


class HostPortDownloader(Downloader):
    def get_slot_key(self, request: Request) -> str:
        meta_slot: str | None = request.meta.get(self.DOWNLOAD_SLOT)
        if meta_slot is not None:
            return meta_slot
        if self.ip_concurrency:
            # CONCURRENT_REQUESTS_PER_IP asks for one slot per resolved address: Scrapy's keying
            return super().get_slot_key(request)
        return slot_key(request)
