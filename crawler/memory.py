"""The crawl's memory ceiling: Scrapy's MemoryUsage extension, measuring this process alone.

Scrapy reads the peak RSS from ``getrusage(RUSAGE_SELF).ru_maxrss``.  On Linux that figure
survives fork and exec: a crawl started by a process that once held 1.3 GB (a bench that ran
before it, a test runner, a scheduler) reports 1.3 GB in ``memusage/startup`` before it has
done anything, and MEMUSAGE_LIMIT_MB would stop it at once.  The kernel's ``VmHWM`` of
``/proc/self/status`` is the peak of this process's own address space since exec; it is what
``memusage/startup``, ``memusage/max`` and the limit use here (``ru_maxrss`` where /proc is
missing).

    EXTENSIONS = {"scrapy.extensions.memusage.MemoryUsage": None,
                  "crawler.memory.MemoryCeiling": 0}              (crawler/settings.py)

Past MEMUSAGE_LIMIT_MB the crawl closes with finish reason ``memusage_exceeded`` (exit status 6,
crawler/exitcodes.py); the periodic "Peak memory usage" line is at DEBUG.
"""

from __future__ import annotations

import logging

from scrapy.extensions.memusage import MemoryUsage

from .logs import Demote

# Scrapy's extension logs the peak at INFO on every check; an operator needs it only when it
# is over the warning or the limit (those stay at WARNING and ERROR).
logging.getLogger("scrapy.extensions.memusage").addFilter(Demote())


def own_peak_rss() -> int | None:
    """Bytes: the peak RSS of this process since it was exec'd (VmHWM), None without /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


class MemoryCeiling(MemoryUsage):
    def get_virtual_size(self) -> int:
        peak = own_peak_rss()
        return peak if peak is not None else super().get_virtual_size()

    def _check_limit(self) -> None:
        # Once over, the crawl is closing (its in-flight pages and items finish first): said once,
        # not again at every check while it closes.
        if not self._stats.get_value("memusage/limit_reached"):
            super()._check_limit()
