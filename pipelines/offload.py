"""Parsing off the reactor: big pages are extracted and normalized in a child process.

The extractor and the normalizer are pure Python over lxml trees; a page of a few megabytes
of table rows keeps one of them busy for seconds to minutes, and on the reactor thread that
stalls every download of the crawl.  Pages over ``PARSE_IN_CHILD_BYTES`` are handed to one
child process (a ``ProcessPoolExecutor`` of its own, memory-limited to
``PARSE_CHILD_MEMORY``); smaller ones, nearly all of them, are parsed in place, where a child
would cost more than it saves.  A child that dies (out of memory) fails that one call; the
next call gets a new child.

    pool = crawler_parse_pool(crawler)
    page = await pool.run(extract_page, body, url, declared)
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

logger = logging.getLogger(__name__)


def _limit_memory(limit: int) -> None:
    import resource

    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class ParsePool:
    def __init__(self, threshold: int = 256 * 1024, memory: int = 2 * 1024**3):
        self.threshold = threshold
        self.memory = memory
        self._executor: ProcessPoolExecutor | None = None

    def wants(self, size: int) -> bool:
        """Is an input of ``size`` bytes (or characters) big enough to parse in the child?"""
        return size > self.threshold

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # forkserver: a clean child, not a fork of a process with a reactor and threads
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("forkserver"),
                initializer=_limit_memory, initargs=(self.memory,))
        return self._executor

    async def run(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``func(*args, **kwargs)`` in the child; its exception, or RuntimeError if it died."""
        import functools

        loop = asyncio.get_running_loop()
        try:
            call = functools.partial(func, *args, **kwargs)
            return await loop.run_in_executor(self._pool(), call)
        except BrokenProcessPool:
            self.close()
            name = getattr(func, "__name__", func)
            raise RuntimeError(f"the parser child process died in {name} "
                               f"(over PARSE_CHILD_MEMORY={self.memory} bytes?)") from None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


def crawler_parse_pool(crawler) -> ParsePool:
    pool = getattr(crawler, "_nianbao_parse_pool", None)
    if pool is None:
        from scrapy import signals

        s = crawler.settings
        pool = crawler._nianbao_parse_pool = ParsePool(s.getint("PARSE_IN_CHILD_BYTES", 256 * 1024),
                                                       s.getint("PARSE_CHILD_MEMORY", 2 * 1024**3))
        crawler.signals.connect(pool.close, signal=signals.engine_stopped, weak=False)
    return pool
