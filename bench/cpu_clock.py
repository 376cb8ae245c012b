"""A bench-only extension: the CPU seconds a crawl spent from the engine's start to the
spider's close, written as JSON to CPU_CLOCK_FILE.

Counted: this process (every thread), its children that have exited (document converters),
and the parse workers' CPU per call (the stat ``nianbao/parse/cpu_seconds``; they are children
of a forkserver, so the kernel does not add them to this process's children).  Not counted:
the start-up imports before the engine starts, which are the same for every crawl.
"""

from __future__ import annotations

import json
import resource

from scrapy import signals


def process_cpu() -> float:
    """CPU seconds of this process and of its children that have exited."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class CpuClock:
    def __init__(self, crawler):
        self.crawler = crawler
        self.path = crawler.settings.get("CPU_CLOCK_FILE")
        self.start = process_cpu()
        self.figures: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def engine_started(self):
        self.start = process_cpu()

    def spider_closed(self, spider, reason):
        crawl = process_cpu() - self.start
        workers = float(self.crawler.stats.get_value("nianbao/parse/cpu_seconds", 0.0))
        self.figures = {
            "reactor_process": crawl,
            "parse_workers": workers,
            "total": crawl + workers,
        }
        if self.path:
            with open(self.path, "w", encoding="utf-8") as fh:
                json.dump(self.figures, fh)
