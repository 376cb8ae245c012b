"""The cluster scheduler: scrapy-redis's shared queue and dupefilter, leased and reclaimed.

A request popped from Redis stays in this worker's in-flight set (``queue.py``) until the engine
has finished with it: downloaded, its callback's requests queued and its items through the
pipelines.  The engine's own record of that is its slot's ``inprogress`` set (the request leaves
it only when the callback's output is handled); the heartbeat acknowledges the leases whose
request left it.  Scrapy is pinned (pyproject.toml), since ``engine._slot`` is not public.

Every ``CLUSTER_HEARTBEAT`` seconds a worker renews its lease (``CLUSTER_LEASE``) and puts
back the in-flight requests of workers whose lease lapsed (killed, frozen, cut off), so a
``kill -9`` loses nothing; those requests are fetched again by whoever pops them.

Each heartbeat also writes this worker's per-portal counts (reports, pages answered) to
``<prefix>:counts:<worker>``; at the close the crawl's exit status is judged on the sum over
all workers (``crawler.exitcodes.portal_counts``): a portal another worker crawled is not
"unreachable" to this one.

A worker closes when the shared queue is empty, no worker holds an in-flight request (its
callbacks could still add work) and this has lasted ``MAX_IDLE_TIME_BEFORE_CLOSE`` seconds.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from crawler import settings as defaults

from . import no_answer, worker_id
from .queue import ReliablePriorityQueue

logger = logging.getLogger(__name__)


class ClusterScheduler(Scheduler):
    def __init__(
        self,
        *args: Any,
        worker: str = "worker",
        lease: float = 30.0,
        heartbeat: float = 2.0,
        max_idle: float = 10.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.worker = worker
        self.lease = lease
        self.heartbeat_interval = heartbeat
        self.max_idle = max_idle
        self.crawler: Any = None
        self._leases: dict[Request, bytes] = {}
        self._idle_since: float | None = None
        self._loop: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ClusterScheduler:
        settings = crawler.settings
        lease = settings.getfloat("CLUSTER_LEASE", defaults.CLUSTER_LEASE)
        heartbeat = settings.getfloat("CLUSTER_HEARTBEAT", defaults.CLUSTER_HEARTBEAT)
        if heartbeat <= 0 or lease < 3 * heartbeat:
            raise ValueError(
                f"CLUSTER_LEASE={lease} must be at least 3 × CLUSTER_HEARTBEAT="
                f"{heartbeat} (and the heartbeat > 0), or live workers lose their "
                f"requests to others"
            )
        try:
            instance = cls.from_settings(settings)
        except redis.exceptions.ConnectionError as exc:
            raise RuntimeError(no_answer(settings.get("CLUSTER_REDIS_URL"), exc)) from None
        instance.worker = worker_id(settings)
        instance.lease = lease
        instance.heartbeat_interval = heartbeat
        instance.max_idle = settings.getfloat(
            "MAX_IDLE_TIME_BEFORE_CLOSE", defaults.MAX_IDLE_TIME_BEFORE_CLOSE
        )
        instance.stats = crawler.stats
        instance.crawler = crawler
        # An idle engine asks the scheduler again only on its slot heartbeat (5 s): a worker that
        # ran dry would sleep while the shared queue fills (docs/stack-facts.md §2).
        poll = settings.getfloat("CLUSTER_POLL_INTERVAL", defaults.CLUSTER_POLL_INTERVAL)
        crawler.engine._SLOT_HEARTBEAT_INTERVAL = poll
        return instance

    # ------------------------------------------------------------ Scrapy's scheduler interface

    def open(self, spider: Any) -> None:
        self.spider = spider
        self.queue = ReliablePriorityQueue(
            self.server,
            spider,
            self.queue_key % {"spider": spider.name},
            self.serializer,
            worker=self.worker,
        )
        if not self.df:  # type: ignore[has-type]
            from scrapy.utils.misc import load_object

            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        self.queue.heartbeat(int(self.lease * 1000))
        back = self.queue.reclaim_lapsed()
        logger.info(
            "cluster worker %s on %s: %d requests queued%s",
            self.worker,
            self.queue.key,
            len(self.queue),
            f", {back} put back from lapsed workers" if back else "",
        )
        self.crawler.signals.connect(self._on_idle, signal=signals.spider_idle)
        self._loop = LoopingCall(self._tick)
        self._loop.start(self.heartbeat_interval, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self._ack_finished()
        if self._leases:
            logger.info(
                "cluster worker %s closing (%s): %d in-flight requests go back to the queue",
                self.worker,
                reason,
                len(self._leases),
            )
        self.queue.release()
        self.server.srem(self.queue.workers_key, self.worker)
        self._publish_counts()
        self.crawler._nianbao_cluster_counts = self.cluster_counts()
        super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        popped = self.queue.pop_leased()
        if popped is None:
            return None
        request, member = popped
        self._leases[request] = member
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    # ------------------------------------------------------------ per-portal counts

    def _publish_counts(self) -> None:
        stats = self.crawler.stats
        mapping = {
            f"{kind}|{p}": stats.get_value(f"nianbao/{kind}/{p}", 0)
            for p in getattr(self.spider, "portal_scopes", {})
            for kind in ("reports", "responses")
        }
        if mapping:
            self.server.hset(f"{self.queue.prefix}:counts:{self.worker}", mapping=mapping)
            self.server.sadd(f"{self.queue.prefix}:counted", self.worker)

    def cluster_counts(self) -> dict[str, dict[str, int]]:
        """Per portal, reports and pages answered summed over every worker of the job."""
        totals: dict[str, dict[str, int]] = {}
        for raw in self.server.smembers(f"{self.queue.prefix}:counted"):
            worker = raw.decode() if isinstance(raw, bytes) else raw
            for field, value in self.server.hgetall(f"{self.queue.prefix}:counts:{worker}").items():
                kind, _, portal = (field.decode() if isinstance(field, bytes) else field).partition(
                    "|"
                )
                counts = totals.setdefault(portal, {"reports": 0, "responses": 0})
                counts[kind] += int(value)
        return totals

    # ------------------------------------------------------------ leases

    def _tick(self) -> None:
        try:
            self.queue.heartbeat(int(self.lease * 1000))
            self._publish_counts()
            self._ack_finished()
            back = self.queue.reclaim_lapsed()
            if back:
                logger.warning(
                    "cluster: put %d in-flight requests of lapsed workers back in the queue", back
                )
                if self.stats:
                    self.stats.inc_value("cluster/reclaimed", back)
        except Exception:  # a Redis hiccup must not stop the heartbeat loop
            logger.exception(
                "cluster heartbeat of %s failed; retrying in %.1f s",
                self.worker,
                self.heartbeat_interval,
            )

    def _ack_finished(self) -> None:
        slot = getattr(self.crawler.engine, "_slot", None)
        inprogress = slot.inprogress if slot is not None else set()
        done = [r for r in self._leases if r not in inprogress]
        self.queue.ack([self._leases.pop(r) for r in done])

    def _on_idle(self, spider: Any) -> None:
        self._ack_finished()
        if len(self.queue) or self.queue.any_inflight():
            self._idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self._idle_since is None:
            self._idle_since = now
        if now - self._idle_since < self.max_idle:
            raise DontCloseSpider
