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

Its slots draw the jitter (``DOWNLOAD_DELAY_JITTER``) once per gap between two requests.
Scrapy's slot draws a new delay every time its queue is looked at (each response, each new
request, each wake-up) and waits again whenever the new draw is longer than the time already
waited, so the gaps come out near the longest draws: about 1.2 × the delay at ±50%, not the
delay on average.  Drawn once per gap, the mean gap is the delay and the spread stays ±50%.
"""

from __future__ import annotations

import random

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
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


class EvenJitterSlot(Slot):
    """A download slot whose jittered delay is drawn once per gap (see the module docstring)."""

    def __init__(self, concurrency: int, delay: float, jitter: float | None = None) -> None:
        super().__init__(concurrency, delay, jitter)
        self._factor_for: float | None = None  # the lastseen the current factor was drawn for
        self._factor = 1.0

    def download_delay(self) -> float:
        if not self.jitter:
            return self.delay
        if self._factor_for != self.lastseen:  # a request went out: a new gap, a new draw
            self._factor_for = self.lastseen
            self._factor = 1 + random.uniform(-self.jitter, self.jitter)
        # the factor, not the delay, is kept: AutoThrottle may change the delay within a gap
        return max(0.0, self.delay * self._factor)


class HostPortDownloader(Downloader):
    def get_slot_key(self, request: Request) -> str:
        meta_slot: str | None = request.meta.get(self.DOWNLOAD_SLOT)
        if meta_slot is not None:
            return meta_slot
        if self.ip_concurrency:
            # CONCURRENT_REQUESTS_PER_IP asks for one slot per resolved address: Scrapy's keying
            return super().get_slot_key(request)
        return slot_key(request)

    def _get_slot(self, request: Request, *args) -> tuple[str, Slot]:
        fresh = self.get_slot_key(request) not in self.slots
        key, slot = super()._get_slot(
            request, *args
        )  # (Scrapy 2.19 deprecates its spider argument)
        if fresh:  # Scrapy made it with its settings; ours draws its jitter once per gap
            slot = self.slots[key] = EvenJitterSlot(slot.concurrency, slot.delay, slot.jitter)
        return key, slot
