"""The crawl frontier behind ``-s JOBDIR=DIR``: a scheduler whose state survives kill -9.

    SCHEDULER = "crawler.frontier.FrontierScheduler"     (crawler/settings.py)
    scrapy crawl portal -a site=NAME -s JOBDIR=crawls/NAME-1 -o reports.jsonl
    # killed at any moment: the same command goes on where it stopped

Scrapy's own JOBDIR queues write their state only on a graceful stop, so a killed crawl loses
its queue and its seen set.  Here every request lives in one SQLite file in WAL mode,
``DIR/frontier.sqlite``, with three states:

* **queued**: written (``Request.to_dict``, pickled, so callbacks must be spider methods) when
  the engine enqueues it, in the same transaction as its fingerprint in the seen set (the
  dupefilter, persisted the same way);
* **in flight**: taken by the engine, best first (Scrapy priorities; last-in-first-out within
  a priority, as Scrapy's default queues);
* **done**: deleted once the engine has finished with it, i.e. its response or failure went
  through the callback or errback, every request it led to is queued here, and every item it
  yielded went through the item pipelines and the ``item_scraped`` handlers (archive, catalog,
  WARC records, feed).  The engine holds a request in its in-progress set exactly that long
  (``engine._slot.inprogress``, which Scrapy waits on before closing a spider), so a request
  leaving that set is done.  Every ``FRONTIER_CHECKPOINT_INTERVAL`` seconds (and at the close)
  the feed files are flushed and then the requests done since the last checkpoint are deleted:
  a request is never forgotten before what it produced is on disk.

On a restart with the same JOBDIR, requests that were in flight are queued again, and the log
says how many requests were resumed (a JOBDIR whose crawl had finished is a warning, not a
silent one-second "crawl").  A request fetched again this way can yield a report that the
killed process had already archived; ArchivePipeline finds it complete in the catalog under
the same run id (kept in JOBDIR by pipelines.store) and does not archive it again, and drops
it when the feed already holds it (`exported_captures`).

**Feed guarantee** (``-o FILE`` in JSON lines, appended): every report item is in FILE once.
The item reaches the feed only after WarcWriterPipeline, the last pipeline, finished its
capture; a line cut by the kill is removed at the restart; a line that reached FILE before
the kill names a capture (``meta_key``) that the restarted crawl finds in FILE, and the item
fetched again is dropped; a line still in the process's buffer at the kill is lost, and its
request, never checkpointed, brings the item again.  A page that changed between the kill
and the restart is a second capture with its own line.  Other feed formats and remote feeds
are at least once (``python -m crawler.frontier dedupe FILE`` keeps the first line of each
capture).

Without JOBDIR this is Scrapy's own scheduler, in memory.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import os
import pickle
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.core.scheduler import BaseScheduler, Scheduler
from scrapy.utils.job import job_dir
from scrapy.utils.request import request_from_dict
from twisted.internet import task

from crawler import settings as defaults

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

QUEUED, IN_FLIGHT = 0, 1
_EXPORTED = "_nianbao_exported_captures"
_JSON_LINES = {"jsonlines", "jsonl", "jl"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    priority INTEGER NOT NULL,
    state    INTEGER NOT NULL DEFAULT 0,   -- 0 queued, 1 in flight; done requests are deleted
    url      TEXT NOT NULL,
    data     BLOB NOT NULL                 -- pickle of Request.to_dict(spider=…)
);
CREATE INDEX IF NOT EXISTS requests_next ON requests (state, priority DESC, id DESC);
CREATE TABLE IF NOT EXISTS seen (fingerprint BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS job (name TEXT PRIMARY KEY, value TEXT);
"""


