"""A reliable priority queue in Redis: a pop moves the request into the worker's in-flight set.

scrapy-redis's ``PriorityQueue`` pops destructively (ZRANGE + ZREMRANGEBYRANK), so a worker
killed with -9 takes the requests it was downloading with it.  Here a pop is one Lua script that
moves the member, with its score, from the queue into ``<prefix>:inflight:<worker>``; the
scheduler acknowledges it (ZREM) once the engine is done with the request, and a worker whose
heartbeat key ``<prefix>:alive:<worker>`` lapsed has its in-flight members moved back (the
reclaim script, atomic, so two workers cannot both reclaim one set).
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Request
from scrapy_redis.queue import PriorityQueue

_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('ZADD', KEYS[2], r[2], r[1])
return r[1]
"""

# KEYS: queue, inflight set, heartbeat key, workers set; ARGV: worker id.  Only when the
# heartbeat is gone: a live worker keeps its set.
_RECLAIM = """
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local r = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #r, 2 do redis.call('ZADD', KEYS[1], r[i + 1], r[i]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[4], ARGV[1])
return #r / 2
"""


class ReliablePriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop leaves the request in a per-worker in-flight set."""

    def __init__(
        self, server: Any, spider: Any, key: str, serializer: Any = None, worker: str = "worker"
    ) -> None:
        super().__init__(server, spider, key, serializer)
        self.worker = worker
        self.prefix = self.key.rsplit(":", 1)[0]
        self.workers_key = f"{self.prefix}:workers"
        self._pop = server.register_script(_POP)
        self._reclaim = server.register_script(_RECLAIM)

    def inflight_key(self, worker: str | None = None) -> str:
        return f"{self.prefix}:inflight:{worker or self.worker}"

    def alive_key(self, worker: str | None = None) -> str:
        return f"{self.prefix}:alive:{worker or self.worker}"

    def pop_leased(self) -> tuple[Request, bytes] | None:
        """The next request and its member (the lease to acknowledge), or None."""
        data = self._pop(keys=[self.key, self.inflight_key()])
        if not data:
            return None
        return self._decode_request(data), data

    def ack(self, members: list[bytes]) -> None:
        if members:
            self.server.zrem(self.inflight_key(), *members)

    def heartbeat(self, lease_ms: int) -> None:
        self.server.sadd(self.workers_key, self.worker)
        self.server.set(self.alive_key(), b"1", px=lease_ms)

    def reclaim_lapsed(self) -> int:
        """Put back the in-flight requests of every worker whose heartbeat lapsed."""
        moved = 0
        for raw in self.server.smembers(self.workers_key):
            worker = raw.decode() if isinstance(raw, bytes) else raw
            n = self._reclaim(
                keys=[
                    self.key,
                    self.inflight_key(worker),
                    self.alive_key(worker),
                    self.workers_key,
                ],
                args=[worker],
            )
            moved += max(int(n), 0)
        return moved

    def release(self) -> int:
        """This worker leaves: its own in-flight requests go back to the queue."""
        self.server.delete(self.alive_key())
        return self.reclaim_lapsed()

    def any_inflight(self) -> bool:
        """Does any worker still hold in-flight requests (whose output may add work)?"""
        return any(
            self.server.zcard(self.inflight_key(w.decode() if isinstance(w, bytes) else w))
            for w in self.server.smembers(self.workers_key)
        )
