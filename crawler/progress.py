"""A live progress line while a crawl runs on a terminal (tqdm, on stderr, twice a second):

    portals 3/12 | pages 1840 | reports 311 | spooled 0 | 14.2 pages/s, ETA 0:02:10

Portals done are those with no request queued or in flight any more; the ETA is the queue
(scheduler and downloader) at the current page rate.  Off when stdout is not a terminal
(scheduled runs, pipes, tests) or with PROGRESS_ENABLED = False; Scrapy's own LogStats line
stays for logs.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from datetime import UTC

from scrapy import signals
from scrapy.exceptions import NotConfigured

from pipelines.store import crawler_storage


class ProgressLine:
    INTERVAL = 0.5

    def __init__(self, crawler):
        self.crawler = crawler
        self.outstanding: Counter = Counter()  # portal -> requests queued or in flight
        self.portals: set[str] = set()
        self.reports = 0
        self.bar = None
        self.task = None
        self.total: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        enabled = crawler.settings.get("PROGRESS_ENABLED")
        if enabled is None:
            enabled = sys.stdout.isatty() and sys.stderr.isatty()
        if not enabled or str(enabled).lower() in ("0", "false"):
            raise NotConfigured  # no message: not being on a terminal is not news
        ext = cls(crawler)
        for handler, signal in (
            (ext.opened, signals.spider_opened),
            (ext.closed, signals.spider_closed),
            (ext.scheduled, signals.request_scheduled),
            (ext.left, signals.request_left_downloader),
            (ext.left, signals.request_dropped),
            (ext.item, signals.item_scraped),
        ):
            crawler.signals.connect(handler, signal=signal)
        return ext

    def scheduled(self, request, spider=None):
        portal = request.meta.get("nb_portal")
        if portal:
            self.portals.add(portal)
            self.outstanding[portal] += 1

    def left(self, request, spider=None):
        portal = request.meta.get("nb_portal")
        if portal and self.outstanding[portal] > 0:
            self.outstanding[portal] -= 1

    def item(self, item, response=None, spider=None):
        self.reports += 1

    def opened(self, spider=None):
        from tqdm import tqdm
        from twisted.internet import task

        self.total = len(getattr(spider, "targets", None) or ()) or None
        # A terminal that reports no size (a bare pty) would make tqdm draw nothing.
        size = shutil.get_terminal_size((120, 24))
        self.bar = tqdm(
            file=sys.stderr,
            leave=True,
            bar_format="{desc}",
            ncols=max(size.columns, 40),
            nrows=max(size.lines, 5),
            mininterval=0,
        )
        self.task = task.LoopingCall(self.refresh)
        self.task.start(self.INTERVAL, now=False)

    def refresh(self) -> None:
        if self.bar is None:
            return
        stats = self.crawler.stats
        pages = stats.get_value("response_received_count", 0)
        elapsed = max((self._elapsed() or 0.0), 1e-6)
        rate = pages / elapsed
        queued = self._queued()
        eta = (
            f"{int(queued / rate) // 3600}:{int(queued / rate) % 3600 // 60:02d}:"
            f"{int(queued / rate) % 60:02d}"
            if rate > 0
            else "?"
        )
        spooled = getattr(crawler_storage(self.crawler).store, "pending", 0)
        done = sum(1 for p in self.portals if self.outstanding[p] == 0)
        total = max(self.total or 0, len(self.portals))
        self.bar.set_description_str(
            f"portals {done}/{total} | pages {pages} | reports {self.reports} | "
            f"spooled {spooled} | {rate:.1f} pages/s, ETA {eta}",
            refresh=True,
        )

    def _elapsed(self) -> float | None:
        start = self.crawler.stats.get_value("start_time")
        if start is None:
            return None
        from datetime import datetime

        return (datetime.now(UTC) - start).total_seconds()

    def _queued(self) -> int:
        engine = self.crawler.engine
        try:
            slot = engine._slot
            scheduler = len(slot.scheduler) if slot and slot.scheduler else 0
            return scheduler + len(engine.downloader.active)
        except (AttributeError, TypeError):
            return sum(self.outstanding.values())

    def closed(self, spider=None, reason=None):
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.bar is not None:
            self.refresh()
            self.bar.close()
            self.bar = None