class Frontier:
    """The SQLite file: queued and in-flight requests, the seen set, a few job facts."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # A committed transaction is in the WAL, written to the OS: it survives kill -9 of the
        # crawl (a power cut may lose the last ones; FULL would fsync each commit).
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self.queued = self._count(QUEUED)

    def _count(self, state: int) -> int:
        return self._db.execute(
            "SELECT COUNT(*) FROM requests WHERE state = ?", (state,)
        ).fetchone()[0]

    def requeue_in_flight(self) -> int:
        """Requests taken by a crawl that stopped before they were done go back to the queue."""
        n = self._db.execute(
            "UPDATE requests SET state = ? WHERE state = ?", (QUEUED, IN_FLIGHT)
        ).rowcount
        self.queued = self._count(QUEUED)
        return n

    def seen_count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM seen").fetchone()[0]

    def fact(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM job WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_fact(self, name: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO job VALUES (?, ?)", (name, value))

    def push(self, fingerprint: bytes | None, priority: int, url: str, data: bytes) -> bool:
        """Queue a request; False (nothing written) if its fingerprint was seen before."""
        with self._db:  # one transaction: the fingerprint and its request, or neither
            self._db.execute("BEGIN")
            if (
                fingerprint is not None
                and self._db.execute(
                    "INSERT OR IGNORE INTO seen VALUES (?)", (fingerprint,)
                ).rowcount
                == 0
            ):
                return False
            self._db.execute(
                "INSERT INTO requests (priority, state, url, data) VALUES (?, ?, ?, ?)",
                (priority, QUEUED, url, data),
            )
        self.queued += 1
        return True

    def see(self, fingerprint: bytes) -> bool:
        """Add a fingerprint; False if it was there."""
        return (
            self._db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (fingerprint,)).rowcount == 1
        )

    def pop(self) -> tuple[int, bytes] | None:
        """The best queued request, now in flight."""
        row = self._db.execute(
            "SELECT id, data FROM requests WHERE state = ? ORDER BY priority DESC, id DESC LIMIT 1",
            (QUEUED,),
        ).fetchone()
        if row is None:
            return None
        self._db.execute("UPDATE requests SET state = ? WHERE id = ?", (IN_FLIGHT, row[0]))
        self.queued -= 1
        return row[0], row[1]

    def done(self, ids: list[int]) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM requests WHERE id = ?", [(i,) for i in ids])

    def close(self) -> None:
        self._db.close()


class FrontierScheduler(BaseScheduler):
    """Scrapy's scheduler interface over `Frontier` (see the module docstring)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler):  # type: ignore[override]
        jobdir = job_dir(crawler.settings)
        if not jobdir:
            return Scheduler.from_crawler(crawler)
        return cls(crawler, Path(jobdir))

    def __init__(self, crawler: Crawler, jobdir: Path):
        self.crawler = crawler
        self.stats = crawler.stats
        self.jobdir = jobdir
        self.interval = crawler.settings.getfloat(
            "FRONTIER_CHECKPOINT_INTERVAL", defaults.FRONTIER_CHECKPOINT_INTERVAL
        )
        self.fingerprinter = crawler.request_fingerprinter
        self.frontier: Frontier | None = None
        self.in_flight: dict[int, Request] = {}
        # Requests that cannot be pickled (a callback that is not a spider method …): kept in
        # memory, lost if the crawl is killed; counted and warned about once.
        self.memory: list[tuple[int, int, Request]] = []
        self._tiebreak = itertools.count()
        self._warned_unserializable = False
        self._loop: task.LoopingCall | None = None

    # -- the scheduler interface --------------------------------------------------------------
    def open(self, spider: Spider) -> None:
        self.spider = spider
        path = self.jobdir / "frontier.sqlite"
        self.frontier = frontier = Frontier(path)
        started = frontier.fact("started")
        returned = frontier.requeue_in_flight()
        if started is None:
            frontier.set_fact("started", spider.name)
            logger.info(
                "frontier %s: a new crawl; its state survives kill -9, the same command resumes it",
                path,
            )
        elif frontier.queued:
            logger.warning(
                "frontier %s: resuming the crawl: %d requests queued, of which %d were in flight "
                "when it stopped; %d requests seen",
                path,
                frontier.queued,
                returned,
                frontier.seen_count(),
            )
        else:
            logger.warning(
                "frontier %s: the crawl kept in this JOBDIR had finished: nothing is left to "
                "fetch, so this run stops at once. Give a new JOBDIR to crawl again",
                path,
            )
        self.stats.set_value("frontier/resumed", frontier.queued if started is not None else 0)
        self.stats.set_value("frontier/returned_in_flight", returned)
        resume_feeds(self.crawler, resuming=started is not None)
        self._loop = task.LoopingCall(self.checkpoint)
        self._loop.start(self.interval, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.checkpoint()
        assert self.frontier is not None
        left = self.frontier.queued + len(self.in_flight)
        if left:
            logger.info(
                "frontier %s: %d requests left for the next run with this JOBDIR (closed: %s)",
                self.frontier.path,
                left,
                reason,
            )
        self.frontier.close()

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def __len__(self) -> int:
        return (self.frontier.queued if self.frontier else 0) + len(self.memory)

    def enqueue_request(self, request: Request) -> bool:
        assert self.frontier is not None
        fingerprint = None if request.dont_filter else self.fingerprinter.fingerprint(request)
        try:
            data = pickle.dumps(request.to_dict(spider=self.spider), protocol=4)
        except (ValueError, TypeError, AttributeError, pickle.PicklingError) as exc:
            if fingerprint is not None and not self.frontier.see(fingerprint):
                return self._filtered(request)
            self._unserializable(request, exc)
            heapq.heappush(self.memory, (-request.priority, next(self._tiebreak), request))
        else:
            if not self.frontier.push(fingerprint, request.priority, request.url, data):
                return self._filtered(request)
            self.stats.inc_value("scheduler/enqueued/disk")
        self.stats.inc_value("scheduler/enqueued")
        return True

    def next_request(self) -> Request | None:
        assert self.frontier is not None
        if self.memory:
            self.stats.inc_value("scheduler/dequeued/memory")
            self.stats.inc_value("scheduler/dequeued")
            return heapq.heappop(self.memory)[2]
        while (row := self.frontier.pop()) is not None:
            request_id, data = row
            try:
                request = request_from_dict(pickle.loads(data), spider=self.spider)
            except Exception as exc:  # a spider changed between runs: its callback is gone
                logger.error(
                    "frontier: cannot restore a queued request (%s: %s); it is dropped",
                    type(exc).__name__,
                    exc,
                )
                self.frontier.done([request_id])
                continue
            self.in_flight[request_id] = request
            self.stats.inc_value("scheduler/dequeued/disk")
            self.stats.inc_value("scheduler/dequeued")
            return request
        return None

    # -- done requests ------------------------------------------------------------------------
    def checkpoint(self) -> None:
        """Forget the requests the engine has finished with, once their feed lines are on disk."""
        if self.frontier is None or not self.in_flight:
            return
        slot = getattr(self.crawler.engine, "_slot", None)
        in_progress = getattr(slot, "inprogress", None)
        if in_progress is None:
            return  # no engine slot to ask: keep them in flight, a resume fetches them again
        done = [i for i, request in self.in_flight.items() if request not in in_progress]
        if not done:
            return
        flush_feeds(self.crawler)
        self.frontier.done(done)
        for i in done:
            del self.in_flight[i]
        self.stats.inc_value("frontier/done", len(done))

    # -- helpers ------------------------------------------------------------------------------
    def _filtered(self, request: Request) -> bool:
        self.stats.inc_value("dupefilter/filtered")
        logger.debug("Filtered duplicate request: %(request)s", {"request": request})
        return False

    def _unserializable(self, request: Request, exc: Exception) -> None:
        self.stats.inc_value("scheduler/unserializable")
        self.stats.inc_value("scheduler/enqueued/memory")
        if not self._warned_unserializable:
            self._warned_unserializable = True
            logger.warning(
                "frontier: %s cannot be kept on disk (%s: %s), so it is queued in memory and "
                "lost if the crawl is killed; callbacks must be spider methods and meta "
                "picklable (further ones are only counted: scheduler/unserializable)",
                request,
                type(exc).__name__,
                exc,
            )


# -- feeds ------------------------------------------------------------------------------------
def _local_feeds(crawler: Crawler) -> list[tuple[Path, dict]]:
    feeds = []
    for uri, options in crawler.settings.getdict("FEEDS").items():
        uri = str(uri)
        if "%(" in uri or ("://" in uri and not uri.startswith("file://")):
            continue
        path = Path(uri[len("file://") :] if uri.startswith("file://") else uri)
        feeds.append((path, options or {}))
    return feeds


def resume_feeds(crawler: Crawler, resuming: bool) -> None:
    """On a resume: cut a JSON-lines feed's line left half-written by a kill, and note which
    captures (``meta_key``) it holds, so ArchivePipeline does not export them again."""
    exported: set[str] = set()
    for path, options in _local_feeds(crawler):
        if options.get("overwrite"):
            if resuming:
                logger.warning(
                    "feed %s is overwritten (-O) by every run: with JOBDIR use -o, which appends, "
                    "or the items of the crawl before the stop are lost from it",
                    path,
                )
            continue
        if options.get("format") not in _JSON_LINES or not resuming or not path.is_file():
            continue
        exported |= _repair_json_lines(path)
    setattr(crawler, _EXPORTED, frozenset(exported))


def _repair_json_lines(path: Path) -> set[str]:
    data = path.read_bytes()
    keep = data.rfind(b"\n") + 1
    if keep < len(data):
        logger.warning(
            "feed %s: removed its last line, cut by the stop (%d bytes); the item comes again",
            path,
            len(data) - keep,
        )
        os.truncate(path, keep)
    captures = set()
    for line in data[:keep].splitlines():
        try:
            key = json.loads(line).get("meta_key")
        except (ValueError, AttributeError):
            continue
        if key:
            captures.add(key)
    return captures


def exported_captures(crawler: Crawler) -> frozenset[str]:
    """Capture keys (``meta_key``) a resumed crawl's feed held when it started."""
    return getattr(crawler, _EXPORTED, frozenset())


def flush_feeds(crawler: Crawler) -> None:
    """Push the feed exporters' buffered lines to the OS (they survive a kill from then on)."""
    from scrapy.extensions.feedexport import FeedExporter

    for ext in getattr(crawler.extensions, "middlewares", ()):
        if isinstance(ext, FeedExporter):
            for slot in getattr(ext, "slots", ()):
                file = getattr(slot, "file", None)
                if file is not None and not getattr(file, "closed", True):
                    file.flush()


def dedupe_feed(path: Path) -> tuple[int, int]:
    """Keep the first line of each capture (``meta_key``, else the URL); (kept, removed)."""
    seen, kept, removed = set(), [], 0
    for line in path.read_bytes().splitlines(keepends=True):
        try:
            item = json.loads(line)
        except ValueError:
            removed += 1
            continue
        key = item.get("meta_key") or item.get("url")
        if key in seen:
            removed += 1
            continue
        seen.add(key)
        kept.append(line)
    tmp = path.with_name(path.name + ".dedupe")
    tmp.write_bytes(b"".join(kept))
    os.replace(tmp, path)
    return len(kept), removed


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "dedupe":
        sys.exit("usage: python -m crawler.frontier dedupe FEED.jsonl")
    kept, removed = dedupe_feed(Path(sys.argv[2]))
    sys.stdout.write(
        f"{sys.argv[2]}: {kept} items kept, {removed} duplicates or broken lines removed\n"
    )
