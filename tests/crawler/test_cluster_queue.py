"""The cluster's Redis structures on a real redis-server: the reliable queue's leases and the
per-host slot, with two workers as two clients of one server."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid

import pytest
import redis
from scrapy import Spider
from scrapy.http import Request

from crawler.cluster.politeness import HostSlots
from crawler.cluster.queue import ReliablePriorityQueue


class Walker(Spider):
    name = "walker"

    def parse(self, response):  # pragma: no cover - never called
        pass


@pytest.fixture
def pair(redis_url):
    """Two workers' queues on one key, each with its own connection."""
    key = f"nianbao:{uuid.uuid4().hex}:requests"
    spider = Walker()
    queues = [
        ReliablePriorityQueue(redis.Redis.from_url(redis_url), spider, key, worker=w)
        for w in ("a", "b")
    ]
    yield queues
    queues[0].server.delete(*queues[0].server.keys(key.rsplit(":", 1)[0] + ":*") or ["none"])


def urls(n):
    return [f"http://www.xx.gov.cn/col/{i}/index.html" for i in range(n)]


def test_a_popped_request_stays_in_flight_until_acknowledged(pair):
    a, _b = pair
    for url in urls(3):
        a.push(Request(url))
    request, member = a.pop_leased()
    assert len(a) == 2 and a.server.zcard(a.inflight_key()) == 1
    assert request.url in urls(3)
    a.ack([member])
    assert a.server.zcard(a.inflight_key()) == 0 and not a.any_inflight()


def test_a_lapsed_workers_requests_go_back_and_a_live_ones_stay(pair):
    a, b = pair
    for url in urls(4):
        a.push(Request(url, priority=int(url.split("/")[-2])))
    a.heartbeat(lease_ms=200)
    b.heartbeat(lease_ms=60_000)
    taken_a = [a.pop_leased() for _ in range(2)]
    taken_b = b.pop_leased()
    assert len(a) == 1
    assert b.reclaim_lapsed() == 0, "a's lease has not lapsed yet"
    time.sleep(0.3)
    assert b.reclaim_lapsed() == 2
    assert len(a) == 3 and a.server.zcard(a.inflight_key()) == 0
    assert b.server.zcard(b.inflight_key()) == 1, "b is alive: its request stays leased"
    # back in the queue with their scores: they come out first again, highest priority first
    back = [b.pop_leased()[0].url for _ in range(3)]
    assert back[:2] == [r.url for r, _ in taken_a]
    assert set(back) == set(urls(4)) - {taken_b[0].url}


def test_release_puts_a_closing_workers_requests_back(pair):
    a, _ = pair
    a.push(Request(urls(1)[0]))
    a.heartbeat(lease_ms=60_000)
    a.pop_leased()
    assert a.release() == 1 and len(a) == 1


def test_two_workers_share_one_hosts_slot(redis_url):
    prefix = f"nianbao:{uuid.uuid4().hex}"
    delay = 0.2
    slots = [HostSlots(redis.Redis.from_url(redis_url), prefix, w, delay) for w in ("a", "b")]
    starts: list[tuple[float, str, str]] = []

    async def fetch(slot: HostSlots, url: str) -> None:
        await slot.acquire(url)
        starts.append((time.monotonic(), slot.worker, url.split("/")[2]))
        await asyncio.sleep(0.05)  # the download: the next request starts a delay after its end
        slot.release(url)

    async def crawl() -> None:
        await asyncio.gather(
            *(fetch(slots[i % 2], f"http://www.xx.gov.cn/p/{i}") for i in range(8)),
            fetch(slots[1], "http://xxgk.yy.gov.cn/other"),
        )

    t0 = time.monotonic()
    asyncio.run(crawl())
    one_host = sorted(t for t, _, host in starts if host == "www.xx.gov.cn")
    gaps = [b - a for a, b in itertools.pairwise(one_host)]
    assert len(one_host) == 8 and {w for _, w, h in starts if h == "www.xx.gov.cn"} == {"a", "b"}
    # the two workers' requests to one host start a delay after the previous download's end
    # (5% for the event loop's timer)
    assert min(gaps) >= (delay + 0.05) * 0.95, gaps
    # another host has a slot of its own: it did not queue behind www.xx.gov.cn
    other = next(t for t, _, host in starts if host == "xxgk.yy.gov.cn")
    assert other - t0 < delay
