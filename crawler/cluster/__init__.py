"""Cluster mode: several crawl processes, on one machine or many, share one Redis.

One switch turns it on: ``-s CLUSTER_REDIS_URL=redis://HOST:PORT/DB``.  The add-on below
(``ADDONS`` in crawler/settings.py) then sets, at add-on priority (so ``-s`` still wins):

* ``SCHEDULER``: :class:`crawler.cluster.scheduler.ClusterScheduler`, scrapy-redis's scheduler
  with a reliable queue (a popped request stays in the worker's in-flight set until the engine
  is done with it; a worker whose lease lapses has its in-flight requests put back);
* ``DUPEFILTER_CLASS``: scrapy-redis's ``RFPDupeFilter``, one fingerprint set for all workers;
* ``SCHEDULER_PERSIST = True``: a worker that closes must not wipe the shared queue;
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
HOST_SLOT_HANDLERS = {"http": "crawler.cluster.politeness.HostSlotDownloadHandler",
                      "https": "crawler.cluster.politeness.HttpsHostSlotDownloadHandler"}


def key_prefix(settings: BaseSettings) -> str:
    """``nianbao:<job>`` (``%(spider)s`` stands for the spider's name until the queue opens)."""
    return f"nianbao:{settings.get('CLUSTER_JOB') or '%(spider)s'}"


def worker_id(settings: BaseSettings) -> str:
    return settings.get("CLUSTER_WORKER") or f"{socket.gethostname()}:{os.getpid()}"


class ClusterAddon:
    """Turns ``CLUSTER_REDIS_URL`` into the scrapy-redis settings; nothing when it is unset."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get("CLUSTER_REDIS_URL")
        if not url:
            return
        if not str(url).startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"CLUSTER_REDIS_URL={url} is not a Redis URL; give "
                             f"redis://HOST:PORT/DB (`make crawl-cluster` starts one)")
        prefix = key_prefix(settings)
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
            settings.set(name, value, priority="addon")
        from .politeness import host_delay

        if host_delay(settings) > 0:
            handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
            settings.set("CLUSTER_INNER_DOWNLOAD_HANDLERS",
                         {scheme: handlers[scheme] for scheme in ("http", "https")}, "addon")
            # over the project's own DOWNLOAD_HANDLERS (project priority is above add-ons')
            settings.set("DOWNLOAD_HANDLERS", {**settings.getdict("DOWNLOAD_HANDLERS"),
                                               **HOST_SLOT_HANDLERS},
                         max(settings.getpriority("DOWNLOAD_HANDLERS") or 0,
                             SETTINGS_PRIORITIES["addon"]))
