"""A bench-only extension: when each item was scraped (seconds since the engine started),
written as JSON to ITEM_CLOCK_FILE when the spider closes."""

from __future__ import annotations

import json
import time

from scrapy import signals


class ItemClock:
    def __init__(self, crawler):
        self.path = crawler.settings.get("ITEM_CLOCK_FILE")
        self.start = time.monotonic()
        self.times: list[tuple[str, float]] = []

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def engine_started(self):
        self.start = time.monotonic()

    def item_scraped(self, item, response=None, spider=None):
        self.times.append((item.url, time.monotonic() - self.start))

    def spider_closed(self, spider, reason):
        if self.path:
            with open(self.path, "w", encoding="utf-8") as fh:
                json.dump({"items": self.times, "closed": time.monotonic() - self.start}, fh)
