"""Cluster mode: several crawl processes, on one machine or many, share one Redis.

One switch turns it on: ``-s CLUSTER_REDIS_URL=redis://HOST:PORT/DB``.  The add-on below
(``ADDONS`` in crawler/settings.py) then sets (a ``-s`` on the command line still wins):

* ``SCHEDULER``: :class:`crawler.cluster.scheduler.ClusterScheduler`, scrapy-redis's scheduler
  with a reliable queue (a popped request stays in the worker's in-flight set until the engine
  is done with it; a worker whose lease lapses has its in-flight requests put back);
* ``DUPEFILTER_CLASS``: scrapy-redis's ``RFPDupeFilter``, one fingerprint set for all workers;
* ``SCHEDULER_PERSIST = True``: a worker that closes must not wipe the shared queue;
* all of these over the project's values in crawler/settings.py (the JOBDIR frontier is the
  project's SCHEDULER), never over a ``-s`` on the command line;
* the download handlers of ``crawler.cluster.politeness``: one Redis key per host taken with
  ``SET NX PX`` just before every download, so the per-host delay holds across workers.

Every worker runs the same spider with the same arguments; each one's ``start()`` yields the
seeds and the shared dupefilter drops those another worker queued first.  Keys live under
``nianbao:<CLUSTER_JOB>:`` (the spider's name by default): a new job name is a new crawl.
"""

from __future__ import annotations

import os
import socket

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

#: scrapy-redis's dupefilter: request fingerprints in one Redis set (it does not read
#: REQUEST_FINGERPRINTER_CLASS; docs/stack-facts.md §2).
DUPEFILTER = "scrapy_redis.dupefilter.RFPDupeFilter"
SCHEDULER = "crawler.cluster.scheduler.ClusterScheduler"
HOST_SLOT_HANDLERS = {
    "http": "crawler.cluster.politeness.HostSlotDownloadHandler",
    "https": "crawler.cluster.politeness.HttpsHostSlotDownloadHandler",
}


def key_prefix(settings: BaseSettings) -> str:
    """``nianbao:<job>`` (``%(spider)s`` stands for the spider's name until the queue opens)."""
    return f"nianbao:{settings.get('CLUSTER_JOB') or '%(spider)s'}"


def worker_id(settings: BaseSettings) -> str:
    return settings.get("CLUSTER_WORKER") or f"{socket.gethostname()}:{os.getpid()}"


def url_problem(url: str) -> str | None:
    """Why ``CLUSTER_REDIS_URL`` is not a Redis URL (one line with the fix), or None."""
    if str(url).startswith(("redis://", "rediss://", "unix://")):
        return None
    return (
        f"CLUSTER_REDIS_URL={url} is not a Redis URL; give redis://HOST:PORT/DB "
        f"(`make crawl-cluster` starts one)"
    )


def no_answer(url: str, exc: Exception) -> str:
    return (
        f"CLUSTER_REDIS_URL={url}: Redis does not answer ({exc}); start it "
        f"(`make crawl-cluster` starts one) or fix the URL"
    )


def preflight(settings: BaseSettings) -> str | None:
    """Why a cluster worker must not start (one line naming the setting and the fix), or None:
    no cluster, or its Redis answers a PING.  Run by `scrapy crawl` before the first request."""
    url = settings.get("CLUSTER_REDIS_URL")
    if not url:
        return None
    problem = url_problem(url)
    if problem is not None:
        return problem
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()
    except (redis.RedisError, ValueError) as exc:
        return no_answer(url, exc)
    return None


class ClusterAddon:
    """Turns ``CLUSTER_REDIS_URL`` into the scrapy-redis settings; nothing when it is unset."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get("CLUSTER_REDIS_URL")
        if not url:
            return
        problem = url_problem(url)
        if problem is not None:
            raise ValueError(problem)
        prefix = key_prefix(settings)
        # The project's own SCHEDULER (crawler/settings.py, the JOBDIR frontier) sits at project
        # priority, above add-ons': these go over project values, never over a user's -s.
        over = SETTINGS_PRIORITIES["project"]
        for name, value in {
            "REDIS_URL": url,
            "SCHEDULER": SCHEDULER,
            "DUPEFILTER_CLASS": DUPEFILTER,
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
            # a blocking pop would stop the reactor; idle workers poll instead
            "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        }.items():
            if (settings.getpriority(name) or 0) <= over:
                settings.set(name, value, priority=over)
        from .politeness import host_delay

        if host_delay(settings) > 0:
            handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
            settings.set(
                "CLUSTER_INNER_DOWNLOAD_HANDLERS",
                {scheme: handlers[scheme] for scheme in ("http", "https")},
                "addon",
            )
            # over the project's own DOWNLOAD_HANDLERS (project priority is above add-ons')
            settings.set(
                "DOWNLOAD_HANDLERS",
                {**settings.getdict("DOWNLOAD_HANDLERS"), **HOST_SLOT_HANDLERS},
                max(settings.getpriority("DOWNLOAD_HANDLERS") or 0, SETTINGS_PRIORITIES["addon"]),
            )
