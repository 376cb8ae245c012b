"""Parsing off the reactor: report pages are read in worker processes, on every core.

Extraction and normalization are pure Python over lxml trees, tens of milliseconds a page, and
on the reactor thread they hold up every download and every discovery step of the crawl.  So
each report page goes, as bytes, to a pool of ``PARSE_WORKERS`` processes (default: one per
core, ``os.cpu_count()``), and comes back as plain data (``reports.reading.ReportReading``);
the reactor does the I/O and discovery.  An input over ``PARSE_IN_CHILD_BYTES`` goes instead
to one child of its own, memory-limited to ``PARSE_CHILD_MEMORY``, so a huge page neither
starves the workers nor takes the crawl's memory.  A page cut at MAX_PAGE_BYTES (a body over
the cap: a bloated or hostile page) is read by a third process, ``background=True``, at a
lower CPU priority (``BACKGROUND_NICE``): its seconds of CPU go to it only when the rest of the
crawl leaves them.  A process that dies (out of memory) fails
that one call; the next call gets a new pool.  ``PARSE_WORKERS=0`` reads pages in the reactor
thread (the big ones still go to the child).

    pool = crawler_parse_pool(crawler)
    reading = await pool.run(read_report_page, body, url, declared, size=len(body))

The workers are forked from a forkserver that has imported the readers once (preload), so a
worker starts in milliseconds, and they live for the whole crawl.  Each call's CPU time in the
worker is added to the stat ``nianbao/parse/cpu_seconds`` (what the reactor's own CPU time
does not show).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

logger = logging.getLogger(__name__)

#: what the forkserver imports once, so every worker forked from it starts with the readers
PRELOAD = ["reports.reading", "pipelines.offload", "cn2an"]


#: how much lower the CPU priority of the background process is (os.nice).  Only pages cut at
#: MAX_PAGE_BYTES go there, not every input over PARSE_IN_CHILD_BYTES: on a loaded machine a
#: niced process gets a few per cent of a core, too little for ordinary long reports.
BACKGROUND_NICE = 10


def _limit(memory: int, nice: int = 0) -> None:
    import resource

    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if nice:
        os.nice(nice)


def _timed(func: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[Any, float]:
    """``func(*args, **kwargs)`` in a worker, and the CPU seconds it took there."""
    start = time.process_time()
    result = func(*args, **kwargs)
    return result, time.process_time() - start


def default_workers() -> int:
    return os.cpu_count() or 1


class ParsePool:
    def __init__(
        self,
        workers: int | None = None,
        threshold: int = 256 * 1024,
        memory: int = 2 * 1024**3,
        stats=None,
    ):
        self.workers = default_workers() if workers is None else workers
        if self.workers < 0:
            raise ValueError(
                f"PARSE_WORKERS={self.workers}: give 0 (parse in the reactor thread), "
                f"a number of processes, or leave it unset (one per core)"
            )
        self.threshold = threshold
        self.memory = memory
        self.stats = stats
        self._pools: dict[str, ProcessPoolExecutor] = {}
        self._submits: ThreadPoolExecutor | None = None

    def wants(self, size: int) -> bool:
        """Is an input of ``size`` bytes (or characters) big enough for the child of its own?"""
        return size > self.threshold

    def _pool(self, kind: str) -> ProcessPoolExecutor:
        pool = self._pools.get(kind)
        if pool is None:
            # forkserver: a clean child, not a fork of a process with a reactor and threads
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)  # no effect once the forkserver runs
            pool = self._pools[kind] = ProcessPoolExecutor(
                max_workers=self.workers if kind == "workers" else 1,
                mp_context=context,
                initializer=_limit,
                initargs=(self.memory, BACKGROUND_NICE if kind == "background" else 0),
            )
        return pool

    def _submitter(self) -> ThreadPoolExecutor:
        if self._submits is None:
            self._submits = ThreadPoolExecutor(1, thread_name_prefix="nianbao-parse-submit")
        return self._submits

    async def run(
        self,
        func: Callable[..., Any],
        *args: Any,
        size: int = 0,
        background: bool = False,
        **kwargs: Any,
    ) -> Any:
        """``func(*args, **kwargs)`` in a worker (in the child of its own when ``size`` is over
        the threshold, in the niced background process when ``background``, in this thread
        when there are no workers); its exception, or RuntimeError if the process died."""
        kind = "background" if background else "big" if self.wants(size) else "workers"
        if kind == "workers" and self.workers == 0:
            return func(*args, **kwargs)
        call = functools.partial(_timed, func, args, kwargs)
        loop = asyncio.get_running_loop()
        try:
            # submit() starts a process while the pool has fewer than it may, and waits for the
            # forkserver to fork it (a second and more on a loaded machine): in a thread of its
            # own, not in the reactor.
            future = await loop.run_in_executor(self._submitter(), self._pool(kind).submit, call)
            result, cpu = await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self._close(kind)
            name = getattr(func, "__name__", func)
            raise RuntimeError(
                f"the parser process died in {name} (over PARSE_CHILD_MEMORY={self.memory} bytes?)"
            ) from None
        if self.stats is not None:
            self.stats.inc_value("nianbao/parse/cpu_seconds", cpu)
            self.stats.inc_value(f"nianbao/parse/{kind}_calls")
        return result

    def _close(self, kind: str) -> None:
        pool = self._pools.pop(kind, None)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        for kind in list(self._pools):
            self._close(kind)
        if self._submits is not None:
            self._submits.shutdown(wait=False)
            self._submits = None


def crawler_parse_pool(crawler) -> ParsePool:
    pool = getattr(crawler, "_nianbao_parse_pool", None)
    if pool is None:
        from scrapy import signals

        s = crawler.settings
        workers = s.get("PARSE_WORKERS")
        pool = crawler._nianbao_parse_pool = ParsePool(
            None if workers in (None, "") else s.getint("PARSE_WORKERS"),
            s.getint("PARSE_IN_CHILD_BYTES", 256 * 1024),
            s.getint("PARSE_CHILD_MEMORY", 2 * 1024**3),
            crawler.stats,
        )
        crawler.signals.connect(pool.close, signal=signals.engine_stopped, weak=False)
    return pool
