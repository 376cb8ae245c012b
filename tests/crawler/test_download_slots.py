"""One download slot per host:port (crawler/downloader.py), as the priority queue sees it too."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue, DownloaderInterface
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.downloader import HostPortDownloader, slot_key


@pytest.mark.parametrize(
    ("url", "slot"),
    [
        ("http://127.0.0.1:8001/a.html", "127.0.0.1:8001"),
        ("http://127.0.0.1:8002/a.html", "127.0.0.1:8002"),
        ("http://www.example.gov.cn/x", "www.example.gov.cn"),
        ("http://www.example.gov.cn:80/x", "www.example.gov.cn"),
        ("https://www.example.gov.cn:443/x", "www.example.gov.cn"),
        ("https://www.example.gov.cn:8443/x", "www.example.gov.cn:8443"),
        ("http://WWW.Example.gov.cn/x", "www.example.gov.cn"),
    ],
)
def test_slot_is_host_and_non_default_port(url, slot):
    assert slot_key(Request(url)) == slot


def _crawler(**overrides):
    """A crawler with the project's scheduling and politeness settings (nothing is downloaded)."""
    project = get_project_settings()
    names = (
        "SCHEDULER_PRIORITY_QUEUE",
        "DOWNLOADER",
        "DOWNLOAD_DELAY",
        "DOWNLOAD_DELAY_JITTER",
        "CONCURRENT_REQUESTS",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        "CONCURRENT_REQUESTS_PER_IP",
    )
    return get_crawler(settings_dict={**{n: project[n] for n in names}, **overrides})


def test_portals_on_one_address_get_their_own_delay_and_download_slots_settings():
    asyncio.run(_own_delay())  # the downloader's handlers want a running loop


async def _own_delay() -> None:
    crawler = _crawler(DOWNLOAD_SLOTS={"127.0.0.1:8002": {"delay": 7.0, "concurrency": 1}})
    downloader = HostPortDownloader(crawler)
    try:
        key1, slot1 = downloader._get_slot(Request("http://127.0.0.1:8001/"))
        key2, slot2 = downloader._get_slot(Request("http://127.0.0.1:8002/"))
        assert (key1, key2) == ("127.0.0.1:8001", "127.0.0.1:8002")
        assert slot1 is not slot2
        assert slot1.delay == crawler.settings.getfloat("DOWNLOAD_DELAY") and slot2.delay == 7.0
        assert slot2.concurrency == 1
        # a request's own download_slot still wins
        assert (
            downloader.get_slot_key(Request("http://127.0.0.1:8001/", meta={"download_slot": "x"}))
            == "x"
        )
    finally:
        downloader.close()


def test_project_settings_use_the_downloader_aware_queue_with_host_port_slots():
    asyncio.run(_queue_slots())


async def _queue_slots() -> None:
    crawler = _crawler()
    assert (
        crawler.settings["SCHEDULER_PRIORITY_QUEUE"]
        == "scrapy.pqueues.DownloaderAwarePriorityQueue"
    )
    assert crawler.settings.getint("CONCURRENT_REQUESTS_PER_IP") == 0  # the queue refuses it
    crawler.engine = type("Engine", (), {"downloader": HostPortDownloader(crawler)})()
    try:
        assert (
            DownloaderInterface(crawler).get_slot_key(Request("http://127.0.0.1:9/"))
            == "127.0.0.1:9"
        )
    finally:
        crawler.engine.downloader.close()


def test_per_ip_concurrency_is_refused_by_the_queue():
    crawler = _crawler(CONCURRENT_REQUESTS_PER_IP=2)
    with pytest.raises(ValueError, match="CONCURRENT_REQUESTS_PER_IP"):
        DownloaderAwarePriorityQueue(crawler, "scrapy.squeues.FifoMemoryQueue", "")


def test_the_jittered_delay_is_drawn_once_per_gap_so_the_mean_gap_is_the_delay():
    asyncio.run(_jitter_once_per_gap())


async def _jitter_once_per_gap() -> None:
    import random
    import statistics

    random.seed(15)
    crawler = _crawler()
    downloader = HostPortDownloader(crawler)
    try:
        _, slot = downloader._get_slot(Request("http://127.0.0.1:8001/"))
        delay, jitter = slot.delay, slot.jitter
        assert (delay, jitter) == (1.0, 0.5)  # the project's politeness
        gaps = []
        for sent in range(1, 4001):
            slot.lastseen = float(sent)
            # the slot is looked at many times in one gap (every response, every new request,
            # every wake-up): the answer stays the same until the next request goes out
            draws = {slot.download_delay() for _ in range(5)}
            assert len(draws) == 1
            gaps.append(draws.pop())
        assert delay * (1 - jitter) <= min(gaps) and max(gaps) <= delay * (1 + jitter)
        assert abs(statistics.mean(gaps) - delay) < 0.02
        assert statistics.pstdev(gaps) > 0.25  # still spread: ±50% uniform has 0.29
        slot.delay = 2.0  # AutoThrottle moved the delay within a gap: the same factor applies
        assert slot.download_delay() == gaps[-1] * 2
    finally:
        downloader.close()
